#pragma once
// What the extraction model reads from a page: per word, hashed character n-grams (no vocabulary),
// a whole-word hash (the masked-word target), its box normalised to the page and quantised, and a
// BIO tag over the field classes. And the way back: tags to field spans.

#include "training/engine/snapshot.h"

#include <cstdint>
#include <vector>

namespace annotune::training::engine {

inline constexpr int64_t kPositionBins = 128;
inline constexpr int64_t kWordTargets = 4096; // buckets of the masked-word objective

struct PageFeatures {
    std::vector<int64_t> ngrams;   // hashed n-gram ids of all words, concatenated
    std::vector<int64_t> offsets;  // start of each word in ngrams
    // Layout context: hashed text of the nearest words to the left (up to three), to the right and
    // above, each salted by its role (what the key of a key-value pair usually is), and how the words
    // before and after it in reading order sit (on the same line close by, at the next line, far),
    // concatenated.
    std::vector<int64_t> context;
    std::vector<int64_t> contextOffsets;
    std::vector<int64_t> wordHash; // per word, in [0, kWordTargets)
    std::vector<int64_t> boxes;    // per word x0, y0, x1, y1 in [0, kPositionBins)
    std::vector<int64_t> tags;     // per word: 0 = O, 1 + 2c = B-c, 2 + 2c = I-c
    std::vector<int8_t> steps;     // per word: stepKind from the word before it (the first: kStepElsewhere)
    std::vector<core::Id> wordIds;
    std::vector<QString> texts;
    int64_t count() const { return int64_t(wordIds.size()); }
};

// The up to three nearest words to the left on the same line (nearest first), the nearest to the
// right and the nearest above (overlapping horizontally, within three line heights); -1 when none.
struct WordNeighbours {
    int left[3] = {-1, -1, -1};
    int right = -1;
    int above = -1;
};
std::vector<WordNeighbours> wordNeighbours(const QVector<core::Word> &words);

// How a word follows the one before it in reading order, finer than the context feature, for
// decoding: on the same line by the gap in line heights (the smaller of the two words' heights:
// under 0.2, 0.4, 0.6, 0.8, 1, 1.5, 2, 3, 5, or more), at the next line starting within a line
// height of the previous word's start or elsewhere left of its end, or anywhere else.
inline constexpr int kStepKinds = 13;
inline constexpr int kStepElsewhere = kStepKinds - 1;
int stepKind(const QRectF &from, const QRectF &to);

// Log-probabilities of each tag after each tag, per step kind, counted on labelled pages with one
// added to every count. Decoding adds them, times weight, to the words' own tag log-probabilities:
// in forms, two words a word-space apart on one line nearly always belong to the same entity, and
// the next line often starts a new one, which the tagger's per-word guesses alone get wrong at
// entity boundaries.
struct TagTransitions {
    int64_t tags = 0;
    double weight = 0;
    std::vector<double> logp; // [kStepKinds][tags][tags]
    bool empty() const { return weight == 0 || logp.size() != size_t(kStepKinds * tags * tags); }
    double at(int kind, int64_t from, int64_t to) const { return logp[size_t((kind * tags + from) * tags + to)]; }
};
TagTransitions countTransitions(const std::vector<PageFeatures> &pages, int64_t numTags, double weight);

// classIndex maps a field's class id to its index (-1: not a trained class).
PageFeatures pageFeatures(const SnapshotItem &page, int64_t buckets, const std::function<int(core::Id)> &classIndex);

struct FieldSpan {
    int cls = 0;
    std::vector<int> words; // indexes into the page's words
    double score = 0;
};

// Assembles spans from per-word tags: a B starts one, I continues the same class, an I after
// another class starts one too. Every span, in page order.
std::vector<FieldSpan> spansFromTags(const std::vector<int64_t> &tags, const std::vector<float> &scores);

// The best tag sequence under the BIO rules (an I-c only after B-c or I-c) for per-word tag
// probabilities probs [n x numTags], plus the transitions' scores when given with the words' step
// kinds (steps, n of them), then its spans, each scored by its words' mean probability.
// single[c]: class c has one value per page (an invoice's total), so only its best span is kept;
// otherwise (form entities) every span is.
std::vector<FieldSpan> decodeSpans(const float *probs, int64_t n, int64_t numTags, const std::vector<bool> &single,
                                   const std::vector<int8_t> &steps = {}, const TagTransitions &transitions = {});

// Field-level counts: a predicted span is right when its class and words equal a labelled field's.
struct FieldCounts {
    int64_t truePositives = 0, falsePositives = 0, falseNegatives = 0;
    double f1() const;
};
void countFields(const std::vector<FieldSpan> &predicted, const std::vector<int64_t> &goldTags, FieldCounts &counts);

} // namespace annotune::training::engine
