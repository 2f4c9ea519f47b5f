#pragma once
// The box tool: drag a box, or click two opposite corners; the box gets the current class.

#include "abstracttool.h"

namespace annotune::ui {

// Shows crosshair guides; Esc drops a half-drawn box. The new box becomes the selection.
class BoxTool : public AbstractTool {
    Q_OBJECT
public:
    using AbstractTool::AbstractTool;
    QString id() const override { return QStringLiteral("tool.box"); }

    void deactivate() override { cancel(); }
    void mousePress(const ToolEvent &e) override;
    void mouseMove(const ToolEvent &e) override;
    void mouseRelease(const ToolEvent &e) override;
    bool keyPress(QKeyEvent *e) override;
    void paint(QPainter &p, const ViewTransform &view) override;
    void documentChanged() override { cancel(); }
    bool wantsCrosshair() const override { return true; }
    Qt::CursorShape cursorAt(const QPointF &) const override { return Qt::CrossCursor; }
    bool busy() const override { return m_state != State::Idle; }

private:
    enum class State { Idle, Dragging, WaitingForSecondCorner };
    void finish(const QPointF &corner);
    void cancel();

    State m_state = State::Idle;
    QPointF m_start;
    QPointF m_startScreen;
    QPointF m_current;
};

} // namespace annotune::ui
