#pragma once
// What the COCO instances and results readers share: simdjson On-Demand helpers that read numbers
// leniently (numbers written as strings too), and one annotation object turned into a LabelRecord.
// Internal to core/formats; the readers throw ParseError inside and turn it into an Error at
// their boundary.

#include "core/result.h"
#include "dataset.h"

#include <QJsonArray>

#include <simdjson.h>

namespace annotune::core::formats::coco {

namespace od = simdjson::ondemand;

// A record that cannot be used: where it is (a JSON path) and why.
struct ParseError {
    QString where;
    QString reason;
};

// A JSON path built only when a message needs it: base, then ".field", then "[part]".
struct Path {
    const QString &base;
    const char *field = nullptr;
    int part = -1;
    QString text() const;
    [[noreturn]] void fail(const QString &reason) const { throw ParseError{text(), reason}; }
};

// One COCO annotation object as read, before its image and category are looked up.
struct RawAnnotation {
    std::optional<qint64> imageId;
    std::optional<qint64> categoryId;
    std::optional<QRectF> bbox;
    QVector<QPolygonF> polygons;   // segmentation as polygons
    QJsonObject rle;               // segmentation as RLE (verbatim)
    std::optional<double> score;
    int iscrowd = 0;
    QJsonObject extras;            // "attributes" object, keypoints
    bool caption = false;          // captions file: no geometry to import
    bool panoptic = false;         // panoptic file: segments live in PNGs, not imported
};

// "array[index]" ("[index]" for an empty array name), built without QString::arg: it names each
// of a million records.
QString recordName(QLatin1StringView array, qsizetype index);

double number(od::value v, const Path &where);
qint64 integer(od::value v, const Path &where);
QString text(od::value v, const Path &where);
QJsonValue verbatim(od::value v);
QJsonObject objectVerbatim(od::value v, const Path &where);
// [x1, y1, x2, y2, ...] as COCO writes a polygon.
QJsonArray flatPolygon(const QPolygonF &polygon);

// Reads one annotation object; `where` names it ("annotations[12]", "[3]").
RawAnnotation readAnnotation(od::object object, const QString &where);

// Turns a read annotation into a label: box, polygon (the largest part; the other parts in
// attributes.polygons), mask (RLE checked against the image size when known), or tag (no
// geometry). Throws ParseError on invalid geometry.
LabelRecord toLabel(RawAnnotation &&raw, int classIndex, int imageWidth, int imageHeight, const QString &where);


} // namespace annotune::core::formats::coco
