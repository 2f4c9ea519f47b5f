#include "geometry.h"

#include <QJsonArray>
#include <QtEndian>
#include <cmath>
#include <cstring>

namespace annotune::core {

QByteArray encodePoints(const QPolygonF &polygon)
{
    QByteArray out(polygon.size() * 2 * int(sizeof(double)), Qt::Uninitialized);
    char *p = out.data();
    for (const QPointF &pt : polygon) {
        const double xy[2] = {pt.x(), pt.y()};
        for (double v : xy) {
            qToLittleEndian(v, p);
            p += sizeof(double);
        }
    }
    return out;
}

QPolygonF decodePoints(const QByteArray &blob)
{
    QPolygonF out;
    const auto n = blob.size() / qsizetype(2 * sizeof(double));
    out.reserve(n);
    const char *p = blob.constData();
    for (qsizetype i = 0; i < n; ++i) {
        const double x = qFromLittleEndian<double>(p);
        const double y = qFromLittleEndian<double>(p + sizeof(double));
        out.append(QPointF(x, y));
        p += 2 * sizeof(double);
    }
    return out;
}

QByteArray encodeIds(const QVector<Id> &ids)
{
    QByteArray out(ids.size() * int(sizeof(Id)), Qt::Uninitialized);
    char *p = out.data();
    for (Id id : ids) {
        qToLittleEndian<qint64>(id, p);
        p += sizeof(Id);
    }
    return out;
}

QVector<Id> decodeIds(const QByteArray &blob)
{
    QVector<Id> out;
    const auto n = blob.size() / qsizetype(sizeof(Id));
    out.reserve(n);
    for (qsizetype i = 0; i < n; ++i)
        out.append(qFromLittleEndian<qint64>(blob.constData() + i * sizeof(Id)));
    return out;
}

double polygonArea(const QPolygonF &polygon)
{
    double twice = 0;
    const auto n = polygon.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QPointF &a = polygon[i];
        const QPointF &b = polygon[(i + 1) % n];
        twice += a.x() * b.y() - b.x() * a.y();
    }
    return std::abs(twice) / 2.0;
}

QJsonObject toJson(const Annotation &a)
{
    QJsonObject o{{QStringLiteral("id"), a.id},
                  {QStringLiteral("item"), a.itemId},
                  {QStringLiteral("class"), a.classId},
                  {QStringLiteral("kind"), toText(a.kind)}};
    if (a.kind != AnnotationKind::Tag)
        o.insert(QStringLiteral("box"), QJsonArray{a.box.x(), a.box.y(), a.box.width(), a.box.height()});
    if (!a.polygon.isEmpty()) {
        QJsonArray pts;
        for (const QPointF &p : a.polygon) {
            pts.append(p.x());
            pts.append(p.y());
        }
        o.insert(QStringLiteral("points"), pts);
    }
    if (a.kind == AnnotationKind::Field) {
        QJsonArray words;
        for (Id w : a.wordIds)
            words.append(w);
        o.insert(QStringLiteral("words"), words);
        o.insert(QStringLiteral("value"), a.value);
        o.insert(QStringLiteral("raw"), a.rawText);
    }
    if (a.runId)
        o.insert(QStringLiteral("run"), *a.runId);
    if (a.score)
        o.insert(QStringLiteral("score"), *a.score);
    if (!a.attributes.isEmpty())
        o.insert(QStringLiteral("attributes"), a.attributes);
    o.insert(QStringLiteral("revision"), a.revision);
    return o;
}

Split splitForHash(const QString &sha256Hex, double trainShare, double valShare)
{
    bool ok = false;
    const quint32 head = sha256Hex.left(8).toUInt(&ok, 16);
    const double u = ok ? head / 4294967296.0 : 0.0;
    if (u < trainShare)
        return Split::Train;
    if (u < trainShare + valShare)
        return Split::Val;
    return Split::Test;
}

} // namespace annotune::core
