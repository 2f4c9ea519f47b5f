#pragma once
// An item delegate for tables that are repainted often (the label list on every item switch):
// the style still draws each cell's background, selection, icon and focus, but the text is drawn
// and measured from layouts kept across paints, so a repaint does not shape and elide every cell
// again. Cells it does not handle (wrapped, multi-line, icons above) go to QStyledItemDelegate.

#include <QFont>
#include <QHash>
#include <QStaticText>
#include <QStyledItemDelegate>

namespace annotune::ui {

class CachedTextDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    // The style's size for the cell with its text measured from the cache: what
    // QStyledItemDelegate::sizeHint returns, without laying the text out again.
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    // One cell text laid out in m_font, and its elided form for the last width it was too wide for.
    struct Laid {
        QStaticText full;
        int elidedFor = -1;
        QStaticText elided;
    };
    static constexpr int kMaxTexts = 4096; // about a hundred screens of distinct cells

    // The option for index with its text, or false when QStyledItemDelegate should handle the cell.
    bool simpleCell(QStyleOptionViewItem *opt, const QModelIndex &index) const;
    // text laid out in font; the cache starts over when the font changes or it is full.
    Laid &laidOut(const QString &text, const QFont &font) const;

    mutable QFont m_font;
    mutable QHash<QString, Laid> m_texts;
};

} // namespace annotune::ui
