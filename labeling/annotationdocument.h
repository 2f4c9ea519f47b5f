#pragma once
// The annotations of the item being edited, as an editable document over the project store.
// Every edit is an undo command built by an intent method; each command writes through to the
// store in its own transaction when it is pushed, undone or redone, so nothing is ever unsaved.

#include "changeevent.h"
#include "itemsnapshots.h"
#include "core/result.h"
#include "core/types.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QUndoGroup>
#include <functional>

class QUndoCommand;
class QUndoStack;

namespace annotune::core::store {
class Project;
}

namespace annotune::labeling {

// Holds one item (load) and its annotations in id order, mirroring the store. Undo history is
// kept per item id, so it survives navigating away and back. Workflow status changes
// (setStatus) are not undoable: they are review decisions recorded in the item's review history
// with the reviewer's name; reversing one is a new decision, recorded too.
// When a write fails the store is left as it was, the in-memory state is not touched, the command
// is dropped from the stack and writeFailed says why.
class AnnotationDocument : public QObject {
    Q_OBJECT
public:
    explicit AnnotationDocument(core::store::Project &project, QObject *parent = nullptr);
    ~AnnotationDocument() override;

    core::store::Project &project() { return m_project; }
    // Reads the item, its annotations and the classes; the item's undo stack becomes active. The
    // item and its annotations come from what prefetch read when the store has not changed since.
    core::Status load(core::Id itemId);
    // Reads the item rows and annotations of these items ahead of their load (the neighbours of
    // the current item, at idle time: see ItemSnapshots); the current item is skipped.
    void prefetch(const QVector<core::Id> &itemIds);
    // Whether load(itemId) would use what prefetch read (tests).
    bool prefetched(core::Id itemId) { return m_snapshots.holds(itemId); }
    // Re-reads the current item and the classes (after a schema change); clearHistory drops every
    // item's undo history (commands that captured the old classes could no longer be undone).
    core::Status reload(bool clearHistory);
    void clear();

    core::Id itemId() const { return m_item.id; }
    const core::Item &item() const { return m_item; }
    const QVector<core::Annotation> &annotations() const { return m_annotations; }
    const core::Annotation *find(core::Id id) const;
    const QVector<core::LabelClass> &classes() const { return m_classes; }
    const core::LabelClass *classById(core::Id id) const;
    QSet<core::Id> tagClassIds() const; // classes of the item's tag annotations

    QUndoGroup *undoGroup() { return &m_group; }
    QUndoStack *undoStack() const; // the current item's, or null
    void undo();
    void redo();

    // Intents. Each builds one command; they return what they added (empty on failure) or
    // whether anything was done. Geometry is in image pixels and kept inside the image.
    QVector<core::Id> addAnnotations(QVector<core::Annotation> annotations, const QString &text = {});
    core::Id addAnnotation(const core::Annotation &annotation);
    bool removeAnnotations(const QVector<core::Id> &ids);
    // mergeable: consecutive moves of the same ids become one command (arrow-key nudges).
    bool moveAnnotations(const QVector<core::Id> &ids, QPointF delta, bool mergeable = false);
    bool resizeBox(core::Id id, const QRectF &box);
    bool setVertices(core::Id id, const QPolygonF &polygon);
    bool moveVertex(core::Id id, int index, const QPointF &to);
    bool insertVertex(core::Id id, int index, const QPointF &at);
    bool removeVertex(core::Id id, int index);
    bool setClass(const QVector<core::Id> &ids, core::Id classId);
    bool setTags(const QSet<core::Id> &tagClassIds);
    QVector<core::Id> duplicate(const QVector<core::Id> &ids, QPointF offset);
    // Copies of annotations (any item) added to this item, clipped to it; ids are new.
    QVector<core::Id> paste(const QVector<core::Annotation> &annotations, QPointF offset = {});
    // Moves the item through the review workflow (not undoable, see above).
    core::Status setStatus(core::ItemStatus status, const QString &comment = {});

