#pragma once
// Decoding media for display: header-first, scaled by the decoder where it can (JPEG scales in
// the DCT), so thumbnails and huge scans never decode full-size pixels they will not show.

#include "core/result.h"

#include <QImage>
#include <QSize>
#include <QString>

namespace annotune::labeling {

// Decodes the image at path, honouring EXIF orientation. When maxSize is valid and the image is
// larger, the decoder is asked for the image scaled to fit maxSize (aspect kept). Fails with
// NotFound when the file is missing and BadInput when it cannot be decoded. Safe on any thread.
core::Result<QImage> decodeImage(const QString &path, const QSize &maxSize = {});

// The pixel size stored in the header, or an invalid size when unreadable. Safe on any thread.
QSize imageHeaderSize(const QString &path);

} // namespace annotune::labeling
