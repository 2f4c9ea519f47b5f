#include "overlaypainter.h"

#include <QPainter>
#include <QPainterPath>

namespace annotune::ui {
namespace {

QColor withAlpha(QColor c, int alpha)
{
    c.setAlpha(alpha);
    return c;
}

QColor classColor(const ItemScene &scene, core::Id classId)
{
    const auto it = scene.classes.constFind(classId);
    return it != scene.classes.cend() && it->color.isValid() ? it->color : QColor(0xff, 0x00, 0xaa);
}

QString labelText(const ItemScene &scene, const core::Annotation &a)
{
    const auto it = scene.classes.constFind(a.classId);
    QString text = it != scene.classes.cend() ? it->name : QStringLiteral("class %1").arg(a.classId);
    if (a.score)
        text += QStringLiteral(" %1").arg(*a.score, 0, 'f', 2);
    return text;
}

// A filled tag with the class name just above (or inside, at the top edge) an anchor point.
void drawLabel(QPainter &p, const QPointF &anchor, const QString &text, const QColor &color)
{
    const QFontMetrics fm = p.fontMetrics();
    QRectF r(anchor.x(), anchor.y() - fm.height() - 2, fm.horizontalAdvance(text) + 8, fm.height() + 2);
    if (r.top() < 0)
        r.moveTop(anchor.y());
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawRoundedRect(r, 2, 2);
    p.setPen(color.lightness() > 150 ? Qt::black : Qt::white);
    p.drawText(r, Qt::AlignCenter, text);
}

void drawWords(QPainter &p, const QTransform &t, const ItemScene &scene)
{
    if (scene.words.isEmpty())
        return;
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(QColor(120, 170, 255, 110), 1));
    for (const core::Word &w : scene.words)
        p.drawRect(t.mapRect(w.box));
}

void drawField(QPainter &p, const QTransform &t, const ItemScene &scene, const core::Annotation &a)
{
    const QColor color = classColor(scene, a.classId);
    p.setPen(Qt::NoPen);
    p.setBrush(withAlpha(color, 80));
    for (const core::Word &w : scene.words)
        if (a.wordIds.contains(w.id))
            p.drawRect(t.mapRect(w.box));
    const QRectF box = t.mapRect(a.box);
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(color, 1.5));
    p.drawRect(box.adjusted(-2, -2, 2, 2));
    drawLabel(p, box.topLeft() - QPointF(2, 2), labelText(scene, a), color);
}

void drawShape(QPainter &p, const QTransform &t, const ItemScene &scene, const core::Annotation &a)
{
    const QColor color = classColor(scene, a.classId);
    QPen pen(color, 2);
    if (a.runId)
        pen.setStyle(Qt::DashLine); // model output, not yet a person's label
    p.setPen(pen);
    p.setBrush(withAlpha(color, 40));
    QPointF anchor;
    if (a.kind == core::AnnotationKind::Polygon && !a.polygon.isEmpty()) {
        const QPolygonF poly = t.map(a.polygon);
        p.drawPolygon(poly);
        anchor = poly.boundingRect().topLeft();
    } else {
        const QRectF box = t.mapRect(a.box);
        p.drawRect(box);
        anchor = box.topLeft();
    }
    drawLabel(p, anchor, labelText(scene, a), color);
}

void drawTags(QPainter &p, const ItemScene &scene)
{
    QPointF at(10, 10 + p.fontMetrics().height());
    for (const core::Annotation &a : scene.annotations) {
        if (a.kind != core::AnnotationKind::Tag)
            continue;
        drawLabel(p, at, labelText(scene, a), classColor(scene, a.classId));
        at.ry() += p.fontMetrics().height() + 6;
    }
}

} // namespace

void paintOverlay(QPainter &p, const QTransform &imageToScreen, const ItemScene &scene)
{
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    QFont f = p.font();
    f.setPointSizeF(qMax(7.0, f.pointSizeF() * 0.85));
    p.setFont(f);
    drawWords(p, imageToScreen, scene);
    for (const core::Annotation &a : scene.annotations) {
        if (a.kind == core::AnnotationKind::Field)
            drawField(p, imageToScreen, scene, a);
        else if (a.kind != core::AnnotationKind::Tag)
            drawShape(p, imageToScreen, scene, a);
    }
    drawTags(p, scene);
    p.restore();
}

} // namespace annotune::ui
