#include "approvalrepository.h"

#include "auditrepository.h"
#include "database.h"

#include <QJsonDocument>
#include <QRandomGenerator>

#include <algorithm>

namespace annotune::core::store {
namespace {

constexpr const char *kApprovalSelect =
    "SELECT a.id, a.run_id, a.reviewer, a.at, a.metrics, a.gate, a.dataset_hash, a.revoked_at FROM approvals a";

QString compact(const QJsonObject &o) { return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)); }
QString compact(const QJsonArray &a) { return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact)); }

Approval readApproval(Statement &st)
{
    Approval a;
    a.id = st.int64(0);
    a.runId = st.int64(1);
    a.reviewer = st.text(2);
    a.at = st.int64(3);
    a.metrics = QJsonDocument::fromJson(st.blob(4)).object();
    a.gate = QJsonDocument::fromJson(st.blob(5)).array();
    a.datasetHash = st.text(6);
    if (!st.isNull(7))
        a.revokedAt = st.int64(7);
    return a;
}

} // namespace

Result<Id> ApprovalRepository::addReview(Id predictionId, const QString &reviewer, ReviewVerdict verdict, const QString &comment)
{
    return guarded(QStringLiteral("prediction %1: review").arg(predictionId), [&]() -> Result<Id> {
        Transaction tx(m_db);
        auto st = m_db.cached("INSERT INTO prediction_reviews(prediction_id, run_id, reviewer, verdict, at, comment) "
                              "SELECT id, run_id, ?, ?, ?, ? FROM predictions WHERE id=?");
        st->bind(1, reviewer).bind(2, toText(verdict)).bind(3, nowMs()).bind(4, comment).bind(5, predictionId);
        st->exec();
        if (m_db.changes() == 0)
            return makeError(ErrorCode::NotFound, QStringLiteral("prediction %1: no such prediction").arg(predictionId));
        const Id id = m_db.lastInsertId();
        m_audit.append(reviewer, QStringLiteral("prediction.review"), QStringLiteral("prediction"), predictionId, {},
                       {{QStringLiteral("verdict"), toText(verdict)}, {QStringLiteral("comment"), comment}});
        tx.commit();
        return id;
    });
}

Result<ReviewCounts> ApprovalRepository::reviewsForRun(Id runId)
{
    return guarded(QStringLiteral("run %1: reviews").arg(runId), [&]() -> Result<ReviewCounts> {
        // The latest verdict per prediction: the row with the highest id.
        auto st = m_db.cached("SELECT count(*), coalesce(sum(r.verdict='correct'), 0), coalesce(sum(r.verdict='wrong'), 0) "
                              "FROM prediction_reviews r WHERE r.run_id=? AND r.id = "
                              "(SELECT max(id) FROM prediction_reviews WHERE prediction_id=r.prediction_id)");
        st->bind(1, runId);
        st->step();
        return ReviewCounts{st->int64(0), st->int64(1), st->int64(2)};
    });
}

Result<QVector<PredictionReview>> ApprovalRepository::reviews(Id runId)
{
    return guarded(QStringLiteral("run %1: reviews").arg(runId), [&]() -> Result<QVector<PredictionReview>> {
        auto st = m_db.cached("SELECT id, prediction_id, run_id, reviewer, verdict, at, comment FROM prediction_reviews "
                              "WHERE run_id=? ORDER BY id");
        st->bind(1, runId);
        QVector<PredictionReview> out;
        while (st->step())
            out.append(PredictionReview{st->int64(0), st->int64(1), st->int64(2), st->text(3),
                                        reviewVerdictFromString(st->text(4)).value_or(ReviewVerdict::Wrong), st->int64(5),
                                        st->text(6)});
        return out;
    });
}

Result<QVector<Id>> ApprovalRepository::samplePredictions(Id runId, int n, quint64 seed)
{
    return guarded(QStringLiteral("run %1: predictions").arg(runId), [&]() -> Result<QVector<Id>> {
        auto st = m_db.cached("SELECT id FROM predictions WHERE run_id=? ORDER BY id");
        st->bind(1, runId);
        QVector<Id> ids;
        while (st->step())
            ids.append(st->int64(0));
        QRandomGenerator rng(seed);
        const int take = std::clamp(n, 0, int(ids.size()));
        for (int i = 0; i < take; ++i) // partial Fisher-Yates: the first `take` are a uniform sample
            std::swap(ids[i], ids[i + int(rng.bounded(quint32(ids.size() - i)))]);
        ids.resize(take);
        return ids;
    });
}

Result<Id> ApprovalRepository::approve(const Approval &approval)
{
    return guarded(QStringLiteral("run %1: approval").arg(approval.runId), [&]() -> Result<Id> {
        Transaction tx(m_db);
        auto st = m_db.cached("INSERT INTO approvals(run_id, reviewer, at, metrics, gate, dataset_hash) "
                              "SELECT id, ?, ?, ?, ?, dataset_hash FROM runs WHERE id=?");
        st->bind(1, approval.reviewer).bind(2, nowMs()).bind(3, compact(approval.metrics)).bind(4, compact(approval.gate))
            .bind(5, approval.runId);
        st->exec();
        if (m_db.changes() == 0)
            return makeError(ErrorCode::NotFound, QStringLiteral("run %1: no such run").arg(approval.runId));
        const Id id = m_db.lastInsertId();
        m_audit.append(approval.reviewer, QStringLiteral("run.approve"), QStringLiteral("run"), approval.runId, {},
                       {{QStringLiteral("approval"), id}, {QStringLiteral("metrics"), approval.metrics}});
        tx.commit();
        return id;
    });
}

Status ApprovalRepository::revoke(Id approvalId, const QString &author)
{
    return guarded(QStringLiteral("approval %1").arg(approvalId), [&]() -> Status {
        Transaction tx(m_db);
        auto st = m_db.cached("UPDATE approvals SET revoked_at=? WHERE id=? AND revoked_at IS NULL");
        st->bind(1, nowMs()).bind(2, approvalId);
        st->exec();
        if (m_db.changes() == 0)
            return makeError(ErrorCode::NotFound, QStringLiteral("approval %1: no such approval in force").arg(approvalId));
        m_audit.append(author, QStringLiteral("approval.revoke"), QStringLiteral("approval"), approvalId, {}, {});
        tx.commit();
        return {};
    });
}

Result<std::optional<Approval>> ApprovalRepository::currentApproved(const QString &task)
{
    return guarded(QStringLiteral("approvals of task '%1'").arg(task), [&]() -> Result<std::optional<Approval>> {
        static const QByteArray sql = QByteArray(kApprovalSelect) +
                                      " JOIN runs r ON r.id = a.run_id WHERE r.task=? AND a.revoked_at IS NULL "
                                      "ORDER BY a.at DESC, a.id DESC LIMIT 1";
        auto st = m_db.cached(sql.constData());
        st->bind(1, task);
        if (!st->step())
            return std::optional<Approval>();
        return std::optional<Approval>(readApproval(*st));
    });
}

Result<QVector<Approval>> ApprovalRepository::list()
{
    return guarded(QStringLiteral("approvals"), [&]() -> Result<QVector<Approval>> {
        static const QByteArray sql = QByteArray(kApprovalSelect) + " ORDER BY a.at DESC, a.id DESC";
        auto st = m_db.cached(sql.constData());
        QVector<Approval> out;
        while (st->step())
            out.append(readApproval(*st));
        return out;
    });
}

} // namespace annotune::core::store
