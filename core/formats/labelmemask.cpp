#include "labelmemask.h"

#include "cocorle.h"

#include <QBuffer>
#include <QImage>
#include <QImageReader>
#include <QJsonArray>
#include <cmath>
#include <limits>

namespace annotune::core::formats {
namespace {

// Appends runs of one value to COCO counts (which start with a run of zeros).
class RunWriter {
public:
    void push(char value, qint64 n)
    {
        if (n <= 0)
            return;
        if (value != m_value) {
            m_counts.append(m_run);
            m_value = value;
            m_run = 0;
        }
        m_run += n;
    }
    QJsonArray finish()
    {
        m_counts.append(m_run);
        return m_counts;
    }

private:
    QJsonArray m_counts;
    char m_value = 0;
    qint64 m_run = 0;
};

} // namespace

QRect PlacedMask::bounds() const
{
    int x0 = std::numeric_limits<int>::max(), y0 = x0, x1 = -1, y1 = -1;
    for (int y = 0; y < frame.height(); ++y)
        for (int x = 0; x < frame.width(); ++x)
            if (bits[qsizetype(y) * frame.width() + x]) {
                x0 = std::min(x0, x), x1 = std::max(x1, x);
                y0 = std::min(y0, y), y1 = std::max(y1, y);
            }
    if (x1 < 0)
        return {};
    return QRect(QPoint(x0, y0) + frame.topLeft(), QPoint(x1, y1) + frame.topLeft()).intersected(QRect(QPoint(), imageSize));
}

Result<PlacedMask> maskFromPng(const QByteArray &png, QPoint topLeft, QSize imageSize)
{
    QBuffer buffer;
    buffer.setData(png);
    QImageReader reader(&buffer);
    const QSize size = reader.size();
    if (size.width() > imageSize.width() || size.height() > imageSize.height())
        return makeError(ErrorCode::BadInput, QStringLiteral("the %1 x %2 mask is larger than its %3 x %4 image")
                                                  .arg(size.width()).arg(size.height()).arg(imageSize.width()).arg(imageSize.height()));
    QImage image;
    if (!reader.read(&image))
        return makeError(ErrorCode::BadInput, QStringLiteral("the mask is not a readable image"));
    image = image.convertToFormat(QImage::Format_Grayscale8);
    PlacedMask mask{QRect(topLeft, image.size()), QByteArray(qsizetype(image.width()) * image.height(), 0), imageSize};
    for (int y = 0; y < image.height(); ++y) {
        const uchar *row = image.constScanLine(y);
        for (int x = 0; x < image.width(); ++x)
            mask.bits[qsizetype(y) * image.width() + x] = row[x] ? 1 : 0;
    }
    return mask;
}

QJsonObject rleFromMask(const PlacedMask &mask)
{
    const int h = mask.imageSize.height(), w = mask.imageSize.width();
    const QRect inside = mask.frame.intersected(QRect(0, 0, w, h));
    RunWriter runs;
    for (int x = 0; x < w; ++x) {
        if (inside.isEmpty() || x < inside.left() || x > inside.right()) {
            runs.push(0, h);
            continue;
        }
        runs.push(0, inside.top());
        for (int y = inside.top(); y <= inside.bottom(); ++y)
            runs.push(mask.bits[qsizetype(y - mask.frame.top()) * mask.frame.width() + (x - mask.frame.left())], 1);
        runs.push(0, h - 1 - inside.bottom());
    }
    return QJsonObject{{QStringLiteral("size"), QJsonArray{h, w}}, {QStringLiteral("counts"), runs.finish()}};
}

Result<PlacedMask> maskFromRle(const QJsonObject &rle)
{
    const QJsonArray size = rle.value(QStringLiteral("size")).toArray();
    const qint64 h = size.at(0).toInteger(-1), w = size.at(1).toInteger(-1);
    if (size.size() != 2 || h < 0 || w < 0 || h * w > (qint64(1) << 31))
        return makeError(ErrorCode::BadInput, QStringLiteral("rle size is not [height, width]"));
    auto counts = rleCountsOf(rle.value(QStringLiteral("counts")));
    if (!counts)
        return counts.error();
    qint64 total = 0, x0 = w, x1 = -1, y0 = h, y1 = -1;
    for (qsizetype i = 0; i < counts->size(); ++i) {
        const qint64 n = counts->at(i);
        if (n < 0 || total + n > h * w)
            return makeError(ErrorCode::BadInput, QStringLiteral("rle counts do not add up to %1 x %2").arg(h).arg(w));
        if (i % 2 && n > 0) {
            const qint64 first = total, last = total + n - 1;
            x0 = std::min(x0, first / h), x1 = std::max(x1, last / h);
            const bool oneColumn = first / h == last / h;
            y0 = std::min(y0, oneColumn ? first % h : 0), y1 = std::max(y1, oneColumn ? last % h : h - 1);
        }
        total += n;
    }
    if (total != h * w)
        return makeError(ErrorCode::BadInput, QStringLiteral("rle counts do not add up to %1 x %2").arg(h).arg(w));
    PlacedMask mask{x1 < 0 ? QRect() : QRect(int(x0), int(y0), int(x1 - x0 + 1), int(y1 - y0 + 1)), {}, QSize(int(w), int(h))};
    mask.bits = QByteArray(qsizetype(mask.frame.width()) * mask.frame.height(), 0);
    total = 0;
    for (qsizetype i = 0; i < counts->size(); total += counts->at(i), ++i)
        for (qint64 k = total; i % 2 && k < total + counts->at(i); ++k) {
            const int x = int(k / h) - mask.frame.left(), y = int(k % h) - mask.frame.top();
            mask.bits[qsizetype(y) * mask.frame.width() + x] = 1;
        }
    return mask;
}

QByteArray pngOfBounds(const PlacedMask &mask, QPoint *topLeft)
{
    const QRect b = mask.bounds();
    *topLeft = b.topLeft();
    if (b.isEmpty())
        return {};
    QImage image(b.size(), QImage::Format_Mono);
    image.setColorTable({qRgb(0, 0, 0), qRgb(255, 255, 255)});
    image.fill(0);
    for (int y = b.top(); y <= b.bottom(); ++y)
        for (int x = b.left(); x <= b.right(); ++x)
            if (mask.bits[qsizetype(y - mask.frame.top()) * mask.frame.width() + (x - mask.frame.left())])
                image.setPixel(x - b.left(), y - b.top(), 1);
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return png;
}

} // namespace annotune::core::formats
