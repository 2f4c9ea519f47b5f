#pragma once
// The item browser's model: a window onto the project's items that loads pages on demand, so a
// million-item project costs one page of rows until the user scrolls.

#include "core/store/itemrepository.h"

#include <QAbstractListModel>
#include <QMultiHash>

namespace annotune::core::store {
class Project;
}

namespace annotune::labeling {

class ThumbnailCache;

// Rows are ItemRepository::page results in the current filter and sort, appended a page at a
// time through canFetchMore/fetchMore. It reads through the GUI thread's project connection
// (page queries take milliseconds). Changing the filter or sort resets it to the first page.
class ItemListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        PathRole,          // as stored
        AbsolutePathRole,
        StatusRole,        // core::ItemStatus as int
        SplitRole,         // core::Split as int
        KindRole,          // core::ItemKind as int
        AnnotationCountRole,
        ClassCountsRole,   // QVariantMap class id (string) -> count
        WidthRole,
        HeightRole,
        Sha256Role,
        ThumbnailMissingRole,
    };
    static constexpr int kDefaultPageSize = 200;

    // thumbnails may be null (no DecorationRole then); it must outlive the model.
    explicit ItemListModel(core::store::Project &project, ThumbnailCache *thumbnails = nullptr,
                           QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    QHash<int, QByteArray> roleNames() const override;

    void setFilter(const core::store::ItemFilter &filter);
    void setSort(const core::store::ItemSort &sort);
    const core::store::ItemFilter &filter() const { return m_filter; }
    const core::store::ItemSort &sort() const { return m_sort; }
    void setPageSize(int rows) { m_pageSize = qMax(1, rows); }

    // Rows matching the filter in the store, loaded or not.
    qint64 totalCount() const { return m_total; }
    // Drops the loaded rows and reads the first page again (after an import or other change).
    void reload();
    // The loaded row, or null when row is out of range.
    const core::store::ItemRow *rowAt(int row) const;
    // The row of a loaded item, or -1.
    int rowOf(core::Id id) const { return m_rowById.value(id, -1); }
    // Replaces what a loaded row shows of an item after it was edited (status, annotation
    // count); the row stays where it is even if it no longer matches the filter.
    void updateItem(const core::Item &item, int annotationCount);
    // Loads pages until row is loaded or nothing is left; returns whether row is loaded now.
    bool ensureLoaded(int row);

Q_SIGNALS:
    // A page query failed; the rows loaded so far stay.
    void loadFailed(const QString &message);

private:
    void loadPage();
    void onThumbnailReady(const QString &key);
    QString absolutePath(const core::Item &item) const;

    core::store::Project &m_project;
    ThumbnailCache *m_thumbnails;
    core::store::ItemFilter m_filter;
    core::store::ItemSort m_sort;
    int m_pageSize = kDefaultPageSize;
    qint64 m_total = 0;
    bool m_exhausted = false;
    QVector<core::store::ItemRow> m_rows;
    QHash<core::Id, int> m_rowById;
    QMultiHash<QString, int> m_rowsByThumbKey;
};

} // namespace annotune::labeling
