#include "polygontool.h"

#include "canvas.h"
#include "labeling/annotationdocument.h"

#include <QKeyEvent>
#include <QLineF>
#include <QPainter>

namespace annotune::ui {
namespace {
constexpr double kClosePx = 8;
}

bool PolygonTool::nearFirst(const QPointF &screen) const
{
    return m_points.size() >= 3 && QLineF(m_canvas.view().toScreen(m_points.first()), screen).length() <= kClosePx;
}

void PolygonTool::mousePress(const ToolEvent &e)
{
    if (e.button != Qt::LeftButton)
        return;
    if (nearFirst(e.screen)) {
        finish();
        return;
    }
    const QSizeF size = m_canvas.imageSize();
    m_points.append(QPointF(qBound(0.0, e.image.x(), size.width()), qBound(0.0, e.image.y(), size.height())));
    m_current = e.image;
    m_canvas.update();
}

void PolygonTool::mouseMove(const ToolEvent &e)
{
    m_current = e.image;
    if (!m_points.isEmpty())
        m_canvas.update();
}

void PolygonTool::mouseDoubleClick(const ToolEvent &)
{
    if (m_points.size() >= 3)
        finish();
}

bool PolygonTool::keyPress(QKeyEvent *e)
{
    if (m_points.isEmpty())
        return false;
    switch (e->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
        finish();
        return true;
    case Qt::Key_Backspace:
        m_points.removeLast();
        m_canvas.update();
        return true;
    case Qt::Key_Escape:
        cancel();
        return true;
    default:
        return false;
    }
}

void PolygonTool::finish()
{
    auto *doc = m_canvas.document();
    const core::LabelClass *cls = doc->classById(m_canvas.currentClass());
    const QPolygonF points = m_points;
    cancel();
    if (points.size() < 3) {
        m_canvas.showMessage(tr("A polygon needs at least three vertices"));
        return;
    }
    if (!cls || cls->kind == core::ClassKind::Tag || cls->kind == core::ClassKind::Field) {
        m_canvas.showMessage(tr("Choose a box or polygon class first (1–9 or the class list)"));
        return;
    }
    core::Annotation a;
    a.kind = core::AnnotationKind::Polygon;
    a.classId = cls->id;
    a.polygon = points;
    a.box = points.boundingRect();
    if (const core::Id id = doc->addAnnotation(a))
        m_canvas.setSelection({id});
}

void PolygonTool::paint(QPainter &p, const ViewTransform &view)
{
    if (m_points.isEmpty())
        return;
    const QColor color = m_canvas.classColor(m_canvas.currentClass());
    QPolygonF screen = view.matrix().map(m_points);
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(QPen(color, 2));
    p.setBrush(Qt::NoBrush);
    p.drawPolyline(screen);
    p.setPen(QPen(color, 1, Qt::DashLine));
    p.drawLine(screen.last(), view.toScreen(m_current));
    p.setPen(QPen(Qt::black, 1));
    for (int i = 0; i < screen.size(); ++i) {
        const bool closing = i == 0 && nearFirst(view.toScreen(m_current));
        p.setBrush(closing ? QColor(Qt::white) : color);
        const double r = closing ? 6 : 3.5;
        p.drawEllipse(screen[i], r, r);
    }
}

void PolygonTool::cancel()
{
    m_points.clear();
    m_canvas.update();
}

} // namespace annotune::ui
