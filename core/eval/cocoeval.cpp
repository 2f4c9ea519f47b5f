#include "core/eval/cocoeval.h"

#include "core/eval/cocomatch.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <thread>
#include <unordered_map>

namespace annotune::core::eval {

using detail::CategoryMatches;
using detail::Shape;

QString toText(IouType type)
{
    return type == IouType::Segm ? QStringLiteral("segm") : QStringLiteral("bbox");
}

std::optional<IouType> iouTypeFromString(const QString &text)
{
    if (text == QLatin1String("bbox"))
        return IouType::Bbox;
    if (text == QLatin1String("segm"))
        return IouType::Segm;
    return std::nullopt;
}

std::vector<double> cocoLinspace(double start, double stop, int num)
{
    std::vector<double> out(static_cast<size_t>(std::max(num, 0)));
    const double step = (stop - start) / (num - 1);
    for (int i = 0; i < num; ++i)
        out[i] = i * step + start;
    if (num > 1)
        out.back() = stop;
    return out;
}

size_t CocoEvaluation::precisionIndex(size_t t, size_t r, size_t k, size_t a, size_t m) const
{
    const size_t R = params.recallThresholds.size(), K = categoryIds.size(), A = params.areaRanges.size(),
                 M = params.maxDets.size();
    return (((t * R + r) * K + k) * A + a) * M + m;
}

size_t CocoEvaluation::recallIndex(size_t t, size_t k, size_t a, size_t m) const
{
    const size_t K = categoryIds.size(), A = params.areaRanges.size(), M = params.maxDets.size();
    return ((t * K + k) * A + a) * M + m;
}

namespace {

// Objects grouped by (category, image), file order kept within a group (a counting sort).
struct Groups {
    std::vector<uint32_t> offsets; // K * I + 1
    std::vector<uint32_t> members;
};

struct Setup {
    std::vector<CocoImage> images; // sorted by id
    std::unordered_map<int64_t, uint32_t> imageIndex, categoryIndex;
    Groups gts, dts;
};

Groups group(const std::vector<CocoObject> &objects, const Setup &s, size_t imageCount, size_t categoryCount)
{
    Groups g;
    g.offsets.assign(imageCount * categoryCount + 1, 0);
    std::vector<uint32_t> keys(objects.size(), UINT32_MAX);
    for (size_t n = 0; n < objects.size(); ++n) {
        const auto image = s.imageIndex.find(objects[n].imageId);
        const auto category = s.categoryIndex.find(objects[n].categoryId);
        if (image == s.imageIndex.end() || category == s.categoryIndex.end())
            continue; // outside the evaluated images or categories, as in pycocotools
        keys[n] = static_cast<uint32_t>(category->second * imageCount + image->second);
        ++g.offsets[keys[n] + 1];
    }
    for (size_t i = 1; i < g.offsets.size(); ++i)
        g.offsets[i] += g.offsets[i - 1];
    g.members.resize(g.offsets.back());
    std::vector<uint32_t> next(g.offsets.begin(), g.offsets.end() - 1);
    for (size_t n = 0; n < objects.size(); ++n)
        if (keys[n] != UINT32_MAX)
            g.members[next[keys[n]]++] = static_cast<uint32_t>(n);
    return g;
}

Result<Setup> prepare(const CocoGroundTruth &gt, const CocoDetections &dt, const CocoParams &p, CocoEvaluation &ev)
{
    Setup s;
    s.images = gt.images;
    std::stable_sort(s.images.begin(), s.images.end(), [](const CocoImage &a, const CocoImage &b) { return a.id < b.id; });
    s.images.erase(std::unique(s.images.begin(), s.images.end(), [](auto &a, auto &b) { return a.id == b.id; }), s.images.end());
    for (const CocoImage &im : s.images) {
        s.imageIndex.emplace(im.id, static_cast<uint32_t>(ev.imageIds.size()));
        ev.imageIds.push_back(im.id);
    }
    for (const CocoCategory &c : gt.categories)
        ev.categoryIds.push_back(c.id);
    std::sort(ev.categoryIds.begin(), ev.categoryIds.end());
    ev.categoryIds.erase(std::unique(ev.categoryIds.begin(), ev.categoryIds.end()), ev.categoryIds.end());
    for (size_t k = 0; k < ev.categoryIds.size(); ++k)
        s.categoryIndex.emplace(ev.categoryIds[k], static_cast<uint32_t>(k));
    for (size_t n = 0; n < dt.detections.size(); ++n)
        if (!s.imageIndex.count(dt.detections[n].imageId))
            return makeError(ErrorCode::BadInput, QStringLiteral("%1: results[%2] refers to image %3, which %4 does not contain")
                                                      .arg(dt.source).arg(n).arg(dt.detections[n].imageId).arg(gt.source));
    for (const CocoObject &a : gt.annotations) {
        const bool missing = p.iouType == IouType::Segm ? a.segmentation.empty() : (!a.hasBbox && a.segmentation.empty());
        if (missing)
            return makeError(ErrorCode::BadInput, QStringLiteral("%1: annotation %2 has no %3 to evaluate")
                                                      .arg(gt.source).arg(a.id).arg(p.iouType == IouType::Segm ? QStringLiteral("segmentation") : QStringLiteral("bbox")));
    }
    s.gts = group(gt.annotations, s, s.images.size(), ev.categoryIds.size());
    s.dts = group(dt.detections, s, s.images.size(), ev.categoryIds.size());
    return s;
}

// One category over every image: match, then accumulate precision and recall into `ev`.
class CategoryPass {
public:
    CategoryPass(const CocoGroundTruth &gt, const CocoDetections &dt, const Setup &s, CocoEvaluation &ev)
        : m_gt(gt), m_dt(dt), m_setup(s), m_ev(ev), m_params(ev.params) {}

