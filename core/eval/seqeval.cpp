#include "core/eval/seqeval.h"

#include <QFile>
#include <QSet>
#include <QTextStream>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace annotune::core::eval {

QString toText(ChunkMode mode)
{
    return mode == ChunkMode::StrictIob2 ? QStringLiteral("strict-iob2") : QStringLiteral("conlleval");
}

std::optional<ChunkMode> chunkModeFromString(const QString &text)
{
    if (text == QLatin1String("conlleval"))
        return ChunkMode::Conlleval;
    if (text == QLatin1String("strict-iob2"))
        return ChunkMode::StrictIob2;
    return std::nullopt;
}

double EntityScore::f1() const
{
    const double p = precision(), r = recall();
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
}

namespace {

struct Tag {
    QChar prefix; // B, I, E, S, O (or anything else, read as seqeval reads it)
    QString type;
};

// "B-PER" -> (B, PER); "O" -> (O, "_"); suffix style "PER-B" -> (B, PER), as seqeval splits tags.
Tag splitTag(const QString &tag, bool suffix)
{
    if (tag.isEmpty())
        return {QLatin1Char('O'), QStringLiteral("_")};
    if (suffix) {
        QString type = tag.left(tag.size() - 1);
        const qsizetype dash = type.lastIndexOf(QLatin1Char('-'));
        type = dash >= 0 ? type.left(dash) : type;
        return {tag.back(), type.isEmpty() ? QStringLiteral("_") : type};
    }
    const QString rest = tag.mid(1);
    const qsizetype dash = rest.indexOf(QLatin1Char('-'));
    const QString type = dash >= 0 ? rest.mid(dash + 1) : rest;
    return {tag.front(), type.isEmpty() ? QStringLiteral("_") : type};
}

bool is(QChar c, char p) { return c == QLatin1Char(p); }

bool endOfChunk(const Tag &prev, const Tag &tag)
{
    const QChar p = prev.prefix, t = tag.prefix;
    if (is(p, 'E') || is(p, 'S'))
        return true;
    if ((is(p, 'B') || is(p, 'I')) && (is(t, 'B') || is(t, 'S') || is(t, 'O')))
        return true;
    return !is(p, 'O') && !is(p, '.') && prev.type != tag.type;
}

bool startOfChunk(const Tag &prev, const Tag &tag)
{
    const QChar p = prev.prefix, t = tag.prefix;
    if (is(t, 'B') || is(t, 'S'))
        return true;
    if ((is(p, 'E') || is(p, 'S') || is(p, 'O')) && (is(t, 'E') || is(t, 'I')))
        return true;
    return !is(t, 'O') && !is(t, '.') && prev.type != tag.type;
}

void conllevalChunks(const QStringList &tags, int sentence, bool suffix, QVector<Entity> &out)
{
    Tag prev{QLatin1Char('O'), QString()};
    int begin = 0;
    for (int i = 0; i <= tags.size(); ++i) {
        const Tag tag = i < tags.size() ? splitTag(tags[i], suffix) : Tag{QLatin1Char('O'), QStringLiteral("_")};
        if (endOfChunk(prev, tag))
            out.append({prev.type, sentence, begin, i - 1});
        if (startOfChunk(prev, tag))
            begin = i;
        prev = tag;
    }
}

// Strict IOB2: an entity is a B and the I's of the same type right after it.
Status strictChunks(const QStringList &tags, int sentence, bool suffix, QVector<Entity> &out)
{
    QVector<Tag> parsed;
    for (int i = 0; i < tags.size(); ++i) {
        parsed.append(splitTag(tags[i], suffix));
        const QChar p = parsed.back().prefix;
        if (!is(p, 'B') && !is(p, 'I') && !is(p, 'O'))
            return makeError(ErrorCode::BadInput, QStringLiteral("sentence %1, token %2: tag \"%3\" is not IOB2").arg(sentence + 1).arg(i + 1).arg(tags[i]));
    }
    for (int i = 0; i < parsed.size();) {
        if (!is(parsed[i].prefix, 'B')) {
            ++i;
            continue;
        }
        int end = i + 1;
        while (end < parsed.size() && is(parsed[end].prefix, 'I') && parsed[end].type == parsed[i].type)
            ++end;
        out.append({parsed[i].type, sentence, i, end - 1});
        i = end;
    }
    return {};
}

Result<QVector<Entity>> entitiesOf(const QVector<QStringList> &sentences, const SeqEvalOptions &options)
{
    QVector<Entity> out;
    for (int s = 0; s < sentences.size(); ++s) {
        if (options.mode == ChunkMode::Conlleval)
            conllevalChunks(sentences[s], s, options.suffix, out);
        else if (auto st = strictChunks(sentences[s], s, options.suffix, out); !st)
            return st.error();
    }
    return out;
}

Status sameShape(const QVector<QStringList> &gold, const QVector<QStringList> &predicted)
{
    if (gold.size() != predicted.size())
        return makeError(ErrorCode::BadInput, QStringLiteral("gold has %1 sentences, predictions %2").arg(gold.size()).arg(predicted.size()));
    for (int s = 0; s < gold.size(); ++s)
        if (gold[s].size() != predicted[s].size())
            return makeError(ErrorCode::BadInput, QStringLiteral("sentence %1: gold has %2 tags, predictions %3").arg(s + 1).arg(gold[s].size()).arg(predicted[s].size()));
    return {};
}

using EntityKey = std::tuple<QString, int, int, int>;
EntityKey keyOf(const Entity &e) { return {e.type, e.sentence, e.begin, e.end}; }

} // namespace

