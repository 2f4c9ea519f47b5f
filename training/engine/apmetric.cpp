#include "apmetric.h"

#include <algorithm>
#include <tuple>

namespace annotune::training::engine {
namespace {

float iouOf(const ApBox &a, const ApBox &b)
{
    const float iw = std::min(a.x1, b.x1) - std::max(a.x0, b.x0), ih = std::min(a.y1, b.y1) - std::max(a.y0, b.y0);
    if (iw <= 0 || ih <= 0)
        return 0;
    const float inter = iw * ih;
    return inter / ((a.x1 - a.x0) * (a.y1 - a.y0) + (b.x1 - b.x0) * (b.y1 - b.y0) - inter);
}

// AP of one class: detections sorted by score, greedily matched to unmatched truth per image.
double classAp(const std::vector<ApImage> &images, int cls, float iou, bool &hasTruth)
{
    std::vector<std::tuple<float, size_t, size_t>> dets; // score, image, detection
    size_t truthCount = 0;
    for (size_t i = 0; i < images.size(); ++i) {
        for (const ApBox &t : images[i].truth)
            truthCount += t.cls == cls;
        for (size_t d = 0; d < images[i].detections.size(); ++d)
            if (images[i].detections[d].cls == cls)
                dets.emplace_back(images[i].detections[d].score, i, d);
    }
    hasTruth = truthCount > 0;
    if (!hasTruth)
        return 0;
    std::stable_sort(dets.begin(), dets.end(), [](const auto &a, const auto &b) { return std::get<0>(a) > std::get<0>(b); });
    std::vector<std::vector<bool>> used(images.size());
    for (size_t i = 0; i < images.size(); ++i)
        used[i].assign(images[i].truth.size(), false);
    std::vector<double> precision, recall;
    size_t tp = 0, fp = 0;
    for (const auto &[score, i, d] : dets) {
        const ApBox &det = images[i].detections[d];
        float best = iou;
        int match = -1;
        for (size_t t = 0; t < images[i].truth.size(); ++t) {
            const ApBox &truth = images[i].truth[t];
            const float v = truth.cls == cls && !used[i][t] ? iouOf(det, truth) : 0.f;
            if (v >= best) {
                best = v;
                match = int(t);
            }
        }
        match >= 0 ? (used[i][size_t(match)] = true, ++tp) : ++fp;
        precision.push_back(double(tp) / double(tp + fp));
        recall.push_back(double(tp) / double(truthCount));
    }
    double ap = 0, prevRecall = 0;
    for (size_t k = 0; k < precision.size(); ++k) {
        const double maxPrecision = *std::max_element(precision.begin() + long(k), precision.end());
        ap += (recall[k] - prevRecall) * maxPrecision;
        prevRecall = recall[k];
    }
    return ap;
}

} // namespace

double meanAveragePrecision(const std::vector<ApImage> &images, int numClasses, float iou)
{
    double sum = 0;
    int classes = 0;
    for (int c = 0; c < numClasses; ++c) {
        bool hasTruth = false;
        const double ap = classAp(images, c, iou, hasTruth);
        if (hasTruth) {
            sum += ap;
            ++classes;
        }
    }
    return classes ? sum / classes : 0;
}

} // namespace annotune::training::engine
