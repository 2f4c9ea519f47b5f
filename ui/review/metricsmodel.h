#pragma once
// Tables of figures for the Evaluate workspace: one row per metric (or per class) with run A's
// value, run B's and the change when a second run is set. -1 values show as "–".

#include "evaluationdata.h"

#include <QAbstractTableModel>

namespace annotune::ui {

class MetricsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Kind { Metrics, Classes };
    struct Row {
        QString name;
        double a = -1;
        double b = -1;
    };
    enum Column { NameColumn, AColumn, BColumn, DeltaColumn, ColumnCount };

    explicit MetricsModel(Kind kind, QObject *parent = nullptr);
    void setData(const EvaluationData &data);
    void clear();
    const QVector<Row> &rows() const { return m_rows; }
    // The row named name, or null.
    const Row *find(const QString &name) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    Kind m_kind;
    bool m_hasB = false;
    QVector<Row> m_rows;
};

} // namespace annotune::ui
