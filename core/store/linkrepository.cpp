#include "linkrepository.h"

#include "auditrepository.h"
#include "database.h"

#include <QJsonObject>
#include <QSet>

namespace annotune::core::store {
namespace {

constexpr const char *kInsert =
    "INSERT INTO annotation_links(from_id, to_id, kind, author, created_at) VALUES (?,?,?,?,?)";

QJsonObject toJson(const AnnotationLink &l)
{
    return {{QStringLiteral("from"), l.fromId}, {QStringLiteral("to"), l.toId}, {QStringLiteral("kind"), l.kind}};
}

AnnotationLink readLink(Statement &st)
{
    return AnnotationLink{st.int64(0), st.int64(1), st.int64(2), st.text(3), st.text(4), st.int64(5)};
}

// The first end of links that names no stored annotation, as "link N: no annotation M".
QString missingEnd(Database &db, const QVector<AnnotationLink> &links)
{
    QSet<Id> seen;
    auto st = db.cached("SELECT 1 FROM annotations WHERE id=?");
    for (qsizetype i = 0; i < links.size(); ++i) {
        for (Id end : {links[i].fromId, links[i].toId}) {
            if (seen.contains(end))
                continue;
            st->bind(1, end);
            const bool found = st->step();
            st->reset();
            if (!found)
                return QStringLiteral("link %1: no annotation %2").arg(i).arg(end);
            seen.insert(end);
        }
    }
    return {};
}

} // namespace

Result<Id> LinkRepository::add(const AnnotationLink &link, const QString &author)
{
    return guarded(QStringLiteral("link %1 -> %2").arg(link.fromId).arg(link.toId), [&]() -> Result<Id> {
        Transaction tx(m_db);
        if (const QString missing = missingEnd(m_db, {link}); !missing.isEmpty())
            return makeError(ErrorCode::NotFound, missing);
        auto st = m_db.cached(kInsert);
        st->bind(1, link.fromId).bind(2, link.toId).bind(3, link.kind).bind(4, author).bind(5, nowMs());
        st->exec();
        const Id id = m_db.lastInsertId();
        m_audit.append(author, QStringLiteral("link.add"), QStringLiteral("link"), id, {}, toJson(link));
        tx.commit();
        return id;
    });
}

Status LinkRepository::remove(Id id, const QString &author)
{
    return guarded(QStringLiteral("link %1").arg(id), [&]() -> Status {
        Transaction tx(m_db);
        auto get = m_db.cached("SELECT id, from_id, to_id, kind, author, created_at FROM annotation_links WHERE id=?");
        get->bind(1, id);
        if (!get->step())
            return makeError(ErrorCode::NotFound, QStringLiteral("link %1: no such link").arg(id));
        const AnnotationLink before = readLink(*get);
        auto del = m_db.cached("DELETE FROM annotation_links WHERE id=?");
        del->bind(1, id);
        del->exec();
        m_audit.append(author, QStringLiteral("link.remove"), QStringLiteral("link"), id, toJson(before), {});
        tx.commit();
        return {};
    });
}

Result<QVector<AnnotationLink>> LinkRepository::forItem(Id itemId)
{
    return guarded(QStringLiteral("item %1: links").arg(itemId), [&]() -> Result<QVector<AnnotationLink>> {
        auto st = m_db.cached(
            "SELECT l.id, l.from_id, l.to_id, l.kind, l.author, l.created_at FROM annotation_links l "
            "WHERE l.from_id IN (SELECT id FROM annotations WHERE item_id=?1) "
            "OR l.to_id IN (SELECT id FROM annotations WHERE item_id=?1) ORDER BY l.id");
        st->bind(1, itemId);
        QVector<AnnotationLink> out;
        while (st->step())
            out.append(readLink(*st));
        return out;
    });
}

Result<qint64> LinkRepository::insertMany(const QVector<AnnotationLink> &links, const QString &author)
{
    return guarded(QStringLiteral("links"), [&]() -> Result<qint64> {
        if (const QString missing = missingEnd(m_db, links); !missing.isEmpty())
            return makeError(ErrorCode::BadInput, missing);
        Transaction tx(m_db);
        auto st = m_db.cached(kInsert);
        const qint64 now = nowMs();
        Id first = 0;
        for (const AnnotationLink &l : links) {
            st->bind(1, l.fromId).bind(2, l.toId).bind(3, l.kind).bind(4, author).bind(5, now);
            st->exec();
            if (!first)
                first = m_db.lastInsertId();
        }
        if (!links.isEmpty())
            m_audit.append(author, QStringLiteral("link.import"), QStringLiteral("link"), first, {},
                           {{QStringLiteral("count"), links.size()}, {QStringLiteral("first"), first},
                            {QStringLiteral("last"), m_db.lastInsertId()}});
        tx.commit();
        return qint64(links.size());
    });
}

Result<qint64> LinkRepository::count()
{
    return guarded(QStringLiteral("links"), [&]() -> Result<qint64> {
        auto st = m_db.cached("SELECT count(*) FROM annotation_links");
        st->step();
        return st->int64(0);
    });
}

} // namespace annotune::core::store
