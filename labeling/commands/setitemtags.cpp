#include "setitemtags.h"

#include <QCoreApplication>

namespace annotune::labeling {

SetItemTags::SetItemTags(AnnotationDocument &doc, core::Id itemId, QVector<core::Annotation> before, QVector<core::Annotation> after)
    : AnnotationChange(doc, itemId, std::move(before), std::move(after), QString())
{
    setText(QCoreApplication::translate("SetItemTags", "Set tags"));
}

} // namespace annotune::labeling
