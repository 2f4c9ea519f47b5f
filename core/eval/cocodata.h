#pragma once
// COCO ground truth and detections as the evaluator reads them: plain values, no JSON and no Qt
// containers in the hot data, so half a million detections stay small and cheap to walk.

#include <QString>

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace annotune::core::eval {

// A binary mask as COCO run-length encodes it: column-major (x * height + y), counts alternate
// background and foreground runs, starting with background.
struct Rle {
    int height = 0;
    int width = 0;
    std::vector<uint32_t> counts;
};

// A segmentation as it was given: one or more polygons (x0, y0, x1, y1, ...) or an RLE whose
// counts are already decoded from COCO's compressed string form.
struct Segmentation {
    std::vector<std::vector<double>> polygons;
    std::optional<Rle> rle;
    bool empty() const { return polygons.empty() && !rle; }
};

struct CocoImage {
    int64_t id = 0;
    int width = 0;
    int height = 0;
};

struct CocoCategory {
    int64_t id = 0;
    QString name;
};

// A ground-truth annotation or a detection. Detections carry a score; ground truth may be crowd.
// area < 0 means "not given": the evaluator computes it from the mask, as pycocotools' loadRes does.
struct CocoObject {
    int64_t id = 0;
    int64_t imageId = 0;
    int64_t categoryId = 0;
    std::array<double, 4> bbox{}; // x, y, width, height
    bool hasBbox = false;
    double area = -1;
    double score = 0;
    bool crowd = false;
    Segmentation segmentation;
};

struct CocoGroundTruth {
    QString source; // file name for messages
    std::vector<CocoImage> images;
    std::vector<CocoCategory> categories;
    std::vector<CocoObject> annotations;
};

struct CocoDetections {
    QString source;
    std::vector<CocoObject> detections; // ids 1..N in file order, as pycocotools' loadRes numbers them
};

} // namespace annotune::core::eval
