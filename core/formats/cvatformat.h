#pragma once
// CVAT for images 1.1 XML: one file with the label schema in <meta> and each image's shapes
// (box, polygon, polyline, points, ellipse, mask, tag) with their CVAT attributes.
// Format extras live in LabelRecord::attributes: occluded, z_order, source, group_id, rotation,
// "attributes" (the shape's <attribute> children by name) and, for masks, "rle" holding
// {"cvat_rle", "left", "top", "width", "height"} as CVAT wrote them.

#include "registry.h"

#include <optional>

namespace annotune::core::formats {

// Reads a CVAT for images file (or a folder holding annotations.xml). Fails with BadInput naming
// the file, the line or record (<image id="3" name="x.jpg"> polygon 2) and the reason; refuses
// DTDs and entities, CVAT for video tracks, images without a size, duplicate image ids.
Result<Dataset> readCvat(const QString &path, const ReadOptions &options);

// Writes a CVAT for images 1.1 file through a QSaveFile; what CVAT cannot hold goes to the loss.
Result<WriteReport> writeCvat(const Dataset &dataset, const QString &out, const WriteOptions &options);

// images/ beside the file when it exists, else the file's folder.
QString cvatImagesRoot(const QString &path);

// A label's <type> in CVAT's meta for a class kind, and back (nullopt for "any" or unknown types).
QString cvatLabelType(ClassKind kind);
std::optional<ClassKind> classKindFromCvatType(const QString &type);

} // namespace annotune::core::formats
