#include "addannotations.h"

#include <QCoreApplication>

namespace annotune::labeling {

AddAnnotations::AddAnnotations(AnnotationDocument &doc, core::Id itemId, QVector<core::Annotation> before, QVector<core::Annotation> after)
    : AnnotationChange(doc, itemId, std::move(before), std::move(after), QString())
{
    setText(QCoreApplication::translate("AddAnnotations", "Add %n label(s)", nullptr, int(m_after.size())));
}

} // namespace annotune::labeling
