#include "editwords.h"

namespace annotune::labeling {

EditWords::EditWords(AnnotationDocument &doc, core::Id itemId, AnnotationDocument::WordState before,
                     AnnotationDocument::WordState after, const QString &text)
    : QUndoCommand(text), m_doc(doc), m_itemId(itemId), m_before(std::move(before)), m_after(std::move(after))
{
}

void EditWords::redo()
{
    auto stored = m_doc.applyWordChange(m_itemId, m_before, m_after);
    if (!stored) {
        setObsolete(true);
        m_doc.reportFailure(stored.error().message);
        return;
    }
    m_after = *stored;
}

void EditWords::undo()
{
    auto stored = m_doc.applyWordChange(m_itemId, m_after, m_before);
    if (!stored) {
        setObsolete(true);
        m_doc.reportFailure(stored.error().message);
        return;
    }
    m_before = *stored;
}

} // namespace annotune::labeling
