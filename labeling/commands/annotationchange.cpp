#include "annotationchange.h"

#include "labeling/annotationdocument.h"

namespace annotune::labeling {

AnnotationChange::AnnotationChange(AnnotationDocument &doc, core::Id itemId, QVector<core::Annotation> before,
                                   QVector<core::Annotation> after, const QString &text)
    : QUndoCommand(text), m_doc(doc), m_itemId(itemId), m_before(std::move(before)), m_after(std::move(after))
{
}

void AnnotationChange::redo()
{
    auto stored = m_doc.applyChange(m_itemId, m_before, m_after);
    if (!stored) {
        setObsolete(true);
        m_doc.reportFailure(stored.error().message);
        return;
    }
    m_after = *stored; // new annotations now carry their ids
}

void AnnotationChange::undo()
{
    auto stored = m_doc.applyChange(m_itemId, m_after, m_before);
    if (!stored) {
        setObsolete(true);
        m_doc.reportFailure(stored.error().message);
        return;
    }
    m_before = *stored;
}

} // namespace annotune::labeling
