#pragma once
// Training runs, their metrics over time, and the predictions they stored for review.

#include "core/result.h"
#include "core/types.h"

#include <QVector>

namespace annotune::core::store {

class Database;
class AuditRepository;

struct MetricPoint {
    qint64 step = 0;
    int epoch = 0;
    QString name;
    double value = 0;
};

class RunRepository {
public:
    RunRepository(Database &db, AuditRepository &audit) : m_db(db), m_audit(audit) {}

    Result<Id> create(const Run &run, const QString &author);
    Result<Run> get(Id id);
    Result<QVector<Run>> list();
    Status setStatus(Id id, RunStatus status, const QString &author);
    Status addMetrics(Id runId, const QVector<MetricPoint> &points);
    Result<QVector<MetricPoint>> metrics(Id runId);
    Result<qint64> insertPredictions(const QVector<Prediction> &predictions);
    // A run's new predictions for itemIds, in one transaction: that run's earlier predictions on those
    // items go first, except those a person has reviewed (kept with their verdicts). So predicting
    // the same items again replaces instead of adding duplicates.
    Result<qint64> replacePredictions(Id runId, const QVector<Id> &itemIds, const QVector<Prediction> &predictions);
    Result<QVector<Prediction>> predictions(Id runId, Id itemId);

private:
    Database &m_db;
    AuditRepository &m_audit;
};

} // namespace annotune::core::store
