#pragma once
// Links entities of a document page: press on a field (the source, e.g. a question), release or
// click on another (the target, its answer). Right-click on an arrow removes that link.

#include "abstracttool.h"
#include "core/types.h"

namespace annotune::ui {

// Keeps the source in flight; commits one AddLink (or RemoveLink) through the document.
class LinkTool : public AbstractTool {
    Q_OBJECT
public:
    using AbstractTool::AbstractTool;
    QString id() const override { return QStringLiteral("tool.link"); }

    void deactivate() override;
    void mousePress(const ToolEvent &e) override;
    void mouseMove(const ToolEvent &e) override;
    void mouseRelease(const ToolEvent &e) override;
    bool keyPress(QKeyEvent *event) override;
    void paint(QPainter &p, const ViewTransform &view) override;
    void documentChanged() override;
    Qt::CursorShape cursorAt(const QPointF &image) const override;
    bool busy() const override { return m_source != 0; }

private:
    void finish(core::Id target);

    core::Id m_source = 0;
    QPointF m_pointer; // image pixels
    bool m_moved = false;
};

} // namespace annotune::ui
