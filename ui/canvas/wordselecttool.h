#pragma once
// Picks words on a document page: click, shift-click to add or drop a word, drag a rubber band
// across words; hovering shows a word's text. The selection is what a class hotkey labels.

#include "abstracttool.h"
#include "core/types.h"

#include <QRectF>
#include <QVector>

namespace annotune::ui {

// Keeps the selected word ids (reading order). Clicking a word of a field also selects that
// field on the canvas, so the form panel and label list follow.
class WordSelectTool : public AbstractTool {
    Q_OBJECT
public:
    using AbstractTool::AbstractTool;
    QString id() const override { return QStringLiteral("tool.words"); }

    const QVector<core::Id> &selectedWords() const { return m_words; }
    void setSelectedWords(const QVector<core::Id> &ids);

    void deactivate() override;
    void mousePress(const ToolEvent &e) override;
    void mouseMove(const ToolEvent &e) override;
    void mouseRelease(const ToolEvent &e) override;
    bool keyPress(QKeyEvent *event) override;
    void paint(QPainter &p, const ViewTransform &view) override;
    void documentChanged() override;
    Qt::CursorShape cursorAt(const QPointF &image) const override;
    bool busy() const override { return m_dragging; }

Q_SIGNALS:
    void wordsSelected(const QVector<qint64> &ids);

private:
    void hover(const QPointF &image);
    void sortAndEmit();

    QVector<core::Id> m_words;
    core::Id m_hover = 0;
    bool m_dragging = false;
    bool m_additive = false;
    QPointF m_start;
    QRectF m_band; // image pixels
};

} // namespace annotune::ui
