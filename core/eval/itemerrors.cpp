#include "core/eval/itemerrors.h"

#include <QJsonArray>
#include <QSet>

#include <algorithm>
#include <array>
#include <utility>

namespace annotune::core::eval {

namespace {

constexpr std::array<std::pair<ErrorType, const char *>, 8> kErrorTypes{
    {{ErrorType::TruePositive, "true_positive"}, {ErrorType::FalsePositive, "false_positive"},
     {ErrorType::Missed, "missed"}, {ErrorType::WrongClass, "wrong_class"},
     {ErrorType::PoorLocalisation, "poor_localisation"}, {ErrorType::WrongValue, "wrong_value"},
     {ErrorType::MissingField, "missing_field"}, {ErrorType::SpuriousField, "spurious_field"}}};

QRectF boxOf(const QRectF &box, const QPolygonF &polygon)
{
    return box.isEmpty() && !polygon.isEmpty() ? polygon.boundingRect() : box;
}

double area(const QRectF &r) { return std::max(0.0, r.width()) * std::max(0.0, r.height()); }

double iou(const QRectF &a, const QRectF &b)
{
    const double inter = area(a.intersected(b));
    const double uni = area(a) + area(b) - inter;
    return uni <= 0 ? 0 : inter / uni;
}

struct Truth {
    const Annotation *a;
    QRectF box;
    bool taken = false;
};

// The free ground truth with the highest IoU in [low, high) that `accept` allows, or -1.
template <typename Accept>
int bestTruth(const std::vector<Truth> &truths, const QRectF &box, double low, double high, Accept accept, double &best)
{
    int found = -1;
    best = low;
    for (size_t g = 0; g < truths.size(); ++g) {
        const double v = iou(box, truths[g].box);
        if (!truths[g].taken && accept(*truths[g].a) && v >= best && v < high) {
            best = v;
            found = int(g);
        }
    }
    return found;
}

ErrorEntry entry(ErrorType type, const Annotation *a, const Prediction *p, double overlap)
{
    ErrorEntry e;
    e.type = type;
    if (a) {
        e.annotationId = a->id;
        e.truthClassId = a->classId;
    }
    if (p) {
        e.predictionId = p->id;
        e.predictedClassId = p->classId;
        e.score = p->score;
    }
    e.overlap = overlap;
    return e;
}

void classifyDetections(const EvalItem &item, const ErrorOptions &o, QVector<ErrorEntry> &out)
{
    std::vector<Truth> truths, crowds;
    for (const Annotation &a : item.truth) {
        if (!isDetectionKind(a.kind))
            continue;
        const QJsonValue c = a.attributes.value(QStringLiteral("iscrowd"));
        (c.isBool() ? c.toBool() : c.toInt() != 0) ? crowds.push_back({&a, boxOf(a.box, a.polygon)})
                                                   : truths.push_back({&a, boxOf(a.box, a.polygon)});
    }
    std::vector<const Prediction *> left;
    for (const Prediction &p : item.predictions) {
        if (!isDetectionKind(p.kind) || p.score < o.minScore)
            continue;
        const QRectF box = boxOf(p.box, p.polygon);
        double v = 0;
        int g = bestTruth(truths, box, o.matchIou, 2.0, [&](const Annotation &a) { return a.classId == p.classId; }, v);
        const bool sameClass = g >= 0;
        if (!sameClass)
            g = bestTruth(truths, box, o.matchIou, 2.0, [](const Annotation &) { return true; }, v);
        if (g < 0) {
            left.push_back(&p);
            continue;
        }
        truths[g].taken = true;
        out.append(entry(sameClass ? ErrorType::TruePositive : ErrorType::WrongClass, truths[g].a, &p, v));
    }
    for (const Prediction *p : left) {
        const QRectF box = boxOf(p->box, p->polygon);
        double v = 0;
        const int g = bestTruth(truths, box, o.poorIou, o.matchIou, [&](const Annotation &a) { return a.classId == p->classId; }, v);
        if (g >= 0) {
            truths[g].taken = true;
            out.append(entry(ErrorType::PoorLocalisation, truths[g].a, p, v));
            continue;
        }
        const bool inCrowd = std::any_of(crowds.begin(), crowds.end(), [&](const Truth &c) {
            return area(box) > 0 && area(box.intersected(c.box)) / area(box) >= o.matchIou;
        });
        if (!inCrowd)
            out.append(entry(ErrorType::FalsePositive, nullptr, p, 0));
    }
    for (const Truth &t : truths)
        if (!t.taken)
            out.append(entry(ErrorType::Missed, t.a, nullptr, 0));
}

double wordOverlap(const QVector<Id> &a, const QVector<Id> &b)
{
    const QSet<Id> sa(a.begin(), a.end()), sb(b.begin(), b.end());
    const qsizetype inter = QSet<Id>(sa).intersect(sb).size();
    const qsizetype uni = sa.size() + sb.size() - inter;
    return uni == 0 ? 0 : double(inter) / double(uni);
}

bool sameField(const Annotation &a, const Prediction &p)
{
    const QSet<Id> sa(a.wordIds.begin(), a.wordIds.end()), sp(p.wordIds.begin(), p.wordIds.end());
    if (!sa.isEmpty() && sa == sp)
        return true;
    return !a.value.trimmed().isEmpty() && a.value.trimmed() == p.value.trimmed();
}

void classifyFields(const EvalItem &item, QVector<ErrorEntry> &out)
{
    std::vector<const Prediction *> predicted;
    for (const Prediction &p : item.predictions)
        if (p.kind == AnnotationKind::Field)
            predicted.push_back(&p);
    std::vector<bool> paired(predicted.size(), false);
    for (const Annotation &a : item.truth) {
        if (a.kind != AnnotationKind::Field)
            continue;
        int best = -1;
        double bestOverlap = -1;
        for (size_t k = 0; k < predicted.size(); ++k) {
            const double v = wordOverlap(a.wordIds, predicted[k]->wordIds);
            if (!paired[k] && predicted[k]->classId == a.classId && v > bestOverlap) {
                best = int(k);
                bestOverlap = v;
            }
        }
        if (best < 0) {
            out.append(entry(ErrorType::MissingField, &a, nullptr, 0));
            continue;
        }
        paired[best] = true;
        const Prediction *p = predicted[best];
        out.append(entry(sameField(a, *p) ? ErrorType::TruePositive : ErrorType::WrongValue, &a, p, bestOverlap));
    }
    for (size_t k = 0; k < predicted.size(); ++k)
        if (!paired[k])
            out.append(entry(ErrorType::SpuriousField, nullptr, predicted[k], 0));
}

bool entryMatches(const ErrorEntry &e, const ErrorFilter &f)
{
    if (f.type ? e.type != *f.type : !e.isError())
        return false;
    if (f.classId && e.truthClassId != *f.classId && e.predictedClassId != *f.classId)
        return false;
    if ((f.minScore || f.maxScore) && !e.predictionId)
        return false;
    return !(f.minScore && e.score < *f.minScore) && !(f.maxScore && e.score > *f.maxScore);
}

} // namespace

QString toText(ErrorType type)
{
    for (const auto &[value, name] : kErrorTypes)
        if (value == type)
            return QString::fromLatin1(name);
    return {};
}

std::optional<ErrorType> errorTypeFromString(const QString &text)
{
    for (const auto &[value, name] : kErrorTypes)
        if (text.compare(QLatin1String(name), Qt::CaseInsensitive) == 0)
            return value;
    return std::nullopt;
}

double ErrorEntry::severity() const
{
    switch (type) {
    case ErrorType::TruePositive: return 0;
    case ErrorType::FalsePositive: return score;
    case ErrorType::PoorLocalisation: return 0.5;
    default: return 1;
    }
}

int ItemErrors::errorCount() const
{
    return int(std::count_if(entries.begin(), entries.end(), [](const ErrorEntry &e) { return e.isError(); }));
}

double ItemErrors::severity() const
{
    double sum = 0;
    for (const ErrorEntry &e : entries)
        sum += e.severity();
    return sum;
}

QVector<ItemErrors> classifyErrors(const EvalSet &set, const ErrorOptions &options)
{
    QVector<ItemErrors> out;
    out.reserve(set.items.size());
    const bool extraction = evalTask(set) == QLatin1String("extraction");
    for (const EvalItem &item : set.items) {
        if (extraction && item.item.kind != ItemKind::DocumentPage)
            continue;
        ItemErrors errors{item.item, {}};
        extraction ? classifyFields(item, errors.entries) : classifyDetections(item, options, errors.entries);
        out.append(std::move(errors));
    }
    return out;
}

QVector<ItemErrors> worstFirst(QVector<ItemErrors> items, const ErrorFilter &filter, ErrorSort sort)
{
    items.erase(std::remove_if(items.begin(), items.end(), [&](const ItemErrors &i) {
                    if (filter.split && i.item.split != *filter.split)
                        return true;
                    return std::none_of(i.entries.begin(), i.entries.end(), [&](const ErrorEntry &e) { return entryMatches(e, filter); });
                }),
                items.end());
    std::stable_sort(items.begin(), items.end(), [&](const ItemErrors &a, const ItemErrors &b) {
        const auto key = [&](const ItemErrors &i) {
            return sort == ErrorSort::Count ? std::pair(double(i.errorCount()), i.severity())
                                            : std::pair(i.severity(), double(i.errorCount()));
        };
        const auto ka = key(a), kb = key(b);
        return ka != kb ? ka > kb : a.item.id < b.item.id;
    });
    return items;
}

QJsonObject toJson(const ItemErrors &errors)
{
    QJsonArray entries;
    for (const ErrorEntry &e : errors.entries) {
        QJsonObject o{{QStringLiteral("type"), toText(e.type)}, {QStringLiteral("overlap"), e.overlap}};
        if (e.annotationId) {
            o.insert(QStringLiteral("annotation"), *e.annotationId);
            o.insert(QStringLiteral("truth_class"), e.truthClassId);
        }
        if (e.predictionId) {
            o.insert(QStringLiteral("prediction"), *e.predictionId);
            o.insert(QStringLiteral("predicted_class"), e.predictedClassId);
            o.insert(QStringLiteral("score"), e.score);
        }
        entries.append(o);
    }
    return {{QStringLiteral("item"), errors.item.id}, {QStringLiteral("path"), errors.item.path},
            {QStringLiteral("split"), toText(errors.item.split)}, {QStringLiteral("errors"), errors.errorCount()},
            {QStringLiteral("severity"), errors.severity()}, {QStringLiteral("entries"), entries}};
}

} // namespace annotune::core::eval
