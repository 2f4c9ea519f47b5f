#pragma once
// The label schema (classes) and the project's key/value settings.

#include "core/result.h"
#include "core/types.h"

#include <QVector>

namespace annotune::core::store {

class Database;
class AuditRepository;

class ClassRepository {
public:
    ClassRepository(Database &db, AuditRepository &audit) : m_db(db), m_audit(audit) {}

    Result<QVector<LabelClass>> list();
    // Inserts c; c.id is ignored unless non-zero (undo of a deletion restores the same id).
    Result<Id> add(const LabelClass &c, const QString &author);
    Status update(const LabelClass &c, const QString &author);
    // Fails with Conflict while annotations or predictions still use the class.
    Status remove(Id id, const QString &author);
    Result<qint64> usage(Id id);

private:
    Database &m_db;
    AuditRepository &m_audit;
};

class SettingsRepository {
public:
    SettingsRepository(Database &db, AuditRepository &audit) : m_db(db), m_audit(audit) {}

    Result<QString> value(const QString &key, const QString &fallback = {});
    Status setValue(const QString &key, const QString &value, const QString &author);

private:
    Database &m_db;
    AuditRepository &m_audit;
};

} // namespace annotune::core::store
