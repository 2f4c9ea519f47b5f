#pragma once
// Run-length encoded masks with the exact rasterisation rules of the COCO API, so that mask IoU
// matches pycocotools to the last pixel: polygons are rasterised by walking their edges at five
// times the resolution and keeping the crossings of pixel-centre columns.

#include "core/eval/cocodata.h"
#include "core/result.h"

#include <string_view>

namespace annotune::core::eval {

// Rasterises one polygon (x0, y0, x1, y1, ...) into a height x width mask.
Rle rleFromPolygon(const std::vector<double> &xy, int height, int width);
// The union of several masks of the same size.
Rle rleUnion(const std::vector<Rle> &masks);
// One polygon list as pycocotools' frPyObjects + merge reads it (a first entry of exactly four
// numbers makes every entry a box, as there).
Rle rleFromPolygons(const std::vector<std::vector<double>> &polygons, int height, int width);
// Decodes COCO's compressed counts string; fails on a character outside the alphabet.
Result<std::vector<uint32_t>> decodeRleString(std::string_view text);

uint64_t rleArea(const Rle &mask);
uint64_t rleIntersection(const Rle &a, const Rle &b);
// Tight box of the foreground as x, y, width, height (all zero for an empty mask).
std::array<double, 4> rleBbox(const Rle &mask);

// The mask of an object in an image of the given size: from its RLE or its polygons.
Rle maskOf(const Segmentation &segmentation, int height, int width);

} // namespace annotune::core::eval
