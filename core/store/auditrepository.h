#pragma once
// The append-only audit log: every change, who made it, when, and the record before and after.

#include "core/result.h"
#include "core/types.h"

#include <QJsonObject>
#include <QVector>

namespace annotune::core::store {

class Database;

class AuditRepository {
public:
    explicit AuditRepository(Database &db) : m_db(db) {}

    // Appends one row. Throws StoreError; callers run it inside their own transaction.
    void append(const QString &author, const QString &action, const QString &entity, Id entityId,
                const QJsonObject &before, const QJsonObject &after);

    Result<QVector<AuditEntry>> forEntity(const QString &entity, Id entityId);
    Result<QVector<AuditEntry>> recent(int limit);
    Result<qint64> count();

private:
    Database &m_db;
};

} // namespace annotune::core::store
