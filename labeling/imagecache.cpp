#include "imagecache.h"

#include <QFileInfo>
#include <algorithm>
#include <QImageReader>

namespace annotune::labeling {
namespace {

constexpr int kMinLevelSide = 256;

QImage paintable(QImage image)
{
    if (image.format() != QImage::Format_RGB32 && image.format() != QImage::Format_ARGB32_Premultiplied)
        image = image.convertToFormat(image.hasAlphaChannel() ? QImage::Format_ARGB32_Premultiplied : QImage::Format_RGB32);
    return image;
}

// Whether an image of full decoded to fit is only a preview that a full decode replaces.
bool isPreviewOnly(const QSize &full, const QSize &fit)
{
    return full.width() > fit.width() * 2 || full.height() > fit.height() * 2;
}

// Decodes path scaled to fit within fit (never enlarged); fullSize gets the header size. When the
// result is only a preview and previewRoom is valid, it comes at ImagePyramid::fittedSize for that
// room instead (smaller still): the size the canvas shows it at, so it needs no scaling afterwards.
QImage decodeScaled(const QString &path, const QSize &fit, const QSize &previewRoom, QSize *fullSize, QString *error)
{
    QImageReader reader(path);
    reader.setAutoTransform(true);
    reader.setAllocationLimit(4096); // MB: huge scans are scaled by the decoder, not refused
    const QSize full = reader.size();
    *fullSize = full;
    if (full.isValid() && (full.width() > fit.width() || full.height() > fit.height())) {
        const QSize scaled = full.scaled(fit, Qt::KeepAspectRatio).expandedTo(QSize(1, 1));
        const QSize fitted = isPreviewOnly(full, fit) ? ImagePyramid::fittedSize(full, previewRoom) : QSize();
        const bool smaller = fitted.isValid() && fitted.width() <= scaled.width() && fitted.height() <= scaled.height();
        reader.setScaledSize(smaller ? fitted : scaled);
    }
    QImage image = reader.read();
    if (image.isNull()) {
        *error = QFileInfo::exists(path) ? QStringLiteral("%1: cannot decode (%2)").arg(path, reader.errorString())
                                         : QStringLiteral("%1: no such file").arg(path);
        return {};
    }
    if (!full.isValid())
        *fullSize = image.size();
    return paintable(image);
}

// The image of p at exactly ImagePyramid::fittedSize, scaled from the smallest level that covers it.
QImage fittedImage(const ImagePyramid &p, const QSize &room)
{
    const QSize size = ImagePyramid::fittedSize(p.fullSize, room);
    if (!size.isValid())
        return {};
    for (qsizetype i = p.levels.size() - 1; i >= 0; --i) {
        const QImage &level = p.levels[i];
        if (level.width() < size.width() || level.height() < size.height())
            continue;
        return level.size() == size ? level : level.scaled(size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    }
    return {}; // only a smaller preview: scaling it up would not be sharper than the canvas's own
}

std::shared_ptr<ImagePyramid> buildPyramid(QImage top, QSize fullSize, const QSize &fitRoom)
{
    auto pyramid = std::make_shared<ImagePyramid>();
    pyramid->fullSize = fullSize;
    pyramid->levels.append(top);
    while (pyramid->levels.last().width() / 2 >= kMinLevelSide && pyramid->levels.last().height() / 2 >= kMinLevelSide) {
        const QImage &prev = pyramid->levels.last();
        pyramid->levels.append(prev.scaled(prev.size() / 2, Qt::IgnoreAspectRatio, Qt::SmoothTransformation));
    }
    pyramid->fitted = fittedImage(*pyramid, fitRoom);
    pyramid->complete = true;
    return pyramid;
}

} // namespace

const QImage *ImagePyramid::levelFor(double scale) const
{
    if (levels.isEmpty())
        return nullptr;
    const double shown = fullSize.width() * scale;
    for (qsizetype i = levels.size() - 1; i > 0; --i)
        if (levels[i].width() >= shown)
            return &levels[i];
    return &levels[0];
}

QSize ImagePyramid::fittedSize(const QSize &fullSize, const QSize &room)
{
    if (fullSize.isEmpty() || room.isEmpty())
        return {};
    const double scale = std::min(double(room.width()) / fullSize.width(), double(room.height()) / fullSize.height());
    if (scale >= 1)
        return {};
    return QSize(qMax(1, qRound(fullSize.width() * scale)), qMax(1, qRound(fullSize.height() * scale)));
}

ImageCache::ImageCache(int capacity, QObject *parent) : QObject(parent), m_capacity(qMax(2, capacity))
{
    // Leave a core to the GUI thread: painting the item the user waits for comes first.
    m_pool.setMaxThreadCount(qBound(1, QThread::idealThreadCount() - 1, 4));
    m_previewPool.setMaxThreadCount(1);
}

ImageCache::~ImageCache()
{
    m_pool.clear();
    m_previewPool.clear();
    m_pool.waitForDone();
    m_previewPool.waitForDone();
}

ImageHandle ImageCache::cached(core::Id itemId) const
{
    const auto it = m_entries.constFind(itemId);
    return it == m_entries.cend() ? nullptr : it->image;
}

ImageHandle ImageCache::request(core::Id itemId, const QString &path)
{
    const auto known = m_entries.constFind(itemId);
    if (known != m_entries.cend() && known->pending && !known->image)
        schedulePreview(itemId, path);
    schedule(itemId, path, 10, true);
    Entry &e = m_entries[itemId];
    e.lastUse = ++m_clock;
    return e.image;
}

void ImageCache::prefetch(const QVector<QPair<core::Id, QString>> &items)
{
    for (const auto &[id, path] : items) {
        schedule(id, path, 0, false); // nobody waits yet: one full decode, no preview
        m_entries[id].lastUse = ++m_clock;
    }
    evict();
}

void ImageCache::schedule(core::Id itemId, const QString &path, int priority, bool preview)
{
    Entry &e = m_entries[itemId];
    if (e.pending || (e.image && (e.image->complete || !e.image->error.isEmpty())))
        return;
    e.pending = true;
    const QSize firstFit = preview ? m_previewSize : QSize(ImagePyramid::kMaxSide, ImagePyramid::kMaxSide);
    m_pool.start([this, itemId, path, firstFit, preview, room = m_fitRoom] {
        QSize full;
        QString error;
        QImage first = decodeScaled(path, firstFit, preview ? room : QSize(), &full, &error);
        const bool small = !first.isNull() && !isPreviewOnly(full, firstFit);
        if (first.isNull() || !small) { // show the preview while the full decode runs
            auto p = std::make_shared<ImagePyramid>();
            p->fullSize = full;
            p->error = error;
            p->complete = first.isNull(); // a failure is final
            if (!first.isNull())
                p->levels.append(first);
            p->fitted = fittedImage(*p, room);
            QMetaObject::invokeMethod(this, [this, itemId, p] { deliver(itemId, p); }, Qt::QueuedConnection);
            if (first.isNull())
                return;
            first = decodeScaled(path, QSize(ImagePyramid::kMaxSide, ImagePyramid::kMaxSide), {}, &full, &error);
        }
        std::shared_ptr<ImagePyramid> done = first.isNull() ? std::make_shared<ImagePyramid>() : buildPyramid(first, full, room);
        done->error = error;
        done->complete = true;
        QMetaObject::invokeMethod(this, [this, itemId, done] { deliver(itemId, done); }, Qt::QueuedConnection);
    }, priority);
}

void ImageCache::schedulePreview(core::Id itemId, const QString &path)
{
    Entry &e = m_entries[itemId];
    if (e.previewPending)
        return;
    e.previewPending = true;
    m_previewPool.start([this, itemId, path, fit = m_previewSize, room = m_fitRoom] {
        QSize full;
        QString error;
        const QImage first = decodeScaled(path, fit, room, &full, &error);
        auto p = std::make_shared<ImagePyramid>();
        p->fullSize = full;
        if (!first.isNull()) // a failure is left to the full decode to report
            p->levels.append(first);
        p->fitted = fittedImage(*p, room);
        QMetaObject::invokeMethod(this, [this, itemId, p] {
            const auto it = m_entries.find(itemId);
            if (it == m_entries.end()) // evicted (or cleared) meanwhile
                return;
            it->previewPending = false;
            if (!p->levels.isEmpty() && !(it->image && it->image->complete))
                deliver(itemId, p);
        }, Qt::QueuedConnection);
    });
}

void ImageCache::deliver(core::Id itemId, ImageHandle image)
{
    Entry &e = m_entries[itemId];
    if (!e.image || !e.image->complete) // a late preview never replaces a complete image
        e.image = image;
    if (image->complete)
        e.pending = false;
    Q_EMIT imageReady(itemId);
}

void ImageCache::evict()
{
    while (m_entries.size() > m_capacity) {
        auto oldest = m_entries.end();
        for (auto it = m_entries.begin(); it != m_entries.end(); ++it)
            if (!it->pending && (oldest == m_entries.end() || it->lastUse < oldest->lastUse))
                oldest = it;
        if (oldest == m_entries.end())
            return;
        m_entries.erase(oldest);
    }
}

void ImageCache::waitForIdle()
{
    m_pool.waitForDone();
    m_previewPool.waitForDone();
}

void ImageCache::clear()
{
    m_pool.clear();
    m_previewPool.clear();
    m_pool.waitForDone();
    m_previewPool.waitForDone();
    m_entries.clear();
}

} // namespace annotune::labeling