    // Returns the calibration counts of this category: per bin count, score sum, matched count.
    std::vector<std::array<double, 3>> run(size_t k)
    {
        const CategoryMatches matches = matchAll(k);
        accumulate(k, matches);
        return calibrate(matches);
    }

private:
    // Stable, by descending score; most groups are a handful of detections, so no buffer then.
    void sortByScore(std::vector<uint32_t> &order) const
    {
        auto higher = [&](uint32_t a, uint32_t b) { return m_dt.detections[a].score > m_dt.detections[b].score; };
        if (order.size() > 32) {
            std::stable_sort(order.begin(), order.end(), higher);
            return;
        }
        for (size_t i = 1; i < order.size(); ++i)
            for (size_t j = i; j > 0 && higher(order[j], order[j - 1]); --j)
                std::swap(order[j], order[j - 1]);
    }

    CategoryMatches matchAll(size_t k)
    {
        const size_t I = m_setup.images.size();
        const bool masks = m_params.iouType == IouType::Segm;
        CategoryMatches out;
        out.flags.resize(m_params.areaRanges.size());
        out.relevantGts.assign(m_params.areaRanges.size(), 0);
        std::vector<Shape> gts, dts;
        for (size_t i = 0; i < I; ++i) {
            const size_t key = k * I + i;
            const uint32_t g0 = m_setup.gts.offsets[key], g1 = m_setup.gts.offsets[key + 1];
            const uint32_t d0 = m_setup.dts.offsets[key], d1 = m_setup.dts.offsets[key + 1];
            if (g0 == g1 && d0 == d1)
                continue;
            std::vector<uint32_t> &order = m_order;
            order.assign(m_setup.dts.members.begin() + d0, m_setup.dts.members.begin() + d1);
            sortByScore(order);
            order.resize(std::min<size_t>(order.size(), static_cast<size_t>(m_params.maxDets.back())));
            gts.clear();
            dts.clear();
            for (uint32_t g = g0; g < g1; ++g)
                gts.push_back(detail::shapeOf(m_gt.annotations[m_setup.gts.members[g]], m_setup.images[i], masks));
            for (uint32_t d : order)
                dts.push_back(detail::shapeOf(m_dt.detections[d], m_setup.images[i], masks));
            detail::matchImage(gts, dts, m_params, out);
        }
        return out;
    }

