#pragma once
// Reading an accumulated COCO evaluation: the twelve standard numbers of pycocotools'
// summarize(), printed the same way, plus per-class AP and precision-recall curves.

#include "core/eval/cocoeval.h"

#include <QJsonObject>

namespace annotune::core::eval {

// One summary number: mean of the defined (> -1) precisions or recalls in its slice, -1 if none.
struct CocoStat {
    bool precision = true;       // AP, else AR
    std::optional<double> iou;   // one threshold, or the mean over all of them
    QString area = QStringLiteral("all");
    int maxDets = 100;
    double value = -1;
};

// The 12 stats in pycocotools' order: AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs, ARm, ARl.
std::vector<CocoStat> summarize(const CocoEvaluation &ev);
// " Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.695"
QString formatStat(const CocoStat &stat, const CocoParams &params);

struct ClassAp {
    int64_t categoryId = 0;
    double ap = -1;   // IoU .50:.95, area all, most detections
    double ap50 = -1; // IoU .50
    double ar = -1;   // recall at most detections, averaged over IoU thresholds
};
std::vector<ClassAp> perClassAp(const CocoEvaluation &ev);

// Interpolated precision at each recall threshold for one category (area all, most detections);
// empty when the category has no ground truth.
struct PrCurve {
    std::vector<double> recall;
    std::vector<double> precision;
    std::vector<double> score;
};
PrCurve prCurve(const CocoEvaluation &ev, size_t categoryIndex, size_t iouIndex);

// Stats, per-class AP and calibration as JSON (full double precision).
QJsonObject toJson(const CocoEvaluation &ev, const std::vector<CocoStat> &stats);

} // namespace annotune::core::eval
