#include "runrepository.h"

#include "auditrepository.h"
#include "core/geometry.h"
#include "database.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace annotune::core::store {
namespace {

constexpr const char *kRunSelect =
    "SELECT id, name, task, status, config, seed, code_version, device, dataset_hash, parent_run_id, created_at, "
    "finished_at FROM runs";

Run readRun(Statement &st)
{
    Run r;
    r.id = st.int64(0);
    r.name = st.text(1);
    r.task = st.text(2);
    r.status = runStatusFromString(st.text(3)).value_or(RunStatus::Failed);
    r.configJson = st.text(4);
    r.seed = st.int64(5);
    r.codeVersion = st.text(6);
    r.device = st.text(7);
    r.datasetHash = st.text(8);
    if (!st.isNull(9))
        r.parentRunId = st.int64(9);
    r.createdAt = st.int64(10);
    r.finishedAt = st.isNull(11) ? 0 : st.int64(11);
    return r;
}

} // namespace

Result<Id> RunRepository::create(const Run &run, const QString &author)
{
    return guarded(QStringLiteral("run '%1'").arg(run.name), [&]() -> Result<Id> {
        Transaction tx(m_db);
        auto st = m_db.cached("INSERT INTO runs(name, task, status, config, seed, code_version, device, dataset_hash, "
                              "parent_run_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)");
        st->bind(1, run.name).bind(2, run.task).bind(3, toText(run.status)).bind(4, run.configJson)
            .bind(5, qint64(run.seed)).bind(6, run.codeVersion).bind(7, run.device).bind(8, run.datasetHash)
            .bind(9, run.parentRunId).bind(10, nowMs());
        st->exec();
        const Id id = m_db.lastInsertId();
        m_audit.append(author, QStringLiteral("run.create"), QStringLiteral("run"), id, {},
                       {{QStringLiteral("name"), run.name}, {QStringLiteral("task"), run.task}});
        tx.commit();
        return id;
    });
}

Result<Run> RunRepository::get(Id id)
{
    return guarded(QStringLiteral("run %1").arg(id), [&]() -> Result<Run> {
        static const QByteArray sql = QByteArray(kRunSelect) + " WHERE id=?";
        auto st = m_db.cached(sql.constData());
        st->bind(1, id);
        if (!st->step())
            return makeError(ErrorCode::NotFound, QStringLiteral("run %1: no such run").arg(id));
        return readRun(*st);
    });
}

Result<QVector<Run>> RunRepository::list()
{
    return guarded(QStringLiteral("runs"), [&]() -> Result<QVector<Run>> {
        static const QByteArray sql = QByteArray(kRunSelect) + " ORDER BY id";
        auto st = m_db.cached(sql.constData());
        QVector<Run> out;
        while (st->step())
            out.append(readRun(*st));
        return out;
    });
}

Status RunRepository::setStatus(Id id, RunStatus status, const QString &author)
{
    return guarded(QStringLiteral("run %1").arg(id), [&]() -> Status {
        Transaction tx(m_db);
        auto before = get(id);
        if (!before)
            return before.error();
        const bool ended = status == RunStatus::Finished || status == RunStatus::Failed || status == RunStatus::Cancelled;
        auto st = m_db.cached("UPDATE runs SET status=?, finished_at=? WHERE id=?");
        st->bind(1, toText(status));
        ended ? st->bind(2, nowMs()) : st->bindNull(2);
        st->bind(3, id);
        st->exec();
        m_audit.append(author, QStringLiteral("run.status"), QStringLiteral("run"), id,
                       {{QStringLiteral("status"), toText(before->status)}}, {{QStringLiteral("status"), toText(status)}});
        tx.commit();
        return {};
    });
}

Status RunRepository::addMetrics(Id runId, const QVector<MetricPoint> &points)
{
    return guarded(QStringLiteral("run %1: metrics").arg(runId), [&]() -> Status {
        Transaction tx(m_db);
        auto st = m_db.cached("INSERT INTO run_metrics(run_id, step, epoch, name, value, at) VALUES (?,?,?,?,?,?)");
        const qint64 now = nowMs();
        for (const MetricPoint &p : points) {
            st->bind(1, runId).bind(2, qint64(p.step)).bind(3, p.epoch).bind(4, p.name).bind(5, p.value).bind(6, now);
            st->step();
            st->reset();
        }
        tx.commit();
        return {};
    });
}

