#include "selecttool.h"

#include "canvas.h"
#include "canvasrenderer.h"
#include "hittest.h"
#include "labeling/annotationdocument.h"

#include <QKeyEvent>
#include <QLineF>
#include <QPainter>

namespace annotune::ui {
namespace {
constexpr double kHandlePx = 6;

bool isVertexShape(const core::Annotation &a)
{
    return a.kind != core::AnnotationKind::Box && a.polygon.size() >= 2;
}
} // namespace

QRectF SelectTool::resized(const QRectF &box, int handle, const QPointF &p)
{
    QRectF r = box;
    switch (handle) {
    case 0: r.setTopLeft(p); break;
    case 1: r.setTop(p.y()); break;
    case 2: r.setTopRight(p); break;
    case 3: r.setRight(p.x()); break;
    case 4: r.setBottomRight(p); break;
    case 5: r.setBottom(p.y()); break;
    case 6: r.setBottomLeft(p); break;
    case 7: r.setLeft(p.x()); break;
    default: break;
    }
    return r.normalized();
}

int SelectTool::handleAt(const QPointF &p, const core::Annotation **shape) const
{
    const auto &sel = m_canvas.selection();
    const core::Annotation *a = sel.size() == 1 ? m_canvas.document()->find(sel.first()) : nullptr;
    if (!a || !m_canvas.isShown(*a))
        return -1;
    *shape = a;
    return hittest::pointNear(handlePoints(*a), p, m_canvas.toImageDistance(kHandlePx));
}

void SelectTool::startDrag(Mode mode, const ToolEvent &e)
{
    m_mode = mode;
    m_start = m_current = e.image;
    m_origins.clear();
    for (core::Id id : m_canvas.selection())
        if (const core::Annotation *a = m_canvas.document()->find(id))
            m_origins.append(*a);
}

void SelectTool::mousePress(const ToolEvent &e)
{
    auto *doc = m_canvas.document();
    const core::Annotation *shape = nullptr;
    const int handle = handleAt(e.image, &shape);
    const bool removeVertex = e.button == Qt::RightButton || (e.modifiers & Qt::AltModifier);
    if (handle >= 0 && isVertexShape(*shape) && removeVertex) {
        doc->removeVertex(shape->id, handle);
        return;
    }
    if (e.button != Qt::LeftButton)
        return;
    if (handle >= 0 && !(e.modifiers & Qt::ShiftModifier)) {
        m_handle = handle;
        startDrag(isVertexShape(*shape) ? Mode::Vertex : Mode::Resize, e);
        return;
    }
    const core::Id hit = m_canvas.annotationAt(e.image);
    QVector<core::Id> sel = m_canvas.selection();
    if (hit && (e.modifiers & Qt::ShiftModifier)) {
        sel.contains(hit) ? void(sel.removeAll(hit)) : sel.append(hit);
        m_canvas.setSelection(sel);
        return;
    }
    if (hit) {
        if (!sel.contains(hit))
            m_canvas.setSelection({hit});
        startDrag(Mode::Move, e);
        return;
    }
    if (!(e.modifiers & Qt::ShiftModifier))
        m_canvas.setSelection({});
    m_bandBase = m_canvas.selection();
    startDrag(Mode::Band, e);
}

void SelectTool::mouseMove(const ToolEvent &e)
{
    if (m_mode == Mode::Idle)
        return;
    m_current = e.image;
    QVector<core::Annotation> preview = m_origins;
    const QPointF delta = m_current - m_start;
    if (m_mode == Mode::Move) {
        for (core::Annotation &a : preview) {
            a.box.translate(delta);
            a.polygon.translate(delta);
        }
    } else if (m_mode == Mode::Resize && preview.size() == 1) {
        preview[0].box = resized(preview[0].box, m_handle, m_current);
    } else if (m_mode == Mode::Vertex && preview.size() == 1 && m_handle < preview[0].polygon.size()) {
        preview[0].polygon[m_handle] = m_current;
        preview[0].box = preview[0].polygon.boundingRect();
    }
    if (m_mode == Mode::Band)
        m_canvas.update();
    else
        m_canvas.setPreview(preview);
}

void SelectTool::mouseRelease(const ToolEvent &e)
{
    if (m_mode == Mode::Idle || e.button != Qt::LeftButton)
        return;
    auto *doc = m_canvas.document();
    const Mode mode = m_mode;
    const QVector<core::Annotation> origins = m_origins;
    const bool moved = QLineF(m_canvas.view().toScreen(m_start), e.screen).length() >= 2;
    cancel();
    if (mode == Mode::Band) {
        QVector<core::Id> sel = m_bandBase;
        for (core::Id id : m_canvas.annotationsInside(QRectF(m_start, e.image).normalized()))
            if (!sel.contains(id))
                sel.append(id);
        m_canvas.setSelection(sel);
        return;
    }
    if (!moved || origins.isEmpty())
        return;
    if (mode == Mode::Move) {
        QVector<core::Id> ids;
        for (const core::Annotation &a : origins)
            ids.append(a.id);
        doc->moveAnnotations(ids, e.image - m_start);
    } else if (mode == Mode::Resize) {
        doc->resizeBox(origins[0].id, resized(origins[0].box, m_handle, e.image));
    } else if (mode == Mode::Vertex) {
        doc->moveVertex(origins[0].id, m_handle, e.image);
    }
}

void SelectTool::mouseDoubleClick(const ToolEvent &e)
{
    const auto &sel = m_canvas.selection();
    const core::Annotation *a = sel.size() == 1 ? m_canvas.document()->find(sel.first()) : nullptr;
    if (!a || !isVertexShape(*a))
        return;
    QPointF at;
    const int index = hittest::edgeNear(a->polygon, e.image, m_canvas.toImageDistance(kHandlePx), &at);
    if (index >= 0)
        m_canvas.document()->insertVertex(a->id, index, at);
}

bool SelectTool::keyPress(QKeyEvent *e)
{
    if (e->key() != Qt::Key_Escape)
        return false;
    if (m_mode != Mode::Idle)
        cancel();
    else
        m_canvas.setSelection({});
    return true;
}

void SelectTool::paint(QPainter &p, const ViewTransform &view)
{
    if (m_mode != Mode::Band)
        return;
    const QRectF band = view.toScreen(QRectF(m_start, m_current).normalized());
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setPen(QPen(QColor(120, 180, 255), 1, Qt::DashLine));
    p.setBrush(QColor(120, 180, 255, 40));
    p.drawRect(band);
}

Qt::CursorShape SelectTool::cursorAt(const QPointF &image) const
{
    if (!m_canvas.document() || !m_canvas.document()->itemId())
        return Qt::ArrowCursor;
    const core::Annotation *shape = nullptr;
    const int handle = handleAt(image, &shape);
    if (handle >= 0) {
        if (isVertexShape(*shape))
            return Qt::CrossCursor;
        static const Qt::CursorShape shapes[] = {Qt::SizeFDiagCursor, Qt::SizeVerCursor, Qt::SizeBDiagCursor,
                                                 Qt::SizeHorCursor, Qt::SizeFDiagCursor, Qt::SizeVerCursor,
                                                 Qt::SizeBDiagCursor, Qt::SizeHorCursor};
        return shapes[handle % 8];
    }
    return m_canvas.annotationAt(image) ? Qt::SizeAllCursor : Qt::ArrowCursor;
}

void SelectTool::cancel()
{
    m_mode = Mode::Idle;
    m_origins.clear();
    m_canvas.clearPreview();
}

} // namespace annotune::ui