    void accumulate(size_t k, const CategoryMatches &mm)
    {
        std::vector<uint32_t> order(mm.scores.size());
        for (uint32_t n = 0; n < order.size(); ++n)
            order[n] = n;
        std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return mm.scores[a] > mm.scores[b]; });
        for (size_t a = 0; a < m_params.areaRanges.size(); ++a)
            if (mm.relevantGts[a] > 0) // without ground truth precision and recall stay -1
                accumulateArea(k, a, mm, order);
    }

    // The running counts of one curve (one detection limit and IoU threshold). Only true
    // positives are kept: recall changes only there, and the precision envelope (maximum to the
    // right) at any position equals the one at the next true positive.
    struct Curve {
        double tp = 0, fp = 0;
        size_t count = 0;       // detections seen, ignored ones included
        double firstScore = 0;  // score of the first detection, where recall threshold 0 lands
        std::vector<double> precision, score; // at each true positive
    };

    // All curves of one area range in one pass over the detections in score order.
    void accumulateArea(size_t k, size_t a, const CategoryMatches &mm, const std::vector<uint32_t> &order)
    {
        const size_t T = m_params.iouThresholds.size(), M = m_params.maxDets.size();
        m_curves.resize(M * T);
        for (Curve &c : m_curves) {
            c.tp = c.fp = 0;
            c.count = 0;
            c.precision.clear();
            c.score.clear();
        }
        const std::vector<uint8_t> &flags = mm.flags[a];
        for (uint32_t n : order) {
            const double score = mm.scores[n];
            for (size_t m = 0; m < M; ++m) {
                if (mm.ranks[n] >= static_cast<uint32_t>(m_params.maxDets[m]))
                    continue;
                for (size_t t = 0; t < T; ++t) {
                    Curve &c = m_curves[m * T + t];
                    if (c.count++ == 0)
                        c.firstScore = score;
                    const uint8_t f = flags[n * T + t];
                    if (f & CategoryMatches::kIgnored)
                        continue;
                    if (!(f & CategoryMatches::kMatched)) {
                        c.fp += 1;
                        continue;
                    }
                    c.tp += 1;
                    c.precision.push_back(c.tp / (c.fp + c.tp + std::numeric_limits<double>::epsilon()));
                    c.score.push_back(score);
                }
            }
        }
        for (size_t m = 0; m < M; ++m)
            for (size_t t = 0; t < T; ++t)
                finishCurve(k, a, m, t, static_cast<double>(mm.relevantGts[a]), m_curves[m * T + t]);
    }

    // Recall, and precision interpolated at the recall thresholds as pycocotools does it: the
    // precision envelope at the first position whose recall reaches the threshold, 0 past the end.
    void finishCurve(size_t k, size_t a, size_t m, size_t t, double npig, Curve &c)
    {
        m_ev.recall[m_ev.recallIndex(t, k, a, m)] = c.count == 0 ? 0 : c.tp / npig;
        for (size_t i = c.precision.size(); i-- > 1;)
            c.precision[i - 1] = std::max(c.precision[i - 1], c.precision[i]);
        size_t j = 0; // true positives before the one that reaches the threshold
        for (size_t r = 0; r < m_params.recallThresholds.size(); ++r) {
            const double threshold = m_params.recallThresholds[r];
            double precision = 0, score = 0;
            if (c.count > 0 && threshold <= 0) {
                precision = c.precision.empty() ? 0 : c.precision.front();
                score = c.firstScore;
            } else {
                while (j < c.precision.size() && static_cast<double>(j + 1) / npig < threshold)
                    ++j;
                if (j < c.precision.size()) {
                    precision = c.precision[j];
                    score = c.score[j];
                }
            }
            const size_t index = m_ev.precisionIndex(t, r, k, a, m);
            m_ev.precision[index] = precision;
            m_ev.scores[index] = score;
        }
    }

