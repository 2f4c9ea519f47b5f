#include "editgeometry.h"

#include <QCoreApplication>

namespace annotune::labeling {

EditGeometry::EditGeometry(AnnotationDocument &doc, core::Id itemId, QVector<core::Annotation> before, QVector<core::Annotation> after)
    : AnnotationChange(doc, itemId, std::move(before), std::move(after), QString())
{
    setText(QCoreApplication::translate("EditGeometry", "Edit shape"));
}

} // namespace annotune::labeling
