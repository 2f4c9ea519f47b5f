#pragma once
// Adds or removes a link between two annotations of a document page (question -> answer).

#include "core/types.h"

#include <QUndoCommand>

namespace annotune::labeling {

class AnnotationDocument;

// Holds the link by value; a link added again after an undo gets a new id, which the command
// keeps for the next undo. A failed write makes the command obsolete (the stack drops it).
class LinkChange : public QUndoCommand {
public:
    LinkChange(AnnotationDocument &doc, core::Id itemId, core::AnnotationLink link, bool add, const QString &text);
    void redo() override;
    void undo() override;
    const core::AnnotationLink &link() const { return m_link; }

private:
    void apply(bool add);

    AnnotationDocument &m_doc;
    core::Id m_itemId;
    core::AnnotationLink m_link;
    bool m_add;
};

class AddLink : public LinkChange {
public:
    AddLink(AnnotationDocument &doc, core::Id itemId, core::AnnotationLink link);
};

class RemoveLink : public LinkChange {
public:
    RemoveLink(AnnotationDocument &doc, core::Id itemId, core::AnnotationLink link);
};

} // namespace annotune::labeling
