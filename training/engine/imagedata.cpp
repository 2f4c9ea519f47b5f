#include "imagedata.h"

#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <mutex>
#include <numeric>
#include <random>

namespace annotune::training::engine {

using namespace annotune::core;

namespace {

// An image scaled so its long side is the network size, with its boxes in the same pixels.
struct Decoded {
    cv::Mat image;
    std::vector<LabelBox> boxes;
    float scale = 1;
};

float uniform(std::mt19937_64 &rng, float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(rng); }

// Maps boxes by x' = a*x + tx, y' = s*y + ty (a = -s for a flip), clips them to clip and keeps
// those that stay mostly visible.
void mapBoxes(const std::vector<LabelBox> &in, float a, float s, float tx, float ty, const cv::Rect2f &clip,
              std::vector<LabelBox> &out)
{
    for (const LabelBox &b : in) {
        float x0 = a * b.x0 + tx, x1 = a * b.x1 + tx;
        if (x0 > x1)
            std::swap(x0, x1);
        const float y0 = s * b.y0 + ty, y1 = s * b.y1 + ty;
        const float area = (x1 - x0) * (y1 - y0);
        const float cx0 = std::max(x0, clip.x), cy0 = std::max(y0, clip.y);
        const float cx1 = std::min(x1, clip.x + clip.width), cy1 = std::min(y1, clip.y + clip.height);
        if (cx1 - cx0 < 3 || cy1 - cy0 < 3 || (cx1 - cx0) * (cy1 - cy0) < 0.45f * area)
            continue;
        out.push_back({cx0, cy0, cx1, cy1, b.cls});
    }
}

// Warps img into dst (a view) by the flip/scale/translate mapping.
void warpInto(const cv::Mat &img, cv::Mat dst, float a, float s, float tx, float ty)
{
    const cv::Mat m = (cv::Mat_<double>(2, 3) << a, 0, tx, 0, s, ty);
    cv::warpAffine(img, dst, m, dst.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(114, 114, 114));
}

} // namespace

struct ImageData::Impl {
    QVector<SnapshotItem> items;
    std::function<int(Id)> classIndex;
    ImageDataOptions options;
    std::vector<Decoded> cache;
    std::vector<std::once_flag> once;
    QThreadPool pool;

