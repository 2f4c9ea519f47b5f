#pragma once
// Pascal VOC detection folders: Annotations/*.xml (one per image), ImageSets/Main/{train,val,
// trainval,test}.txt for splits, labelmap.txt for the class list, JPEGImages/ for the images.
//
// Coordinates: VOC boxes are 1-based and inclusive (a box covering pixel columns 0..9 is
// xmin=1, xmax=10). Annotune boxes are continuous pixel edges, so a VOC box reads as
// x = xmin - 1, y = ymin - 1, right = xmax, bottom = ymax (the convention of Detectron2's VOC
// loader) and is written back the same way; integer boxes round-trip exactly.
// Object flags difficult/truncated/occluded are kept as attributes (true only when set), pose
// when it is not "Unspecified", <part> sub-boxes as attributes.parts (in VOC numbers) and
// <actions> as attributes.actions.

#include "registry.h"

namespace annotune::core::formats {

// Reads the dataset folder at path (the folder holding Annotations/, or Annotations/ itself).
// Refuses DTDs and entity declarations. Fails with "<file>: line N <object> K: reason".
Result<Dataset> readVoc(const QString &path, const ReadOptions &options);

// JPEGImages/ under the dataset folder when it exists, else the dataset folder.
QString vocImagesRoot(const QString &path);

// Writes Annotations/, ImageSets/Main/{train,val,test}.txt, labelmap.txt and, when copying,
// JPEGImages/. Polygons, polylines, points, ellipses and masks become their bounding boxes;
// tags and attributes VOC has no element for are left out; all counted in the report's loss.
Result<WriteReport> writeVoc(const Dataset &dataset, const QString &out, const WriteOptions &options);

// The VOC box for a label box and back (see the coordinate note above).
struct VocBox {
    double xmin = 0, ymin = 0, xmax = 0, ymax = 0;
};
VocBox toVocBox(const QRectF &box);
QRectF fromVocBox(const VocBox &b);

} // namespace annotune::core::formats
