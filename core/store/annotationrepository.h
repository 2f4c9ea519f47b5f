#pragma once
// Annotations and document words. Single edits are durable transactions with an audit row each;
// bulk paths insert many rows in one transaction with one audit row.

#include "core/result.h"
#include "core/types.h"

#include <QVector>

namespace annotune::core::store {

class Database;
class AuditRepository;

class AnnotationRepository {
public:
    AnnotationRepository(Database &db, AuditRepository &audit) : m_db(db), m_audit(audit) {}

    // Inserts a; a.id is ignored unless non-zero (redo of an undone add keeps its id).
    Result<Id> add(const Annotation &a, const QString &author);
    // Replaces the stored annotation with a (same id), bumping its revision.
    Status update(const Annotation &a, const QString &author);
    Status remove(Id id, const QString &author);
    Result<Annotation> get(Id id);
    Result<QVector<Annotation>> forItem(Id itemId);
    // Every annotation of one class, in id order (to keep what a class deletion removes).
    Result<QVector<Annotation>> forClass(Id classId);
    // Gives the annotations ids the class classId in one transaction with one audit row.
    Status setClassOf(const QVector<Id> &ids, Id classId, const QString &author);
    // Removes the annotations ids in one transaction with one audit row; NotFound names a missing id.
    Status removeMany(const QVector<Id> &ids, const QString &author);
    Result<qint64> insertMany(const QVector<Annotation> &annotations, const QString &author);
    // All annotations in id order, streamed to fn (for exports); stops early when fn returns false.
    Status forEach(const std::function<bool(const Annotation &)> &fn);
    // Like forEach, with only what an export writes: id, item, class, kind, box, points, run,
    // score and attributes (word ids, field text, author, times and revision are left empty).
    Status forEachLabel(const std::function<bool(const Annotation &)> &fn);
    Result<QVector<QPair<Id, qint64>>> countsByClass();
    Result<qint64> count();
    // How many annotations the item has (counted on the item index: cheap).
    Result<qint64> countForItem(Id itemId);
    // The highest annotation id in use (0 when none): editors hand out ids above every id they
    // have seen, so an undone add's id is never given to another annotation in the session.
    Result<Id> maxId();

    Status insertWords(Id itemId, const QVector<Word> &words);
    Result<QVector<Word>> words(Id itemId);
    // Rewrites one word (text, box, reading order, confidence) by id; NotFound when it is gone.
    Status updateWord(const Word &w);
    // Removes the words removedIds of the item and inserts added (a non-zero id is kept, so an undo
    // restores the same ids), in one transaction. Returns added with their ids.
    Result<QVector<Word>> replaceWords(Id itemId, const QVector<Id> &removedIds, const QVector<Word> &added);

private:
    Database &m_db;
    AuditRepository &m_audit;
};

} // namespace annotune::core::store
