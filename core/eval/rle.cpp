#include "core/eval/rle.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace annotune::core::eval {

namespace {

constexpr double kScale = 5; // polygons are walked at five times the pixel resolution

struct Point {
    int x;
    int y;
};

// Every upsampled lattice point along the closed polygon, edge by edge, in drawing order. Along
// each edge the longer axis steps by one and the other is rounded, always computed from the
// lexicographically first end so that both directions of an edge give the same points.
std::vector<Point> densePoints(const std::vector<double> &xy)
{
    const size_t k = xy.size() / 2;
    std::vector<Point> corners(k + 1);
    for (size_t j = 0; j < k; ++j)
        corners[j] = {static_cast<int>(kScale * xy[2 * j] + .5), static_cast<int>(kScale * xy[2 * j + 1] + .5)};
    corners[k] = corners[0];
    std::vector<Point> points;
    for (size_t j = 0; j < k; ++j) {
        int xs = corners[j].x, xe = corners[j + 1].x, ys = corners[j].y, ye = corners[j + 1].y;
        const int dx = std::abs(xe - xs), dy = std::abs(ys - ye);
        if (dx == 0 && dy == 0) { // a repeated vertex: one point, no slope to divide by
            points.push_back({xs, ys});
            continue;
        }
        const bool flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
        if (flip) {
            std::swap(xs, xe);
            std::swap(ys, ye);
        }
        if (dx >= dy) {
            const double slope = static_cast<double>(ye - ys) / dx;
            for (int d = 0; d <= dx; ++d) {
                const int t = flip ? dx - d : d;
                points.push_back({t + xs, static_cast<int>(ys + slope * t + .5)});
            }
        } else {
            const double slope = static_cast<double>(xe - xs) / dy;
            for (int d = 0; d <= dy; ++d) {
                const int t = flip ? dy - d : d;
                points.push_back({static_cast<int>(xs + slope * t + .5), t + ys});
            }
        }
    }
    return points;
}

// Turns sorted toggle positions (foreground starts and ends, column-major) into run lengths.
std::vector<uint32_t> runsFromToggles(std::vector<uint32_t> toggles)
{
    std::sort(toggles.begin(), toggles.end());
    uint32_t previous = 0;
    for (uint32_t &t : toggles) {
        const uint32_t here = t;
        t -= previous;
        previous = here;
    }
    std::vector<uint32_t> runs;
    size_t j = 0;
    runs.push_back(toggles[j++]);
    while (j < toggles.size()) {
        if (toggles[j] > 0) {
            runs.push_back(toggles[j++]);
        } else if (++j < toggles.size()) { // two toggles at one place cancel out
            runs.back() += toggles[j++];
        }
    }
    return runs;
}

// Foreground runs as [begin, end) pixel ranges.
std::vector<std::pair<uint64_t, uint64_t>> foreground(const Rle &mask)
{
    std::vector<std::pair<uint64_t, uint64_t>> out;
    uint64_t at = 0;
    for (size_t i = 0; i < mask.counts.size(); ++i) {
        if (i % 2 == 1 && mask.counts[i] > 0)
            out.emplace_back(at, at + mask.counts[i]);
        at += mask.counts[i];
    }
    return out;
}

Rle boxMask(const std::vector<double> &box, int height, int width)
{
    const double x0 = box[0], y0 = box[1], x1 = box[0] + box[2], y1 = box[1] + box[3];
    return rleFromPolygon({x0, y0, x0, y1, x1, y1, x1, y0}, height, width);
}

} // namespace

Rle rleFromPolygon(const std::vector<double> &xy, int height, int width)
{
    const std::vector<Point> points = densePoints(xy);
    // Where the walk crosses a pixel-centre column, record the first pixel below the edge.
    std::vector<uint32_t> toggles;
    for (size_t j = 1; j < points.size(); ++j) {
        const Point &p = points[j], &q = points[j - 1];
        if (p.x == q.x)
            continue;
        double xd = p.x < q.x ? p.x : p.x - 1;
        xd = (xd + .5) / kScale - .5;
        if (std::floor(xd) != xd || xd < 0 || xd > width - 1)
            continue;
        double yd = std::min(p.y, q.y);
        yd = (yd + .5) / kScale - .5;
        yd = std::ceil(std::clamp(yd, 0.0, static_cast<double>(height)));
        toggles.push_back(static_cast<uint32_t>(static_cast<int>(xd) * height + static_cast<int>(yd)));
    }
    toggles.push_back(static_cast<uint32_t>(height) * static_cast<uint32_t>(width));
    return Rle{height, width, runsFromToggles(std::move(toggles))};
}

