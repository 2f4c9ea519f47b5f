#pragma once
// Facts about a media file read without decoding its pixels, and safe resolution of file names
// found inside annotation files.

#include "result.h"

#include <QString>

namespace annotune::core {

inline constexpr qint64 kMaxImagePixels = 1'000'000'000; // refuse bigger images before decoding

// Media facts read from a file without decoding its pixels.
struct MediaProbe {
    QString path;      // absolute
    qint64 sizeBytes = 0;
    QString sha256;
    int width = 0;
    int height = 0;
    QString error;     // non-empty: why the file cannot be used
};

// Reads size, hash and header dimensions of one file. Never decodes pixel data; refuses images
// over maxPixels.
MediaProbe probeImage(const QString &path, qint64 maxPixels = kMaxImagePixels);

// Resolves a file name written inside an annotation file against root. Refuses absolute names
// (also Windows drive and UNC forms), any ".." component, NUL bytes, and symbolic links that lead
// outside root. Backslashes count as separators. Returns the absolute path.
Result<QString> resolveUnder(const QString &root, const QString &fileName);

} // namespace annotune::core