Result<QVector<Entity>> extractEntities(const QVector<QStringList> &sentences, const SeqEvalOptions &options)
{
    return entitiesOf(sentences, options);
}

Result<SeqEvalReport> evaluateSequences(const QVector<QStringList> &gold, const QVector<QStringList> &predicted, const SeqEvalOptions &options)
{
    if (auto s = sameShape(gold, predicted); !s)
        return s.error();
    auto goldEntities = entitiesOf(gold, options);
    auto predictedEntities = entitiesOf(predicted, options);
    if (!goldEntities || !predictedEntities)
        return goldEntities ? predictedEntities.error() : goldEntities.error();
    std::map<QString, EntityScore> byType;
    std::set<EntityKey> goldKeys;
    for (const Entity &e : *goldEntities)
        if (goldKeys.insert(keyOf(e)).second)
            ++byType[e.type].gold;
    std::set<EntityKey> predictedKeys;
    for (const Entity &e : *predictedEntities) {
        if (!predictedKeys.insert(keyOf(e)).second)
            continue;
        ++byType[e.type].predicted;
        byType[e.type].correct += goldKeys.count(keyOf(e)) ? 1 : 0;
    }
    SeqEvalReport report;
    for (auto &[type, score] : byType) {
        score.type = type;
        report.perType.append(score);
        report.overall.gold += score.gold;
        report.overall.predicted += score.predicted;
        report.overall.correct += score.correct;
    }
    for (int s = 0; s < gold.size(); ++s)
        for (int t = 0; t < gold[s].size(); ++t) {
            ++report.tokens;
            report.correctTokens += gold[s][t] == predicted[s][t] ? 1 : 0;
        }
    return report;
}

Result<double> documentExactMatchRate(const QVector<QVector<QStringList>> &gold, const QVector<QVector<QStringList>> &predicted,
                                      const SeqEvalOptions &options)
{
    if (gold.size() != predicted.size())
        return makeError(ErrorCode::BadInput, QStringLiteral("gold has %1 documents, predictions %2").arg(gold.size()).arg(predicted.size()));
    int exact = 0;
    for (int d = 0; d < gold.size(); ++d) {
        auto report = evaluateSequences(gold[d], predicted[d], options);
        if (!report)
            return makeError(ErrorCode::BadInput, QStringLiteral("document %1: %2").arg(d + 1).arg(report.error().message));
        const EntityScore &o = report->overall;
        exact += (o.correct == o.gold && o.correct == o.predicted) ? 1 : 0;
    }
    return gold.isEmpty() ? 0.0 : double(exact) / gold.size();
}

Result<ConllColumns> readConll(const QString &path, int goldColumn, int predictedColumn)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return makeError(ErrorCode::NotFound, QStringLiteral("%1: cannot be read (%2)").arg(path, file.errorString()));
    ConllColumns out;
    QStringList gold, predicted;
    auto flush = [&] {
        if (!gold.isEmpty()) {
            out.gold.append(gold);
            out.predicted.append(predicted);
        }
        gold.clear();
        predicted.clear();
    };
    QTextStream in(&file);
    for (int line = 1; !in.atEnd(); ++line) {
        const QStringList cols = in.readLine().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (cols.isEmpty()) {
            flush();
            continue;
        }
        if (cols.size() < std::max(goldColumn, predictedColumn) || goldColumn < 1 || predictedColumn < 1)
            return makeError(ErrorCode::BadInput, QStringLiteral("%1: line %2 has %3 columns, expected at least %4")
                                                      .arg(path).arg(line).arg(cols.size()).arg(std::max(goldColumn, predictedColumn)));
        gold.append(cols[goldColumn - 1]);
        predicted.append(cols[predictedColumn - 1]);
    }
    flush();
    return out;
}

} // namespace annotune::core::eval
