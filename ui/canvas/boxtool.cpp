#include "boxtool.h"

#include "canvas.h"
#include "labeling/annotationdocument.h"

#include <QKeyEvent>
#include <QLineF>
#include <QPainter>

namespace annotune::ui {

void BoxTool::mousePress(const ToolEvent &e)
{
    if (e.button != Qt::LeftButton)
        return;
    if (m_state == State::WaitingForSecondCorner) {
        finish(e.image);
        return;
    }
    m_state = State::Dragging;
    m_start = m_current = e.image;
    m_startScreen = e.screen;
}

void BoxTool::mouseMove(const ToolEvent &e)
{
    m_current = e.image;
    if (m_state != State::Idle)
        m_canvas.update();
}

void BoxTool::mouseRelease(const ToolEvent &e)
{
    if (m_state != State::Dragging || e.button != Qt::LeftButton)
        return;
    if (QLineF(m_startScreen, e.screen).length() < 4)
        m_state = State::WaitingForSecondCorner; // a click: the next click is the other corner
    else
        finish(e.image);
}

void BoxTool::finish(const QPointF &corner)
{
    auto *doc = m_canvas.document();
    const core::LabelClass *cls = doc->classById(m_canvas.currentClass());
    const QRectF box = QRectF(m_start, corner).normalized();
    cancel();
    if (!cls || cls->kind == core::ClassKind::Tag || cls->kind == core::ClassKind::Field) {
        m_canvas.showMessage(tr("Choose a box or polygon class first (1–9 or the class list)"));
        return;
    }
    core::Annotation a;
    a.kind = core::AnnotationKind::Box;
    a.classId = cls->id;
    a.box = box;
    if (const core::Id id = doc->addAnnotation(a))
        m_canvas.setSelection({id});
    else
        m_canvas.showMessage(tr("Box too small or outside the image: not added"));
}

bool BoxTool::keyPress(QKeyEvent *e)
{
    if (e->key() != Qt::Key_Escape || m_state == State::Idle)
        return false;
    cancel();
    return true;
}

void BoxTool::paint(QPainter &p, const ViewTransform &view)
{
    if (m_state == State::Idle)
        return;
    const QColor color = m_canvas.classColor(m_canvas.currentClass());
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setPen(QPen(color, 2, Qt::DashLine));
    QColor fill = color;
    fill.setAlpha(50);
    p.setBrush(fill);
    p.drawRect(view.toScreen(QRectF(m_start, m_current).normalized()));
}

void BoxTool::cancel()
{
    m_state = State::Idle;
    m_canvas.update();
}

} // namespace annotune::ui
