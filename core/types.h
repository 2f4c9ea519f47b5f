#pragma once
// The domain's plain data: items, classes, annotations, words, runs, as the store hands them out.

#include <QColor>
#include <QJsonArray>
#include <QJsonObject>
#include <QPolygonF>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QVector>
#include <cstdint>
#include <optional>

namespace annotune::core {

using Id = qint64;

enum class ItemKind { Image, DocumentPage };
enum class ItemStatus { Unlabeled, Labeled, InReview, Approved, Rejected };
enum class Split { Train, Val, Test };
// What a class is drawn as. Polyline, Points, Ellipse and Mask come with imported formats.
enum class ClassKind { Box, Polygon, Tag, Field, Polyline, Points, Ellipse, Mask };
// Box: box; Polygon / Polyline / Points: polygon holds the vertices (box their bounds);
// Ellipse: box is the axis-aligned frame, attributes.rotation the angle in degrees;
// Mask: box the bounds, attributes.rle the COCO-style run lengths; Tag: no geometry;
// Field: wordIds on a document page (box their union).
enum class AnnotationKind { Box, Polygon, Tag, Field, Polyline, Points, Ellipse, Mask };
enum class WordSource { TextLayer, Ocr, Synthetic, Imported };

QString toText(ItemKind v);
QString toText(ItemStatus v);
QString toText(Split v);
QString toText(ClassKind v);
QString toText(AnnotationKind v);
QString toText(WordSource v);
std::optional<ItemKind> itemKindFromString(const QString &s);
std::optional<ItemStatus> itemStatusFromString(const QString &s);
std::optional<Split> splitFromString(const QString &s);
std::optional<ClassKind> classKindFromString(const QString &s);
std::optional<AnnotationKind> annotationKindFromString(const QString &s);
std::optional<WordSource> wordSourceFromString(const QString &s);

inline constexpr ItemStatus kAllStatuses[] = {ItemStatus::Unlabeled, ItemStatus::Labeled,
                                              ItemStatus::InReview, ItemStatus::Approved,
                                              ItemStatus::Rejected};
inline constexpr Split kAllSplits[] = {Split::Train, Split::Val, Split::Test};

// One entry of the label schema.
struct LabelClass {
    Id id = 0;
    QString name;
    QColor color;
    ClassKind kind = ClassKind::Box;
    QString hotkey;   // "" or a key sequence in portable text form
    int position = 0; // order in pickers
};

// A document groups page items (a PDF, a multi-page scan or one FUNSD form).
struct Document {
    Id id = 0;
    QString path;
    QString sha256;
    int pageCount = 0;
};

// An image or one page of a document, with its media reference and workflow state.
struct Item {
    Id id = 0;
    ItemKind kind = ItemKind::Image;
    QString path;          // relative to the project file's folder, absolute when outside it
    qint64 sizeBytes = 0;
    QString sha256;        // of the media file
    int width = 0;
    int height = 0;
    Split split = Split::Train;
    ItemStatus status = ItemStatus::Unlabeled;
    QString assignee;
    std::optional<Id> documentId;
    int pageNo = 0;        // 0-based page within its document
    qint64 createdAt = 0;  // ms since epoch, UTC
    qint64 updatedAt = 0;
};

// A word on a document page, in page pixels.
struct Word {
    Id id = 0;
    Id itemId = 0;
    int index = 0;       // reading order on the page
    QString text;
    QRectF box;
    double confidence = 1.0;
    WordSource source = WordSource::TextLayer;
};

// A label on an item: a box, a polygon, an item-level tag, or a document field over words.
struct Annotation {
    Id id = 0;
    Id itemId = 0;
    Id classId = 0;
    AnnotationKind kind = AnnotationKind::Box;
    QRectF box;              // Box; the bounding box of a polygon or of a field's words
    QPolygonF polygon;       // Polygon
    QVector<Id> wordIds;     // Field
    QString value;           // Field: normalised value
    QString rawText;         // Field: the words' text as read
    std::optional<Id> runId; // set when the label came from a model run
    std::optional<double> score;
    QJsonObject attributes;  // format extras kept for round trips (difficult, occluded, rotation, ...)
    QString author;
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
    int revision = 1;
};

// A directed link between two annotations (a FUNSD question to its answer, a header to its questions).
struct AnnotationLink {
    Id id = 0;
    Id fromId = 0;
    Id toId = 0;
    QString kind = QStringLiteral("link");
    QString author;
    qint64 createdAt = 0;
};

enum class RunStatus { Queued, Running, Cancelled, Failed, Finished };
QString toText(RunStatus v);
std::optional<RunStatus> runStatusFromString(const QString &s);

// One training run and what makes it reproducible.
struct Run {
    Id id = 0;
    QString name;
    QString task;        // "detection" | "extraction"
    RunStatus status = RunStatus::Queued;
    QString configJson;
    qint64 seed = 0;
    QString codeVersion;
    QString device;
    QString datasetHash;
    std::optional<Id> parentRunId;
    qint64 createdAt = 0;
    qint64 finishedAt = 0;
};

// A model output stored for review; same geometry shapes as an Annotation.
struct Prediction {
    Id id = 0;
    Id runId = 0;
    Id itemId = 0;
    Id classId = 0;
    AnnotationKind kind = AnnotationKind::Box;
    QRectF box;
    QPolygonF polygon;
    QVector<Id> wordIds;
    QString value;
    QJsonObject attributes;
    double score = 0;
};

// A person's verdict on one sampled prediction of a run.
enum class ReviewVerdict { Correct, Wrong };
QString toText(ReviewVerdict v);
std::optional<ReviewVerdict> reviewVerdictFromString(const QString &s);

struct PredictionReview {
    Id id = 0;
    Id predictionId = 0;
    Id runId = 0;
    QString reviewer;
    ReviewVerdict verdict = ReviewVerdict::Correct;
    qint64 at = 0;
    QString comment;
};

// A run approved for use: who approved it, when, the metrics and gate results it passed with, and
// the dataset snapshot it was trained on. Revoked approvals stay on record.
struct Approval {
    Id id = 0;
    Id runId = 0;
    QString reviewer;
    qint64 at = 0;
    QJsonObject metrics; // metric name -> value, and "split": the split they were measured on
    QJsonArray gate;     // one object per rule: rule, passed, figures, message
    QString datasetHash;
    std::optional<qint64> revokedAt;
};

// One append-only audit row: who did what to which record, with before and after as JSON.
struct AuditEntry {
    Id id = 0;
    qint64 at = 0;
    QString author;
    QString action;   // "annotation.add", "item.status", "class.rename", ...
    QString entity;   // "annotation", "item", "class", ...
    Id entityId = 0;
    QString before;
    QString after;
};

qint64 nowMs();

} // namespace annotune::core