    // Document pages (see documentintents.cpp): the page's words in reading order and the links
    // between its annotations, read with the item.
    const QVector<core::Word> &words() const { return m_words; }
    const core::Word *findWord(core::Id id) const;
    const QVector<core::AnnotationLink> &links() const { return m_links; }
    // Makes the words a Field annotation of classId (rawText: their text in reading order, value:
    // normalised, box: their union). A word belongs to one field: it leaves any other field, and
    // a field left without words is removed, all in one command. Returns the new id or 0.
    core::Id assignWordsToField(const QVector<core::Id> &wordIds, core::Id classId);
    // Replaces the words of an existing field (value and raw text follow them).
    bool setFieldWords(core::Id annotationId, const QVector<core::Id> &wordIds);
    // Edits a field's normalised value; its raw text is kept.
    bool setFieldValue(core::Id annotationId, const QString &value);
    core::Id addLink(core::Id fromId, core::Id toId);
    bool removeLink(core::Id linkId);
    // OCR corrections; fields over the words follow them in the same command and transaction.
    bool editWord(const core::Word &word);
    core::Id mergeWords(const QVector<core::Id> &wordIds);
    QVector<core::Id> splitWord(core::Id wordId);

    // For link commands: removes and adds links in one transaction; returns the added as stored.
    core::Result<QVector<core::AnnotationLink>> applyLinkChange(core::Id itemId,
                                                                const QVector<core::AnnotationLink> &remove,
                                                                const QVector<core::AnnotationLink> &add);
    // For word commands: the words and the field annotations over them, before or after an edit.
    // New words have negative placeholder ids, which annotations' wordIds may name; applyWordChange
    // writes `to` in place of `from` in one transaction and returns `to` with the real ids.
    struct WordState {
        QVector<core::Word> words;
        QVector<core::Annotation> annotations;
    };
    core::Result<WordState> applyWordChange(core::Id itemId, const WordState &from, const WordState &to);

    // For commands: writes the change from `from` to `to` (ids only in from are removed, ids only
    // in to or 0 are added keeping a given id, ids in both are updated) in one transaction and
    // mirrors it in memory when itemId is loaded. Returns the stored `to` rows.
    core::Result<QVector<core::Annotation>> applyChange(core::Id itemId, const QVector<core::Annotation> &from,
                                                         const QVector<core::Annotation> &to);
    // Reports a failed command write (the command is dropped).
    void reportFailure(const QString &message) { Q_EMIT writeFailed(message); }

    // Clips a shape to the image; false when nothing usable of it is left.
    bool clipToImage(core::Annotation &a) const;
    static bool polygonUsable(const core::Annotation &a);

Q_SIGNALS:
    void changed(const annotune::labeling::ChangeEvent &event);
    void writeFailed(const QString &message);

private:
    // Runs fn, the document's write to itemId's rows, in one transaction, and lets the snapshots
    // read ahead know which item it wrote.
    core::Status write(core::Id itemId, const std::function<core::Status()> &fn);
    bool pushChange(QUndoCommand *command);
    QVector<core::Annotation> snapshot(const QVector<core::Id> &ids) const;
    bool editOne(core::Id id, const std::function<bool(core::Annotation &)> &edit);
    void mirror(const QVector<core::Id> &removed, const QVector<core::Annotation> &stored);
    void reindex();
    core::Status readClasses();
    core::Status readPage();
    core::Annotation fieldOver(core::Annotation a, QVector<core::Id> wordIds) const;

    core::store::Project &m_project;
    core::Item m_item;
    QVector<core::Annotation> m_annotations; // id order
    QHash<core::Id, int> m_index;
    QVector<core::LabelClass> m_classes;
    QVector<core::Word> m_words;             // document pages only, reading order
    QVector<core::AnnotationLink> m_links;
    QUndoGroup m_group;
    QHash<core::Id, QUndoStack *> m_stacks;  // owned by m_group's parent (this)
    QVector<core::Id> m_lastWritten;         // ids of the last successful applyChange
    bool m_lastWriteOk = false;
    core::Id m_highWater = 0;                // highest annotation id handed out or seen
    ItemSnapshots m_snapshots;               // neighbours' rows read ahead
};

} // namespace annotune::labeling
