#pragma once
// Label Studio's JSON task export: an array of tasks, each with data (the image URL) and
// annotations whose results are regions in percent of the original image size.
//
// Reading. The image of a task is data[to_name], else data.image, else the task's only
// string value that names an image file. Its file name, relative to the images folder (by
// default the export file's folder), is:
//   - "/data/local-files/?d=REL"  -> REL (percent-decoded): a path under the local-files root;
//   - a plain relative path       -> as written;
//   - anything else ("/data/upload/1/abc.jpg", "s3://b/k/abc.jpg", "https://h/abc.jpg?x",
//     absolute paths)             -> its last path component, percent-decoded, query dropped.
// One annotation per task is used: the ground-truth one, else the most recently updated one;
// cancelled annotations are skipped. Predictions are used only when no task in the file has an
// annotation (their scores are kept); otherwise they are counted in a warning and ignored.
// Results: rectanglelabels -> Box (attributes.rotation: degrees clockwise about the box's centre;
// Label Studio turns about the top-left corner, converted both ways), polygonlabels -> Polygon
// (Polyline when "closed" is false), keypointlabels -> Points, ellipselabels -> Ellipse,
// choices -> Tag. from_name, to_name and the result id (ls_id) go into attributes.
//
// Writing produces the same array: one task per image with data.image =
// "/data/local-files/?d=<path>" and one annotation holding every label.

#include "registry.h"

namespace annotune::core::formats {

Result<Dataset> readLabelStudio(const QString &path, const ReadOptions &options);
Result<WriteReport> writeLabelStudio(const Dataset &dataset, const QString &out, const WriteOptions &options);
QString labelStudioImagesRoot(const QString &path);

} // namespace annotune::core::formats
