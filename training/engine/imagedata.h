#pragma once
// Detection images for the network: decoded once (scaled so the long side fits the input), then
// letterboxed or augmented (scale/crop jitter, flip, colour jitter, mosaic) into CHW floats, in
// parallel. Randomness comes from (seed, sample) so a batch is the same whatever the thread timing.

#include "core/result.h"
#include "training/engine/snapshot.h"

#include <functional>
#include <memory>
#include <vector>

namespace annotune::training::engine {

struct LabelBox {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    int cls = 0;
};

struct ImageSample {
    std::vector<float> chw;       // 3 x size x size, normalised
    std::vector<LabelBox> boxes;  // in network pixels
    float scale = 1;              // network pixel = item pixel * scale + pad (letterbox samples)
    float padX = 0, padY = 0;
    bool ok = true;               // false when the file could not be read
};

struct ImageDataOptions {
    int size = 320;
    int threads = 2;
    bool cache = true;            // keep decoded images (training); off for one-pass prediction
};

class ImageData {
public:
    // classIndex maps an annotation's class id to the network's class (-1: ignore).
    ImageData(QVector<SnapshotItem> items, std::function<int(core::Id)> classIndex, ImageDataOptions options);
    ~ImageData();

    int count() const;
    const SnapshotItem &item(int i) const;
    // Decodes every image once (parallel); fails naming the first unreadable file.
    core::Status preload();
    // Samples for indices, in order. augment: random geometry and colour from (seed, position);
    // mosaic: half of the augmented samples become 2x2 mosaics with other images.
    std::vector<ImageSample> load(const std::vector<int> &indices, bool augment, bool mosaic, quint64 seed);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace annotune::training::engine
