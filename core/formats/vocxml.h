#pragma once
// One Pascal VOC annotation file as read, before classes are resolved; used by the VOC reader.

#include "voc.h"

#include <QHash>
#include <QJsonObject>
#include <QXmlStreamReader>

namespace annotune::core::formats {

struct VocObject {
    QString name;
    QRectF box;               // Annotune convention (see voc.h)
    QJsonObject attributes;
    QString where;            // "Annotations/a.xml <object> 2"
};

// The state of reading one file: where it is, what was found, unknown elements by count.
struct VocFile {
    QString path;             // absolute, for messages
    QString rel;              // relative to the dataset folder, for records
    QXmlStreamReader xml;
    QString fileName;         // <filename>
    int width = 0;
    int height = 0;
    QVector<VocObject> objects;
    QHash<QString, int> unknown;
};

// Parses f.path into f. Fails with BadInput "<file>: line N <object> K: reason" for a DTD,
// malformed XML, a missing <name> or <bndbox>, non-numeric or inverted coordinates, a bad size.
Status parseVocFile(VocFile &f, qint64 maxPixels);

} // namespace annotune::core::formats