    Decoded decode(int i) const
    {
        Decoded d;
        const cv::Mat raw = cv::imread(items[i].absolutePath.toStdString(), cv::IMREAD_COLOR);
        if (raw.empty())
            return d;
        d.scale = float(options.size) / float(std::max(raw.cols, raw.rows));
        cv::resize(raw, d.image, cv::Size(), d.scale, d.scale, d.scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
        for (const Annotation &a : items[i].annotations) {
            const int cls = classIndex(a.classId);
            if (cls < 0)
                continue;
            const QRectF r = a.kind == AnnotationKind::Polygon && !a.polygon.isEmpty() ? a.polygon.boundingRect() : a.box;
            d.boxes.push_back({float(r.left()) * d.scale, float(r.top()) * d.scale, float(r.right()) * d.scale,
                               float(r.bottom()) * d.scale, cls});
        }
        return d;
    }

    const Decoded &cached(int i)
    {
        std::call_once(once[i], [&] { cache[i] = decode(i); });
        return cache[i];
    }

    ImageSample single(int i, bool augment, std::mt19937_64 &rng);
    ImageSample mosaic(int i, std::mt19937_64 &rng);
    void finish(cv::Mat &canvas, ImageSample &out, bool jitter, std::mt19937_64 &rng) const;
};

ImageSample ImageData::Impl::single(int i, bool augment, std::mt19937_64 &rng)
{
    const Decoded local = options.cache ? Decoded{} : decode(i);
    const Decoded &d = options.cache ? cached(i) : local;
    ImageSample out;
    const int size = options.size;
    cv::Mat canvas(size, size, CV_8UC3);
    if (d.image.empty()) {
        out.ok = false;
        canvas.setTo(cv::Scalar(114, 114, 114));
        finish(canvas, out, false, rng);
        return out;
    }
    const float s = augment ? uniform(rng, 0.6f, 1.35f) : 1.f;
    const bool flip = augment && uniform(rng, 0, 1) < 0.5f;
    const float w = d.image.cols * s, h = d.image.rows * s;
    float tx = (size - w) / 2, ty = (size - h) / 2;
    if (augment) {
        tx += uniform(rng, -0.25f, 0.25f) * size;
        ty += uniform(rng, -0.25f, 0.25f) * size;
    }
    const float a = flip ? -s : s;
    if (flip)
        tx += w;
    warpInto(d.image, canvas, a, s, tx, ty);
    mapBoxes(d.boxes, a, s, tx, ty, cv::Rect2f(0, 0, float(size), float(size)), out.boxes);
    out.scale = d.scale * s;
    out.padX = tx;
    out.padY = ty;
    finish(canvas, out, augment, rng);
    return out;
}

ImageSample ImageData::Impl::mosaic(int i, std::mt19937_64 &rng)
{
    const int size = options.size;
    cv::Mat canvas(size, size, CV_8UC3);
    ImageSample out;
    const int cx = int(uniform(rng, 0.3f, 0.7f) * size), cy = int(uniform(rng, 0.3f, 0.7f) * size);
    const cv::Rect quads[4] = {{0, 0, cx, cy}, {cx, 0, size - cx, cy}, {0, cy, cx, size - cy}, {cx, cy, size - cx, size - cy}};
    std::uniform_int_distribution<int> pick(0, int(items.size()) - 1);
    for (int q = 0; q < 4; ++q) {
        const int k = q == 0 ? i : pick(rng);
        const Decoded &d = cached(k);
        const cv::Rect r = quads[q];
        if (d.image.empty()) {
            canvas(r).setTo(cv::Scalar(114, 114, 114));
            continue;
        }
        const float s = uniform(rng, 0.45f, 0.9f);
        const bool flip = uniform(rng, 0, 1) < 0.5f;
        const float w = d.image.cols * s, h = d.image.rows * s;
        float tx = uniform(rng, 0, 1) * (r.width - w), ty = uniform(rng, 0, 1) * (r.height - h);
        const float a = flip ? -s : s;
        if (flip)
            tx += w;
        warpInto(d.image, canvas(r), a, s, tx, ty);
        mapBoxes(d.boxes, a, s, tx + r.x, ty + r.y, cv::Rect2f(r), out.boxes);
    }
    finish(canvas, out, true, rng);
    return out;
}

// Colour jitter (per-channel gain, brightness, contrast) and conversion to normalised CHW floats.
void ImageData::Impl::finish(cv::Mat &canvas, ImageSample &out, bool jitter, std::mt19937_64 &rng) const
{
    float gain[3] = {1, 1, 1}, bias = 0, contrast = 1;
    if (jitter) {
        for (float &g : gain)
            g = uniform(rng, 0.8f, 1.2f);
        bias = uniform(rng, -25.f, 25.f);
        contrast = uniform(rng, 0.75f, 1.25f);
    }
    const int size = options.size, plane = size * size;
    out.chw.resize(size_t(3 * plane));
    for (int y = 0; y < size; ++y) {
        const auto *row = canvas.ptr<cv::Vec3b>(y);
        for (int x = 0; x < size; ++x)
            for (int c = 0; c < 3; ++c) {
                const float v = ((row[x][c] * gain[c] - 128.f) * contrast + 128.f + bias) / 255.f;
                out.chw[size_t(c * plane + y * size + x)] = (std::clamp(v, 0.f, 1.f) - 0.45f) / 0.25f;
            }
    }
}

ImageData::ImageData(QVector<SnapshotItem> items, std::function<int(Id)> classIndex, ImageDataOptions options)
    : d(std::make_unique<Impl>())
{
    d->items = std::move(items);
    d->classIndex = std::move(classIndex);
    d->options = options;
    d->cache.resize(size_t(d->items.size()));
    d->once = std::vector<std::once_flag>(size_t(d->items.size()));
    d->pool.setMaxThreadCount(std::max(1, options.threads));
    cv::setNumThreads(1);
}

ImageData::~ImageData() = default;

int ImageData::count() const { return int(d->items.size()); }

const SnapshotItem &ImageData::item(int i) const { return d->items[i]; }

Status ImageData::preload()
{
    std::vector<int> all(static_cast<size_t>(d->items.size()));
    std::iota(all.begin(), all.end(), 0);
    QtConcurrent::blockingMap(&d->pool, all, [&](int i) { d->cached(i); });
    for (int i : all)
        if (d->cache[size_t(i)].image.empty())
            return makeError(ErrorCode::BadInput, QStringLiteral("%1: cannot read the image").arg(d->items[i].absolutePath));
    return {};
}

std::vector<ImageSample> ImageData::load(const std::vector<int> &indices, bool augment, bool mosaic, quint64 seed)
{
    std::vector<ImageSample> out(indices.size());
    std::vector<size_t> positions(indices.size());
    std::iota(positions.begin(), positions.end(), size_t(0));
    QtConcurrent::blockingMap(&d->pool, positions, [&](size_t p) {
        std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + p * 0xBF58476D1CE4E5B9ull + 1);
        const bool useMosaic = augment && mosaic && d->options.cache && uniform(rng, 0, 1) < 0.5f;
        out[p] = useMosaic ? d->mosaic(indices[p], rng) : d->single(indices[p], augment, rng);
    });
    return out;
}

} // namespace annotune::training::engine
