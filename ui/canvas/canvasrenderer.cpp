#include "canvasrenderer.h"

#include <QPainter>
#include <QPainterPath>
#include <cmath>

namespace annotune::ui {
namespace {

constexpr int kFillLimit = 1500;  // fill shapes only when at most this many are visible
constexpr int kLabelLimit = 250;  // draw class names only when at most this many are visible
constexpr int kSmoothLimit = 400; // antialias polygons only below this

QColor colorOf(const RenderScene &s, core::Id classId)
{
    const QColor c = s.colors->value(classId);
    return c.isValid() ? c : QColor(0xff, 0x00, 0xaa);
}

// A name tag above anchor (below it at the top edge): the text centred on a chip of color.
void drawName(QPainter &p, const QPointF &anchor, const QStaticText &text, const QColor &color)
{
    const QFontMetrics fm = p.fontMetrics();
    QRectF r(anchor.x(), anchor.y() - fm.height() - 2, text.size().width() + 8, fm.height() + 2);
    if (r.top() < 0)
        r.moveTop(anchor.y());
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawRect(r);
    p.setPen(color.lightness() > 150 ? Qt::black : Qt::white);
    p.drawStaticText(QPointF(r.x() + 4, r.y() + 1), text);
}

// A chip from NameTags::chip where drawName would paint it at anchor, on whole device pixels.
void drawChip(QPainter &p, const QPointF &anchor, const QImage &chip)
{
    const double dpr = chip.devicePixelRatio();
    QPointF at(anchor.x(), anchor.y() - chip.height() / dpr);
    if (at.y() < 0)
        at.setY(anchor.y());
    p.drawImage(QPointF(qRound(at.x() * dpr), qRound(at.y() * dpr)) / dpr, chip);
}

// Visible shapes grouped by class, in screen pixels.
struct Batch {
    QVector<QRectF> rects;
    QVector<QPolygonF> polygons;
    QVector<const core::Annotation *> shapes;
};

// Where the pre-scaled image goes when the view shows the image at its size (fit to window): the
// frame's position rounded to whole device pixels. Null when the view does not match it.
QRectF fittedTarget(const QPainter &p, const RenderScene &s, const QRectF &frame)
{
    const QImage &fitted = s.image->fitted;
    const double dpr = p.device() ? p.device()->devicePixelRatio() : 1.0;
    if (fitted.isNull() || std::abs(frame.width() * dpr - fitted.width()) >= 1
        || std::abs(frame.height() * dpr - fitted.height()) >= 1)
        return {};
    const QPointF topLeft = QPointF(qRound(frame.x() * dpr), qRound(frame.y() * dpr)) / dpr;
    return QRectF(topLeft, QSizeF(fitted.size()) / dpr);
}

// Copies the pre-scaled image (no scaling) when fittedTarget applies. False when it does not.
bool paintFitted(QPainter &p, const RenderScene &s, const QRectF &frame)
{
    const QRectF target = fittedTarget(p, s, frame);
    if (target.isNull())
        return false;
    const QRectF shown = target.intersected(s.viewport);
    if (shown.isEmpty())
        return true;
    const double dpr = p.device() ? p.device()->devicePixelRatio() : 1.0;
    const QRectF source((shown.topLeft() - target.topLeft()) * dpr, shown.size() * dpr);
    p.drawImage(shown, s.image->fitted, source);
    return true;
}

} // namespace

const QStaticText &NameTags::text(const QString &name, const QFont &font)
{
    if (font != m_font || m_texts.size() >= kMaxTexts || m_chips.size() >= kMaxTexts) {
        m_texts.clear();
        m_chips.clear();
        m_font = font;
    }
    auto it = m_texts.find(name);
    if (it == m_texts.end()) {
        QStaticText laid(name);
        laid.setTextFormat(Qt::PlainText);
        laid.prepare(QTransform(), font);
        it = m_texts.insert(name, laid);
    }
    return *it;
}

const QImage &NameTags::chip(QPainter &p, const QString &name, const QColor &color)
{
    const QStaticText &laid = text(name, p.font());
    const double dpr = p.device() ? p.device()->devicePixelRatio() : 1.0;
    const QString key = name + QLatin1Char('\x1f') + QString::number(color.rgba(), 16) + QLatin1Char('@')
                        + QString::number(dpr);
    auto it = m_chips.find(key);
    if (it != m_chips.end())
        return *it;
    const QFontMetrics fm = p.fontMetrics();
    const QSizeF size(std::ceil(laid.size().width() + 8), fm.height() + 2);
    QImage chip((size * dpr).toSize(), QImage::Format_ARGB32_Premultiplied);
    if (p.device()) { // the same font size in pixels as on the device
        chip.setDotsPerMeterX(qRound(p.device()->logicalDpiX() / 0.0254));
        chip.setDotsPerMeterY(qRound(p.device()->logicalDpiY() / 0.0254));
    }
    chip.setDevicePixelRatio(dpr);
    chip.fill(Qt::transparent);
    QPainter cp(&chip);
    cp.setFont(p.font());
    drawName(cp, QPointF(0, size.height()), laid, color);
    cp.end();
    return *m_chips.insert(key, chip);
}

QRectF opaqueImageRect(const QPainter &p, const RenderScene &s)
{
    if (!s.image || s.image->fitted.hasAlphaChannel())
        return {};
    const QRectF target = fittedTarget(p, s, s.view.toScreen(QRectF(QPointF(0, 0), s.imageSize)));
    return target.isNull() ? QRectF() : target.intersected(s.viewport);
}

void fillAround(QPainter &p, const QRectF &area, const QRectF &hole, const QColor &color)
{
    if (hole.isEmpty()) {
        p.fillRect(area, color);
        return;
    }
    p.fillRect(QRectF(area.left(), area.top(), area.width(), hole.top() - area.top()), color);
    p.fillRect(QRectF(area.left(), hole.bottom(), area.width(), area.bottom() - hole.bottom()), color);
    p.fillRect(QRectF(area.left(), hole.top(), hole.left() - area.left(), hole.height()), color);
    p.fillRect(QRectF(hole.right(), hole.top(), area.right() - hole.right(), hole.height()), color);
}

void paintImage(QPainter &p, const RenderScene &s)
{
    const QRectF frame = s.view.toScreen(QRectF(QPointF(0, 0), s.imageSize));
    if (s.image && paintFitted(p, s, frame))
        return;
    const QRectF shown = frame.intersected(s.viewport);
    const QImage *level = s.image ? s.image->levelFor(s.view.scale) : nullptr;
    if (!level || shown.isEmpty()) {
        p.fillRect(shown, QColor(0x2a, 0x2c, 0x30));
        return;
    }
    // Only the visible part of the level is scaled: cost follows the screen, not the image.
    const double kx = level->width() / s.imageSize.width(), ky = level->height() / s.imageSize.height();
    const QRectF inImage = s.view.toImage(shown);
    const QRectF source(inImage.x() * kx, inImage.y() * ky, inImage.width() * kx, inImage.height() * ky);
    p.setRenderHint(QPainter::SmoothPixmapTransform, shown.width() < source.width() * 3);
    p.drawImage(shown, *level, source);
}

int paintAnnotations(QPainter &p, const RenderScene &s)
{
    const QRectF visibleImage = s.view.toImage(s.viewport).adjusted(-2, -2, 2, 2);
    const QVector<int> visible = s.index->query(visibleImage);
    QHash<core::Id, Batch> batches;
    int drawn = 0;
    for (int i : visible) {
        const core::Annotation *a = &(*s.annotations)[i];
        if (s.hidden->contains(a->classId) || a->kind == core::AnnotationKind::Field)
            continue;
        if (auto it = s.preview->constFind(a->id); it != s.preview->cend())
            a = &*it;
        Batch &b = batches[a->classId];
        if (a->polygon.size() >= 2 && a->kind != core::AnnotationKind::Box)
            b.polygons.append(s.view.matrix().map(a->polygon));
        else
            b.rects.append(s.view.toScreen(a->box));
        b.shapes.append(a);
        ++drawn;
    }
    p.save();
    p.setClipRect(s.view.toScreen(QRectF(QPointF(0, 0), s.imageSize)).intersected(s.viewport));
    const bool fill = drawn <= kFillLimit;
    for (auto it = batches.cbegin(); it != batches.cend(); ++it) {
        const QColor color = colorOf(s, it.key());
        QColor tint = color;
        tint.setAlpha(40);
        p.setPen(QPen(color, drawn > kFillLimit ? 1 : 2));
        p.setBrush(fill ? QBrush(tint) : Qt::NoBrush);
        p.setRenderHint(QPainter::Antialiasing, false);
        if (fill)
            for (const QRectF &r : it->rects)
                paintBox(p, r, color, tint);
        else
            p.drawRects(it->rects.constData(), int(it->rects.size()));
        p.setRenderHint(QPainter::Antialiasing, drawn <= kSmoothLimit);
        for (const QPolygonF &poly : it->polygons)
            p.drawPolygon(poly);
    }
    p.setRenderHint(QPainter::Antialiasing, false);
    if (drawn <= kLabelLimit) {
        NameTags ownTags; // a scene without the canvas's cache lays its names out once here
        NameTags &tags = s.tags ? *s.tags : ownTags;
        for (auto it = batches.cbegin(); it != batches.cend(); ++it) {
            const QImage &chip = tags.chip(p, s.names->value(it.key()), colorOf(s, it.key()));
            for (const core::Annotation *a : it->shapes)
                drawChip(p, s.view.toScreen(a->box.topLeft()), chip);
        }
    }
    // Selection on top: a white outline and the handles.
    for (int i : visible) {
        const core::Annotation *a = &(*s.annotations)[i];
        if (!s.selected->contains(a->id) || s.hidden->contains(a->classId))
            continue;
        if (auto it = s.preview->constFind(a->id); it != s.preview->cend())
            a = &*it;
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(Qt::white, 1, Qt::DashLine));
        if (a->polygon.size() >= 2 && a->kind != core::AnnotationKind::Box)
            p.drawPolygon(s.view.matrix().map(a->polygon));
        else
            p.drawRect(s.view.toScreen(a->box).adjusted(-1, -1, 1, 1));
        p.setPen(QPen(Qt::black, 1));
        p.setBrush(colorOf(s, a->classId).lighter(150));
        for (const QPointF &h : handlePoints(*a))
            p.drawRect(QRectF(s.view.toScreen(h) - QPointF(4, 4), QSizeF(8, 8)));
    }
    p.restore();
    return drawn;
}

