// The canvas's input: wheel zoom around the cursor, panning with the middle button or space-drag,
// and everything else handed to the active tool in image pixels.

#include "abstracttool.h"
#include "canvas.h"
#include "labeling/annotationdocument.h"

#include <QKeyEvent>
#include <cmath>

namespace annotune::ui {

ToolEvent Canvas::makeEvent(QMouseEvent *event) const
{
    return ToolEvent{m_view.toImage(event->position()), event->position(), event->button(), event->buttons(),
                     event->modifiers()};
}

void Canvas::wheelEvent(QWheelEvent *event)
{
    if (!m_doc || !m_doc->itemId())
        return;
    if (event->modifiers() & Qt::ShiftModifier) // shift+wheel scrolls sideways, like most editors
        panBy(QPointF(event->angleDelta().y() / 2.0, 0));
    else
        zoomAt(std::pow(1.0015, event->angleDelta().y()), event->position());
    event->accept();
}

void Canvas::mousePressEvent(QMouseEvent *event)
{
    setFocus(Qt::MouseFocusReason);
    const bool pan = event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && m_spaceHeld);
    if (pan) {
        m_panning = true;
        m_lastPan = event->position();
        setCursor(Qt::ClosedHandCursor);
        return;
    }
    if (m_tool && m_doc && m_doc->itemId())
        m_tool->mousePress(makeEvent(event));
}

void Canvas::mouseMoveEvent(QMouseEvent *event)
{
    m_cursor = event->position();
    if (m_panning) {
        panBy(event->position() - m_lastPan);
        m_lastPan = event->position();
        return;
    }
    const ToolEvent e = makeEvent(event);
    Q_EMIT cursorMoved(e.image);
    if (m_tool && m_doc && m_doc->itemId()) {
        m_tool->mouseMove(e);
        if (!m_spaceHeld)
            setCursor(m_tool->cursorAt(e.image));
    }
    if (m_tool && m_tool->wantsCrosshair())
        update();
}

void Canvas::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_panning && (event->button() == Qt::MiddleButton || event->button() == Qt::LeftButton)) {
        m_panning = false;
        setCursor(m_spaceHeld ? Qt::OpenHandCursor : Qt::ArrowCursor);
        return;
    }
    if (m_tool && m_doc && m_doc->itemId())
        m_tool->mouseRelease(makeEvent(event));
}

void Canvas::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (m_tool && m_doc && m_doc->itemId() && event->button() == Qt::LeftButton)
        m_tool->mouseDoubleClick(makeEvent(event));
}

void Canvas::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space) {
        if (!event->isAutoRepeat()) {
            m_spaceHeld = true;
            setCursor(Qt::OpenHandCursor);
        }
        return;
    }
    if (m_tool && m_tool->keyPress(event))
        return;
    QWidget::keyPressEvent(event);
}

void Canvas::keyReleaseEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        if (!m_panning)
            setCursor(m_tool ? m_tool->cursorAt({}) : Qt::ArrowCursor);
        return;
    }
    QWidget::keyReleaseEvent(event);
}

void Canvas::leaveEvent(QEvent *)
{
    m_cursor = QPointF(-1, -1);
    update();
}

} // namespace annotune::ui
