#include "documentlayer.h"

#include "canvas.h"
#include "hittest.h"
#include "labeling/annotationdocument.h"

#include <QPainter>
#include <QtMath>
#include <algorithm>

namespace annotune::ui {

using core::Annotation;
using core::AnnotationKind;
using core::Id;

namespace documenthit {

bool isPage(const labeling::AnnotationDocument *doc)
{
    return doc && doc->itemId() && doc->item().kind == core::ItemKind::DocumentPage;
}

Id wordAt(const labeling::AnnotationDocument &doc, const QPointF &image, double tol)
{
    for (const core::Word &w : doc.words())
        if (w.box.adjusted(-tol, -tol, tol, tol).contains(image))
            return w.id;
    return 0;
}

QVector<Id> wordsIn(const labeling::AnnotationDocument &doc, const QRectF &rect)
{
    QVector<Id> out;
    for (const core::Word &w : doc.words())
        if (rect.intersects(w.box))
            out.append(w.id);
    return out;
}

Id fieldAt(const labeling::AnnotationDocument &doc, const QPointF &image, double tol)
{
    Id best = 0;
    double bestArea = 0;
    for (const Annotation &a : doc.annotations()) {
        if (a.kind != AnnotationKind::Field || !a.box.adjusted(-tol, -tol, tol, tol).contains(image))
            continue;
        const double area = a.box.width() * a.box.height();
        if (!best || area < bestArea) {
            best = a.id;
            bestArea = area;
        }
    }
    return best;
}

QLineF arrowBetween(const QRectF &from, const QRectF &to)
{
    const QLineF centres(from.center(), to.center());
    const auto exitPoint = [](const QRectF &r, const QLineF &line, bool fromStart) {
        const QPolygonF edges(r);
        QPointF hit = fromStart ? line.p1() : line.p2();
        for (int i = 0; i < 4; ++i) {
            QPointF at;
            if (QLineF(edges[i], edges[(i + 1) % 4]).intersects(line, &at) == QLineF::BoundedIntersection)
                hit = at;
        }
        return hit;
    };
    return QLineF(exitPoint(from, centres, true), exitPoint(to, centres, false));
}

Id linkAt(const labeling::AnnotationDocument &doc, const QPointF &image, double tol)
{
    for (const core::AnnotationLink &l : doc.links()) {
        const Annotation *a = doc.find(l.fromId);
        const Annotation *b = doc.find(l.toId);
        if (!a || !b)
            continue;
        const QLineF line = arrowBetween(a->box, b->box);
        if (hittest::distanceToSegment(image, line.p1(), line.p2()) <= tol)
            return l.id;
    }
    return 0;
}

void drawArrow(QPainter &p, const QLineF &line)
{
    p.drawLine(line);
    if (line.length() < 1)
        return;
    const double angle = qDegreesToRadians(line.angle());
    const double head = 9;
    const QPointF tip = line.p2();
    const QPointF left = tip + QPointF(-std::cos(angle - 0.45) * head, std::sin(angle - 0.45) * head);
    const QPointF right = tip + QPointF(-std::cos(angle + 0.45) * head, std::sin(angle + 0.45) * head);
    p.save();
    p.setBrush(p.pen().color());
    p.drawPolygon(QPolygonF({tip, left, right}));
    p.restore();
}

} // namespace documenthit

void DocumentLayer::paint(QPainter &p, const ViewTransform &view) const
{
    if (!documenthit::isPage(m_canvas.document()))
        return;
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    if (m_showWords)
        paintWords(p, view);
    paintFields(p, view);
    paintLinks(p, view);
    p.restore();
}

void DocumentLayer::paintWords(QPainter &p, const ViewTransform &view) const
{
    p.setPen(QPen(QColor(40, 120, 220, 140), 1));
    p.setBrush(Qt::NoBrush);
    for (const core::Word &w : m_canvas.document()->words())
        p.drawRect(view.toScreen(w.box));
}

void DocumentLayer::paintFields(QPainter &p, const ViewTransform &view) const
{
    const labeling::AnnotationDocument &doc = *m_canvas.document();
    const QFontMetrics fm = p.fontMetrics();
    QVector<QRectF> tags; // class names already drawn: a name that would cover one moves aside
    for (const Annotation &a : doc.annotations()) {
        if (a.kind != AnnotationKind::Field || !m_canvas.isShown(a))
            continue;
        QColor c = m_canvas.classColor(a.classId);
        const bool selected = m_canvas.isSelected(a.id);
        QColor fill = c;
        fill.setAlpha(selected ? 110 : 60);
        p.setPen(Qt::NoPen);
        p.setBrush(fill);
        for (Id id : a.wordIds)
            if (const core::Word *w = doc.findWord(id))
                p.drawRect(view.toScreen(w->box));
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(c, selected ? 2.5 : 1.2));
        const QRectF box = view.toScreen(a.box).adjusted(-2, -2, 2, 2);
        p.drawRect(box);
        const QString name = m_canvas.className(a.classId);
        QRectF tag(box.left(), box.top() - fm.height() - 1, fm.horizontalAdvance(name) + 8, fm.height() + 1);
        const auto covers = [&](const QRectF &r) {
            return std::any_of(tags.begin(), tags.end(), [&](const QRectF &t) { return t.intersects(r); });
        };
        if (covers(tag))
            tag.moveTopRight(QPointF(box.left() - 2, box.center().y() - tag.height() / 2));
        if (covers(tag) && !selected)
            continue;
        tags.append(tag);
        p.fillRect(tag, c);
        p.setPen(c.lightness() > 150 ? Qt::black : Qt::white);
        p.drawText(tag, Qt::AlignCenter, name);
    }
}

void DocumentLayer::paintLinks(QPainter &p, const ViewTransform &view) const
{
    const labeling::AnnotationDocument &doc = *m_canvas.document();
    for (const core::AnnotationLink &l : doc.links()) {
        const Annotation *a = doc.find(l.fromId);
        const Annotation *b = doc.find(l.toId);
        if (!a || !b || !m_canvas.isShown(*a) || !m_canvas.isShown(*b))
            continue;
        p.setPen(QPen(QColor(230, 60, 140), 2));
        documenthit::drawArrow(p, documenthit::arrowBetween(view.toScreen(a->box), view.toScreen(b->box)));
    }
}

} // namespace annotune::ui
