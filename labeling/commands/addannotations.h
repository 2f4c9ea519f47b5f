#pragma once
// Adds annotations (drawn, pasted, duplicated, copied from another item).

#include "annotationchange.h"

namespace annotune::labeling {

// before is empty; after holds the new annotations (id 0, or a kept id).
class AddAnnotations : public AnnotationChange {
public:
    AddAnnotations(AnnotationDocument &doc, core::Id itemId, QVector<core::Annotation> before, QVector<core::Annotation> after);
};

} // namespace annotune::labeling
