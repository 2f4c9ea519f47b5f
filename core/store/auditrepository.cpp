#include "auditrepository.h"

#include "database.h"

#include <QJsonDocument>

namespace annotune::core::store {
namespace {

QString compact(const QJsonObject &o)
{
    return o.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

AuditEntry readEntry(Statement &st)
{
    return AuditEntry{st.int64(0), st.int64(1), st.text(2), st.text(3), st.text(4),
                      st.int64(5), st.text(6), st.text(7)};
}

} // namespace

void AuditRepository::append(const QString &author, const QString &action, const QString &entity,
                             Id entityId, const QJsonObject &before, const QJsonObject &after)
{
    auto st = m_db.cached("INSERT INTO audit_log(at, author, action, entity, entity_id, before, after) "
                          "VALUES (?,?,?,?,?,?,?)");
    st->bind(1, nowMs()).bind(2, author).bind(3, action).bind(4, entity).bind(5, entityId);
    const QString b = compact(before), a = compact(after);
    b.isEmpty() ? st->bindNull(6) : st->bind(6, b);
    a.isEmpty() ? st->bindNull(7) : st->bind(7, a);
    st->exec();
}

Result<QVector<AuditEntry>> AuditRepository::forEntity(const QString &entity, Id entityId)
{
    return guarded(QStringLiteral("audit log"), [&]() -> Result<QVector<AuditEntry>> {
        auto st = m_db.cached("SELECT id, at, author, action, entity, entity_id, before, after FROM audit_log "
                              "WHERE entity=? AND entity_id=? ORDER BY id");
        st->bind(1, entity).bind(2, entityId);
        QVector<AuditEntry> out;
        while (st->step())
            out.append(readEntry(*st));
        return out;
    });
}

Result<QVector<AuditEntry>> AuditRepository::recent(int limit)
{
    return guarded(QStringLiteral("audit log"), [&]() -> Result<QVector<AuditEntry>> {
        auto st = m_db.cached("SELECT id, at, author, action, entity, entity_id, before, after FROM audit_log "
                              "ORDER BY id DESC LIMIT ?");
        st->bind(1, limit);
        QVector<AuditEntry> out;
        while (st->step())
            out.append(readEntry(*st));
        return out;
    });
}

Result<qint64> AuditRepository::count()
{
    return guarded(QStringLiteral("audit log"), [&]() -> Result<qint64> {
        auto st = m_db.cached("SELECT count(*) FROM audit_log");
        st->step();
        return qint64(st->int64(0));
    });
}

} // namespace annotune::core::store
