#pragma once
// A frozen view of what a run trains on: the task's classes and the chosen items with their labels
// (or words), split as the store says, with a hash that names exactly this data.

#include "core/result.h"
#include "core/training/jobspec.h"
#include "core/types.h"

#include <QVector>

namespace annotune::core::store {
class Project;
}

namespace annotune::training::engine {

struct SnapshotItem {
    core::Item item;
    QString absolutePath;
    QVector<core::Annotation> annotations; // only of the snapshot's classes
    QVector<core::Word> words;             // document pages only
};

struct DatasetSnapshot {
    QVector<core::LabelClass> classes;  // detection: box and polygon classes; extraction: fields
    QVector<SnapshotItem> train, val, test;
    QVector<SnapshotItem> unlabeled;    // extraction: pages without labels, for pretraining
    QString hash;                       // sha256 over items, media hashes, annotation revisions, classes

    int classIndex(core::Id classId) const;
};

// Which item statuses count as labelled for a selection.
bool selected(core::ItemStatus status, core::training::LabelSelection selection);

// Reads the project for spec: its task's classes (only those named in spec.classes when set), the
// items labelled as spec.labels says, split as the store says or, with spec.folds > 1, into folds
// by content hash (fold spec.fold validates, the others train). withUnlabeled also collects
// unlabelled pages (extraction pretraining).
core::Result<DatasetSnapshot> takeSnapshot(core::store::Project &project, const core::training::JobSpec &spec, bool withUnlabeled);

// Loads items (any status) for prediction, with words for pages.
core::Result<QVector<SnapshotItem>> loadItems(core::store::Project &project, const QVector<core::Item> &items);

} // namespace annotune::training::engine
