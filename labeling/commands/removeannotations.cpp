#include "removeannotations.h"

#include <QCoreApplication>

namespace annotune::labeling {

RemoveAnnotations::RemoveAnnotations(AnnotationDocument &doc, core::Id itemId, QVector<core::Annotation> before, QVector<core::Annotation> after)
    : AnnotationChange(doc, itemId, std::move(before), std::move(after), QString())
{
    setText(QCoreApplication::translate("RemoveAnnotations", "Delete %n label(s)", nullptr, int(m_before.size())));
}

} // namespace annotune::labeling
