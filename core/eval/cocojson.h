#pragma once
// Reads COCO ground truth (images, annotations, categories) and COCO detection results (an array of
// {image_id, category_id, bbox | segmentation, score}) with simdjson, for evaluation only. It is
// independent of the import formats in core/formats: it keeps exactly what COCOeval looks at.

#include "core/eval/cocodata.h"
#include "core/result.h"

namespace annotune::core::eval {

// Fails with a message naming the file, the record (array and index, with its id) and the reason.
Result<CocoGroundTruth> readCocoGroundTruth(const QString &path);
Result<CocoDetections> readCocoDetections(const QString &path);

// The same from text already in memory; `source` names it in messages.
Result<CocoGroundTruth> parseCocoGroundTruth(std::string_view json, const QString &source);
Result<CocoDetections> parseCocoDetections(std::string_view json, const QString &source);

} // namespace annotune::core::eval
