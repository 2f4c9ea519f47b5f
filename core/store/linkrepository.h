#pragma once
// Links between annotations (a question to its answer, a header to its questions): single edits
// with an audit row each, and a bulk path for imports with one audit row for the batch.

#include "core/result.h"
#include "core/types.h"

#include <QVector>

namespace annotune::core::store {

class Database;
class AuditRepository;

class LinkRepository {
public:
    LinkRepository(Database &db, AuditRepository &audit) : m_db(db), m_audit(audit) {}

    // Adds one link; fails with NotFound naming the end that does not exist.
    Result<Id> add(const AnnotationLink &link, const QString &author);
    Status remove(Id id, const QString &author);
    // Links with either end on an annotation of this item, in id order.
    Result<QVector<AnnotationLink>> forItem(Id itemId);
    // Inserts links whose ends were all checked first (BadInput naming the first bad link, nothing
    // inserted); one audit row for the batch. Returns the number inserted.
    Result<qint64> insertMany(const QVector<AnnotationLink> &links, const QString &author);
    Result<qint64> count();

private:
    Database &m_db;
    AuditRepository &m_audit;
};

} // namespace annotune::core::store
