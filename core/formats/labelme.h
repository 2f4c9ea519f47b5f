#pragma once
// labelme (wkentaro/labelme) JSON, versions 4 and 5: one JSON file per image with its shapes.
//
// Reading takes one .json file or a folder searched recursively. Each file's imagePath is
// relative to that file's folder; it is normalised against it and then expressed relative to
// the images root (the chosen folder, or the file's folder for a single file), so
// "..\\images\\a.jpg" works as long as it stays inside the root. imageData becomes the record's
// embedded image. Shapes: polygon, rectangle -> Box, circle -> Ellipse with equal radii,
// line / linestrip -> Polyline, point / points -> Points, mask -> Mask (attributes.rle);
// group_id, flags and description go into attributes; image flags that are true become tags.
//
// Writing makes one JSON per image (labelme 5 fields, imageData null) at the image's relative
// path with a .json suffix; imagePath points from the JSON to the image (to the copy beside it
// when images are copied).

#include "registry.h"

namespace annotune::core::formats {

Result<Dataset> readLabelme(const QString &path, const ReadOptions &options);
Result<WriteReport> writeLabelme(const Dataset &dataset, const QString &out, const WriteOptions &options);
QString labelmeImagesRoot(const QString &path);

} // namespace annotune::core::formats
