#pragma once
// Binary masks between the forms the interchange formats use: labelme's base64 PNG crop and the
// COCO-style run lengths a Mask annotation keeps in attributes.rle ({size:[h,w], counts:[...]},
// column-major, starting with a run of zeros).

#include "core/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QPoint>
#include <QRect>

namespace annotune::core::formats {

// A mask placed in its image: `bits` is row-major, one byte (0 or 1) per pixel of `frame`.
struct PlacedMask {
    QRect frame;         // where the bits lie in the image
    QByteArray bits;
    QSize imageSize;
    QRect bounds() const; // the set pixels' bounds in image pixels (empty when none is set)
};

// Decodes a PNG (any depth: a pixel counts when non-zero) placed at topLeft in an image of
// imageSize; fails when the bytes are not an image or the image is larger than imageSize
// (checked from the header, before decoding).
Result<PlacedMask> maskFromPng(const QByteArray &png, QPoint topLeft, QSize imageSize);
// The uncompressed COCO RLE of the mask over its whole image; pixels outside the image are dropped.
QJsonObject rleFromMask(const PlacedMask &mask);
// Reads attributes.rle: counts as a list of numbers or as COCO's compressed string.
Result<PlacedMask> maskFromRle(const QJsonObject &rle);
// A 1-bit PNG of the mask cropped to its set pixels, and the crop's top-left corner.
QByteArray pngOfBounds(const PlacedMask &mask, QPoint *topLeft);

} // namespace annotune::core::formats
