#include "linkcommands.h"

#include "labeling/annotationdocument.h"

#include <QCoreApplication>

namespace annotune::labeling {

LinkChange::LinkChange(AnnotationDocument &doc, core::Id itemId, core::AnnotationLink link, bool add, const QString &text)
    : QUndoCommand(text), m_doc(doc), m_itemId(itemId), m_link(std::move(link)), m_add(add)
{
}

void LinkChange::redo()
{
    apply(m_add);
}

void LinkChange::undo()
{
    apply(!m_add);
}

void LinkChange::apply(bool add)
{
    auto stored = add ? m_doc.applyLinkChange(m_itemId, {}, {m_link}) : m_doc.applyLinkChange(m_itemId, {m_link}, {});
    if (!stored) {
        setObsolete(true);
        m_doc.reportFailure(stored.error().message);
        return;
    }
    if (add && !stored->isEmpty())
        m_link = stored->first();
}

AddLink::AddLink(AnnotationDocument &doc, core::Id itemId, core::AnnotationLink link)
    : LinkChange(doc, itemId, std::move(link), true, QCoreApplication::translate("AddLink", "Link labels"))
{
}

RemoveLink::RemoveLink(AnnotationDocument &doc, core::Id itemId, core::AnnotationLink link)
    : LinkChange(doc, itemId, std::move(link), false, QCoreApplication::translate("RemoveLink", "Remove link"))
{
}

} // namespace annotune::labeling
