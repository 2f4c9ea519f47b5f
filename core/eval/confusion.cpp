#include "core/eval/confusion.h"

#include "core/eval/cocomatch.h"

#include <algorithm>
#include <unordered_map>

namespace annotune::core::eval {

namespace {

struct Located {
    detail::Shape shape;
    size_t category = 0;
};

// Objects of known images and categories, grouped by image index.
template <typename Keep>
std::vector<std::vector<Located>> byImage(const std::vector<CocoObject> &objects, const std::vector<CocoImage> &images,
                                          const std::unordered_map<int64_t, size_t> &imageIndex,
                                          const std::unordered_map<int64_t, size_t> &categoryIndex, bool masks, Keep keep)
{
    std::vector<std::vector<Located>> out(images.size());
    for (const CocoObject &o : objects) {
        const auto i = imageIndex.find(o.imageId);
        const auto k = categoryIndex.find(o.categoryId);
        if (i == imageIndex.end() || k == categoryIndex.end() || !keep(o))
            continue;
        out[i->second].push_back({detail::shapeOf(o, images[i->second], masks), k->second});
    }
    return out;
}

// Matches one image and adds its counts to the matrix.
void countImage(std::vector<Located> &gts, std::vector<Located> &dts, const ConfusionOptions &options, ConfusionMatrix &cm)
{
    const bool masks = options.iouType == IouType::Segm;
    const size_t background = cm.categoryIds.size();
    std::stable_sort(dts.begin(), dts.end(), [](const Located &a, const Located &b) { return a.shape.score > b.shape.score; });
    std::vector<uint8_t> taken(gts.size(), 0);
    for (const Located &d : dts) {
        double best = options.iouThreshold;
        int match = -1;
        bool inCrowd = false;
        for (size_t g = 0; g < gts.size(); ++g) {
            const double iou = detail::shapeIou(d.shape, gts[g].shape, masks);
            if (gts[g].shape.crowd) {
                inCrowd = inCrowd || iou >= options.iouThreshold; // intersection over detection area
                continue;
            }
            if (!taken[g] && iou >= best) {
                best = iou;
                match = static_cast<int>(g);
            }
        }
        if (match >= 0) {
            taken[match] = 1;
            ++cm.counts[gts[match].category * cm.size() + d.category];
        } else if (!inCrowd) {
            ++cm.counts[background * cm.size() + d.category];
        }
    }
    for (size_t g = 0; g < gts.size(); ++g)
        if (!taken[g] && !gts[g].shape.crowd)
            ++cm.counts[gts[g].category * cm.size() + background];
}

} // namespace

Result<ConfusionMatrix> confusionMatrix(const CocoGroundTruth &gt, const CocoDetections &dt, const ConfusionOptions &options)
{
    ConfusionMatrix cm;
    std::unordered_map<int64_t, size_t> imageIndex, categoryIndex;
    for (size_t i = 0; i < gt.images.size(); ++i)
        imageIndex.emplace(gt.images[i].id, i);
    for (const CocoCategory &c : gt.categories)
        cm.categoryIds.push_back(c.id);
    std::sort(cm.categoryIds.begin(), cm.categoryIds.end());
    cm.categoryIds.erase(std::unique(cm.categoryIds.begin(), cm.categoryIds.end()), cm.categoryIds.end());
    for (size_t k = 0; k < cm.categoryIds.size(); ++k)
        categoryIndex.emplace(cm.categoryIds[k], k);
    cm.counts.assign(cm.size() * cm.size(), 0);
    for (size_t n = 0; n < dt.detections.size(); ++n)
        if (!imageIndex.count(dt.detections[n].imageId))
            return makeError(ErrorCode::BadInput, QStringLiteral("%1: results[%2] refers to image %3, which %4 does not contain")
                                                      .arg(dt.source).arg(n).arg(dt.detections[n].imageId).arg(gt.source));
    const bool masks = options.iouType == IouType::Segm;
    auto gts = byImage(gt.annotations, gt.images, imageIndex, categoryIndex, masks, [](const CocoObject &) { return true; });
    auto dts = byImage(dt.detections, gt.images, imageIndex, categoryIndex, masks,
                       [&](const CocoObject &o) { return o.score >= options.minScore; });
    for (size_t i = 0; i < gt.images.size(); ++i)
        countImage(gts[i], dts[i], options, cm);
    return cm;
}

} // namespace annotune::core::eval
