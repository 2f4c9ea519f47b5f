#include "itemdelegate.h"

#include "labeling/itemlistmodel.h"
#include "style.h"

#include <QPainter>
#include <QPainterPath>

namespace annotune::ui {

using labeling::ItemListModel;

QSize ItemDelegate::sizeHint(const QStyleOptionViewItem &, const QModelIndex &) const
{
    return kCellSize;
}

void ItemDelegate::paint(QPainter *p, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const QRect card = option.rect.adjusted(4, 4, -4, -4);
    const bool selected = option.state & QStyle::State_Selected;
    const bool hovered = option.state & QStyle::State_MouseOver;
    QPainterPath path;
    path.addRoundedRect(QRectF(card), 6, 6);
    p->fillPath(path, selected ? QColor(0x2d, 0x3a, 0x52) : hovered ? QColor(0x34, 0x37, 0x3c) : QColor(0x2b, 0x2d, 0x31));
    if (selected) {
        p->setPen(QPen(option.palette.highlight().color(), 2));
        p->drawPath(path);
    }
    const QRect thumbArea(card.left() + 6, card.top() + 6, card.width() - 12, card.height() - 46);
    paintThumbnail(p, thumbArea, index);
    paintFooter(p, QRect(card.left() + 8, thumbArea.bottom() + 4, card.width() - 16, 36), option, index);
    p->restore();
}

void ItemDelegate::paintThumbnail(QPainter *p, const QRect &area, const QModelIndex &index) const
{
    p->fillRect(area, canvasColor());
    const QPixmap pm = index.data(Qt::DecorationRole).value<QPixmap>();
    if (pm.isNull()) {
        p->setPen(QColor(0x5a, 0x5e, 0x66));
        p->drawText(area, Qt::AlignCenter, QStringLiteral("…"));
    } else {
        const QSize s = pm.size().scaled(area.size(), Qt::KeepAspectRatio).boundedTo(pm.size() * 2);
        const QRect target(area.center() - QPoint(s.width() / 2, s.height() / 2), s);
        p->setRenderHint(QPainter::SmoothPixmapTransform);
        p->drawPixmap(target, pm);
    }
    const int count = index.data(ItemListModel::AnnotationCountRole).toInt();
    if (count > 0) {
        const QString text = QString::number(count);
        const int w = qMax(22, p->fontMetrics().horizontalAdvance(text) + 12);
        const QRect badge(area.right() - w - 4, area.top() + 4, w, 18);
        p->setPen(Qt::NoPen);
        p->setBrush(QColor(0, 0, 0, 170));
        p->drawRoundedRect(badge, 9, 9);
        p->setPen(Qt::white);
        p->drawText(badge, Qt::AlignCenter, text);
    }
}

void ItemDelegate::paintFooter(QPainter *p, const QRect &area, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    const auto status = core::ItemStatus(index.data(ItemListModel::StatusRole).toInt());
    const QColor color = statusColor(status);
    const QFontMetrics fm = option.fontMetrics;
    const QRect nameRect(area.left(), area.top(), area.width(), fm.height());
    p->setPen(option.palette.text().color());
    p->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter,
                fm.elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideMiddle, nameRect.width()));

    const QRect line(area.left(), nameRect.bottom() + 3, area.width(), fm.height());
    p->setPen(Qt::NoPen);
    p->setBrush(color);
    p->drawEllipse(QRectF(line.left(), line.center().y() - 4, 8, 8));
    p->setPen(color.lighter(115));
    p->drawText(line.adjusted(14, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, statusTitle(status));
    p->setPen(QColor(0x8a, 0x8f, 0x98));
    p->drawText(line, Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("#%1").arg(index.data(ItemListModel::IdRole).toLongLong()));
}

} // namespace annotune::ui
