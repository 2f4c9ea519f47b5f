#include "types.h"

#include "core/enumnames.h"

#include <QDateTime>
#include <array>
#include <utility>

namespace annotune::core {
namespace {

constexpr std::array<std::pair<ItemKind, const char *>, 2> kItemKinds{
    {{ItemKind::Image, "image"}, {ItemKind::DocumentPage, "page"}}};
constexpr std::array<std::pair<ItemStatus, const char *>, 5> kStatuses{
    {{ItemStatus::Unlabeled, "unlabeled"}, {ItemStatus::Labeled, "labeled"},
     {ItemStatus::InReview, "in_review"}, {ItemStatus::Approved, "approved"},
     {ItemStatus::Rejected, "rejected"}}};
constexpr std::array<std::pair<Split, const char *>, 3> kSplits{
    {{Split::Train, "train"}, {Split::Val, "val"}, {Split::Test, "test"}}};
constexpr std::array<std::pair<ClassKind, const char *>, 8> kClassKinds{
    {{ClassKind::Box, "box"}, {ClassKind::Polygon, "polygon"}, {ClassKind::Tag, "tag"},
     {ClassKind::Field, "field"}, {ClassKind::Polyline, "polyline"}, {ClassKind::Points, "points"},
     {ClassKind::Ellipse, "ellipse"}, {ClassKind::Mask, "mask"}}};
constexpr std::array<std::pair<AnnotationKind, const char *>, 8> kAnnotationKinds{
    {{AnnotationKind::Box, "box"}, {AnnotationKind::Polygon, "polygon"},
     {AnnotationKind::Tag, "tag"}, {AnnotationKind::Field, "field"},
     {AnnotationKind::Polyline, "polyline"}, {AnnotationKind::Points, "points"},
     {AnnotationKind::Ellipse, "ellipse"}, {AnnotationKind::Mask, "mask"}}};
constexpr std::array<std::pair<WordSource, const char *>, 4> kWordSources{
    {{WordSource::TextLayer, "text_layer"}, {WordSource::Ocr, "ocr"},
     {WordSource::Synthetic, "synthetic"}, {WordSource::Imported, "imported"}}};
constexpr std::array<std::pair<RunStatus, const char *>, 5> kRunStatuses{
    {{RunStatus::Queued, "queued"}, {RunStatus::Running, "running"},
     {RunStatus::Cancelled, "cancelled"}, {RunStatus::Failed, "failed"},
     {RunStatus::Finished, "finished"}}};
constexpr std::array<std::pair<ReviewVerdict, const char *>, 2> kVerdicts{
    {{ReviewVerdict::Correct, "correct"}, {ReviewVerdict::Wrong, "wrong"}}};

} // namespace

QString toText(ItemKind v) { return nameOf(kItemKinds, v); }
QString toText(ItemStatus v) { return nameOf(kStatuses, v); }
QString toText(Split v) { return nameOf(kSplits, v); }
QString toText(ClassKind v) { return nameOf(kClassKinds, v); }
QString toText(AnnotationKind v) { return nameOf(kAnnotationKinds, v); }
QString toText(WordSource v) { return nameOf(kWordSources, v); }
QString toText(RunStatus v) { return nameOf(kRunStatuses, v); }
QString toText(ReviewVerdict v) { return nameOf(kVerdicts, v); }
std::optional<ItemKind> itemKindFromString(const QString &s) { return valueOf(kItemKinds, s); }
std::optional<ItemStatus> itemStatusFromString(const QString &s) { return valueOf(kStatuses, s); }
std::optional<Split> splitFromString(const QString &s) { return valueOf(kSplits, s); }
std::optional<ClassKind> classKindFromString(const QString &s) { return valueOf(kClassKinds, s); }
std::optional<AnnotationKind> annotationKindFromString(const QString &s) { return valueOf(kAnnotationKinds, s); }
std::optional<WordSource> wordSourceFromString(const QString &s) { return valueOf(kWordSources, s); }
std::optional<RunStatus> runStatusFromString(const QString &s) { return valueOf(kRunStatuses, s); }
std::optional<ReviewVerdict> reviewVerdictFromString(const QString &s) { return valueOf(kVerdicts, s); }

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

} // namespace annotune::core
