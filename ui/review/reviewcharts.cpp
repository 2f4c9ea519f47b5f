#include "reviewcharts.h"

#include <QBarCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QFileDialog>
#include <QLabel>
#include <QMessageBox>
#include <QLineSeries>
#include <QPainter>
#include <QPushButton>
#include <QScatterSeries>
#include <QTabWidget>
#include <QVBoxLayout>
#include <QValueAxis>

namespace annotune::ui {

using namespace annotune::core;

ConfusionHeatmap::ConfusionHeatmap(QWidget *parent) : QWidget(parent) {}

void ConfusionHeatmap::setMatrix(const eval::ConfusionMatrix &matrix, const QStringList &names)
{
    m_matrix = matrix;
    m_names = names;
    update();
}

void ConfusionHeatmap::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), Qt::white);
    const int n = int(m_matrix.size());
    if (m_matrix.counts.empty() || n == 0)
        return;
    const int margin = 90;
    const double cell = std::min((width() - margin - 10) / double(n), (height() - margin - 10) / double(n));
    p.setPen(Qt::black);
    p.drawText(QRectF(margin, 0, n * cell, 20), Qt::AlignCenter, tr("predicted"));
    for (int r = 0; r < n; ++r) {
        qint64 rowTotal = 0;
        for (int c = 0; c < n; ++c)
            rowTotal += m_matrix.cell(r, c);
        const QString name = m_names.value(r);
        p.setPen(Qt::black);
        p.drawText(QRectF(0, margin + r * cell, margin - 4, cell), Qt::AlignRight | Qt::AlignVCenter, name);
        p.save();
        p.translate(margin + r * cell + cell / 2, margin - 4);
        p.rotate(-60);
        p.drawText(QPointF(0, 0), name);
        p.restore();
        for (int c = 0; c < n; ++c) {
            const qint64 count = m_matrix.cell(r, c);
            const double share = rowTotal > 0 ? double(count) / rowTotal : 0;
            const QRectF box(margin + c * cell, margin + r * cell, cell, cell);
            p.fillRect(box, QColor::fromHsvF(r == c ? 0.33 : 0.0, share, 1.0 - 0.25 * share));
            p.setPen(QColor(200, 200, 200));
            p.drawRect(box);
            p.setPen(share > 0.6 ? Qt::white : Qt::black);
            if (count > 0)
                p.drawText(box, Qt::AlignCenter, QString::number(count));
        }
    }
    p.setPen(Qt::black);
    p.save();
    p.translate(12, margin + n * cell / 2);
    p.rotate(-90);
    p.drawText(QPointF(-20, 0), tr("truth"));
    p.restore();
}

static QChartView *chartView(QChart *chart)
{
    chart->legend()->setAlignment(Qt::AlignRight);
    auto *view = new QChartView(chart);
    view->setRenderHint(QPainter::Antialiasing);
    return view;
}

static QStringList classNames(const EvaluationData &data, const std::vector<int64_t> &ids)
{
    QStringList names;
    for (int64_t id : ids)
        names << data.setA.classes.value(id).name;
    return names;
}

// Precision over recall at IoU .50, all areas, the most detections; one series per class.
static QWidget *prChart(const EvaluationData &data, const eval::CocoEvaluation &coco)
{
    auto *chart = new QChart;
    chart->setTitle(QObject::tr("Precision–recall at IoU 0.50 (run A)"));
    const size_t m = coco.params.maxDets.size() - 1;
    const auto names = classNames(data, coco.categoryIds);
    for (size_t k = 0; k < coco.categoryIds.size(); ++k) {
        auto *series = new QLineSeries;
        series->setName(names.value(int(k)));
        for (size_t r = 0; r < coco.params.recallThresholds.size(); ++r) {
            const double precision = coco.precision[coco.precisionIndex(0, r, k, 0, m)];
            if (precision >= 0)
                series->append(coco.params.recallThresholds[r], precision);
        }
        chart->addSeries(series);
    }
    chart->createDefaultAxes();
    for (auto *axis : chart->axes())
        axis->setRange(0, 1);
    chart->axes(Qt::Horizontal).value(0)->setTitleText(QObject::tr("recall"));
    chart->axes(Qt::Vertical).value(0)->setTitleText(QObject::tr("precision"));
    return chartView(chart);
}

// Fraction matched against mean score per bin, with the diagonal of perfect calibration.
static QWidget *reliabilityChart(const eval::Calibration &calibration)
{
    auto *chart = new QChart;
    chart->setTitle(QObject::tr("Reliability (run A), ECE %1").arg(calibration.expectedCalibrationError, 0, 'f', 3));
    auto *ideal = new QLineSeries;
    ideal->setName(QObject::tr("perfect"));
    ideal->append(0, 0);
    ideal->append(1, 1);
    ideal->setPen(QPen(Qt::gray, 1, Qt::DashLine));
    auto *curve = new QLineSeries;
    curve->setName(QObject::tr("observed"));
    auto *points = new QScatterSeries;
    points->setName(QObject::tr("bins"));
    points->setMarkerSize(8);
    for (const auto &bin : calibration.bins) {
        if (bin.count == 0)
            continue;
        curve->append(bin.meanScore, bin.accuracy);
        points->append(bin.meanScore, bin.accuracy);
    }
    chart->addSeries(ideal);
    chart->addSeries(curve);
    chart->addSeries(points);
    chart->createDefaultAxes();
    for (auto *axis : chart->axes())
        axis->setRange(0, 1);
    chart->axes(Qt::Horizontal).value(0)->setTitleText(QObject::tr("score"));
    chart->axes(Qt::Vertical).value(0)->setTitleText(QObject::tr("fraction correct"));
    return chartView(chart);
}

ReviewCharts::ReviewCharts(QWidget *parent) : QWidget(parent), m_tabs(new QTabWidget(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
    auto *exportButton = new QPushButton(tr("Export PNG…"), this);
    connect(exportButton, &QPushButton::clicked, this, &ReviewCharts::chooseExport);
    layout->addWidget(exportButton, 0, Qt::AlignRight);
    clear();
}

void ReviewCharts::clear()
{
    while (m_tabs->count() > 0) {
        QWidget *w = m_tabs->widget(0);
        m_tabs->removeTab(0);
        delete w;
    }
}

void ReviewCharts::setData(const EvaluationData &data)
{
    clear();
    if (!data.a.detection) {
        m_tabs->addTab(new QLabel(tr("Charts are drawn for detection runs."), this), tr("Charts"));
        return;
    }
    const auto &report = *data.a.detection;
    m_tabs->addTab(prChart(data, report.bbox), tr("PR curves"));
    auto *heatmap = new ConfusionHeatmap(this);
    auto names = classNames(data, report.confusion.categoryIds);
    names << tr("background");
    heatmap->setMatrix(report.confusion, names);
    m_tabs->addTab(heatmap, tr("Confusion"));
    m_tabs->addTab(reliabilityChart(report.bbox.calibration), tr("Reliability"));
}

int ReviewCharts::chartCount() const
{
    return m_tabs->count();
}

bool ReviewCharts::exportCurrent(const QString &path) const
{
    QWidget *w = m_tabs->currentWidget();
    return w && w->grab().save(path, "PNG");
}

void ReviewCharts::chooseExport()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Chart"), m_tabs->tabText(m_tabs->currentIndex()) + QStringLiteral(".png"),
                                                      tr("PNG images (*.png)"));
    if (!path.isEmpty() && !exportCurrent(path))
        QMessageBox::warning(this, tr("Export Chart"), tr("Could not write %1.").arg(path));
}

} // namespace annotune::ui
