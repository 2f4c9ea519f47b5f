#pragma once
// The interface of every canvas tool (select, box, polygon, ...): the canvas hands it mouse and
// key events in image pixels and lets it paint its feedback; tools edit only through the document.

#include "viewtransform.h"

#include <QObject>
#include <Qt>

class QKeyEvent;
class QPainter;

namespace annotune::ui {

class Canvas;

// A mouse event with its position in image pixels (and on screen, for distances in pixels).
struct ToolEvent {
    QPointF image;
    QPointF screen;
    Qt::MouseButton button = Qt::NoButton;
    Qt::MouseButtons buttons;
    Qt::KeyboardModifiers modifiers;
};

// One class per tool. The canvas owns none of a tool's state; a tool keeps its gesture in flight
// and commits it as one document intent when the gesture ends.
class AbstractTool : public QObject {
    Q_OBJECT
public:
    explicit AbstractTool(Canvas &canvas) : QObject(nullptr), m_canvas(canvas) {}
    // A stable id ("tool.select") matching the action that picks the tool.
    virtual QString id() const = 0;

    // Called when the tool becomes the canvas's tool, and when it stops being it (it must drop
    // any half-made shape then).
    virtual void activate() {}
    virtual void deactivate() {}
    // Called for left and right buttons only; panning (middle button, space-drag) never reaches tools.
    virtual void mousePress(const ToolEvent &) {}
    // Called on every move, with or without buttons held.
    virtual void mouseMove(const ToolEvent &) {}
    virtual void mouseRelease(const ToolEvent &) {}
    virtual void mouseDoubleClick(const ToolEvent &) {}
    // Called for keys no shortcut took (Esc, Enter, Backspace); true when the tool used it.
    virtual bool keyPress(QKeyEvent *) { return false; }
    // Called after the image and annotations are painted, with the painter in screen pixels.
    virtual void paint(QPainter &, const ViewTransform &) {}
    // Called when the document changed under the tool (undo, another item): drop stale state.
    virtual void documentChanged() {}
    virtual bool wantsCrosshair() const { return false; }
    virtual Qt::CursorShape cursorAt(const QPointF &) const { return Qt::ArrowCursor; }
    // True while a gesture is in flight (a half-drawn shape, a drag).
    virtual bool busy() const { return false; }

protected:
    Canvas &m_canvas;
};

} // namespace annotune::ui
