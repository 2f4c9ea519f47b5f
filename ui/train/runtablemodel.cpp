#include "runtablemodel.h"

#include "core/store/project.h"
#include "core/store/runrepository.h"

#include <QDateTime>
#include <QHash>

namespace annotune::ui::train {

using namespace annotune::core;

bool isTrainingCurve(const QString &name)
{
    return name == QLatin1String("loss") || name == QLatin1String("train_loss") || name.startsWith(QLatin1String("lr"))
           || name == QLatin1String("learning_rate") || name.startsWith(QLatin1String("eval/"));
}

BestMetric bestMetric(store::Project &project, Id runId)
{
    auto points = project.runs().metrics(runId);
    if (!points)
        return {};
    QHash<QString, double> best;
    QStringList order;
    for (const store::MetricPoint &p : *points) {
        if (isTrainingCurve(p.name))
            continue;
        if (!best.contains(p.name)) {
            order.append(p.name);
            best.insert(p.name, p.value);
        } else
            best[p.name] = std::max(best[p.name], p.value);
    }
    // Prefer the headline metrics of each task.
    for (const char *name : {"map50", "map", "f1", "entity_f1", "accuracy"})
        if (best.contains(QLatin1String(name)))
            return {QLatin1String(name), best.value(QLatin1String(name))};
    if (order.isEmpty())
        return {};
    return {order.first(), best.value(order.first())};
}

RunTableModel::RunTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void RunTableModel::reload(store::Project *project)
{
    beginResetModel();
    m_runs.clear();
    m_best.clear();
    if (project) {
        if (auto runs = project->runs().list()) {
            m_runs = *runs;
            std::reverse(m_runs.begin(), m_runs.end()); // newest first
        }
        for (const Run &r : m_runs)
            m_best.append(bestMetric(*project, r.id));
    }
    endResetModel();
}

const Run *RunTableModel::runAt(int row) const
{
    return row >= 0 && row < m_runs.size() ? &m_runs[row] : nullptr;
}

int RunTableModel::rowOf(Id runId) const
{
    for (int i = 0; i < m_runs.size(); ++i)
        if (m_runs[i].id == runId)
            return i;
    return -1;
}

void RunTableModel::tick()
{
    for (int i = 0; i < m_runs.size(); ++i)
        if (m_runs[i].status == RunStatus::Running)
            Q_EMIT dataChanged(index(i, ColDuration), index(i, ColDuration));
}

int RunTableModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_runs.size()); }
int RunTableModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

namespace {

QString duration(const Run &r)
{
    const qint64 end = r.finishedAt > 0 ? r.finishedAt : (r.status == RunStatus::Running ? QDateTime::currentMSecsSinceEpoch() : 0);
    if (end <= r.createdAt || r.createdAt <= 0)
        return QStringLiteral("—");
    const qint64 s = (end - r.createdAt) / 1000;
    return s >= 3600 ? QStringLiteral("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'))
                     : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QColor statusColor(RunStatus s)
{
    switch (s) {
    case RunStatus::Finished: return QColor(0x2e, 0x8b, 0x57);
    case RunStatus::Failed: return QColor(0xc0, 0x39, 0x2b);
    case RunStatus::Running: return QColor(0x1f, 0x6f, 0xd0);
    case RunStatus::Cancelled: return QColor(0xd0, 0x8a, 0x1f);
    default: return {};
    }
}

} // namespace

QVariant RunTableModel::data(const QModelIndex &index, int role) const
{
    const Run *r = runAt(index.row());
    if (!r)
        return {};
    if (role == Qt::ForegroundRole && index.column() == ColStatus) {
        const QColor c = statusColor(r->status);
        return c.isValid() ? QVariant(c) : QVariant(); // invalid: the palette's text colour
    }
    if (role == Qt::TextAlignmentRole && (index.column() == ColId || index.column() == ColBest || index.column() == ColDuration))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const BestMetric &best = m_best.value(index.row());
    switch (index.column()) {
    case ColId: return r->id;
    case ColName: return r->name;
    case ColTask: return r->task;
    case ColStatus: return toText(r->status);
    case ColDevice: return r->device;
    case ColDuration: return duration(*r);
    case ColData: return role == Qt::ToolTipRole ? r->datasetHash : r->datasetHash.left(10);
    case ColBest: return best.name.isEmpty() ? QString() : QStringLiteral("%1 %2").arg(best.name).arg(best.value, 0, 'f', 3);
    }
    return {};
}

QVariant RunTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *names[] = {"Id", "Name", "Task", "Status", "Device", "Duration", "Data", "Best metric"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace annotune::ui::train
