#pragma once
// The project's training runs as a table: id, name, task, status, device, duration, data snapshot
// hash prefix and the best validation metric (from the run's stored metrics).

#include "core/types.h"

#include <QAbstractTableModel>
#include <QVector>

namespace annotune::core::store {
class Project;
}

namespace annotune::ui::train {

// The validation metric a run is judged by and its best value; name empty when none is stored.
struct BestMetric {
    QString name;
    double value = 0;
};

class RunTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { ColId, ColName, ColTask, ColStatus, ColDevice, ColDuration, ColData, ColBest, ColumnCount };
    explicit RunTableModel(QObject *parent = nullptr);

    // Reads the runs again (project may be null: empty).
    void reload(core::store::Project *project);
    const core::Run *runAt(int row) const;
    int rowOf(core::Id runId) const;
    // Repaints the durations of running runs.
    void tick();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QVector<core::Run> m_runs;
    QVector<BestMetric> m_best;
};

// True for the names of training-curve metrics (loss, learning rate), not validation ones.
bool isTrainingCurve(const QString &name);
BestMetric bestMetric(core::store::Project &project, core::Id runId);

} // namespace annotune::ui::train
