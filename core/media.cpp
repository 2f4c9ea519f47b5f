#include "media.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>

namespace annotune::core {

MediaProbe probeImage(const QString &path, qint64 maxPixels)
{
    MediaProbe p;
    p.path = QFileInfo(path).absoluteFilePath();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        p.error = file.errorString();
        return p;
    }
    p.sizeBytes = file.size();
    if (p.sizeBytes == 0) {
        p.error = QStringLiteral("empty file");
        return p;
    }
    QImageReader reader(&file);
    reader.setDecideFormatFromContent(true);
    const QSize size = reader.size();
    if (!size.isValid() || size.isEmpty()) {
        p.error = reader.canRead() ? QStringLiteral("image size unreadable")
                                   : QStringLiteral("not a readable image (%1)").arg(reader.errorString());
        return p;
    }
    if (qint64(size.width()) * size.height() > maxPixels) {
        p.error = QStringLiteral("image is %1x%2, over the limit of %3 pixels").arg(size.width()).arg(size.height()).arg(maxPixels);
        return p;
    }
    p.width = size.width();
    p.height = size.height();
    file.seek(0);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file)) {
        p.error = QStringLiteral("read error (%1)").arg(file.errorString());
        return p;
    }
    p.sha256 = QString::fromLatin1(hash.result().toHex());
    return p;
}

Result<QString> resolveUnder(const QString &root, const QString &fileName)
{
    auto refuse = [&](const char *why) {
        return makeError(ErrorCode::BadInput, QStringLiteral("file name \"%1\": %2").arg(fileName, QLatin1String(why)));
    };
    if (fileName.isEmpty())
        return refuse("empty");
    if (fileName.contains(QChar(0)))
        return refuse("contains a NUL character");
    QString name = fileName;
    name.replace(QLatin1Char('\\'), QLatin1Char('/'));
    const bool drive = name.size() >= 2 && name[1] == QLatin1Char(':')
                       && ((name[0] >= QLatin1Char('A') && name[0] <= QLatin1Char('Z')) || (name[0] >= QLatin1Char('a') && name[0] <= QLatin1Char('z')));
    if (name.startsWith(QLatin1Char('/')) || drive)
        return refuse("absolute paths are not allowed inside annotation files");
    const QStringList parts = name.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (parts.contains(QStringLiteral("..")))
        return refuse("\"..\" would leave the chosen folder");
    const QString cleanRoot = QDir::cleanPath(QFileInfo(root).absoluteFilePath());
    const QString full = QDir::cleanPath(cleanRoot + QLatin1Char('/') + parts.join(QLatin1Char('/')));
    if (!full.startsWith(cleanRoot + QLatin1Char('/')))
        return refuse("leaves the chosen folder");
    const QFileInfo info(full);
    if (info.exists()) {
        const QString canonicalRoot = QFileInfo(cleanRoot).canonicalFilePath();
        const QString canonical = info.canonicalFilePath();
        if (!canonical.startsWith(canonicalRoot + QLatin1Char('/')))
            return refuse("a link that leads outside the chosen folder");
    }
    return full;
}

} // namespace annotune::core
