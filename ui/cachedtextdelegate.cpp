#include "cachedtextdelegate.h"

#include <QApplication>
#include <QPainter>
#include <QtMath>

namespace annotune::ui {
namespace {

QStaticText prepared(const QString &text, const QFont &font)
{
    QStaticText laid(text);
    laid.setTextFormat(Qt::PlainText);
    laid.prepare(QTransform(), font);
    return laid;
}

QStyle *styleOf(const QStyleOptionViewItem &opt)
{
    return opt.widget ? opt.widget->style() : QApplication::style();
}

} // namespace

CachedTextDelegate::Laid &CachedTextDelegate::laidOut(const QString &text, const QFont &font) const
{
    if (font != m_font || m_texts.size() >= kMaxTexts) {
        m_texts.clear();
        m_font = font;
    }
    auto it = m_texts.find(text);
    if (it == m_texts.end())
        it = m_texts.insert(text, Laid{prepared(text, font), -1, {}});
    return *it;
}

bool CachedTextDelegate::simpleCell(QStyleOptionViewItem *opt, const QModelIndex &index) const
{
    if (index.data(Qt::SizeHintRole).isValid())
        return false;
    initStyleOption(opt, index);
    return !opt->text.isEmpty() && !(opt->features & QStyleOptionViewItem::WrapText)
           && !opt->text.contains(QLatin1Char('\n')) && opt->decorationPosition == QStyleOptionViewItem::Left
           && !(opt->state & QStyle::State_Editing);
}

void CachedTextDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    if (!simpleCell(&opt, index)) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    const QString text = opt.text;
    opt.text.clear(); // the style draws everything else, as it would with the text
    QStyle *style = styleOf(opt);
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, opt.widget) + 1;
    const QRect room = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, opt.widget).adjusted(margin, 0, -margin, 0);
    Laid &laid = laidOut(text, opt.font);
    const QStaticText *shown = &laid.full;
    if (laid.full.size().width() > room.width()) { // too wide for the column: elided as the style would
        if (laid.elidedFor != room.width()) {
            laid.elided = prepared(opt.fontMetrics.elidedText(text, opt.textElideMode, room.width()), opt.font);
            laid.elidedFor = room.width();
        }
        shown = &laid.elided;
    }
    QPalette::ColorGroup group = opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
    if (group == QPalette::Normal && !(opt.state & QStyle::State_Active))
        group = QPalette::Inactive;
    painter->save();
    painter->setPen(opt.palette.color(group, opt.state & QStyle::State_Selected ? QPalette::HighlightedText : QPalette::Text));
    painter->setFont(opt.font);
    painter->setClipRect(room, Qt::IntersectClip);
    const QSize size(qCeil(shown->size().width()), qCeil(shown->size().height()));
    painter->drawStaticText(QStyle::alignedRect(opt.direction, opt.displayAlignment, size, room).topLeft(), *shown);
    painter->restore();
}

QSize CachedTextDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    if (!simpleCell(&opt, index))
        return QStyledItemDelegate::sizeHint(option, index);
    const QString text = opt.text;
    opt.text.clear(); // the style's size of the cell without its text, plus the text's width
    QSize size = styleOf(opt)->sizeFromContents(QStyle::CT_ItemViewItem, &opt, QSize(), opt.widget);
    size.rwidth() += qCeil(laidOut(text, opt.font).full.size().width());
    return size;
}

} // namespace annotune::ui
