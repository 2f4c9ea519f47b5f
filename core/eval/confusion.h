#pragma once
// Detection confusion matrix with a background class: in each image, detections (by descending
// score) are matched class-agnostically and greedily to the free ground truth of highest IoU at or
// above a threshold; then the two classes are compared. Unmatched detections are background false
// positives, unmatched ground truth are missed (predicted as background). Crowd regions are left
// out, and so are unmatched detections lying mostly inside one.

#include "core/eval/cocoeval.h"

namespace annotune::core::eval {

struct ConfusionOptions {
    IouType iouType = IouType::Bbox;
    double iouThreshold = 0.5;
    double minScore = 0.0; // detections below this score are not counted at all
};

// Rows: ground-truth class, columns: predicted class, both in categoryIds order with background
// last (index categoryIds.size()). cell(background, background) stays 0.
struct ConfusionMatrix {
    std::vector<int64_t> categoryIds;
    std::vector<int64_t> counts; // (K + 1) x (K + 1), row-major

    size_t size() const { return categoryIds.size() + 1; }
    int64_t cell(size_t gtClass, size_t predictedClass) const { return counts[gtClass * size() + predictedClass]; }
};

// Fails like evaluateCoco on a detection whose image the ground truth lacks.
Result<ConfusionMatrix> confusionMatrix(const CocoGroundTruth &gt, const CocoDetections &dt, const ConfusionOptions &options = {});

} // namespace annotune::core::eval
