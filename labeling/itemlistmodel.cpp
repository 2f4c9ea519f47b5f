#include "itemlistmodel.h"

#include "core/store/project.h"
#include "thumbnailcache.h"

#include <QFileInfo>

namespace annotune::labeling {

using core::store::ItemRow;

ItemListModel::ItemListModel(core::store::Project &project, ThumbnailCache *thumbnails, QObject *parent)
    : QAbstractListModel(parent), m_project(project), m_thumbnails(thumbnails)
{
    if (m_thumbnails)
        connect(m_thumbnails, &ThumbnailCache::thumbnailReady, this, &ItemListModel::onThumbnailReady);
    reload();
}

int ItemListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

bool ItemListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_exhausted && m_rows.size() < m_total;
}

void ItemListModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        loadPage();
}

void ItemListModel::loadPage()
{
    auto page = m_project.items().page(m_filter, m_sort, m_rows.size(), m_pageSize);
    if (!page) {
        m_exhausted = true; // do not hammer a failing store on every scroll
        Q_EMIT loadFailed(page.error().message);
        return;
    }
    if (page->isEmpty()) {
        m_exhausted = true; // the store shrank under us
        return;
    }
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(page->size()) - 1);
    for (ItemRow &row : *page) {
        const int r = int(m_rows.size());
        m_rowById.insert(row.item.id, r);
        m_rowsByThumbKey.insert(ThumbnailCache::keyFor(row.item.sha256, absolutePath(row.item)), r);
        m_rows.append(std::move(row));
    }
    endInsertRows();
}

void ItemListModel::reload()
{
    beginResetModel();
    m_rows.clear();
    m_rowById.clear();
    m_rowsByThumbKey.clear();
    m_exhausted = false;
    auto total = m_project.items().count(m_filter);
    m_total = total ? *total : 0;
    endResetModel();
    if (!total) {
        m_exhausted = true;
        Q_EMIT loadFailed(total.error().message);
        return;
    }
    if (m_total > 0)
        loadPage();
}

void ItemListModel::setFilter(const core::store::ItemFilter &filter)
{
    m_filter = filter;
    reload();
}

void ItemListModel::setSort(const core::store::ItemSort &sort)
{
    m_sort = sort;
    reload();
}

const ItemRow *ItemListModel::rowAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows[row] : nullptr;
}

bool ItemListModel::ensureLoaded(int row)
{
    while (row >= m_rows.size() && canFetchMore({}))
        loadPage();
    return row >= 0 && row < m_rows.size();
}

QString ItemListModel::absolutePath(const core::Item &item) const
{
    return m_project.absoluteMediaPath(item.path);
}

QVariant ItemListModel::data(const QModelIndex &index, int role) const
{
    const ItemRow *row = rowAt(index.row());
    if (!row || index.parent().isValid())
        return {};
    const core::Item &it = row->item;
    switch (role) {
    case Qt::DisplayRole: return QFileInfo(it.path).fileName();
    case Qt::ToolTipRole: return QStringLiteral("%1\n%2 × %3 · %4").arg(it.path).arg(it.width).arg(it.height).arg(core::toText(it.status));
    case Qt::DecorationRole: return m_thumbnails ? QVariant(m_thumbnails->thumbnail(it.sha256, absolutePath(it))) : QVariant();
    case IdRole: return it.id;
    case PathRole: return it.path;
    case AbsolutePathRole: return absolutePath(it);
    case StatusRole: return int(it.status);
    case SplitRole: return int(it.split);
    case KindRole: return int(it.kind);
    case AnnotationCountRole: return row->annotationCount;
    case WidthRole: return it.width;
    case HeightRole: return it.height;
    case Sha256Role: return it.sha256;
    case ThumbnailMissingRole:
        return m_thumbnails && m_thumbnails->isMissing(ThumbnailCache::keyFor(it.sha256, absolutePath(it)));
    case ClassCountsRole: {
        QVariantMap counts;
        for (auto i = row->classCounts.cbegin(); i != row->classCounts.cend(); ++i)
            counts.insert(QString::number(i.key()), i.value());
        return counts;
    }
    default: return {};
    }
}

QHash<int, QByteArray> ItemListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(IdRole, "itemId");
    names.insert(PathRole, "path");
    names.insert(StatusRole, "status");
    names.insert(SplitRole, "split");
    names.insert(AnnotationCountRole, "annotationCount");
    names.insert(ClassCountsRole, "classCounts");
    names.insert(WidthRole, "width");
    names.insert(HeightRole, "height");
    return names;
}

void ItemListModel::updateItem(const core::Item &item, int annotationCount)
{
    const int r = rowOf(item.id);
    if (r < 0)
        return;
    m_rows[r].item.status = item.status;
    m_rows[r].annotationCount = annotationCount;
    const QModelIndex i = index(r);
    Q_EMIT dataChanged(i, i, {StatusRole, AnnotationCountRole, Qt::DisplayRole, Qt::ToolTipRole});
}

void ItemListModel::onThumbnailReady(const QString &key)
{
    const QList<int> rows = m_rowsByThumbKey.values(key);
    for (int r : rows) {
        const QModelIndex i = index(r);
        Q_EMIT dataChanged(i, i, {Qt::DecorationRole, ThumbnailMissingRole});
    }
}

} // namespace annotune::labeling
