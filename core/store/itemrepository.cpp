#include "itemrepository.h"

#include "auditrepository.h"
#include "database.h"

#include <QJsonObject>
#include <QStringList>

namespace annotune::core::store {
namespace {

constexpr const char *kItemColumns =
    "i.id, i.kind, i.path, i.size_bytes, i.sha256, i.width, i.height, i.split, i.status, i.assignee, "
    "i.document_id, i.page_no, i.created_at, i.updated_at";

Item readItem(Statement &st)
{
    Item it;
    it.id = st.int64(0);
    it.kind = itemKindFromString(st.text(1)).value_or(ItemKind::Image);
    it.path = st.text(2);
    it.sizeBytes = st.int64(3);
    it.sha256 = st.text(4);
    it.width = st.integer(5);
    it.height = st.integer(6);
    it.split = splitFromString(st.text(7)).value_or(Split::Train);
    it.status = itemStatusFromString(st.text(8)).value_or(ItemStatus::Unlabeled);
    it.assignee = st.text(9);
    if (!st.isNull(10))
        it.documentId = st.int64(10);
    it.pageNo = st.integer(11);
    it.createdAt = st.int64(12);
    it.updatedAt = st.int64(13);
    return it;
}

// Builds the WHERE clause; values are bound in the same order by bindFilter.
QString whereClause(const ItemFilter &f)
{
    QStringList parts;
    if (f.status)
        parts << QStringLiteral("i.status=?");
    if (f.split)
        parts << QStringLiteral("i.split=?");
    if (f.kind)
        parts << QStringLiteral("i.kind=?");
    if (f.classId)
        parts << QStringLiteral("EXISTS (SELECT 1 FROM annotations a WHERE a.class_id=? AND a.item_id=i.id)");
    if (f.documentId)
        parts << QStringLiteral("i.document_id=?");
    if (!f.pathContains.isEmpty())
        parts << QStringLiteral("instr(lower(i.path), lower(?)) > 0");
    return parts.isEmpty() ? QString() : QStringLiteral(" WHERE ") + parts.join(QStringLiteral(" AND "));
}

int bindFilter(Statement &st, const ItemFilter &f)
{
    int n = 1;
    if (f.status)
        st.bind(n++, toText(*f.status));
    if (f.split)
        st.bind(n++, toText(*f.split));
    if (f.kind)
        st.bind(n++, toText(*f.kind));
    if (f.classId)
        st.bind(n++, *f.classId);
    if (f.documentId)
        st.bind(n++, *f.documentId);
    if (!f.pathContains.isEmpty())
        st.bind(n++, f.pathContains);
    return n;
}

QString orderClause(const ItemSort &s)
{
    const char *dir = s.descending ? " DESC" : " ASC";
    switch (s.key) {
    case ItemSort::Key::Path: return QStringLiteral(" ORDER BY i.path%1, i.id").arg(QLatin1String(dir));
    case ItemSort::Key::Status: return QStringLiteral(" ORDER BY i.status%1, i.id").arg(QLatin1String(dir));
    case ItemSort::Key::Updated: return QStringLiteral(" ORDER BY i.updated_at%1, i.id").arg(QLatin1String(dir));
    case ItemSort::Key::Annotations: return QStringLiteral(" ORDER BY n%1, i.id").arg(QLatin1String(dir));
    case ItemSort::Key::Id: break;
    }
    return QStringLiteral(" ORDER BY i.id%1").arg(QLatin1String(dir));
}

QByteArray utf8(const QString &s) { return s.toUtf8(); }

} // namespace

Result<QVector<Id>> ItemRepository::insertMany(const QVector<Item> &items, const QString &author)
{
    return guarded(QStringLiteral("items"), [&]() -> Result<QVector<Id>> {
        Transaction tx(m_db);
        auto st = m_db.cached(
            "INSERT INTO items(kind, path, size_bytes, sha256, width, height, split, status, assignee, "
            "document_id, page_no, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
        QVector<Id> ids;
        ids.reserve(items.size());
        const qint64 now = nowMs();
        for (const Item &it : items) {
            st->bind(1, toText(it.kind)).bind(2, it.path).bind(3, qint64(it.sizeBytes)).bind(4, it.sha256)
                .bind(5, it.width).bind(6, it.height).bind(7, toText(it.split)).bind(8, toText(it.status))
                .bind(9, it.assignee).bind(10, it.documentId).bind(11, it.pageNo).bind(12, now).bind(13, now);
            st->exec();
            ids.append(m_db.lastInsertId());
        }
        if (!ids.isEmpty())
            m_audit.append(author, QStringLiteral("item.import"), QStringLiteral("item"), ids.first(), {},
                           {{QStringLiteral("count"), ids.size()},
                            {QStringLiteral("first"), ids.first()},
                            {QStringLiteral("last"), ids.last()}});
        tx.commit();
        return ids;
    });
}

Result<Id> ItemRepository::insertDocument(const Document &doc, const QString &author)
{
    return guarded(QStringLiteral("document %1").arg(doc.path), [&]() -> Result<Id> {
        Transaction tx(m_db);
        auto st = m_db.cached("INSERT INTO documents(path, sha256, page_count, created_at) VALUES (?,?,?,?)");
        st->bind(1, doc.path).bind(2, doc.sha256).bind(3, doc.pageCount).bind(4, nowMs());
        st->exec();
        const Id id = m_db.lastInsertId();
        m_audit.append(author, QStringLiteral("document.import"), QStringLiteral("document"), id, {},
                       {{QStringLiteral("path"), doc.path}, {QStringLiteral("pages"), doc.pageCount}});
        tx.commit();
        return id;
    });
}

Result<Document> ItemRepository::document(Id id)
{
    return guarded(QStringLiteral("document %1").arg(id), [&]() -> Result<Document> {
        auto st = m_db.cached("SELECT id, path, sha256, page_count FROM documents WHERE id=?");
        st->bind(1, id);
        if (!st->step())
            return makeError(ErrorCode::NotFound, QStringLiteral("document %1: no such document").arg(id));
        return Document{st->int64(0), st->text(1), st->text(2), st->integer(3)};
    });
}

Result<std::optional<Document>> ItemRepository::findDocumentByHash(const QString &sha256)
{
    return guarded(QStringLiteral("documents"), [&]() -> Result<std::optional<Document>> {
        auto st = m_db.cached("SELECT id, path, sha256, page_count FROM documents WHERE sha256=? ORDER BY id LIMIT 1");
        st->bind(1, sha256);
        if (!st->step())
            return std::optional<Document>{};
        return std::optional<Document>(Document{st->int64(0), st->text(1), st->text(2), st->integer(3)});
    });
}

Result<Item> ItemRepository::get(Id id)
{
    return guarded(QStringLiteral("item %1").arg(id), [&]() -> Result<Item> {
        static const QByteArray sql = utf8(QStringLiteral("SELECT %1 FROM items i WHERE i.id=?").arg(QLatin1String(kItemColumns)));
        auto st = m_db.cached(sql.constData());
        st->bind(1, id);
        if (!st->step())
            return makeError(ErrorCode::NotFound, QStringLiteral("item %1: no such item").arg(id));
        return readItem(*st);
    });
}

Result<bool> ItemRepository::containsHash(const QString &sha256, int pageNo)
{
    return guarded(QStringLiteral("items"), [&]() -> Result<bool> {
        auto st = m_db.cached("SELECT 1 FROM items WHERE sha256=? AND page_no=?");
        st->bind(1, sha256).bind(2, pageNo);
        return st->step();
    });
}

Result<std::optional<Item>> ItemRepository::findByPath(const QString &storedPath)
{
    return guarded(QStringLiteral("items"), [&]() -> Result<std::optional<Item>> {
        static const QByteArray sql = utf8(QStringLiteral("SELECT %1 FROM items i WHERE i.path=? AND i.page_no=0 LIMIT 1")
                                               .arg(QLatin1String(kItemColumns)));
        auto st = m_db.cached(sql.constData());
        st->bind(1, storedPath);
        return st->step() ? std::optional<Item>(readItem(*st)) : std::nullopt;
    });
}

Result<std::optional<Item>> ItemRepository::findByHash(const QString &sha256, int pageNo)
{
    return guarded(QStringLiteral("items"), [&]() -> Result<std::optional<Item>> {
        static const QByteArray sql = utf8(QStringLiteral("SELECT %1 FROM items i WHERE i.sha256=? AND i.page_no=?")
                                               .arg(QLatin1String(kItemColumns)));
        auto st = m_db.cached(sql.constData());
        st->bind(1, sha256).bind(2, pageNo);
        return st->step() ? std::optional<Item>(readItem(*st)) : std::nullopt;
    });
}

Result<qint64> ItemRepository::count(const ItemFilter &filter)
{
    return guarded(QStringLiteral("items"), [&]() -> Result<qint64> {
        const QByteArray sql = utf8(QStringLiteral("SELECT count(*) FROM items i") + whereClause(filter));
        Statement st = m_db.prepare(sql.constData());
        bindFilter(st, filter);
        st.step();
        return qint64(st.int64(0));
    });
}

Result<QVector<ItemRow>> ItemRepository::page(const ItemFilter &filter, const ItemSort &sort, qint64 offset, int limit)
{
    return guarded(QStringLiteral("items"), [&]() -> Result<QVector<ItemRow>> {
        const bool needCount = sort.key == ItemSort::Key::Annotations;
        const QString countExpr = QStringLiteral("(SELECT count(*) FROM annotations a WHERE a.item_id=i.id)");
        const QByteArray sql = utf8(QStringLiteral("SELECT %1, %2 AS n FROM items i").arg(QLatin1String(kItemColumns),
                                                                                       needCount ? countExpr : QStringLiteral("0"))
                                    + whereClause(filter) + orderClause(sort) + QStringLiteral(" LIMIT ? OFFSET ?"));
        Statement st = m_db.prepare(sql.constData());
        const int n = bindFilter(st, filter);
        st.bind(n, limit).bind(n + 1, qint64(offset));
        QVector<ItemRow> rows;
        while (st.step())
            rows.append(ItemRow{readItem(st), st.integer(14), {}});
        auto counts = m_db.cached("SELECT class_id, count(*) FROM annotations WHERE item_id=? GROUP BY class_id");
        for (ItemRow &row : rows) {
            counts->bind(1, row.item.id);
            int total = 0;
            while (counts->step()) {
                row.classCounts.insert(counts->int64(0), counts->integer(1));
                total += counts->integer(1);
            }
            row.annotationCount = total;
            counts->reset();
        }
        return rows;
    });
}

Status ItemRepository::forEach(const ItemFilter &filter, const std::function<bool(const Item &)> &fn)
{
    return guarded(QStringLiteral("items"), [&]() -> Status {
        const QByteArray sql = utf8(QStringLiteral("SELECT %1 FROM items i").arg(QLatin1String(kItemColumns))
                                    + whereClause(filter) + QStringLiteral(" ORDER BY i.id"));
        Statement st = m_db.prepare(sql.constData());
        bindFilter(st, filter);
        while (st.step())
            if (!fn(readItem(st)))
                break;
        return {};
    });
}

Result<std::optional<Id>> ItemRepository::neighbour(Id from, bool forward, const ItemFilter &filter)
{
    return guarded(QStringLiteral("items"), [&]() -> Result<std::optional<Id>> {
        QString where = whereClause(filter);
        where += where.isEmpty() ? QStringLiteral(" WHERE ") : QStringLiteral(" AND ");
        where += forward ? QStringLiteral("i.id > ? ORDER BY i.id ASC") : QStringLiteral("i.id < ? ORDER BY i.id DESC");
        const QByteArray sql = utf8(QStringLiteral("SELECT i.id FROM items i") + where + QStringLiteral(" LIMIT 1"));
        Statement st = m_db.prepare(sql.constData());
        const int n = bindFilter(st, filter);
        st.bind(n, from);
        if (!st.step())
            return std::optional<Id>();
        return std::optional<Id>(st.int64(0));
    });
}

Status ItemRepository::setStatus(Id id, ItemStatus status, const QString &author, const QString &comment)
{
    return guarded(QStringLiteral("item %1").arg(id), [&]() -> Status {
        Transaction tx(m_db);
        auto current = get(id);
        if (!current)
            return current.error();
        const ItemStatus from = current->status;
        auto st = m_db.cached("UPDATE items SET status=?, updated_at=? WHERE id=?");
        st->bind(1, toText(status)).bind(2, nowMs()).bind(3, id);
        st->exec();
        auto rv = m_db.cached("INSERT INTO item_reviews(item_id, at, author, from_status, to_status, comment) "
                              "VALUES (?,?,?,?,?,?)");
        rv->bind(1, id).bind(2, nowMs()).bind(3, author).bind(4, toText(from)).bind(5, toText(status)).bind(6, comment);
        rv->exec();
        QJsonObject after{{QStringLiteral("status"), toText(status)}};
        if (!comment.isEmpty())
            after.insert(QStringLiteral("comment"), comment);
        m_audit.append(author, QStringLiteral("item.status"), QStringLiteral("item"), id,
                       {{QStringLiteral("status"), toText(from)}}, after);
        tx.commit();
        return {};
    });
}

Status ItemRepository::promoteStatus(const QVector<Id> &ids, ItemStatus from, ItemStatus to, const QString &author)
{
    if (ids.isEmpty())
        return {};
    return guarded(QStringLiteral("items"), [&]() -> Status {
        Transaction tx(m_db);
        // One statement over a JSON list of ids: a statement per id costs several times more
        // than the row updates themselves.
        auto st = m_db.cached("UPDATE items SET status=?, updated_at=? WHERE status=? AND id IN (SELECT value FROM json_each(?))");
        QByteArray list;
        list.reserve(ids.size() * 8 + 2);
        list += '[';
        for (Id id : ids)
            list.append(QByteArray::number(id)).append(',');
        list.back() = ']';
        st->bind(1, toText(to)).bind(2, nowMs()).bind(3, toText(from)).bindUtf8(4, list);
        st->exec();
        const int changed = m_db.changes();
        m_audit.append(author, QStringLiteral("item.status"), QStringLiteral("item"), ids.first(),
                       {{QStringLiteral("status"), toText(from)}},
                       {{QStringLiteral("status"), toText(to)}, {QStringLiteral("count"), changed}});
        tx.commit();
        return {};
    });
}

Status ItemRepository::setAssignee(Id id, const QString &assignee, const QString &author)
{
    return guarded(QStringLiteral("item %1").arg(id), [&]() -> Status {
        Transaction tx(m_db);
        auto current = get(id);
        if (!current)
            return current.error();
        auto st = m_db.cached("UPDATE items SET assignee=?, updated_at=? WHERE id=?");
        st->bind(1, assignee).bind(2, nowMs()).bind(3, id);
        st->exec();
        m_audit.append(author, QStringLiteral("item.assign"), QStringLiteral("item"), id,
                       {{QStringLiteral("assignee"), current->assignee}}, {{QStringLiteral("assignee"), assignee}});
        tx.commit();
        return {};
    });
}

Result<QVector<ReviewEntry>> ItemRepository::reviews(Id id)
{
    return guarded(QStringLiteral("item %1").arg(id), [&]() -> Result<QVector<ReviewEntry>> {
        auto st = m_db.cached("SELECT at, author, from_status, to_status, comment FROM item_reviews "
                              "WHERE item_id=? ORDER BY at, id");
        st->bind(1, id);
        QVector<ReviewEntry> out;
        while (st->step())
            out.append(ReviewEntry{st->int64(0), st->text(1),
                                   itemStatusFromString(st->text(2)).value_or(ItemStatus::Unlabeled),
                                   itemStatusFromString(st->text(3)).value_or(ItemStatus::Unlabeled), st->text(4)});
        return out;
    });
}

Result<QHash<ItemStatus, qint64>> ItemRepository::countsByStatus()
{
    return guarded(QStringLiteral("items"), [&]() -> Result<QHash<ItemStatus, qint64>> {
        auto st = m_db.cached("SELECT status, count(*) FROM items GROUP BY status");
        QHash<ItemStatus, qint64> out;
        while (st->step())
            if (auto s = itemStatusFromString(st->text(0)))
                out.insert(*s, st->int64(1));
        return out;
    });
}

Result<QHash<Split, qint64>> ItemRepository::countsBySplit()
{
    return guarded(QStringLiteral("items"), [&]() -> Result<QHash<Split, qint64>> {
        auto st = m_db.cached("SELECT split, count(*) FROM items GROUP BY split");
        QHash<Split, qint64> out;
        while (st->step())
            if (auto s = splitFromString(st->text(0)))
                out.insert(*s, st->int64(1));
        return out;
    });
}

} // namespace annotune::core::store
