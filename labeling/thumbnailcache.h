#pragma once
// Thumbnails for the item browser, made off the GUI thread and kept twice: small JPEGs on disk
// keyed by the media's SHA-256 and the thumbnail size, and recent pixmaps in memory.

#include <QCache>
#include <QImage>
#include <QObject>
#include <QPixmap>
#include <QSet>
#include <QThreadPool>

namespace annotune::labeling {

// Asynchronous thumbnail maker and cache. thumbnail() answers at once from memory or schedules the
// work and returns a null pixmap; thumbnailReady(key) follows on the GUI thread when it is there.
// Media that cannot be read get a placeholder with a "missing" mark, never a retry storm.
class ThumbnailCache : public QObject {
    Q_OBJECT
public:
    static constexpr int kDefaultSize = 160;

    // diskFolder empty: <CacheLocation>/thumbs. size: the longest side in pixels.
    explicit ThumbnailCache(const QString &diskFolder = {}, int size = kDefaultSize, QObject *parent = nullptr);
    ~ThumbnailCache() override;

    // The cache key of a media file: its SHA-256, or its path when the hash is unknown.
    static QString keyFor(const QString &sha256, const QString &path);

    // The thumbnail when it is in memory; otherwise schedules it once and returns a null pixmap.
    QPixmap thumbnail(const QString &sha256, const QString &absolutePath);
    // True once a thumbnail was attempted and the media could not be read.
    bool isMissing(const QString &key) const { return m_missing.contains(key); }
    int size() const { return m_size; }
    QString diskFolder() const { return m_diskFolder; }
    // Blocks until scheduled work is done (tests, shutdown); results still arrive as signals.
    void waitForIdle();

Q_SIGNALS:
    void thumbnailReady(const QString &key);

private:
    void deliver(const QString &key, const QImage &image);
    QPixmap missingPlaceholder();

    QString m_diskFolder;
    int m_size;
    QCache<QString, QPixmap> m_memory;
    QSet<QString> m_pending;
    QSet<QString> m_missing;
    QPixmap m_placeholder; // made on first use, on the GUI thread
    QThreadPool m_pool;
};

} // namespace annotune::labeling
