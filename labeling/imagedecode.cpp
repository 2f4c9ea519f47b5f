#include "imagedecode.h"

#include <QFileInfo>
#include <QImageReader>

namespace annotune::labeling {

using core::ErrorCode;
using core::makeError;

QSize imageHeaderSize(const QString &path)
{
    QImageReader reader(path);
    reader.setAutoTransform(true);
    return reader.size();
}

core::Result<QImage> decodeImage(const QString &path, const QSize &maxSize)
{
    if (!QFileInfo::exists(path))
        return makeError(ErrorCode::NotFound, QStringLiteral("%1: no such file").arg(path));
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize full = reader.size();
    const bool shrink = maxSize.isValid() && full.isValid()
                        && (full.width() > maxSize.width() || full.height() > maxSize.height());
    if (shrink)
        reader.setScaledSize(full.scaled(maxSize, Qt::KeepAspectRatio).expandedTo(QSize(1, 1)));
    QImage image = reader.read();
    if (image.isNull())
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: cannot decode (%2)").arg(path, reader.errorString()));
    // Formats without a header size cannot be scaled by the decoder; scale afterwards.
    if (maxSize.isValid() && !full.isValid()
        && (image.width() > maxSize.width() || image.height() > maxSize.height()))
        image = image.scaled(maxSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    return image;
}

} // namespace annotune::labeling
