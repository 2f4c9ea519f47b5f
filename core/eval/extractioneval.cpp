#include "core/eval/extractioneval.h"

#include <QJsonArray>
#include <QMap>

#include <algorithm>

namespace annotune::core::eval {

namespace {

QString className(const QHash<Id, LabelClass> &classes, Id id)
{
    const QString name = classes.value(id).name;
    return name.isEmpty() ? QStringLiteral("class%1").arg(id) : name;
}

QVector<PageField> truthFields(const EvalItem &e)
{
    QVector<PageField> out;
    for (const Annotation &a : e.truth)
        if (a.kind == AnnotationKind::Field)
            out.append(PageField{a.classId, a.wordIds});
    return out;
}

QVector<PageField> predictedFields(const EvalItem &e)
{
    QVector<PageField> out;
    for (const Prediction &p : e.predictions)
        if (p.kind == AnnotationKind::Field)
            out.append(PageField{p.classId, p.wordIds});
    return out;
}

// Field names in class order, then any other entity type seen, so every type has a row.
QStringList fieldNames(const EvalSet &set, const QVector<Entity> &gold, const QVector<Entity> &predicted)
{
    QVector<LabelClass> fields;
    for (const LabelClass &c : set.classes)
        if (c.kind == ClassKind::Field)
            fields.append(c);
    std::sort(fields.begin(), fields.end(), [](const LabelClass &a, const LabelClass &b) {
        return a.position != b.position ? a.position < b.position : a.id < b.id;
    });
    QStringList names;
    for (const LabelClass &c : fields)
        names.append(c.name);
    for (const QVector<Entity> *list : {&gold, &predicted})
        for (const Entity &e : *list)
            if (!names.contains(e.type))
                names.append(e.type);
    return names;
}

FieldConfusion fieldConfusion(const QStringList &names, const QVector<Entity> &gold, const QVector<Entity> &predicted)
{
    FieldConfusion cm;
    cm.fields = names;
    cm.counts.assign(cm.size() * cm.size(), 0);
    const size_t none = cm.size() - 1;
    std::vector<bool> paired(predicted.size(), false);
    for (const Entity &g : gold) {
        int best = -1, bestOverlap = 0;
        for (int p = 0; p < predicted.size(); ++p) {
            const Entity &d = predicted[p];
            const int overlap = std::min(g.end, d.end) - std::max(g.begin, d.begin) + 1;
            if (!paired[p] && d.sentence == g.sentence && overlap > bestOverlap) {
                best = p;
                bestOverlap = overlap;
            }
        }
        const size_t row = size_t(names.indexOf(g.type));
        if (best >= 0)
            paired[best] = true;
        ++cm.counts[row * cm.size() + (best >= 0 ? size_t(names.indexOf(predicted[best].type)) : none)];
    }
    for (int p = 0; p < predicted.size(); ++p)
        if (!paired[p])
            ++cm.counts[none * cm.size() + size_t(names.indexOf(predicted[p].type))];
    return cm;
}

} // namespace

QStringList pageTags(const QVector<Word> &words, const QVector<PageField> &fields, const QHash<Id, LabelClass> &classes)
{
    QHash<Id, int> position;
    for (int i = 0; i < words.size(); ++i)
        position.insert(words[i].id, i);
    QStringList tags(words.size(), QStringLiteral("O"));
    for (const PageField &f : fields) {
        QVector<int> at;
        for (Id id : f.wordIds)
            if (const auto it = position.constFind(id); it != position.cend())
                at.append(*it);
        std::sort(at.begin(), at.end());
        at.erase(std::unique(at.begin(), at.end()), at.end());
        bool first = true;
        for (int i : at) {
            if (tags[i] != QLatin1String("O"))
                continue;
            tags[i] = (first ? QStringLiteral("B-") : QStringLiteral("I-")) + className(classes, f.classId);
            first = false;
        }
    }
    return tags;
}

Id classIdForName(const EvalSet &set, const QString &name)
{
    for (const LabelClass &c : set.classes)
        if (c.name == name)
            return c.id;
    return 0;
}

Result<ExtractionReport> evaluateExtraction(const EvalSet &set)
{
    ExtractionReport report;
    QVector<QStringList> gold, predicted;
    QVector<QVector<QStringList>> goldDocs, predictedDocs;
    QMap<qint64, int> documentIndex; // document id (or -item id for a lone page) -> index
    for (const EvalItem &e : set.items) {
        if (e.item.kind != ItemKind::DocumentPage)
            continue;
        gold.append(pageTags(e.words, truthFields(e), set.classes));
        predicted.append(pageTags(e.words, predictedFields(e), set.classes));
        const qint64 key = e.item.documentId.value_or(-e.item.id);
        if (!documentIndex.contains(key)) {
            documentIndex.insert(key, int(goldDocs.size()));
            goldDocs.append(QVector<QStringList>());
            predictedDocs.append(QVector<QStringList>());
        }
        goldDocs[documentIndex.value(key)].append(gold.last());
        predictedDocs[documentIndex.value(key)].append(predicted.last());
    }
    auto entities = evaluateSequences(gold, predicted);
    if (!entities)
        return makeError(entities.error().code, QStringLiteral("run %1: %2").arg(set.run.id).arg(entities.error().message));
    report.entities = std::move(*entities);
    auto exact = documentExactMatchRate(goldDocs, predictedDocs);
    if (!exact)
        return makeError(exact.error().code, QStringLiteral("run %1: %2").arg(set.run.id).arg(exact.error().message));
    report.exactMatch = *exact;
    report.documents = int(goldDocs.size());
    report.pages = int(gold.size());
    auto goldEntities = extractEntities(gold), predictedEntities = extractEntities(predicted);
    if (!goldEntities || !predictedEntities)
        return (goldEntities ? predictedEntities : goldEntities).error();
    report.confusion = fieldConfusion(fieldNames(set, *goldEntities, *predictedEntities), *goldEntities, *predictedEntities);
    return report;
}

namespace {

QJsonObject scoreJson(const EntityScore &s)
{
    return {{QStringLiteral("field"), s.type}, {QStringLiteral("precision"), s.precision()}, {QStringLiteral("recall"), s.recall()},
            {QStringLiteral("f1"), s.f1()}, {QStringLiteral("gold"), s.gold}, {QStringLiteral("predicted"), s.predicted},
            {QStringLiteral("correct"), s.correct}};
}

} // namespace

QJsonObject toJson(const ExtractionReport &r)
{
    QJsonArray perField, labels, rows;
    for (const EntityScore &s : r.entities.perType)
        perField.append(scoreJson(s));
    for (const QString &f : r.confusion.fields)
        labels.append(f);
    labels.append(QStringLiteral("none"));
    for (size_t g = 0; g < r.confusion.size(); ++g) {
        QJsonArray row;
        for (size_t p = 0; p < r.confusion.size(); ++p)
            row.append(qint64(r.confusion.cell(g, p)));
        rows.append(row);
    }
    return {{QStringLiteral("per_field"), perField}, {QStringLiteral("overall"), scoreJson(r.entities.overall)},
            {QStringLiteral("exact_match"), r.exactMatch}, {QStringLiteral("documents"), r.documents},
            {QStringLiteral("pages"), r.pages},
            {QStringLiteral("confusion"), QJsonObject{{QStringLiteral("labels"), labels}, {QStringLiteral("counts"), rows}}}};
}

} // namespace annotune::core::eval
