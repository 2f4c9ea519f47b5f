#pragma once
// What a run is evaluated on: the items of one split that a person has labelled, each with its
// ground truth, the run's predictions and (for document pages) its words in reading order. Loading
// goes through the store's repositories; everything after works on these plain values.

#include "core/result.h"
#include "core/types.h"

#include <QHash>
#include <QSet>
#include <QVector>

#include <optional>

namespace annotune::core::store {
class Project;
}

namespace annotune::core::eval {

// Which items count. Unlabeled and rejected items never do: their labels are not ground truth.
struct EvalScope {
    std::optional<Split> split = Split::Test; // nullopt: every split
    QVector<ItemStatus> statuses{ItemStatus::Labeled, ItemStatus::Approved, ItemStatus::InReview};
};

struct EvalItem {
    Item item;
    QVector<Annotation> truth;
    QVector<Prediction> predictions; // by descending score
    QVector<Word> words;             // document pages only, by reading order
};

struct EvalSet {
    Run run;
    EvalScope scope;
    QHash<Id, LabelClass> classes;
    QVector<EvalItem> items; // by item id
};

// Kinds evaluated as detections (as boxes; polygons also as masks) and as document fields.
bool isDetectionKind(AnnotationKind kind);
bool isDetectionClass(ClassKind kind);

// Loads the scope's items for runId. A run whose spec names the classes it trained on keeps the
// ground truth of those classes only. Fails with NotFound for an unknown run, or with the store's
// error naming the record that could not be read.
Result<EvalSet> loadEvalSet(store::Project &project, Id runId, const EvalScope &scope = {});

// The ids of the classes named by the run's spec ("classes", by name); empty
// when it names none (it trained on every class).
QSet<Id> trainedClasses(const EvalSet &set);

// The run's task as evaluation reads it: "detection" or "extraction" from Run::task; for another
// or empty task, whichever kind of ground truth the set holds ("detection" when both or none).
QString evalTask(const EvalSet &set);

} // namespace annotune::core::eval
