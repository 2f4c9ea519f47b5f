#pragma once
// Gives annotations another class.

#include "annotationchange.h"

namespace annotune::labeling {

// before/after differ only in classId.
class ChangeAnnotationClass : public AnnotationChange {
public:
    ChangeAnnotationClass(AnnotationDocument &doc, core::Id itemId, QVector<core::Annotation> before, QVector<core::Annotation> after);
};

} // namespace annotune::labeling
