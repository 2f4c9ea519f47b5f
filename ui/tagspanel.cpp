#include "tagspanel.h"

#include <QListWidget>

namespace annotune::ui {
namespace {
constexpr int kIdRole = Qt::UserRole + 1;
}

TagsPanel::TagsPanel(QWidget *parent) : QDockWidget(tr("Tags"), parent), m_list(new QListWidget(this))
{
    setObjectName(QStringLiteral("tagsPanel"));
    m_list->setToolTip(tr("Tags of the whole item (classification)"));
    // The dark palette leaves an empty box invisible; give unticked boxes an outline.
    m_list->setStyleSheet(QStringLiteral("QListWidget::indicator:unchecked { border: 1px solid #9aa0a6; "
                                         "border-radius: 2px; background: #202226; width: 11px; height: 11px; }"));
    setWidget(m_list);
    connect(m_list, &QListWidget::itemChanged, this, [this] { Q_EMIT tagsEdited(checked()); });
}

void TagsPanel::setClasses(const QVector<core::LabelClass> &classes)
{
    QString signature; // the same tag classes again (every item switch) rebuild nothing
    for (const core::LabelClass &c : classes)
        if (c.kind == core::ClassKind::Tag)
            signature += QStringLiteral("%1|%2|%3;").arg(c.id).arg(c.name, c.color.name());
    if (signature == m_signature && m_list->count() > 0)
        return;
    m_signature = signature;
    const QSet<core::Id> keep = checked();
    const QSignalBlocker block(m_list);
    m_list->clear();
    for (const core::LabelClass &c : classes) {
        if (c.kind != core::ClassKind::Tag)
            continue;
        auto *item = new QListWidgetItem(c.name, m_list);
        item->setData(kIdRole, c.id);
        item->setForeground(c.color.lighter(130));
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(keep.contains(c.id) ? Qt::Checked : Qt::Unchecked);
    }
    if (m_list->count() == 0) {
        auto *none = new QListWidgetItem(tr("No tag classes (add some in Label Schema)"), m_list);
        none->setFlags(Qt::NoItemFlags);
    }
}

void TagsPanel::setChecked(const QSet<core::Id> &tagClassIds)
{
    const QSignalBlocker block(m_list);
    for (int i = 0; i < m_list->count(); ++i) {
        QListWidgetItem *item = m_list->item(i);
        if (item->flags() & Qt::ItemIsUserCheckable)
            item->setCheckState(tagClassIds.contains(item->data(kIdRole).toLongLong()) ? Qt::Checked : Qt::Unchecked);
    }
}

QSet<core::Id> TagsPanel::checked() const
{
    QSet<core::Id> out;
    for (int i = 0; i < m_list->count(); ++i)
        if (m_list->item(i)->checkState() == Qt::Checked)
            out.insert(m_list->item(i)->data(kIdRole).toLongLong());
    return out;
}

} // namespace annotune::ui
