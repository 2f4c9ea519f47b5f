#pragma once
// Internal to the COCO evaluator: matching of one category's detections to its ground truth in one
// image, for every area range and IoU threshold, exactly as COCOeval.evaluateImg does.

#include "core/eval/cocoeval.h"

#include <span>

namespace annotune::core::eval::detail {

// What the matcher needs of an object: its box or mask for IoU, its area, its flags.
struct Shape {
    std::array<double, 4> box{};
    Rle mask;
    double area = 0;
    double score = 0;
    int64_t id = 0;
    bool crowd = false;
};

// Everything one category contributes to accumulation, image after image. Detections are listed
// in image order and, within an image, by descending score (at most maxDets.back() per image).
struct CategoryMatches {
    static constexpr uint8_t kMatched = 1; // matched a ground truth whose id is not 0 (pycocotools' dtm != 0)
    static constexpr uint8_t kIgnored = 2; // matched an ignored ground truth, or unmatched and outside the area range

    std::vector<double> scores;
    std::vector<uint32_t> ranks;             // position of the detection within its image
    std::vector<std::vector<uint8_t>> flags; // per area range: thresholds x detections, row-major by detection
    std::vector<int64_t> relevantGts;        // per area range: ground truths that are not ignored
};

// The shapes for one object: box (from its mask where a detection gave none), mask when `masks`,
// area (the given one, else from the mask or the box).
Shape shapeOf(const CocoObject &object, const CocoImage &image, bool masks);

// IoU of detection and ground truth as pycocotools' maskUtils.iou: for a crowd ground truth the
// union is the detection alone; masks of different sizes give -1.
double shapeIou(const Shape &dt, const Shape &gt, bool masks);

// Matches the (already score-sorted, truncated) detections of one image against its ground truth
// and appends the result to `out`.
void matchImage(std::span<const Shape> gts, std::span<const Shape> dts, const CocoParams &params, CategoryMatches &out);

} // namespace annotune::core::eval::detail
