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
    Result<QVector<Prediction>> predictions(Id runId, Id itemId);

private:
    Database &m_db;
    AuditRepository &m_audit;
};

} // namespace annotune::core::store
