#pragma once
// The exported model's description (model.json next to model.pt): the spec it was trained with and
// the project classes its outputs stand for, in output order.

#include "core/result.h"
#include "core/training/jobspec.h"
#include "core/types.h"
#include "training/engine/pagefeatures.h"

#include <vector>

namespace annotune::training::engine {

struct ModelMeta {
    core::training::JobSpec spec;
    std::vector<core::Id> classIds;
    QStringList classNames;
    std::vector<bool> singleSpan; // extraction: per class, one value per page (absent: true)
    TagTransitions transitions;   // extraction: for decoding (absent: none)
};

core::Status writeModelMeta(const QString &folder, const core::training::JobSpec &spec,
                            const QVector<core::LabelClass> &classes, const std::vector<bool> &singleSpan = {},
                            const TagTransitions &transitions = {});
core::Result<ModelMeta> readModelMeta(const QString &folder);

// Writes o as JSON to path through a temporary file and a rename.
core::Status writeJsonFile(const QString &path, const QJsonObject &o);
core::Result<QJsonObject> readJsonFile(const QString &path);

} // namespace annotune::training::engine
