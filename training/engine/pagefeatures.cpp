#include "pagefeatures.h"

#include <QHash>
#include <algorithm>
#include <cmath>
#include <set>

namespace annotune::training::engine {

using namespace annotune::core;

namespace {

uint64_t fnv1a(const QByteArray &bytes, uint64_t salt)
{
    uint64_t h = 1469598103934665603ull ^ (salt * 0x9E3779B97F4A7C15ull);
    for (char c : bytes) {
        h ^= uint8_t(c);
        h *= 1099511628211ull;
    }
    return h;
}

// Digits become 0, letters a or A, runs collapsed: "INV-2024" -> "A-0".
QString shapeOf(const QString &w)
{
    QString s;
    for (QChar c : w) {
        const QChar k = c.isDigit() ? QLatin1Char('0') : c.isUpper() ? QLatin1Char('A') : c.isLetter() ? QLatin1Char('a') : c;
        if (s.isEmpty() || s.back() != k)
            s.append(k);
    }
    return s;
}

void addWordNgrams(const QString &text, int64_t buckets, std::vector<int64_t> &out)
{
    const QString lower = text.toLower();
    const QString padded = QLatin1Char('<') + lower + QLatin1Char('>');
    out.push_back(int64_t(fnv1a(lower.toUtf8(), 1) % uint64_t(buckets)));
    out.push_back(int64_t(fnv1a(shapeOf(text).toUtf8(), 2) % uint64_t(buckets)));
    for (int n = 3; n <= 4; ++n)
        for (int i = 0; i + n <= padded.size(); ++i)
            out.push_back(int64_t(fnv1a(padded.mid(i, n).toUtf8(), uint64_t(n)) % uint64_t(buckets)));
}

int64_t hashed(const QString &text, uint64_t salt, int64_t buckets)
{
    return int64_t(fnv1a(text.toUtf8(), salt) % uint64_t(buckets));
}

// Salts of the context roles; distinct from the word's own n-gram salts (1..9).
constexpr uint64_t kLeftSalt = 101, kRightSalt = 111, kAboveSalt = 121, kShapeSalt = 131, kOrderSalt = 141;

// A neighbour's text as a key: lower case without punctuation ("Date:" and "date" alike).
QString keyOf(const QString &text)
{
    QString k;
    for (QChar c : text)
        if (c.isLetterOrNumber())
            k.append(c.toLower());
    return k.isEmpty() ? text : k;
}

void addContext(const QVector<Word> &words, const WordNeighbours &n, int64_t buckets, std::vector<int64_t> &out)
{
    const QString none = QStringLiteral("<none>");
    const auto keyAt = [&](int i) { return i < 0 ? none : keyOf(words[i].text); };
    for (int k = 0; k < 3; ++k) {
        out.push_back(hashed(keyAt(n.left[k]), kLeftSalt + uint64_t(k), buckets)); // at that distance
        if (n.left[k] >= 0)
            out.push_back(hashed(keyAt(n.left[k]), kLeftSalt + 9, buckets)); // anywhere to the left
    }
    out.push_back(hashed(n.left[0] < 0 ? none : shapeOf(words[n.left[0]].text), kShapeSalt, buckets));
    out.push_back(hashed(keyAt(n.right), kRightSalt, buckets));
    out.push_back(hashed(n.right < 0 ? none : shapeOf(words[n.right].text), kShapeSalt + 1, buckets));
    out.push_back(hashed(keyAt(n.above), kAboveSalt, buckets));
}

// How the word after `from` in the page's reading order (the order of its words: a PDF's text
// layer, OCR's lines, the source file's) sits relative to it: where a field's words continue (the
// same line close by, the start of the next line) and where a new one starts.
enum class Step { None, NextOnLine, GapOnLine, NextLine, Jump };

Step stepBetween(const QRectF &from, const QRectF &to)
{
    // The coarse form of stepKind: on the line under 1.5 line heights apart (kinds 0-5) or further.
    const int kind = stepKind(from, to);
    return kind <= 5 ? Step::NextOnLine : kind <= 9 ? Step::GapOnLine : kind < kStepElsewhere ? Step::NextLine : Step::Jump;
}

// The steps from the previous word to this one and from this one to the next, as context ids.
void addReadingOrder(const QVector<Word> &words, qsizetype i, int64_t buckets, std::vector<int64_t> &out)
{
    const Step in = i > 0 ? stepBetween(words[i - 1].box, words[i].box) : Step::None;
    const Step onward = i + 1 < words.size() ? stepBetween(words[i].box, words[i + 1].box) : Step::None;
    out.push_back(hashed(QString::number(int(in)), kOrderSalt, buckets));
    out.push_back(hashed(QString::number(int(onward)), kOrderSalt + 1, buckets));
    out.push_back(hashed(QString::number(int(in) * 8 + int(onward)), kOrderSalt + 2, buckets));
}

int64_t bin(double v) { return std::clamp<int64_t>(int64_t(v * kPositionBins), 0, kPositionBins - 1); }

} // namespace

int stepKind(const QRectF &from, const QRectF &to)
{
    const double h = std::max(1.0, std::min(from.height(), to.height()));
    const double vOverlap = std::min(from.bottom(), to.bottom()) - std::max(from.top(), to.top());
    if (vOverlap > 0.5 * h && to.left() >= from.right() - 0.3 * h) {
        const double gap = (to.left() - from.right()) / h;
        int kind = 0;
        for (const double limit : {0.2, 0.4, 0.6, 0.8, 1.0, 1.5, 2.0, 3.0, 5.0})
            if (gap >= limit)
                ++kind;
        return kind; // 0..9
    }
    const double below = to.top() - from.bottom();
    if (below > -0.3 * h && below < 1.5 * h && to.left() < from.right())
        return std::abs(to.left() - from.left()) < h ? 10 : 11;
    return kStepElsewhere;
}

TagTransitions countTransitions(const std::vector<PageFeatures> &pages, int64_t numTags, double weight)
{
    TagTransitions t;
    t.tags = numTags;
    t.weight = weight;
    std::vector<double> counts(size_t(kStepKinds * numTags * numTags), 1.0);
    for (const PageFeatures &p : pages)
        for (size_t i = 1; i < p.tags.size() && i < p.steps.size(); ++i)
            if (p.tags[i - 1] >= 0 && p.tags[i - 1] < numTags && p.tags[i] >= 0 && p.tags[i] < numTags)
                counts[size_t((p.steps[i] * numTags + p.tags[i - 1]) * numTags + p.tags[i])] += 1;
    t.logp.resize(counts.size());
    for (int64_t row = 0; row < kStepKinds * numTags; ++row) {
        double total = 0;
        for (int64_t to = 0; to < numTags; ++to)
            total += counts[size_t(row * numTags + to)];
        for (int64_t to = 0; to < numTags; ++to)
            t.logp[size_t(row * numTags + to)] = std::log(counts[size_t(row * numTags + to)] / total);
    }
    return t;
}

std::vector<WordNeighbours> wordNeighbours(const QVector<Word> &words)
{
    const qsizetype n = words.size();
    std::vector<WordNeighbours> out(static_cast<size_t>(n));
    for (qsizetype i = 0; i < n; ++i) {
        const QRectF &a = words[i].box;
        const double h = std::max(1.0, a.height());
        std::vector<std::pair<double, int>> left;
        double rightGap = 1e300, aboveGap = 1e300;
        WordNeighbours &nb = out[size_t(i)];
        for (qsizetype j = 0; j < n; ++j) {
            if (j == i)
                continue;
            const QRectF &b = words[j].box;
            const double vOverlap = std::min(a.bottom(), b.bottom()) - std::max(a.top(), b.top());
            const bool sameLine = vOverlap > 0.5 * std::min(h, std::max(1.0, b.height()));
            if (sameLine && b.right() <= a.left() + 0.3 * h) {
                left.push_back({a.left() - b.right(), int(j)});
            } else if (sameLine && b.left() >= a.right() - 0.3 * h) {
                if (const double gap = b.left() - a.right(); gap < rightGap) {
                    rightGap = gap;
                    nb.right = int(j);
                }
            } else if (!sameLine && b.bottom() <= a.top() + 0.3 * h) {
                const double hOverlap = std::min(a.right(), b.right()) - std::max(a.left(), b.left());
                const double gap = a.top() - b.bottom();
                if (hOverlap > 0 && gap < 3 * h && gap < aboveGap) {
                    aboveGap = gap;
                    nb.above = int(j);
                }
            }
        }
        const size_t keep = std::min<size_t>(3, left.size());
        std::partial_sort(left.begin(), left.begin() + long(keep), left.end());
        for (size_t k = 0; k < keep; ++k)
            nb.left[k] = left[k].second;
    }
    return out;
}

PageFeatures pageFeatures(const SnapshotItem &page, int64_t buckets, const std::function<int(Id)> &classIndex)
{
    PageFeatures f;
    const double w = std::max(1, page.item.width), h = std::max(1, page.item.height);
    QHash<Id, int> position;
    const std::vector<WordNeighbours> neighbours = wordNeighbours(page.words);
    for (const Word &word : page.words) {
        f.contextOffsets.push_back(int64_t(f.context.size()));
        addContext(page.words, neighbours[f.wordIds.size()], buckets, f.context);
        addReadingOrder(page.words, qsizetype(f.wordIds.size()), buckets, f.context);
        position.insert(word.id, int(f.wordIds.size()));
        f.offsets.push_back(int64_t(f.ngrams.size()));
        addWordNgrams(word.text, buckets, f.ngrams);
        f.wordHash.push_back(int64_t(fnv1a(word.text.toLower().toUtf8(), 9) % uint64_t(kWordTargets)));
        for (double v : {word.box.left() / w, word.box.top() / h, word.box.right() / w, word.box.bottom() / h})
            f.boxes.push_back(bin(v));
        f.steps.push_back(int8_t(f.wordIds.empty() ? kStepElsewhere : stepKind(page.words[qsizetype(f.wordIds.size()) - 1].box, word.box)));
        f.wordIds.push_back(word.id);
        f.texts.push_back(word.text);
    }
    f.tags.assign(f.wordIds.size(), 0);
    for (const Annotation &a : page.annotations) {
        const int cls = classIndex(a.classId);
        std::vector<int> at;
        for (Id id : a.wordIds)
            if (position.contains(id))
                at.push_back(position.value(id));
        std::sort(at.begin(), at.end());
        for (size_t k = 0; cls >= 0 && k < at.size(); ++k)
            f.tags[size_t(at[k])] = (k == 0 ? 1 : 2) + 2 * cls;
    }
    return f;
}

std::vector<FieldSpan> spansFromTags(const std::vector<int64_t> &tags, const std::vector<float> &scores)
{
    std::vector<FieldSpan> spans;
    int open = -1; // class of the span being built
    for (size_t i = 0; i < tags.size(); ++i) {
        const int64_t t = tags[i];
        const int cls = t == 0 ? -1 : int((t - 1) / 2);
        const bool begin = t != 0 && ((t - 1) % 2 == 0 || cls != open);
        if (t == 0) {
            open = -1;
            continue;
        }
        if (begin)
            spans.push_back({cls, {}, 0});
        spans.back().words.push_back(int(i));
        spans.back().score += scores[i];
        open = cls;
    }
    for (FieldSpan &s : spans)
        s.score /= double(s.words.size());
    return spans;
}

std::vector<FieldSpan> decodeSpans(const float *probs, int64_t n, int64_t numTags, const std::vector<bool> &single,
                                   const std::vector<int8_t> &steps, const TagTransitions &transitions)
{
    const bool scored = !transitions.empty() && transitions.tags == numTags && int64_t(steps.size()) == n;
    // Viterbi over tags; transitions are free except the forbidden ones (I-c not after B-c / I-c).
    const auto allowed = [](int64_t from, int64_t to) {
        if (to == 0 || (to - 1) % 2 == 0)
            return true; // O or B-c: always
        const int64_t cls = (to - 1) / 2;
        return from == 1 + 2 * cls || from == 2 + 2 * cls;
    };
    constexpr double kNever = -1e300;
    std::vector<double> score(static_cast<size_t>(numTags)), next(static_cast<size_t>(numTags));
    std::vector<int64_t> back(static_cast<size_t>(std::max<int64_t>(0, n) * numTags), 0);
    const auto logp = [&](int64_t i, int64_t t) { return std::log(std::max(1e-12f, probs[i * numTags + t])); };
    for (int64_t t = 0; t < numTags; ++t)
        score[size_t(t)] = allowed(0, t) ? logp(0, t) : kNever;
    for (int64_t i = 1; i < n; ++i) {
        for (int64_t t = 0; t < numTags; ++t) {
            double best = kNever;
            int64_t from = 0;
            for (int64_t f = 0; f < numTags; ++f) {
                if (!allowed(f, t) || score[size_t(f)] <= kNever)
                    continue;
                const double s = score[size_t(f)] + (scored ? transitions.weight * transitions.at(steps[size_t(i)], f, t) : 0.0);
                if (s > best) {
                    best = s;
                    from = f;
                }
            }
            next[size_t(t)] = best <= kNever ? kNever : best + logp(i, t);
            back[size_t(i * numTags + t)] = from;
        }
        score.swap(next);
    }
    std::vector<int64_t> tags(static_cast<size_t>(std::max<int64_t>(0, n)), 0);
    std::vector<float> chosen(tags.size(), 0.f);
    if (n > 0) {
        int64_t t = int64_t(std::max_element(score.begin(), score.end()) - score.begin());
        for (int64_t i = n - 1; i >= 0; --i) {
            tags[size_t(i)] = t;
            chosen[size_t(i)] = probs[i * numTags + t];
            t = back[size_t(i * numTags + t)];
        }
    }
    std::vector<FieldSpan> kept;
    for (FieldSpan &s : spansFromTags(tags, chosen)) {
        const bool one = size_t(s.cls) >= single.size() || single[size_t(s.cls)];
        auto it = one ? std::find_if(kept.begin(), kept.end(), [&](const FieldSpan &b) { return b.cls == s.cls; }) : kept.end();
        if (it == kept.end())
            kept.push_back(std::move(s));
        else if (s.score > it->score)
            *it = std::move(s);
    }
    return kept;
}

double FieldCounts::f1() const
{
    const double denominator = double(2 * truePositives + falsePositives + falseNegatives);
    return denominator > 0 ? 2.0 * double(truePositives) / denominator : 1.0;
}

void countFields(const std::vector<FieldSpan> &predicted, const std::vector<int64_t> &goldTags, FieldCounts &counts)
{
    const std::vector<FieldSpan> gold = spansFromTags(goldTags, std::vector<float>(goldTags.size(), 1.f));
    std::set<std::pair<int, std::vector<int>>> truth;
    for (const FieldSpan &g : gold)
        truth.insert({g.cls, g.words});
    for (const FieldSpan &p : predicted) {
        if (truth.erase({p.cls, p.words}))
            ++counts.truePositives;
        else
            ++counts.falsePositives;
    }
    counts.falseNegatives += int64_t(truth.size());
}

} // namespace annotune::training::engine
