// OCR corrections of AnnotationDocument: edit, merge and split the words of a document page. The
// fields whose wordIds name the words follow them in the same command and the same transaction.

#include "annotationdocument.h"

#include "commands/editwords.h"
#include "core/store/annotationrepository.h"
#include "core/store/project.h"

#include <QCoreApplication>
#include <QHash>
#include <algorithm>

namespace annotune::labeling {

using core::Annotation;
using core::AnnotationKind;
using core::Id;
using core::Word;

core::Result<AnnotationDocument::WordState> AnnotationDocument::applyWordChange(Id itemId, const WordState &from,
                                                                              const WordState &to)
{
    QSet<Id> fromIds, toIds;
    for (const Word &w : from.words)
        fromIds.insert(w.id);
    for (const Word &w : to.words)
        toIds.insert(w.id);
    QVector<Id> removed;
    for (Id id : fromIds)
        if (!toIds.contains(id))
            removed.append(id);
    WordState out = to;
    const QVector<Word> oldWords = m_words;
    auto &repo = m_project.annotations();
    core::Status st = write(itemId, [&]() -> core::Status {
        QVector<Word> added;
        for (const Word &w : to.words)
            if (!fromIds.contains(w.id)) {
                added.append(w);
                if (w.id < 0)
                    added.last().id = 0;
            } else if (core::Status u = repo.updateWord(w); !u) {
                return u;
            }
        auto stored = repo.replaceWords(itemId, removed, added);
        if (!stored)
            return stored.error();
        QHash<Id, Id> real; // placeholder -> id
        int next = 0;
        for (Word &w : out.words)
            if (!fromIds.contains(w.id)) {
                real.insert(w.id, stored->at(next).id);
                w = stored->at(next++);
            }
        for (Annotation &a : out.annotations)
            for (Id &id : a.wordIds)
                id = real.value(id, id);
        if (itemId == m_item.id) { // fields read the new words while they are written
            m_words.removeIf([&](const Word &w) { return fromIds.contains(w.id); });
            m_words += out.words;
            std::sort(m_words.begin(), m_words.end(), [](const Word &a, const Word &b) { return a.index < b.index; });
        }
        if (from.annotations.isEmpty() && out.annotations.isEmpty())
            return {};
        auto fields = applyChange(itemId, from.annotations, out.annotations);
        if (!fields)
            return fields.error();
        out.annotations = *fields;
        return {};
    });
    m_lastWriteOk = bool(st);
    if (!st) {
        m_words = oldWords;
        return st.error();
    }
    if (itemId == m_item.id) {
        QVector<Id> ids;
        for (const Word &w : out.words)
            ids.append(w.id);
        Q_EMIT changed({ChangeEvent::Kind::Words, ids});
    }
    return out;
}

bool AnnotationDocument::editWord(const Word &word)
{
    const Word *current = findWord(word.id);
    if (!current || word.text.trimmed().isEmpty() || word.box.width() <= 0 || word.box.height() <= 0)
        return false;
    if (current->text == word.text && current->box == word.box)
        return false;
    WordState before{{*current}, {}}, after{{word}, {}};
    const Word saved = *current;
    Word &live = *const_cast<Word *>(current); // fields are recomputed over the edited word
    live = word;
    for (const Annotation &a : m_annotations)
        if (a.kind == AnnotationKind::Field && a.wordIds.contains(word.id)) {
            before.annotations.append(a);
            after.annotations.append(fieldOver(a, a.wordIds));
        }
    live = saved;
    return pushChange(new EditWords(*this, m_item.id, before, after, tr("Correct word \"%1\"").arg(word.text)));
}

Id AnnotationDocument::mergeWords(const QVector<Id> &wordIds)
{
    QVector<Word> parts;
    for (const Word &w : m_words)
        if (wordIds.contains(w.id))
            parts.append(w); // reading order
    if (parts.size() < 2)
        return 0;
    Word merged = parts.first();
    QStringList text;
    for (const Word &w : parts) {
        text << w.text;
        merged.box = merged.box.united(w.box);
        merged.confidence = std::min(merged.confidence, w.confidence);
    }
    merged.text = text.join(QString());
    WordState before{parts, {}}, after{{merged}, {}};
    const QSet<Id> gone(wordIds.begin(), wordIds.end());
    for (const Annotation &a : m_annotations) {
        if (a.kind != AnnotationKind::Field || std::none_of(a.wordIds.begin(), a.wordIds.end(), [&](Id w) { return gone.contains(w); }))
            continue;
        before.annotations.append(a);
        Annotation next = a;
        next.wordIds.clear();
        for (Id w : a.wordIds) {
            const Id kept = gone.contains(w) ? merged.id : w;
            if (!next.wordIds.contains(kept))
                next.wordIds.append(kept);
        }
        next.rawText.clear(); // recomputed below over the merged word
        after.annotations.append(next);
    }
    const QVector<Word> saved = m_words;
    m_words.removeIf([&](const Word &w) { return gone.contains(w.id) && w.id != merged.id; });
    for (Word &w : m_words)
        if (w.id == merged.id)
            w = merged;
    for (Annotation &a : after.annotations)
        a = fieldOver(a, a.wordIds);
    m_words = saved;
    return pushChange(new EditWords(*this, m_item.id, before, after, tr("Merge %1 words").arg(parts.size()))) ? merged.id : 0;
}

QVector<Id> AnnotationDocument::splitWord(Id wordId)
{
    const Word *current = findWord(wordId);
    if (!current)
        return {};
    const QStringList pieces = current->text.split(u' ', Qt::SkipEmptyParts);
    if (pieces.size() < 2)
        return {};
    const double perChar = current->box.width() / std::max<qsizetype>(1, current->text.size());
    QVector<Word> words;
    double x = current->box.left();
    for (int i = 0; i < pieces.size(); ++i) {
        Word w = *current;
        w.id = i == 0 ? current->id : -i; // the first piece keeps the word's id
        w.text = pieces[i];
        w.box = QRectF(x, current->box.top(), perChar * pieces[i].size(), current->box.height());
        x += perChar * (pieces[i].size() + 1);
        words.append(w);
    }
    WordState before{{*current}, {}}, after{words, {}};
    const QVector<Word> saved = m_words;
    m_words.removeIf([&](const Word &w) { return w.id == wordId; });
    m_words += words;
    for (const Annotation &a : m_annotations)
        if (a.kind == AnnotationKind::Field && a.wordIds.contains(wordId)) {
            before.annotations.append(a);
            QVector<Id> ids = a.wordIds;
            for (const Word &w : words)
                if (!ids.contains(w.id))
                    ids.append(w.id);
            after.annotations.append(fieldOver(a, ids));
        }
    m_words = saved;
    auto *cmd = new EditWords(*this, m_item.id, before, after, tr("Split word \"%1\"").arg(current->text));
    if (!pushChange(cmd))
        return {};
    QVector<Id> ids;
    for (const Word &w : cmd->after().words)
        ids.append(w.id);
    return ids;
}

} // namespace annotune::labeling
