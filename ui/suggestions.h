#pragma once
// Model-assisted labeling: a run's predictions on the current item offered as suggestions. Each
// class has a confidence threshold below which its suggestions are hidden; accepting one adds it
// to the item through the document's AddAnnotations command (so undo removes it and it is offered
// again), as a human-reviewed annotation that remembers its run, score and prediction; rejecting
// one records a "wrong" review of the prediction so it is not offered again.
// Also the two queues that point a labeler at useful items: unlabeled items the model is least
// sure about, and labeled items where the approved model disagrees with the label.

#include "core/result.h"
#include "core/types.h"

#include <QHash>
#include <QSet>
#include <QVector>

namespace annotune::core::store {
class Project;
}
namespace annotune::labeling {
class AnnotationDocument;
}

namespace annotune::ui {

class SuggestionSet {
public:
    static constexpr double kDefaultThreshold = 0.5;

    // Loads runId's predictions for itemId (and which of them a person rejected).
    core::Status load(core::store::Project &project, core::Id runId, core::Id itemId);
    void clear();
    core::Id runId() const { return m_runId; }
    core::Id itemId() const { return m_itemId; }

    double threshold(core::Id classId) const { return m_thresholds.value(classId, kDefaultThreshold); }
    void setThreshold(core::Id classId, double threshold) { m_thresholds.insert(classId, threshold); }
    const QHash<core::Id, double> &thresholds() const { return m_thresholds; }
    void setThresholds(const QHash<core::Id, double> &thresholds) { m_thresholds = thresholds; }

    // The suggestions to show: above their class's threshold, not rejected, not yet accepted into
    // doc (an annotation whose attributes.origin names the prediction); by descending score.
    QVector<core::Prediction> visible(const labeling::AnnotationDocument &doc) const;
    const core::Prediction *find(core::Id predictionId) const;

    // Adds the prediction to doc as one undoable command; returns the new annotation's id, or 0.
    core::Id accept(labeling::AnnotationDocument &doc, core::Id predictionId) const;
    // Adds every visible suggestion at or above its threshold as one command; returns the ids.
    QVector<core::Id> acceptAll(labeling::AnnotationDocument &doc) const;
    // Records a "wrong" review by reviewer and hides the suggestion.
    core::Status reject(core::store::Project &project, core::Id predictionId, const QString &reviewer);

    // The annotation an accepted prediction becomes.
    static core::Annotation toAnnotation(const core::Prediction &prediction);
    // The prediction id an annotation was accepted from, or 0.
    static core::Id originPrediction(const core::Annotation &annotation);

private:
    core::Id m_runId = 0;
    core::Id m_itemId = 0;
    QVector<core::Prediction> m_predictions; // by descending score
    QSet<core::Id> m_rejected;
    QHash<core::Id, double> m_thresholds;
};

struct QueueEntry {
    core::Item item;
    double value = 0; // uncertainty, or the item's error severity
    int count = 0;    // predictions considered, or errors
};

// Unlabeled items with predictions of runId, most uncertain first: the mean over the item's
// predictions of min(score, 1 - score) (0.5 is a coin toss). At most limit entries.
core::Result<QVector<QueueEntry>> uncertaintyQueue(core::store::Project &project, core::Id runId, int limit = 500);
// Labeled items (every split) where runId's predictions disagree with the label, worst first.
// The run used is the approved run of runId's task when there is one (written to usedRun).
core::Result<QVector<QueueEntry>> disagreementQueue(core::store::Project &project, core::Id runId, core::Id *usedRun = nullptr,
                                                   int limit = 500);

} // namespace annotune::ui
