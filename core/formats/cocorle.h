#pragma once
// COCO run-length encoded masks ({"counts": [...] or "compressed", "size": [h, w]}): checked and
// measured without decoding pixels. Masks are kept verbatim in attributes.rle; this only answers
// whether one is well-formed, its area and its bounding box.

#include "core/result.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QVector>
#include <QRectF>

namespace annotune::core::formats {

struct RleFacts {
    int height = 0;
    int width = 0;
    qint64 area = 0;   // pixels set
    QRectF bounds;     // of the set pixels, in pixel units (empty for an empty mask)
};

// Checks an RLE object: size is two non-negative integers, counts non-negative runs (a list, or
// COCO's compressed string) adding up to height * width. Fails (BadInput) with the reason only;
// the caller adds the file and record.
Result<RleFacts> inspectRle(const QJsonObject &rle);

// The run lengths of an RLE's counts: a list of non-negative integers, or COCO's compressed string
// decoded. Fails (BadInput) with the reason only.
Result<QVector<qint64>> rleCountsOf(const QJsonValue &value);

} // namespace annotune::core::formats
