#pragma once
// Per-item error analysis for review: every ground truth and prediction on an item gets one
// verdict (found, false alarm, missed, wrong class, poorly placed; for documents wrong value,
// missing or spurious field), and items can be listed worst first with filters.

#include "core/eval/evalset.h"

#include <QJsonObject>

namespace annotune::core::eval {

enum class ErrorType { TruePositive, FalsePositive, Missed, WrongClass, PoorLocalisation, WrongValue, MissingField, SpuriousField };
QString toText(ErrorType type);
std::optional<ErrorType> errorTypeFromString(const QString &text);

// One verdict. A pair (truth and prediction) for true positives, wrong class, poor localisation
// and wrong value; one side only for the others.
struct ErrorEntry {
    ErrorType type = ErrorType::TruePositive;
    std::optional<Id> annotationId;
    std::optional<Id> predictionId;
    Id truthClassId = 0;     // 0 when no ground truth is involved
    Id predictedClassId = 0; // 0 when no prediction is involved
    double score = 0;        // the prediction's score
    double overlap = 0;      // IoU of the boxes, or of the word sets for fields

    bool isError() const { return type != ErrorType::TruePositive; }
    // How much this verdict weighs when ranking items: 1 for a miss, a wrong class or value and a
    // missing or spurious field, the score for a false alarm (a confident one hurts more), 0.5 for
    // poor localisation, 0 for a true positive.
    double severity() const;
};

struct ItemErrors {
    Item item;
    QVector<ErrorEntry> entries;
    int errorCount() const;
    double severity() const;
};

struct ErrorOptions {
    double minScore = 0.5;   // detections below this score are left out (fields count at any score)
    double matchIou = 0.5;   // a pair at or above this IoU is found (or the wrong class)
    double poorIou = 0.1;    // same class in [poorIou, matchIou): poor localisation
};

// Greedy matching in score order: a prediction takes the free ground truth of its class with the
// highest IoU >= matchIou (true positive), else a free one of another class (wrong class). Left
// over, it takes a free one of its class with IoU in [poorIou, matchIou) (poor localisation), is
// ignored inside a crowd region, or is a false positive. Ground truth left free is missed.
// An extraction run's verdicts cover its document pages' fields only, a detection run's every
// item's boxes and polygons (see evalTask).
// Fields pair by class and most shared words: same words (or same non-empty value) is right,
// else a wrong value; unpaired gold is a missing field, unpaired prediction a spurious one.
QVector<ItemErrors> classifyErrors(const EvalSet &set, const ErrorOptions &options = {});

// Criteria on entries (all that are set must hold for one entry) and on the item's split.
struct ErrorFilter {
    std::optional<Id> classId;       // the entry's truth or predicted class
    std::optional<ErrorType> type;   // unset: any error (true positives do not count)
    std::optional<double> minScore;  // entries with a prediction whose score is in range
    std::optional<double> maxScore;
    std::optional<Split> split;
};
enum class ErrorSort { Severity, Count };

// The items with at least one entry matching the filter, worst first (ties by item id).
QVector<ItemErrors> worstFirst(QVector<ItemErrors> items, const ErrorFilter &filter = {}, ErrorSort sort = ErrorSort::Severity);

QJsonObject toJson(const ItemErrors &errors);

} // namespace annotune::core::eval
