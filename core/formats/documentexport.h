#pragma once
// Exports of documents: FUNSD JSON (one form per page, words, entities with labels, links on both
// of their entities) and field values as JSON lines (one line per document).

#include "core/result.h"

#include <QString>

namespace annotune::core::store {
class Project;
}

namespace annotune::core::formats {

struct DocumentExportReport {
    int documents = 0;
    int pages = 0;
    qint64 entities = 0;
    qint64 links = 0;
    qint64 looseWords = 0; // words in no field, written as "other" entities of one word (FUNSD only)
};

// Writes OUT/annotations/<name>.json and copies the page image to OUT/images/ for every document
// page. name: the document's file name without suffix, plus "-pNNN" for documents of several pages.
// Entities are numbered 0.. per page in annotation order; a field's class name is its label.
Result<DocumentExportReport> exportFunsd(store::Project &project, const QString &outDir);

// Writes one JSON object per document and line: {"document", "pages", "fields": [{"class", "value",
// "raw_text", "page", "word_ids", "words", "box"}]}.
Result<DocumentExportReport> exportFields(store::Project &project, const QString &outFile);

} // namespace annotune::core::formats
