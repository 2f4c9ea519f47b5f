#include "errorsmodel.h"

#include <QFileInfo>
#include <QMap>

namespace annotune::ui {

using namespace annotune::core;

ErrorsModel::ErrorsModel(QObject *parent) : QAbstractTableModel(parent) {}

void ErrorsModel::setItems(QVector<eval::ItemErrors> items)
{
    m_all = std::move(items);
    rebuild();
}

void ErrorsModel::setFilter(const eval::ErrorFilter &filter)
{
    m_filter = filter;
    rebuild();
}

void ErrorsModel::rebuild()
{
    beginResetModel();
    m_rows = eval::worstFirst(m_all, m_filter);
    endResetModel();
}

int ErrorsModel::rowOf(Id itemId) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].item.id == itemId)
            return i;
    return -1;
}

int ErrorsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ErrorsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString errorSummary(const eval::ItemErrors &item)
{
    QMap<QString, int> counts;
    for (const auto &e : item.entries)
        if (e.isError())
            ++counts[eval::toText(e.type)];
    QStringList parts;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        parts << QStringLiteral("%1 %2").arg(it.value()).arg(it.key());
    return parts.join(QStringLiteral(", "));
}

QVariant ErrorsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const auto &row = m_rows.at(index.row());
    if (role == ItemIdRole)
        return row.item.id;
    if (role == SortRole) {
        switch (index.column()) {
        case ItemColumn: return row.item.id;
        case SplitColumn: return toText(row.item.split);
        case ErrorsColumn: return row.errorCount();
        case SeverityColumn: return row.severity();
        case KindsColumn: return errorSummary(row);
        }
    }
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case ItemColumn: return QStringLiteral("#%1 %2").arg(row.item.id).arg(QFileInfo(row.item.path).fileName());
        case SplitColumn: return toText(row.item.split);
        case ErrorsColumn: return row.errorCount();
        case SeverityColumn: return QString::number(row.severity(), 'f', 2);
        case KindsColumn: return errorSummary(row);
        }
    }
    return {};
}

QVariant ErrorsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ItemColumn: return tr("Item");
    case SplitColumn: return tr("Split");
    case ErrorsColumn: return tr("Errors");
    case SeverityColumn: return tr("Severity");
    case KindsColumn: return tr("Verdicts");
    }
    return {};
}

} // namespace annotune::ui
