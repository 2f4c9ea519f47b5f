#pragma once
// COCO instances files (read and write) and COCO results files (read) for the format registry.
//
// How COCO maps onto a Dataset:
// - bbox only -> Box; segmentation polygons -> Polygon; RLE segmentation -> Mask with the RLE
//   object kept verbatim in attributes.rle and the box from bbox (or the mask's bounds);
//   no bbox and no segmentation (image-level labels) -> Tag.
// - An object of several polygons keeps its largest part as the polygon and the other parts, in
//   file order, in attributes.polygons ([[x1, y1, ...], ...]); the writer puts them back after
//   the main part, so a second round trip is exact.
// - iscrowd is kept in attributes.iscrowd when it is not 0; score as the label's score; the
//   datumaro/CVAT "attributes" object's members and keypoints/num_keypoints as attributes.
// - Captions and panoptic segments have no place in a project: counted in Dataset::warnings.
//   Supercategories are not kept either (warned).
// - The writer writes project item ids as image ids and class ids as category ids, so a results
//   file made from that export can be imported back (readCocoResults).

#include "registry.h"

namespace annotune::core::formats {

// Reads a COCO instances JSON file. Fails (BadInput) naming the file and JSON path on syntax
// errors, unknown image or category references, duplicate ids, bad boxes, polygons or masks.
Result<Dataset> readCoco(const QString &path, const ReadOptions &options);

// Reads a COCO results file (a JSON array of {image_id, category_id, bbox | segmentation, score}).
// image_id is looked up in options.fileNamesById and category_id in options.classNamesById
// (the project's item and class ids, as readCoco's writer exports them); unknown ids fail.
Result<Dataset> readCocoResults(const QString &path, const ReadOptions &options);

// Streams a Dataset as a COCO instances file through a temporary file renamed into place.
// Polylines, points and tags go to the loss report; ellipses are written as 32-point polygons.
Result<WriteReport> writeCoco(const Dataset &dataset, const QString &out, const WriteOptions &options);

// The images folder a COCO file's names are relative to: <root>/images/<subset> or <root>/<subset>
// for <root>/annotations/instances_<subset>.json when present, else the file's own folder.
QString cocoImagesRoot(const QString &path);

} // namespace annotune::core::formats
