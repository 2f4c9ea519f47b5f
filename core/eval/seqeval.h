#pragma once
// Entity-level scores for tagged sequences, as seqeval computes them. The default mode follows
// conlleval's tolerant chunking (IOB1, IOB2, IOE and BIOES tags all read; an I after O or after
// another type opens a chunk); the strict IOB2 mode only counts B followed by I of the same type.

#include "core/result.h"

#include <QStringList>
#include <QVector>

#include <optional>

namespace annotune::core::eval {

enum class ChunkMode { Conlleval, StrictIob2 };
QString toText(ChunkMode mode);
std::optional<ChunkMode> chunkModeFromString(const QString &text);

struct SeqEvalOptions {
    ChunkMode mode = ChunkMode::Conlleval;
    bool suffix = false; // tags written PER-B instead of B-PER
};

// A chunk: its type and its first and last token in its sentence.
struct Entity {
    QString type;
    int sentence = 0;
    int begin = 0;
    int end = 0; // inclusive
    bool operator==(const Entity &) const = default;
};

// Chunks of tagged sentences. Fails in strict mode on a tag IOB2 does not allow (naming the
// sentence and token).
Result<QVector<Entity>> extractEntities(const QVector<QStringList> &sentences, const SeqEvalOptions &options = {});

struct EntityScore {
    QString type; // empty for the micro-average over all types
    int gold = 0;
    int predicted = 0;
    int correct = 0;
    double precision() const { return predicted == 0 ? 0 : double(correct) / predicted; }
    double recall() const { return gold == 0 ? 0 : double(correct) / gold; }
    double f1() const;
};

struct SeqEvalReport {
    QVector<EntityScore> perType; // sorted by type
    EntityScore overall;
    int tokens = 0;
    int correctTokens = 0; // tags equal token by token, conlleval's accuracy
    double accuracy() const { return tokens == 0 ? 0 : double(correctTokens) / tokens; }
};

// gold and predicted must have the same sentences and lengths; a mismatch names the sentence.
Result<SeqEvalReport> evaluateSequences(const QVector<QStringList> &gold, const QVector<QStringList> &predicted,
                                        const SeqEvalOptions &options = {});

// Fraction of documents (each a list of sentences) whose predicted entities equal the gold ones
// exactly; 0 for no documents.
Result<double> documentExactMatchRate(const QVector<QVector<QStringList>> &gold, const QVector<QVector<QStringList>> &predicted,
                                      const SeqEvalOptions &options = {});

// Reads whitespace-separated columns, one token a line, a blank line between sentences (CoNLL).
// Columns count from 1; a line with too few columns fails, naming the file and line.
struct ConllColumns {
    QVector<QStringList> gold;
    QVector<QStringList> predicted;
};
Result<ConllColumns> readConll(const QString &path, int goldColumn, int predictedColumn);

} // namespace annotune::core::eval
