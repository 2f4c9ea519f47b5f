#pragma once
// Three small line charts of a run: training loss, learning rate and the validation metrics over
// steps. Fed live from worker events or from a past run's stored metrics.

#include "core/store/runrepository.h"

#include <QHash>
#include <QWidget>

class QChart;
class QLineSeries;
class QValueAxis;

namespace annotune::ui::train {

class TrainCharts : public QWidget {
    Q_OBJECT
public:
    explicit TrainCharts(QWidget *parent = nullptr);

    void clear();
    void addLoss(qint64 step, double value);
    void addLearningRate(qint64 step, double value);
    void addMetric(const QString &name, qint64 step, double value);
    // Replaces the curves with a stored run's metrics.
    void showStored(const QVector<core::store::MetricPoint> &points);

    int lossPoints() const;
    int learningRatePoints() const;
    int metricPoints(const QString &name) const;

private:
    struct Plot {
        QChart *chart = nullptr;
        QValueAxis *x = nullptr, *y = nullptr;
        double xMax = 1, yMin = 0, yMax = 0;
        bool empty = true;
    };
    Plot makePlot(const QString &title, class QLayout *layout);
    QLineSeries *series(Plot &plot, QHash<QString, QLineSeries *> &named, const QString &name);
    void append(Plot &plot, QLineSeries *series, qint64 step, double value);

    Plot m_loss, m_lr, m_val;
    QHash<QString, QLineSeries *> m_lossSeries, m_lrSeries, m_valSeries;
};

} // namespace annotune::ui::train
