#pragma once
// The COCO detection protocol as pycocotools' COCOeval computes it (evaluate + accumulate): per
// image and category greedy matching at ten IoU thresholds, crowd and out-of-range regions
// ignored, 101-point interpolated precision per category, area range and detection limit. The
// work is split by category over threads; results are identical whatever the thread count.

#include "core/eval/cocodata.h"
#include "core/result.h"

#include <optional>

namespace annotune::core::eval {

enum class IouType { Bbox, Segm };
QString toText(IouType type);
std::optional<IouType> iouTypeFromString(const QString &text);

struct AreaRange {
    QString label;
    double min = 0;
    double max = 0;
};

// numpy.linspace(start, stop, num) to the last bit, so thresholds compare as in pycocotools.
std::vector<double> cocoLinspace(double start, double stop, int num);

struct CocoParams {
    IouType iouType = IouType::Bbox;
    std::vector<double> iouThresholds = cocoLinspace(0.5, 0.95, 10);
    std::vector<double> recallThresholds = cocoLinspace(0.0, 1.0, 101);
    std::vector<int> maxDets{1, 10, 100};
    std::vector<AreaRange> areaRanges{{QStringLiteral("all"), 0, 1e10},
                                      {QStringLiteral("small"), 0, 32 * 32},
                                      {QStringLiteral("medium"), 32 * 32, 96 * 96},
                                      {QStringLiteral("large"), 96 * 96, 1e10}};
    int calibrationBins = 10;
    int threads = 0; // 0: one per core
};

// Reliability diagram of the detections that count at IoU .50 (area all, most detections):
// per score bin, how many, their mean score and the fraction that matched a ground truth.
struct CalibrationBin {
    double lower = 0;
    double upper = 0;
    int64_t count = 0;
    double meanScore = 0;
    double accuracy = 0;
};

struct Calibration {
    std::vector<CalibrationBin> bins;
    double expectedCalibrationError = 0; // sum over bins of count / total * |accuracy - meanScore|
};

// Accumulated results, laid out like pycocotools' eval dict; -1 where a value is undefined
// (no ground truth for that category and area).
struct CocoEvaluation {
    CocoParams params;
    std::vector<int64_t> imageIds;    // sorted, from the ground truth
    std::vector<int64_t> categoryIds; // sorted, from the ground truth
    std::vector<double> precision;    // T x R x K x A x M
    std::vector<double> scores;       // T x R x K x A x M: score at which each recall is reached
    std::vector<double> recall;       // T x K x A x M
    Calibration calibration;

    size_t precisionIndex(size_t t, size_t r, size_t k, size_t a, size_t m) const;
    size_t recallIndex(size_t t, size_t k, size_t a, size_t m) const;
};

// Fails when a detection names an image the ground truth lacks (as pycocotools' loadRes does), or
// when segm is asked for and an annotation has no segmentation, naming the file and record.
Result<CocoEvaluation> evaluateCoco(const CocoGroundTruth &gt, const CocoDetections &dt, const CocoParams &params = {});

} // namespace annotune::core::eval
