#pragma once
// Sets the item-level tags (classification): removes unticked tag annotations, adds ticked ones.

#include "annotationchange.h"

namespace annotune::labeling {

// before holds the removed tags, after the added ones.
class SetItemTags : public AnnotationChange {
public:
    SetItemTags(AnnotationDocument &doc, core::Id itemId, QVector<core::Annotation> before, QVector<core::Annotation> after);
};

} // namespace annotune::labeling
