#pragma once
// Compact encodings of geometry for storage and interchange, and small helpers on shapes.

#include "types.h"

#include <QByteArray>
#include <QJsonObject>

namespace annotune::core {

// Points as little-endian float64 x,y pairs.
QByteArray encodePoints(const QPolygonF &polygon);
QPolygonF decodePoints(const QByteArray &blob);
QByteArray encodeIds(const QVector<Id> &ids);
QVector<Id> decodeIds(const QByteArray &blob);

// Polygon area by the shoelace formula (absolute value).
double polygonArea(const QPolygonF &polygon);

// The JSON an annotation is shown as in the audit log and in exports' debugging.
QJsonObject toJson(const Annotation &a);

// Split for a media hash: stable under additions because it depends on the hash alone.
// trainShare and valShare are fractions; the rest goes to test.
Split splitForHash(const QString &sha256Hex, double trainShare = 0.8, double valShare = 0.1);

} // namespace annotune::core
