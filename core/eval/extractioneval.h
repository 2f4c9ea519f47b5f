#pragma once
// Document extraction scored as entities: every page is a sentence of its words in reading order,
// ground-truth and predicted fields become BIO tags over those words, and seqeval's default
// (conlleval) rules count the entities. Pages of one document form a document for exact match.

#include "core/eval/evalset.h"
#include "core/eval/seqeval.h"

#include <QJsonObject>

#include <vector>

namespace annotune::core::eval {

// A field on a page: its class and words (ids).
struct PageField {
    Id classId = 0;
    QVector<Id> wordIds;
};

// BIO tags of one page, one per word in `words` order: "O", or "B-name" on a field's first word
// (in reading order) and "I-name" on the rest. Where fields overlap the earlier one keeps the word;
// words not on the page are ignored. A field whose words are not contiguous becomes several
// entities (an I after O opens one under conlleval's rules).
QStringList pageTags(const QVector<Word> &words, const QVector<PageField> &fields, const QHash<Id, LabelClass> &classes);

// Rows: ground-truth field, columns: predicted field, in `fields` order with "none" last. Each
// gold entity is paired with the unpaired predicted entity on its page that shares most words
// with it; gold without partner counts as (field, none), predicted without partner as (none, field).
struct FieldConfusion {
    QStringList fields;
    std::vector<int64_t> counts; // (F + 1) x (F + 1), row-major

    size_t size() const { return size_t(fields.size()) + 1; }
    int64_t cell(size_t gold, size_t predicted) const { return counts[gold * size() + predicted]; }
};

struct ExtractionReport {
    SeqEvalReport entities;  // per field (by class name) and overall, entity level
    double exactMatch = 0;   // fraction of documents whose predicted entities equal the gold ones
    int documents = 0;
    int pages = 0;
    FieldConfusion confusion;
};

// The class id of the class named `name` in the set, 0 when there is none.
Id classIdForName(const EvalSet &set, const QString &name);

// Scores the set's document pages (Field annotations against Field predictions).
Result<ExtractionReport> evaluateExtraction(const EvalSet &set);

QJsonObject toJson(const ExtractionReport &report);

} // namespace annotune::core::eval
