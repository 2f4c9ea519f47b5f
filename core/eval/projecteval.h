#pragma once
// Evaluation of a run's stored predictions against the project's ground truth on one split.
// Detection goes through the COCO evaluator (boxes and polygons as boxes; polygons against
// polygons also as masks), extraction through entity-level seqeval over each page's words.

#include "core/eval/cocoeval.h"
#include "core/eval/cocosummary.h"
#include "core/eval/confusion.h"
#include "core/eval/evalset.h"
#include "core/eval/extractioneval.h"

#include <QJsonObject>
#include <QMap>

namespace annotune::core::store {
class Project;
}

namespace annotune::core::eval {

struct ProjectEvalOptions {
    EvalScope scope;
    double confusionMinScore = 0.25; // detections below this score stay out of the confusion matrix
    int threads = 0;                 // COCO evaluator threads, 0: one per core
};

// A class's headline score in one run: AP (IoU .50:.95) for detection, entity F1 for extraction;
// -1 when the class has no ground truth in the set.
struct ClassScore {
    Id classId = 0;
    QString name;
    double score = -1;
    double score50 = -1; // AP50 for detection; recall for extraction
};

struct DetectionReport {
    CocoEvaluation bbox;
    std::vector<CocoStat> bboxStats;
    std::optional<CocoEvaluation> segm; // only when the ground truth has polygons
    std::vector<CocoStat> segmStats;
    ConfusionMatrix confusion; // categoryIds are class ids
    qint64 groundTruth = 0;
    qint64 detections = 0;
};

struct ProjectEvaluation {
    Id runId = 0;
    QString task; // "detection" | "extraction"
    EvalScope scope;
    int items = 0; // items evaluated: every item in scope for detection, document pages for extraction
    std::optional<DetectionReport> detection;
    std::optional<ExtractionReport> extraction;
    // Flat headline numbers: AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs, ARm, ARl (and
    // segm/AP...) for detection; precision, recall, f1, exact_match for extraction. -1: undefined.
    QMap<QString, double> metrics;
    QVector<ClassScore> classScores; // by class position
};

// "AP" for detection, "f1" for extraction: what a comparison or gate looks at first.
QString headlineMetric(const QString &task);
// The twelve COCO summary names in pycocotools' order.
const QStringList &cocoStatNames();

// The set as COCO ground truth and detections (image id = item id, category id = class id).
// masks: only polygons on both sides, for segm. Areas are the box's or the polygon's; crowd comes
// from attributes.iscrowd.
std::pair<CocoGroundTruth, CocoDetections> toCoco(const EvalSet &set, bool masks);

Result<DetectionReport> evaluateDetection(const EvalSet &set, const ProjectEvalOptions &options = {});
// Evaluates the set for its task (see evalTask).
Result<ProjectEvaluation> evaluateSet(const EvalSet &set, const ProjectEvalOptions &options = {});
// Loads the run's set from the project and evaluates it.
Result<ProjectEvaluation> evaluateRun(store::Project &project, Id runId, const ProjectEvalOptions &options = {});

QJsonObject toJson(const ProjectEvaluation &evaluation);

} // namespace annotune::core::eval
