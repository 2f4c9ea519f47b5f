#pragma once
// People's verdicts on sampled predictions of a run, and the approvals that mark a run as the
// model in use for its task. Both feed the approval gate (core/eval/gate.h).

#include "core/result.h"
#include "core/types.h"

#include <QVector>

namespace annotune::core::store {

class Database;
class AuditRepository;

// How many distinct predictions of a run a person has looked at, and what they said (the latest
// verdict per prediction counts).
struct ReviewCounts {
    qint64 reviewed = 0;
    qint64 correct = 0;
    qint64 wrong = 0;
};

class ApprovalRepository {
public:
    ApprovalRepository(Database &db, AuditRepository &audit) : m_db(db), m_audit(audit) {}

    // Records a verdict on one prediction (its run is the prediction's). Fails with NotFound when
    // no prediction has that id.
    Result<Id> addReview(Id predictionId, const QString &reviewer, ReviewVerdict verdict, const QString &comment = {});
    Result<ReviewCounts> reviewsForRun(Id runId);
    Result<QVector<PredictionReview>> reviews(Id runId);
    // Up to n prediction ids of the run picked at random (stable for a seed), for a person to review.
    Result<QVector<Id>> samplePredictions(Id runId, int n, quint64 seed);

    // Records an approval; reviewer, metrics and gate come from `approval`, the time is now and the
    // dataset hash is the run's own. Fails with NotFound for an unknown run.
    Result<Id> approve(const Approval &approval);
    Status revoke(Id approvalId, const QString &author);
    // The latest approval not revoked whose run has this task, if any.
    Result<std::optional<Approval>> currentApproved(const QString &task);
    // Every approval, newest first.
    Result<QVector<Approval>> list();

private:
    Database &m_db;
    AuditRepository &m_audit;
};

} // namespace annotune::core::store
