#pragma once
// The geometry of one CVAT shape element (<box>, <polygon>, ..., <tag>) read from its XML
// attributes, and written back; used by the CVAT reader and writer only.

#include "dataset.h"

#include <QXmlStreamAttributes>
#include <QXmlStreamWriter>

namespace annotune::core::formats::cvat {

// The kind a shape element stands for; nullopt for elements that are not shapes.
std::optional<AnnotationKind> shapeKind(QStringView element);

// Fills label.kind, box, polygon and the attributes CVAT keeps on the element (occluded, z_order,
// source, group_id, rotation, mask run lengths). Returns why the element is invalid, or "".
QString parseShape(QStringView element, const QXmlStreamAttributes &attributes, LabelRecord &label);

// The element name for a label's kind ("box", "polygon", ...); "" for kinds CVAT cannot hold.
QString elementFor(const LabelRecord &label);

// Writes the geometry and CVAT's own attributes of the label onto the open element.
void writeShapeAttributes(QXmlStreamWriter &xml, const LabelRecord &label);

// Shortest text that reads back as the same double.
QString numberText(double v);

} // namespace annotune::core::formats::cvat
