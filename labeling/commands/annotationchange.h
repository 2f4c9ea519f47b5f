#pragma once
// The base of every annotation command: the states of the annotations it touches before and after,
// by id, written through the document (and so to the store) on redo and undo.

#include "core/types.h"

#include <QUndoCommand>
#include <QVector>

namespace annotune::labeling {

class AnnotationDocument;

// Holds the item id and full before/after states (ids, never pointers). An annotation present only
// in `after` is added, only in `before` removed, in both updated. New annotations get their ids on
// the first redo and keep them afterwards (undo then redo restores the same ids). A write that
// fails marks the command obsolete, so the stack drops it and memory stays as the store is.
class AnnotationChange : public QUndoCommand {
public:
    AnnotationChange(AnnotationDocument &doc, core::Id itemId, QVector<core::Annotation> before,
                     QVector<core::Annotation> after, const QString &text);

    void redo() override;
    void undo() override;

    core::Id itemId() const { return m_itemId; }
    const QVector<core::Annotation> &before() const { return m_before; }
    const QVector<core::Annotation> &after() const { return m_after; }

protected:
    AnnotationDocument &m_doc;
    core::Id m_itemId;
    QVector<core::Annotation> m_before;
    QVector<core::Annotation> m_after;
};

} // namespace annotune::labeling