    // Detections counted at the first IoU threshold for area "all" and the largest detection limit.
    std::vector<std::array<double, 3>> calibrate(const CategoryMatches &mm) const
    {
        const size_t bins = static_cast<size_t>(std::max(m_params.calibrationBins, 1)), T = m_params.iouThresholds.size();
        std::vector<std::array<double, 3>> out(bins, {0, 0, 0});
        if (mm.flags.empty())
            return out;
        for (size_t n = 0; n < mm.scores.size(); ++n) {
            const uint8_t f = mm.flags[0][n * T];
            if (f & CategoryMatches::kIgnored)
                continue;
            const double score = std::clamp(mm.scores[n], 0.0, 1.0);
            auto &bin = out[std::min(static_cast<size_t>(score * bins), bins - 1)];
            bin[0] += 1;
            bin[1] += score;
            bin[2] += (f & CategoryMatches::kMatched) ? 1 : 0;
        }
        return out;
    }

    const CocoGroundTruth &m_gt;
    const CocoDetections &m_dt;
    const Setup &m_setup;
    CocoEvaluation &m_ev;
    const CocoParams &m_params;
    std::vector<Curve> m_curves; // reused between area ranges and categories
    std::vector<uint32_t> m_order;
};

Calibration mergeCalibration(const std::vector<std::vector<std::array<double, 3>>> &perCategory, int binCount)
{
    Calibration c;
    const size_t bins = static_cast<size_t>(std::max(binCount, 1));
    std::vector<std::array<double, 3>> sum(bins, {0, 0, 0});
    for (const auto &category : perCategory)
        for (size_t b = 0; b < bins && b < category.size(); ++b)
            for (int j = 0; j < 3; ++j)
                sum[b][j] += category[b][j];
    double total = 0;
    for (const auto &b : sum)
        total += b[0];
    for (size_t b = 0; b < bins; ++b) {
        CalibrationBin bin{double(b) / bins, double(b + 1) / bins, static_cast<int64_t>(sum[b][0]), 0, 0};
        if (bin.count > 0) {
            bin.meanScore = sum[b][1] / sum[b][0];
            bin.accuracy = sum[b][2] / sum[b][0];
            c.expectedCalibrationError += sum[b][0] / total * std::abs(bin.accuracy - bin.meanScore);
        }
        c.bins.push_back(bin);
    }
    return c;
}

} // namespace

Result<CocoEvaluation> evaluateCoco(const CocoGroundTruth &gt, const CocoDetections &dt, const CocoParams &params)
{
    CocoEvaluation ev;
    ev.params = params;
    if (params.maxDets.empty() || params.iouThresholds.empty() || params.areaRanges.empty() || params.recallThresholds.empty())
        return makeError(ErrorCode::Usage, QStringLiteral("COCO evaluation needs IoU thresholds, recall thresholds, area ranges and detection limits"));
    auto setup = prepare(gt, dt, params, ev);
    if (!setup)
        return setup.error();
    const size_t K = ev.categoryIds.size();
    const size_t T = params.iouThresholds.size(), R = params.recallThresholds.size(), A = params.areaRanges.size(),
                 M = params.maxDets.size();
    ev.precision.assign(T * R * K * A * M, -1.0);
    ev.scores.assign(T * R * K * A * M, -1.0);
    ev.recall.assign(T * K * A * M, -1.0);
    std::vector<std::vector<std::array<double, 3>>> calibration(K);
    std::atomic<size_t> next{0};
    auto worker = [&] {
        CategoryPass pass(gt, dt, *setup, ev);
        for (size_t k = next++; k < K; k = next++)
            calibration[k] = pass.run(k);
    };
    const unsigned cores = params.threads > 0 ? unsigned(params.threads) : std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::thread> threads;
    for (unsigned n = 1; n < std::min<size_t>(cores, K); ++n)
        threads.emplace_back(worker);
    worker();
    for (std::thread &t : threads)
        t.join();
    ev.calibration = mergeCalibration(calibration, params.calibrationBins);
    return ev;
}

} // namespace annotune::core::eval
