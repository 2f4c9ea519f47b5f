#pragma once
// Removes annotations; undo re-adds them with the same ids.

#include "annotationchange.h"

namespace annotune::labeling {

// before holds the removed annotations; after is empty.
class RemoveAnnotations : public AnnotationChange {
public:
    RemoveAnnotations(AnnotationDocument &doc, core::Id itemId, QVector<core::Annotation> before, QVector<core::Annotation> after);
};

} // namespace annotune::labeling