Result<QVector<MetricPoint>> RunRepository::metrics(Id runId)
{
    return guarded(QStringLiteral("run %1: metrics").arg(runId), [&]() -> Result<QVector<MetricPoint>> {
        auto st = m_db.cached("SELECT step, epoch, name, value FROM run_metrics WHERE run_id=? ORDER BY step, rowid");
        st->bind(1, runId);
        QVector<MetricPoint> out;
        while (st->step())
            out.append(MetricPoint{st->int64(0), st->integer(1), st->text(2), st->real(3)});
        return out;
    });
}

Result<qint64> RunRepository::insertPredictions(const QVector<Prediction> &predictions)
{
    return guarded(QStringLiteral("predictions"), [&]() -> Result<qint64> {
        Transaction tx(m_db);
        auto st = m_db.cached("INSERT INTO predictions(run_id, item_id, class_id, kind, x, y, w, h, points, word_ids, "
                              "value, score, attributes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
        for (const Prediction &p : predictions) {
            st->bind(1, p.runId).bind(2, p.itemId).bind(3, p.classId).bind(4, toText(p.kind))
                .bind(5, p.box.x()).bind(6, p.box.y()).bind(7, p.box.width()).bind(8, p.box.height());
            const QByteArray pts = encodePoints(p.polygon), ids = encodeIds(p.wordIds);
            p.polygon.isEmpty() ? st->bindNull(9) : st->bindBlob(9, pts.constData(), int(pts.size()));
            p.wordIds.isEmpty() ? st->bindNull(10) : st->bindBlob(10, ids.constData(), int(ids.size()));
            st->bind(11, p.value).bind(12, p.score);
            p.attributes.isEmpty() ? st->bindNull(13)
                                   : st->bind(13, QString::fromUtf8(QJsonDocument(p.attributes).toJson(QJsonDocument::Compact)));
            st->step();
            st->reset();
        }
        tx.commit();
        return qint64(predictions.size());
    });
}

Result<qint64> RunRepository::replacePredictions(Id runId, const QVector<Id> &itemIds, const QVector<Prediction> &predictions)
{
    return guarded(QStringLiteral("run %1: predictions").arg(runId), [&]() -> Result<qint64> {
        Transaction tx(m_db);
        auto st = m_db.cached("DELETE FROM predictions WHERE run_id=? AND item_id=? AND NOT EXISTS "
                              "(SELECT 1 FROM prediction_reviews r WHERE r.prediction_id=predictions.id)");
        for (const Id item : itemIds) {
            st->bind(1, runId).bind(2, item);
            st->step();
            st->reset();
        }
        auto inserted = insertPredictions(predictions);
        if (!inserted)
            return inserted.error();
        tx.commit();
        return *inserted;
    });
}

Result<QVector<Prediction>> RunRepository::predictions(Id runId, Id itemId)
{
    return guarded(QStringLiteral("run %1: predictions").arg(runId), [&]() -> Result<QVector<Prediction>> {
        auto st = m_db.cached("SELECT id, run_id, item_id, class_id, kind, x, y, w, h, points, word_ids, value, score, attributes "
                              "FROM predictions WHERE run_id=? AND item_id=? ORDER BY score DESC, id");
        st->bind(1, runId).bind(2, itemId);
        QVector<Prediction> out;
        while (st->step()) {
            Prediction p;
            p.id = st->int64(0);
            p.runId = st->int64(1);
            p.itemId = st->int64(2);
            p.classId = st->int64(3);
            p.kind = annotationKindFromString(st->text(4)).value_or(AnnotationKind::Box);
            p.box = QRectF(st->real(5), st->real(6), st->real(7), st->real(8));
            p.polygon = decodePoints(st->blob(9));
            p.wordIds = decodeIds(st->blob(10));
            p.value = st->text(11);
            p.score = st->real(12);
            if (!st->isNull(13))
                p.attributes = QJsonDocument::fromJson(st->blob(13)).object();
            out.append(p);
        }
        return out;
    });
}

} // namespace annotune::core::store
