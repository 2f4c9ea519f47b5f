#pragma once
// YOLO text labels, detection (`class cx cy w h`, normalised) and segmentation
// (`class x1 y1 ... xn yn`), in the common folder layouts: Ultralytics (images/<split>,
// labels/<split>, data.yaml), flat images/ + labels/, darknet (obj.names, labels beside images),
// and labels beside images. A label file pairs with the image of the same stem in the same
// folder or in the folder whose path has "images" where the label's has "labels"/"annotations".

#include "registry.h"

namespace annotune::core::formats {

// Reads the dataset folder at path (or the folder of a data.yaml / obj.data given as path).
// Images are probed for their size; image file names are relative to that folder. Fails with
// "<file>: line N: reason" for a malformed label line or an out-of-range class.
Result<Dataset> readYolo(const QString &path, const ReadOptions &options);

// The dataset folder image names are relative to.
QString yoloImagesRoot(const QString &path);

// Writes the Ultralytics layout: labels/<split>/<stem>.txt for every image (empty when it has no
// labels), images/<split>/ when copying images, data.yaml with the class names. Boxes become
// detection lines, polygons segmentation lines; ellipses and masks their bounding boxes;
// polylines, points and tags are left out. All of it is counted in the report's loss.
Result<WriteReport> writeYolo(const Dataset &dataset, const QString &out, const WriteOptions &options);

} // namespace annotune::core::formats
