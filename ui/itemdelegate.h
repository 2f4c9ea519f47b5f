#pragma once
// Paints one cell of the item grid: thumbnail, file name, status badge and annotation count.

#include <QStyledItemDelegate>

namespace annotune::ui {

// A fixed-size card per item so the view can use uniform item sizes (no per-row measuring).
// Reads everything from ItemListModel roles; never touches the store.
class ItemDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    static constexpr QSize kCellSize{184, 178};

    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    void paintThumbnail(QPainter *p, const QRect &area, const QModelIndex &index) const;
    void paintFooter(QPainter *p, const QRect &area, const QStyleOptionViewItem &option, const QModelIndex &index) const;
};

} // namespace annotune::ui
