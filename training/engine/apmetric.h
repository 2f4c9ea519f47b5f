#pragma once
// VOC-style average precision at one IoU threshold (all-point interpolation), private to the
// engine's validation and the benchmarks. The exact COCO evaluation lives in core/eval.

#include <vector>

namespace annotune::training::engine {

struct ApBox {
    float x0, y0, x1, y1;
    int cls;
    float score = 1; // detections only
};

// Per-image ground truth and detections, same order.
struct ApImage {
    std::vector<ApBox> truth;
    std::vector<ApBox> detections;
};

// Mean over classes with ground truth of the AP at iou (0.5 gives mAP50).
double meanAveragePrecision(const std::vector<ApImage> &images, int numClasses, float iou = 0.5f);

} // namespace annotune::training::engine
