#pragma once
// The polygon tool: click the vertices; close by clicking the first vertex, double-clicking or
// Enter. Backspace takes back the last vertex, Esc drops the polygon.

#include "abstracttool.h"

#include <QPolygonF>

namespace annotune::ui {

// The polygon gets the current class and becomes the selection.
class PolygonTool : public AbstractTool {
    Q_OBJECT
public:
    using AbstractTool::AbstractTool;
    QString id() const override { return QStringLiteral("tool.polygon"); }

    void deactivate() override { cancel(); }
    void mousePress(const ToolEvent &e) override;
    void mouseMove(const ToolEvent &e) override;
    void mouseDoubleClick(const ToolEvent &e) override;
    bool keyPress(QKeyEvent *e) override;
    void paint(QPainter &p, const ViewTransform &view) override;
    void documentChanged() override { cancel(); }
    bool wantsCrosshair() const override { return true; }
    Qt::CursorShape cursorAt(const QPointF &) const override { return Qt::CrossCursor; }
    bool busy() const override { return !m_points.isEmpty(); }
    int pointCount() const { return int(m_points.size()); }

private:
    bool nearFirst(const QPointF &screen) const;
    void finish();
    void cancel();

    QPolygonF m_points;
    QPointF m_current;
};

} // namespace annotune::ui
