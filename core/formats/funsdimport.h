#pragma once
// FUNSD forms (annotations/*.json beside images/*.png) into a project: each form becomes a one-page
// document with its words (source Imported), each entity a Field annotation of the class named by
// its label (question, answer, header, other) over its words, and each link an annotation link.

#include "core/progress.h"
#include "core/result.h"

#include <QStringList>

namespace annotune::core::store {
class Project;
}

namespace annotune::core::formats {

struct FunsdImportReport {
    int forms = 0;
    int duplicates = 0;      // forms whose image was already in the project
    qint64 words = 0;
    qint64 entities = 0;
    qint64 links = 0;        // distinct directed links (FUNSD lists each on both of its entities)
    QStringList classesAdded;
};

// Reads and checks every form first (JSON syntax, entity fields, labels, word and entity boxes
// inside the image, links to known entity ids), then stores everything in one transaction. Any
// problem fails the whole import with a message naming the file, the entity and the reason, and
// leaves the project unchanged. progress: forms read of all forms.
Result<FunsdImportReport> importFunsd(store::Project &project, const QString &dir,
                                      const ProgressFn &progress = {}, const CancelFlag *cancel = nullptr);

} // namespace annotune::core::formats
