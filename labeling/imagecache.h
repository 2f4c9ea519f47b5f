#pragma once
// Decoded images for the editor, made in a thread pool: a quick decode scaled to the view first,
// then the full resolution as a pyramid of halved levels; neighbours are decoded ahead so that
// switching items paints at once.

#include "core/types.h"

#include <QHash>
#include <QImage>
#include <QObject>
#include <QSize>
#include <QThreadPool>
#include <memory>

namespace annotune::labeling {

// What the canvas paints: levels[0] the largest decoded (at most kMaxSide on its longer side),
// each next level half as large. fullSize is the media's own pixel size. All levels are in a
// format the raster painter copies without converting (RGB32 or ARGB32_Premultiplied).
struct ImagePyramid {
    static constexpr int kMaxSide = 8192;
    QSize fullSize;
    QVector<QImage> levels;
    // The image at exactly fittedSize(fullSize, room) for the fit room it was decoded for, so that
    // painting it fitted to the window copies pixels instead of scaling them; null when the image
    // is not larger than the room.
    QImage fitted;
    bool complete = false; // false while only the view-sized preview is there
    QString error;

    // The smallest level with at least as many pixels across as the image covers on screen at
    // scale (screen pixels per image pixel); null when there are no levels.
    const QImage *levelFor(double scale) const;
    // The size of an image of fullSize scaled down to fit room (aspect kept, rounded to whole
    // pixels); invalid when it already fits. The canvas's fit-to-window shows images at this size.
    static QSize fittedSize(const QSize &fullSize, const QSize &room);
};
using ImageHandle = std::shared_ptr<const ImagePyramid>;

// GUI-thread object; decoding runs in its own pool, and a preview someone waits for while a
// prefetch of the same item is still decoding runs beside it in a one-thread pool of its own.
// Results arrive as imageReady on the GUI thread. Keeps the most recently used `capacity` items.
class ImageCache : public QObject {
    Q_OBJECT
public:
    explicit ImageCache(int capacity = 8, QObject *parent = nullptr);
    ~ImageCache() override;

    // The size of the quick first decode (the canvas's size).
    void setPreviewSize(const QSize &size) { m_previewSize = size; }
    // The box (device pixels) the canvas fits images into; images decoded from now on get their
    // ImagePyramid::fitted for it.
    void setFitRoom(const QSize &room) { m_fitRoom = room; }
    // What is there now for itemId (null, preview or complete); schedules what is missing first.
    ImageHandle request(core::Id itemId, const QString &path);
    // Decodes these ahead of time at low priority.
    void prefetch(const QVector<QPair<core::Id, QString>> &items);
    ImageHandle cached(core::Id itemId) const;
    // Blocks until scheduled work is done (tests, benchmarks).
    void waitForIdle();
    void clear();

Q_SIGNALS:
    // A preview or the complete pyramid of itemId is ready (or it failed: see error).
    void imageReady(qint64 itemId);

private:
    struct Entry {
        ImageHandle image;
        bool pending = false;        // the full decode is queued or running
        bool previewPending = false; // a preview-only decode is running beside it
        qint64 lastUse = 0;
    };
    // preview: decode a view-sized image first (someone is waiting), then the full one.
    void schedule(core::Id itemId, const QString &path, int priority, bool preview);
    // Someone waits for an item whose full decode (a prefetch) is queued or running: decode a
    // preview beside it rather than after it.
    void schedulePreview(core::Id itemId, const QString &path);
    void deliver(core::Id itemId, ImageHandle image);
    void evict();

    QHash<core::Id, Entry> m_entries; // GUI thread only
    QSize m_previewSize{1280, 960};
    QSize m_fitRoom;
    int m_capacity;
    qint64 m_clock = 0;
    QThreadPool m_pool;
    QThreadPool m_previewPool; // one thread: previews someone waits for, never behind a prefetch
};

} // namespace annotune::labeling
