#include "core/eval/cocomatch.h"

#include "core/eval/rle.h"

#include <algorithm>

namespace annotune::core::eval::detail {

namespace {

Segmentation boxPolygon(const std::array<double, 4> &b)
{
    // pycocotools' loadRes gives box results this polygon so that they can be evaluated as masks.
    const double x1 = b[0], y1 = b[1], x2 = b[0] + b[2], y2 = b[1] + b[3];
    Segmentation s;
    s.polygons.push_back({x1, y1, x1, y2, x2, y2, x2, y1});
    return s;
}

// Ground truth of one area range in matching order: not ignored first, file order kept.
std::vector<uint32_t> matchingOrder(const std::vector<uint8_t> &ignored)
{
    std::vector<uint32_t> order(ignored.size());
    for (uint32_t g = 0; g < order.size(); ++g)
        order[g] = g;
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return ignored[a] < ignored[b]; });
    return order;
}

// Greedy matching at one threshold; fills flags[d * T + t] for every detection.
void matchAtThreshold(size_t t, double threshold, std::span<const Shape> gts, const std::vector<double> &iou,
                      const std::vector<uint32_t> &order, const std::vector<uint8_t> &ignored,
                      size_t thresholdCount, uint8_t *flags)
{
    const size_t G = gts.size();
    const size_t D = G == 0 ? 0 : iou.size() / G;
    std::vector<uint8_t> taken(G, 0);
    for (size_t d = 0; d < D; ++d) {
        double best = std::min(threshold, 1 - 1e-10);
        int m = -1;
        for (size_t j = 0; j < G; ++j) {
            const uint32_t g = order[j];
            if (taken[j] && !gts[g].crowd)
                continue;
            // Once matched to a regular ground truth, ignored ones (sorted last) cannot win.
            if (m > -1 && !ignored[order[m]] && ignored[g])
                break;
            if (iou[d * G + g] < best)
                continue;
            best = iou[d * G + g];
            m = static_cast<int>(j);
        }
        if (m == -1)
            continue;
        const uint32_t g = order[m];
        uint8_t &f = flags[d * thresholdCount + t];
        f = (gts[g].id != 0 ? CategoryMatches::kMatched : 0) | (ignored[g] ? CategoryMatches::kIgnored : 0);
        taken[m] = 1;
    }
}

} // namespace

Shape shapeOf(const CocoObject &object, const CocoImage &image, bool masks)
{
    Shape s;
    s.id = object.id;
    s.score = object.score;
    s.crowd = object.crowd;
    const bool needMask = masks || !object.hasBbox || object.area < 0;
    if (needMask) {
        if (object.segmentation.empty())
            s.mask = maskOf(boxPolygon(object.bbox), image.height, image.width);
        else
            s.mask = maskOf(object.segmentation, image.height, image.width);
    }
    s.box = object.hasBbox ? object.bbox : rleBbox(s.mask);
    if (object.area >= 0)
        s.area = object.area;
    else if (!object.segmentation.empty())
        s.area = static_cast<double>(rleArea(s.mask));
    else
        s.area = object.bbox[2] * object.bbox[3];
    if (!masks)
        s.mask = Rle{};
    return s;
}

double shapeIou(const Shape &dt, const Shape &gt, bool masks)
{
    const auto &d = dt.box, &g = gt.box;
    const double w = std::min(d[2] + d[0], g[2] + g[0]) - std::max(d[0], g[0]);
    if (w <= 0 && !masks)
        return 0;
    const double h = std::min(d[3] + d[1], g[3] + g[1]) - std::max(d[1], g[1]);
    if (!masks) {
        if (h <= 0)
            return 0;
        const double inter = w * h;
        const double da = d[2] * d[3];
        return inter / (gt.crowd ? da : da + g[2] * g[3] - inter);
    }
    if (dt.mask.height != gt.mask.height || dt.mask.width != gt.mask.width)
        return -1;
    const double inter = static_cast<double>(rleIntersection(dt.mask, gt.mask));
    if (inter == 0)
        return 0;
    const double da = static_cast<double>(rleArea(dt.mask));
    return inter / (gt.crowd ? da : da + static_cast<double>(rleArea(gt.mask)) - inter);
}

void matchImage(std::span<const Shape> gts, std::span<const Shape> dts, const CocoParams &params, CategoryMatches &out)
{
    const bool masks = params.iouType == IouType::Segm;
    const size_t G = gts.size(), D = dts.size(), T = params.iouThresholds.size();
    std::vector<double> iou(D * G, 0.0);
    for (size_t d = 0; d < D; ++d)
        for (size_t g = 0; g < G; ++g)
            iou[d * G + g] = shapeIou(dts[d], gts[g], masks);
    for (size_t a = 0; a < params.areaRanges.size(); ++a) {
        const AreaRange &range = params.areaRanges[a];
        std::vector<uint8_t> ignored(G);
        for (size_t g = 0; g < G; ++g) {
            ignored[g] = gts[g].crowd || gts[g].area < range.min || gts[g].area > range.max;
            out.relevantGts[a] += ignored[g] ? 0 : 1;
        }
        const std::vector<uint32_t> order = matchingOrder(ignored);
        std::vector<uint8_t> &flags = out.flags[a];
        const size_t first = flags.size();
        flags.resize(first + D * T, 0);
        for (size_t t = 0; t < T; ++t)
            matchAtThreshold(t, params.iouThresholds[t], gts, iou, order, ignored, T, flags.data() + first);
        for (size_t d = 0; d < D; ++d) {
            const bool outside = dts[d].area < range.min || dts[d].area > range.max;
            for (size_t t = 0; outside && t < T; ++t) {
                uint8_t &f = flags[first + d * T + t];
                if (!(f & CategoryMatches::kMatched))
                    f |= CategoryMatches::kIgnored;
            }
        }
    }
    for (size_t d = 0; d < D; ++d) {
        out.scores.push_back(dts[d].score);
        out.ranks.push_back(static_cast<uint32_t>(d));
    }
}

} // namespace annotune::core::eval::detail
