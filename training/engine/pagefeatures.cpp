#include "pagefeatures.h"

#include <QHash>
#include <algorithm>
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

int64_t bin(double v) { return std::clamp<int64_t>(int64_t(v * kPositionBins), 0, kPositionBins - 1); }

} // namespace

PageFeatures pageFeatures(const SnapshotItem &page, int64_t buckets, const std::function<int(Id)> &classIndex)
{
    PageFeatures f;
    const double w = std::max(1, page.item.width), h = std::max(1, page.item.height);
    QHash<Id, int> position;
    for (const Word &word : page.words) {
        position.insert(word.id, int(f.wordIds.size()));
        f.offsets.push_back(int64_t(f.ngrams.size()));
        addWordNgrams(word.text, buckets, f.ngrams);
        f.wordHash.push_back(int64_t(fnv1a(word.text.toLower().toUtf8(), 9) % uint64_t(kWordTargets)));
        for (double v : {word.box.left() / w, word.box.top() / h, word.box.right() / w, word.box.bottom() / h})
            f.boxes.push_back(bin(v));
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
    std::vector<FieldSpan> best;
    for (FieldSpan &s : spans) {
        s.score /= double(s.words.size());
        auto it = std::find_if(best.begin(), best.end(), [&](const FieldSpan &b) { return b.cls == s.cls; });
        if (it == best.end())
            best.push_back(s);
        else if (s.score > it->score)
            *it = s;
    }
    return best;
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
