#include "core/eval/cocosummary.h"

#include <QJsonArray>

#include <cmath>

namespace annotune::core::eval {

namespace {

std::optional<size_t> indexOf(const std::vector<double> &values, double v)
{
    for (size_t i = 0; i < values.size(); ++i)
        if (values[i] == v) // exact, as numpy.where(iouThr == p.iouThrs)
            return i;
    return std::nullopt;
}

std::optional<size_t> areaIndex(const CocoParams &p, const QString &label)
{
    for (size_t i = 0; i < p.areaRanges.size(); ++i)
        if (p.areaRanges[i].label == label)
            return i;
    return std::nullopt;
}

std::optional<size_t> maxDetIndex(const CocoParams &p, int maxDets)
{
    for (size_t i = 0; i < p.maxDets.size(); ++i)
        if (p.maxDets[i] == maxDets)
            return i;
    return std::nullopt;
}

// Mean of the values > -1 over the slice, optionally restricted to one category.
double meanOf(const CocoEvaluation &ev, const CocoStat &s, std::optional<size_t> category = std::nullopt)
{
    const CocoParams &p = ev.params;
    const auto a = areaIndex(p, s.area);
    const auto m = maxDetIndex(p, s.maxDets);
    const auto t1 = s.iou ? indexOf(p.iouThresholds, *s.iou) : std::optional<size_t>(0);
    if (!a || !m || !t1)
        return -1;
    const size_t tEnd = s.iou ? *t1 + 1 : p.iouThresholds.size();
    const size_t kBegin = category.value_or(0), kEnd = category ? *category + 1 : ev.categoryIds.size();
    const size_t rCount = s.precision ? p.recallThresholds.size() : 1;
    double sum = 0;
    int64_t n = 0;
    for (size_t t = *t1; t < tEnd; ++t)
        for (size_t r = 0; r < rCount; ++r)
            for (size_t k = kBegin; k < kEnd; ++k) {
                const double v = s.precision ? ev.precision[ev.precisionIndex(t, r, k, *a, *m)] : ev.recall[ev.recallIndex(t, k, *a, *m)];
                if (v > -1) {
                    sum += v;
                    ++n;
                }
            }
    return n == 0 ? -1 : sum / n;
}

QJsonValue number(double v) { return std::isfinite(v) ? QJsonValue(v) : QJsonValue(); }

} // namespace

std::vector<CocoStat> summarize(const CocoEvaluation &ev)
{
    const auto &md = ev.params.maxDets;
    const int last = md.back();
    auto at = [&](size_t i) { return i < md.size() ? md[i] : last; };
    std::vector<CocoStat> stats{
        {true, std::nullopt, QStringLiteral("all"), last},      {true, 0.5, QStringLiteral("all"), at(2)},
        {true, 0.75, QStringLiteral("all"), at(2)},             {true, std::nullopt, QStringLiteral("small"), at(2)},
        {true, std::nullopt, QStringLiteral("medium"), at(2)},  {true, std::nullopt, QStringLiteral("large"), at(2)},
        {false, std::nullopt, QStringLiteral("all"), at(0)},    {false, std::nullopt, QStringLiteral("all"), at(1)},
        {false, std::nullopt, QStringLiteral("all"), at(2)},    {false, std::nullopt, QStringLiteral("small"), at(2)},
        {false, std::nullopt, QStringLiteral("medium"), at(2)}, {false, std::nullopt, QStringLiteral("large"), at(2)},
    };
    for (CocoStat &s : stats)
        s.value = meanOf(ev, s);
    return stats;
}

QString formatStat(const CocoStat &s, const CocoParams &p)
{
    const QString title = s.precision ? QStringLiteral("Average Precision") : QStringLiteral("Average Recall");
    const QString type = s.precision ? QStringLiteral("(AP)") : QStringLiteral("(AR)");
    const QString iou = s.iou ? QString::number(*s.iou, 'f', 2)
                              : QStringLiteral("%1:%2").arg(QString::number(p.iouThresholds.front(), 'f', 2),
                                                            QString::number(p.iouThresholds.back(), 'f', 2));
    return QStringLiteral(" %1 %2 @[ IoU=%3 | area=%4 | maxDets=%5 ] = %6")
        .arg(title, -18)
        .arg(type)
        .arg(iou, -9)
        .arg(s.area, 6)
        .arg(s.maxDets, 3)
        .arg(QString::number(s.value, 'f', 3));
}

std::vector<ClassAp> perClassAp(const CocoEvaluation &ev)
{
    std::vector<ClassAp> out;
    const int last = ev.params.maxDets.back();
    for (size_t k = 0; k < ev.categoryIds.size(); ++k) {
        ClassAp c;
        c.categoryId = ev.categoryIds[k];
        c.ap = meanOf(ev, {true, std::nullopt, QStringLiteral("all"), last}, k);
        c.ap50 = meanOf(ev, {true, 0.5, QStringLiteral("all"), last}, k);
        c.ar = meanOf(ev, {false, std::nullopt, QStringLiteral("all"), last}, k);
        out.push_back(c);
    }
    return out;
}

PrCurve prCurve(const CocoEvaluation &ev, size_t k, size_t t)
{
    PrCurve c;
    const auto a = areaIndex(ev.params, QStringLiteral("all"));
    const size_t m = ev.params.maxDets.size() - 1;
    if (!a || k >= ev.categoryIds.size() || t >= ev.params.iouThresholds.size() || ev.recall[ev.recallIndex(t, k, *a, m)] < 0)
        return c;
    for (size_t r = 0; r < ev.params.recallThresholds.size(); ++r) {
        c.recall.push_back(ev.params.recallThresholds[r]);
        c.precision.push_back(ev.precision[ev.precisionIndex(t, r, k, *a, m)]);
        c.score.push_back(ev.scores[ev.precisionIndex(t, r, k, *a, m)]);
    }
    return c;
}

QJsonObject toJson(const CocoEvaluation &ev, const std::vector<CocoStat> &stats)
{
    static const char *const kNames[] = {"AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl"};
    QJsonObject statsObject;
    QJsonArray statsArray;
    for (size_t i = 0; i < stats.size(); ++i) {
        statsArray.append(number(stats[i].value));
        if (i < 12)
            statsObject.insert(QLatin1String(kNames[i]), number(stats[i].value));
    }
    QJsonArray classes;
    for (const ClassAp &c : perClassAp(ev))
        classes.append(QJsonObject{{QStringLiteral("category_id"), qint64(c.categoryId)}, {QStringLiteral("AP"), number(c.ap)},
                                   {QStringLiteral("AP50"), number(c.ap50)}, {QStringLiteral("AR100"), number(c.ar)}});
    QJsonArray bins;
    for (const CalibrationBin &b : ev.calibration.bins)
        bins.append(QJsonObject{{QStringLiteral("lower"), b.lower}, {QStringLiteral("upper"), b.upper}, {QStringLiteral("count"), qint64(b.count)},
                                {QStringLiteral("mean_score"), b.meanScore}, {QStringLiteral("accuracy"), b.accuracy}});
    return QJsonObject{{QStringLiteral("iou_type"), toText(ev.params.iouType)},
                       {QStringLiteral("stats"), statsArray},
                       {QStringLiteral("summary"), statsObject},
                       {QStringLiteral("per_class"), classes},
                       {QStringLiteral("calibration"), QJsonObject{{QStringLiteral("bins"), bins},
                                                                   {QStringLiteral("ece"), ev.calibration.expectedCalibrationError}}}};
}

} // namespace annotune::core::eval
