#pragma once
// Changes the geometry of annotations: a box resized, a polygon's vertices moved, inserted or removed.

#include "annotationchange.h"

namespace annotune::labeling {

// One command per finished gesture (the tool calls the document on release).
class EditGeometry : public AnnotationChange {
public:
    EditGeometry(AnnotationDocument &doc, core::Id itemId, QVector<core::Annotation> before, QVector<core::Annotation> after);
};

} // namespace annotune::labeling
