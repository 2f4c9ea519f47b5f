#pragma once
// Small UTF-8 text files read by the folder formats (class lists, split lists, YOLO labels):
// a BOM and carriage returns are dropped, invalid UTF-8 is refused with the file's name.

#include "core/result.h"

#include <QJsonDocument>

#include <QStringList>

namespace annotune::core::formats {

// The whole file as text. Fails with BadInput on invalid UTF-8 or a file over maxBytes, and
// with Io when it cannot be read.
Result<QString> readUtf8File(const QString &path, qint64 maxBytes = 64 * 1024 * 1024);

// The file's lines, without line ends; line N of the file is element N-1.
Result<QStringList> readTextLines(const QString &path, qint64 maxBytes = 64 * 1024 * 1024);

// Shortest text that reads back as v within 12 significant digits ("3", "5.5", "0.266667").
QString formatNumber(double v);

// The JSON document in a file (a leading UTF-8 byte-order mark is skipped). Fails with NotFound
// when the file cannot be read and BadInput, naming the file and the offset, when it is not JSON.
Result<QJsonDocument> readJsonFile(const QString &path);

} // namespace annotune::core::formats
