#pragma once
// Items (images and document pages) and documents: insertion, lookup, filtered paged listing and
// workflow status changes with their review history.

#include "core/result.h"
#include "core/types.h"

#include <QHash>
#include <QVector>
#include <functional>

namespace annotune::core::store {

class Database;
class AuditRepository;

struct ItemFilter {
    std::optional<ItemStatus> status;
    std::optional<Split> split;
    std::optional<ItemKind> kind;
    std::optional<Id> classId;     // items with at least one annotation of this class
    std::optional<Id> documentId;
    QString pathContains;
};

struct ItemSort {
    enum class Key { Id, Path, Status, Updated, Annotations };
    Key key = Key::Id;
    bool descending = false;
};

// One row of the item browser: the item with its annotation count and per-class counts.
struct ItemRow {
    Item item;
    int annotationCount = 0;
    QHash<Id, int> classCounts;
};

struct ReviewEntry {
    qint64 at = 0;
    QString author;
    ItemStatus from = ItemStatus::Unlabeled;
    ItemStatus to = ItemStatus::Unlabeled;
    QString comment;
};

class ItemRepository {
public:
    ItemRepository(Database &db, AuditRepository &audit) : m_db(db), m_audit(audit) {}

    // Inserts items in one transaction (one audit row for the batch); returns their ids in order.
    Result<QVector<Id>> insertMany(const QVector<Item> &items, const QString &author);
    Result<Id> insertDocument(const Document &doc, const QString &author);
    Result<Document> document(Id id);
    // The document whose source file has this hash, if any (to skip a file imported before).
    Result<std::optional<Document>> findDocumentByHash(const QString &sha256);

    Result<Item> get(Id id);
    Result<bool> containsHash(const QString &sha256, int pageNo = 0);
    // The item stored under this media path (page 0), if any.
    Result<std::optional<Item>> findByPath(const QString &storedPath);
    Result<std::optional<Item>> findByHash(const QString &sha256, int pageNo = 0);
    Result<qint64> count(const ItemFilter &filter);
    Result<QVector<ItemRow>> page(const ItemFilter &filter, const ItemSort &sort, qint64 offset, int limit);
    // Every item matching filter in id order, streamed to fn; stops early when fn returns false.
    Status forEach(const ItemFilter &filter, const std::function<bool(const Item &)> &fn);
    // The id after (or before) `from` in id order that matches the filter.
    Result<std::optional<Id>> neighbour(Id from, bool forward, const ItemFilter &filter);

    // Moves an item through the review workflow: audit row plus review history row.
    Status setStatus(Id id, ItemStatus status, const QString &author, const QString &comment = {});
    // Moves the given items from `from` to `to` (others are left alone) with one audit row.
    Status promoteStatus(const QVector<Id> &ids, ItemStatus from, ItemStatus to, const QString &author);
    Status setAssignee(Id id, const QString &assignee, const QString &author);
    Result<QVector<ReviewEntry>> reviews(Id id);

    Result<QHash<ItemStatus, qint64>> countsByStatus();
    Result<QHash<Split, qint64>> countsBySplit();

private:
    Database &m_db;
    AuditRepository &m_audit;
};

} // namespace annotune::core::store
