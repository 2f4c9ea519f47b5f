#include "changeannotationclass.h"

#include <QCoreApplication>

namespace annotune::labeling {

ChangeAnnotationClass::ChangeAnnotationClass(AnnotationDocument &doc, core::Id itemId, QVector<core::Annotation> before, QVector<core::Annotation> after)
    : AnnotationChange(doc, itemId, std::move(before), std::move(after), QString())
{
    setText(QCoreApplication::translate("ChangeAnnotationClass", "Change class of %n label(s)", nullptr, int(m_after.size())));
}

} // namespace annotune::labeling
