#pragma once
// The select tool: click and shift-click to select, rubber band, move by dragging, resize boxes by
// their handles, drag polygon vertices, insert one by double-clicking an edge, delete one with
// Alt+click or a right click.

#include "abstracttool.h"
#include "core/types.h"

namespace annotune::ui {

// One drag is one command, made on release; until then the canvas shows a preview.
class SelectTool : public AbstractTool {
    Q_OBJECT
public:
    using AbstractTool::AbstractTool;
    QString id() const override { return QStringLiteral("tool.select"); }

    void deactivate() override { cancel(); }
    void mousePress(const ToolEvent &e) override;
    void mouseMove(const ToolEvent &e) override;
    void mouseRelease(const ToolEvent &e) override;
    void mouseDoubleClick(const ToolEvent &e) override;
    bool keyPress(QKeyEvent *e) override;
    void paint(QPainter &p, const ViewTransform &view) override;
    void documentChanged() override { cancel(); }
    Qt::CursorShape cursorAt(const QPointF &image) const override;
    bool busy() const override { return m_mode != Mode::Idle; }

    // The box after dragging handle (0 top-left, clockwise to 7 left) of box to p.
    static QRectF resized(const QRectF &box, int handle, const QPointF &p);

private:
    enum class Mode { Idle, Move, Resize, Vertex, Band };
    // The handle of the single selected shape under p, or -1; shape gets that annotation.
    int handleAt(const QPointF &p, const core::Annotation **shape) const;
    void startDrag(Mode mode, const ToolEvent &e);
    void cancel();

    Mode m_mode = Mode::Idle;
    int m_handle = -1;
    QPointF m_start;
    QPointF m_current;
    QVector<core::Annotation> m_origins;
    QVector<core::Id> m_bandBase;
};

} // namespace annotune::ui