void paintTags(QPainter &p, const RenderScene &s)
{
    QPointF at(10, 10 + p.fontMetrics().height());
    NameTags ownTags;
    NameTags &tags = s.tags ? *s.tags : ownTags;
    for (const core::Annotation &a : *s.annotations) {
        if (a.kind != core::AnnotationKind::Tag || s.hidden->contains(a.classId))
            continue;
        drawChip(p, at, tags.chip(p, s.names->value(a.classId), colorOf(s, a.classId)));
        at.ry() += p.fontMetrics().height() + 6;
    }
}

void paintBox(QPainter &p, const QRectF &r, const QColor &color, const QColor &tint)
{
    const QRectF inside = r.adjusted(1, 1, -1, -1);
    if (inside.width() > 0 && inside.height() > 0)
        p.fillRect(inside, tint);
    p.fillRect(QRectF(r.left() - 1, r.top() - 1, r.width() + 2, 2), color);
    p.fillRect(QRectF(r.left() - 1, r.bottom() - 1, r.width() + 2, 2), color);
    if (r.height() > 2) {
        p.fillRect(QRectF(r.left() - 1, r.top() + 1, 2, r.height() - 2), color);
        p.fillRect(QRectF(r.right() - 1, r.top() + 1, 2, r.height() - 2), color);
    }
}

QVector<QPointF> handlePoints(const core::Annotation &a)
{
    if (a.kind == core::AnnotationKind::Tag || a.kind == core::AnnotationKind::Field)
        return {};
    if (a.kind != core::AnnotationKind::Box && !a.polygon.isEmpty())
        return QVector<QPointF>(a.polygon.cbegin(), a.polygon.cend());
    const QRectF &b = a.box;
    const QPointF c = b.center();
    return {b.topLeft(), QPointF(c.x(), b.top()), b.topRight(), QPointF(b.right(), c.y()),
            b.bottomRight(), QPointF(c.x(), b.bottom()), b.bottomLeft(), QPointF(b.left(), c.y())};
}

} // namespace annotune::ui