Rle rleUnion(const std::vector<Rle> &masks)
{
    if (masks.size() == 1)
        return masks.front();
    std::vector<std::pair<uint64_t, uint64_t>> runs;
    for (const Rle &m : masks) {
        const auto fg = foreground(m);
        runs.insert(runs.end(), fg.begin(), fg.end());
    }
    std::sort(runs.begin(), runs.end());
    Rle out;
    if (!masks.empty())
        out = Rle{masks.front().height, masks.front().width, {}};
    const uint64_t total = static_cast<uint64_t>(out.height) * out.width;
    uint64_t at = 0;
    for (size_t i = 0; i < runs.size();) {
        uint64_t begin = runs[i].first, end = runs[i].second;
        for (++i; i < runs.size() && runs[i].first <= end; ++i)
            end = std::max(end, runs[i].second);
        out.counts.push_back(static_cast<uint32_t>(begin - at));
        out.counts.push_back(static_cast<uint32_t>(end - begin));
        at = end;
    }
    if (at < total || out.counts.empty())
        out.counts.push_back(static_cast<uint32_t>(total - at));
    return out;
}

Rle rleFromPolygons(const std::vector<std::vector<double>> &polygons, int height, int width)
{
    std::vector<Rle> parts;
    const bool boxes = !polygons.empty() && polygons.front().size() == 4;
    for (const auto &p : polygons)
        parts.push_back(boxes ? boxMask(p, height, width) : rleFromPolygon(p, height, width));
    if (parts.empty())
        return Rle{height, width, {static_cast<uint32_t>(height * width)}};
    return rleUnion(parts);
}

Result<std::vector<uint32_t>> decodeRleString(std::string_view text)
{
    std::vector<uint32_t> counts;
    size_t p = 0;
    while (p < text.size()) {
        int64_t x = 0;
        int k = 0;
        bool more = true;
        while (more) {
            if (p >= text.size() || text[p] < 48 || text[p] > 48 + 63 || k > 6)
                return makeError(ErrorCode::BadInput, QStringLiteral("RLE counts string is malformed at character %1").arg(p));
            const int64_t c = text[p] - 48;
            x |= (c & 0x1f) << (5 * k);
            more = (c & 0x20) != 0;
            ++p;
            ++k;
            if (!more && (c & 0x10))
                x |= -(int64_t(1) << (5 * k)); // sign-extend
        }
        if (counts.size() > 2)
            x += counts[counts.size() - 2]; // later counts are deltas against the run two back
        counts.push_back(static_cast<uint32_t>(x));
    }
    return counts;
}

uint64_t rleArea(const Rle &mask)
{
    uint64_t area = 0;
    for (size_t i = 1; i < mask.counts.size(); i += 2)
        area += mask.counts[i];
    return area;
}

uint64_t rleIntersection(const Rle &a, const Rle &b)
{
    const size_t na = a.counts.size(), nb = b.counts.size();
    if (na < 2 || nb < 2)
        return 0;
    size_t ia = 0, ib = 0;
    uint64_t restA = a.counts[0], restB = b.counts[0], both = 0;
    while (ia < na && ib < nb) {
        const uint64_t step = std::min(restA, restB);
        if (ia % 2 == 1 && ib % 2 == 1)
            both += step;
        restA -= step;
        restB -= step;
        if (restA == 0 && ++ia < na)
            restA = a.counts[ia];
        if (restB == 0 && ++ib < nb)
            restB = b.counts[ib];
    }
    return both;
}

std::array<double, 4> rleBbox(const Rle &mask)
{
    const auto fg = foreground(mask);
    if (fg.empty() || mask.height <= 0)
        return {0, 0, 0, 0};
    const uint64_t h = mask.height;
    uint64_t xs = UINT64_MAX, xe = 0, ys = UINT64_MAX, ye = 0;
    for (const auto &[begin, end] : fg) {
        const uint64_t x0 = begin / h, x1 = (end - 1) / h;
        xs = std::min(xs, x0);
        xe = std::max(xe, x1);
        if (x1 > x0) { // the run wraps into the next column, so it spans every row in between
            ys = 0;
            ye = h - 1;
        } else {
            ys = std::min(ys, begin % h);
            ye = std::max(ye, (end - 1) % h);
        }
    }
    return {double(xs), double(ys), double(xe - xs + 1), double(ye - ys + 1)};
}

Rle maskOf(const Segmentation &segmentation, int height, int width)
{
    if (segmentation.rle)
        return *segmentation.rle;
    return rleFromPolygons(segmentation.polygons, height, width);
}

} // namespace annotune::core::eval
