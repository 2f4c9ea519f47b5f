#include "thumbnailcache.h"

#include "core/logging.h"
#include "imagedecode.h"

#include <QDir>
#include <QFileInfo>
#include <QPainter>
#include <QPointer>
#include <QStandardPaths>

namespace annotune::labeling {
namespace {

QString diskFile(const QString &folder, const QString &sha256, int size)
{
    if (sha256.isEmpty() || folder.isEmpty())
        return {};
    return QStringLiteral("%1/%2-%3.jpg").arg(folder, sha256).arg(size);
}

// Runs on a pool thread: the disk copy when there is one, else decode, shrink and store.
// Returns a null image when the media cannot be read.
QImage makeThumbnail(const QString &path, const QString &cached, int size)
{
    if (!QFileInfo::exists(path))
        return {};
    if (!cached.isEmpty() && QFileInfo::exists(cached)) {
        QImage image(cached);
        if (!image.isNull())
            return image;
    }
    auto decoded = decodeImage(path, QSize(size, size));
    if (!decoded)
        return {};
    QImage image = decoded->convertToFormat(QImage::Format_RGB32);
    if (image.width() > size || image.height() > size)
        image = image.scaled(size, size, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    if (!cached.isEmpty() && QDir().mkpath(QFileInfo(cached).absolutePath())) {
        const QString tmp = cached + QStringLiteral(".part");
        if (image.save(tmp, "JPEG", 85))
            QFile::rename(tmp, cached);
        QFile::remove(tmp);
    }
    return image;
}

} // namespace

ThumbnailCache::ThumbnailCache(const QString &diskFolder, int size, QObject *parent)
    : QObject(parent), m_diskFolder(diskFolder), m_size(size), m_memory(2000)
{
    if (m_diskFolder.isEmpty())
        m_diskFolder = QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/thumbs");
    m_pool.setMaxThreadCount(qBound(1, QThread::idealThreadCount() - 1, 4));
}

ThumbnailCache::~ThumbnailCache()
{
    m_pool.clear();
    m_pool.waitForDone();
}

QString ThumbnailCache::keyFor(const QString &sha256, const QString &path)
{
    return sha256.isEmpty() ? QStringLiteral("path:") + path : sha256;
}

QPixmap ThumbnailCache::thumbnail(const QString &sha256, const QString &absolutePath)
{
    const QString key = keyFor(sha256, absolutePath);
    if (QPixmap *hit = m_memory.object(key))
        return *hit;
    if (m_missing.contains(key))
        return missingPlaceholder();
    if (m_pending.contains(key))
        return {};
    m_pending.insert(key);
    const QString cached = diskFile(m_diskFolder, sha256, m_size);
    const int size = m_size;
    QPointer<ThumbnailCache> self(this);
    m_pool.start([self, key, absolutePath, cached, size] {
        const QImage image = makeThumbnail(absolutePath, cached, size);
        // The cache outlives its pool's work (the destructor waits), so self is valid here; the
        // queued call is dropped if the cache is gone by the time the GUI thread gets to it.
        QMetaObject::invokeMethod(self.data(), [self, key, image] {
            if (self)
                self->deliver(key, image);
        }, Qt::QueuedConnection);
    });
    return {};
}

void ThumbnailCache::waitForIdle() { m_pool.waitForDone(); }

void ThumbnailCache::deliver(const QString &key, const QImage &image)
{
    m_pending.remove(key);
    if (image.isNull()) {
        m_missing.insert(key);
        core::logger("labeling.thumbs")->debug("no thumbnail for {}", core::str(key));
    } else {
        m_memory.insert(key, new QPixmap(QPixmap::fromImage(image)));
    }
    Q_EMIT thumbnailReady(key);
}

QPixmap ThumbnailCache::missingPlaceholder()
{
    if (!m_placeholder.isNull())
        return m_placeholder;
    QPixmap pm(m_size, m_size * 3 / 4);
    pm.fill(QColor(0x3a, 0x3d, 0x41));
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF r = QRectF(pm.rect()).adjusted(8, 8, -8, -8);
    p.setPen(QPen(QColor(0xd9, 0x53, 0x4f), 3));
    const QPointF c = r.center() - QPointF(0, 10);
    p.drawLine(c + QPointF(-14, -14), c + QPointF(14, 14));
    p.drawLine(c + QPointF(14, -14), c + QPointF(-14, 14));
    p.setPen(QColor(0xe0, 0xe0, 0xe0));
    QFont f = p.font();
    f.setPointSizeF(9);
    p.setFont(f);
    p.drawText(r, Qt::AlignHCenter | Qt::AlignBottom, QStringLiteral("missing"));
    p.end();
    m_placeholder = pm;
    return pm;
}

} // namespace annotune::labeling
