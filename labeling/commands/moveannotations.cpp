#include "moveannotations.h"

#include <QCoreApplication>

namespace annotune::labeling {

MoveAnnotations::MoveAnnotations(AnnotationDocument &doc, core::Id itemId, QVector<core::Annotation> before,
                                 QVector<core::Annotation> after, bool mergeable)
    : AnnotationChange(doc, itemId, std::move(before), std::move(after), QString()), m_mergeable(mergeable)
{
    setText(QCoreApplication::translate("MoveAnnotations", "Move %n label(s)", nullptr, int(m_after.size())));
}

bool MoveAnnotations::mergeWith(const QUndoCommand *other)
{
    const auto *move = dynamic_cast<const MoveAnnotations *>(other);
    if (!move || move->itemId() != itemId() || move->after().size() != m_after.size())
        return false;
    for (qsizetype i = 0; i < m_after.size(); ++i)
        if (move->after()[i].id != m_after[i].id)
            return false;
    m_after = move->after();
    return true;
}

} // namespace annotune::labeling
