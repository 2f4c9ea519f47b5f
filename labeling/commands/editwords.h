#pragma once
// Corrects the OCR of a document page (edit, merge or split words) together with the fields
// whose wordIds name those words, so both change in one command and one transaction.

#include "labeling/annotationdocument.h"

#include <QUndoCommand>

namespace annotune::labeling {

// before/after: the words touched and the field annotations over them. New words carry negative
// placeholder ids until the first redo gives them real ones, kept from then on.
class EditWords : public QUndoCommand {
public:
    EditWords(AnnotationDocument &doc, core::Id itemId, AnnotationDocument::WordState before,
              AnnotationDocument::WordState after, const QString &text);
    void redo() override;
    void undo() override;
    const AnnotationDocument::WordState &after() const { return m_after; }

private:
    AnnotationDocument &m_doc;
    core::Id m_itemId;
    AnnotationDocument::WordState m_before;
    AnnotationDocument::WordState m_after;
};

} // namespace annotune::labeling
