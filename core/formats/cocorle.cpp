#include "cocorle.h"

#include <QJsonArray>
#include <QVector>
#include <cmath>

namespace annotune::core::formats {
namespace {

Error bad(const QString &reason) { return makeError(ErrorCode::BadInput, reason); }

// COCO's compressed counts: each run is a little-endian series of 5-bit groups stored as
// characters from '0' (48); 0x20 marks "more groups follow", 0x10 in the last group the sign.
// From the third run on, the value is a difference to the run two places back.
Result<QVector<qint64>> decompress(const QByteArray &text)
{
    QVector<qint64> counts;
    qsizetype p = 0;
    while (p < text.size()) {
        qint64 x = 0;
        int k = 0;
        bool more = true;
        while (more) {
            if (p >= text.size())
                return bad(QStringLiteral("compressed RLE counts end in the middle of a run"));
            const int c = static_cast<unsigned char>(text[p]) - 48;
            if (c < 0 || c > 63)
                return bad(QStringLiteral("compressed RLE counts contain the character '%1'").arg(QChar(text[p])));
            if (k > 11)
                return bad(QStringLiteral("compressed RLE counts hold a run that is too long"));
            x |= qint64(c & 0x1f) << (5 * k);
            more = c & 0x20;
            ++p;
            ++k;
            if (!more && (c & 0x10))
                x |= -(qint64(1) << (5 * k));
        }
        if (counts.size() > 2)
            x += counts[counts.size() - 2];
        counts << x;
    }
    return counts;
}

} // namespace

Result<QVector<qint64>> rleCountsOf(const QJsonValue &value)
{
    if (value.isString())
        return decompress(value.toString().toLatin1());
    if (!value.isArray())
        return bad(QStringLiteral("RLE counts must be a list of numbers or a compressed string"));
    QVector<qint64> counts;
    for (const QJsonValue &v : value.toArray()) {
        const double d = v.toDouble(-1);
        if (!v.isDouble() || d < 0 || d != std::floor(d))
            return bad(QStringLiteral("RLE counts must be non-negative integers"));
        counts << qint64(d);
    }
    return counts;
}

Result<RleFacts> inspectRle(const QJsonObject &rle)
{
    const QJsonArray size = rle.value(QStringLiteral("size")).toArray();
    if (size.size() != 2 || !size[0].isDouble() || !size[1].isDouble() || size[0].toDouble() < 0 || size[1].toDouble() < 0
        || size[0].toDouble() > 1e6 || size[1].toDouble() > 1e6)
        return bad(QStringLiteral("RLE size must be [height, width] with two non-negative integers"));
    RleFacts facts;
    facts.height = size[0].toInt();
    facts.width = size[1].toInt();
    auto counts = rleCountsOf(rle.value(QStringLiteral("counts")));
    if (!counts)
        return counts.error();
    const qint64 h = facts.height;
    const qint64 total = h * facts.width;
    qint64 pos = 0;
    qint64 xMin = facts.width, xMax = -1, yMin = h, yMax = -1;
    for (qsizetype i = 0; i < counts->size(); ++i) {
        const qint64 n = counts->at(i);
        if (n < 0 || n > total - pos)
            return bad(QStringLiteral("RLE counts do not add up to %1 x %2 = %3 pixels").arg(h).arg(facts.width).arg(total));
        if (i % 2 == 1 && n > 0) {
            const qint64 last = pos + n - 1;
            facts.area += n;
            xMin = std::min(xMin, pos / h);
            xMax = std::max(xMax, last / h);
            const bool oneColumn = pos / h == last / h;
            yMin = std::min(yMin, oneColumn ? pos % h : 0);
            yMax = std::max(yMax, oneColumn ? last % h : h - 1);
        }
        pos += n;
    }
    if (pos != total)
        return bad(QStringLiteral("RLE counts add up to %1 pixels, not %2 x %3 = %4").arg(pos).arg(h).arg(facts.width).arg(total));
    if (xMax >= 0)
        facts.bounds = QRectF(xMin, yMin, xMax - xMin + 1, yMax - yMin + 1);
    return facts;
}

} // namespace annotune::core::formats
