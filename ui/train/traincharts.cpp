#include "traincharts.h"

#include "runtablemodel.h"

#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QLineSeries>
#include <QValueAxis>

namespace annotune::ui::train {

TrainCharts::TrainCharts(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_loss = makePlot(tr("Training loss"), layout);
    m_lr = makePlot(tr("Learning rate"), layout);
    m_val = makePlot(tr("Validation"), layout);
}

TrainCharts::Plot TrainCharts::makePlot(const QString &title, QLayout *layout)
{
    Plot plot;
    plot.chart = new QChart;
    if (palette().window().color().lightness() < 128)
        plot.chart->setTheme(QChart::ChartThemeDark); // follow the workbench's dark style
    plot.chart->setBackgroundRoundness(0);
    plot.chart->setTitle(title);
    plot.chart->setMargins(QMargins(4, 4, 4, 4));
    plot.chart->legend()->setAlignment(Qt::AlignBottom);
    plot.x = new QValueAxis(plot.chart);
    plot.y = new QValueAxis(plot.chart);
    plot.x->setTitleText(tr("step"));
    plot.x->setLabelFormat(QStringLiteral("%d"));
    plot.y->setLabelFormat(QStringLiteral("%.3g"));
    plot.x->setRange(0, 10);
    plot.chart->addAxis(plot.x, Qt::AlignBottom);
    plot.chart->addAxis(plot.y, Qt::AlignLeft);
    auto *view = new QChartView(plot.chart, this);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(220, 180);
    layout->addWidget(view);
    return plot;
}

QLineSeries *TrainCharts::series(Plot &plot, QHash<QString, QLineSeries *> &named, const QString &name)
{
    if (QLineSeries *s = named.value(name))
        return s;
    auto *s = new QLineSeries(plot.chart);
    s->setName(name);
    plot.chart->addSeries(s);
    s->attachAxis(plot.x);
    s->attachAxis(plot.y);
    named.insert(name, s);
    return s;
}

void TrainCharts::append(Plot &plot, QLineSeries *series, qint64 step, double value)
{
    if (!std::isfinite(value))
        return;
    series->append(double(step), value);
    if (plot.empty) {
        plot.yMin = plot.yMax = value;
        plot.empty = false;
    }
    plot.yMin = std::min(plot.yMin, value);
    plot.yMax = std::max(plot.yMax, value);
    plot.xMax = std::max(plot.xMax, double(step));
    const double pad = std::max(1e-9, (plot.yMax - plot.yMin) * 0.08);
    plot.x->setRange(0, plot.xMax);
    const double low = plot.yMin >= 0 ? std::max(0.0, plot.yMin - pad) : plot.yMin - pad; // no negative axis for positive curves
    plot.y->setRange(low, plot.yMax + pad);
}

void TrainCharts::clear()
{
    for (Plot *p : {&m_loss, &m_lr, &m_val}) {
        p->chart->removeAllSeries();
        *p = Plot{p->chart, p->x, p->y};
        p->x->setRange(0, 10);
        p->y->setRange(0, 1);
    }
    m_lr.chart->setTitle(tr("Learning rate"));
    m_lossSeries.clear();
    m_lrSeries.clear();
    m_valSeries.clear();
}

void TrainCharts::addLoss(qint64 step, double value) { append(m_loss, series(m_loss, m_lossSeries, tr("loss")), step, value); }

void TrainCharts::addLearningRate(qint64 step, double value)
{
    append(m_lr, series(m_lr, m_lrSeries, tr("learning rate")), step, value);
}

void TrainCharts::addMetric(const QString &name, qint64 step, double value)
{
    if (name == QLatin1String("train_loss"))
        return; // the loss curve already shows it
    append(m_val, series(m_val, m_valSeries, name), step, value);
}

void TrainCharts::showStored(const QVector<core::store::MetricPoint> &points)
{
    clear();
    for (const core::store::MetricPoint &p : points) {
        if (p.name == QLatin1String("loss"))
            addLoss(p.step, p.value);
        else if (p.name == QLatin1String("lr") || p.name == QLatin1String("learning_rate"))
            addLearningRate(p.step, p.value);
        else if (!isTrainingCurve(p.name))
            addMetric(p.name, p.step, p.value);
    }
    if (m_lrSeries.isEmpty())
        m_lr.chart->setTitle(tr("Learning rate (not stored for this run)"));
}

int TrainCharts::lossPoints() const { return m_lossSeries.isEmpty() ? 0 : int(m_lossSeries.begin().value()->count()); }
int TrainCharts::learningRatePoints() const { return m_lrSeries.isEmpty() ? 0 : int(m_lrSeries.begin().value()->count()); }

int TrainCharts::metricPoints(const QString &name) const
{
    const QLineSeries *s = m_valSeries.value(name);
    return s ? int(s->count()) : 0;
}

} // namespace annotune::ui::train
