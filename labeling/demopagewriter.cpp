#include "demopagewriter.h"

#include <QFontMetricsF>

namespace annotune::labeling {

PageWriter::PageWriter(QImage &image) : m_painter(&image)
{
    m_painter.setRenderHint(QPainter::Antialiasing);
    m_painter.setRenderHint(QPainter::TextAntialiasing);
}

qreal PageWriter::width(const QString &text, const QFont &font)
{
    const QFontMetricsF fm(font);
    const QStringList words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    qreal w = 0;
    for (const QString &word : words)
        w += fm.horizontalAdvance(word);
    return w + fm.horizontalAdvance(QLatin1Char(' ')) * qMax<qsizetype>(0, words.size() - 1);
}

qreal PageWriter::lineHeight(const QFont &font)
{
    const QFontMetricsF fm(font);
    return fm.ascent() + fm.descent();
}

QVector<int> PageWriter::write(const QString &text, const QFont &font, qreal x, qreal top, Qt::Alignment align)
{
    const QFontMetricsF fm(font);
    qreal pen = x;
    if (align & Qt::AlignRight)
        pen = x - width(text, font);
    else if (align & Qt::AlignHCenter)
        pen = x - width(text, font) / 2;
    const qreal space = fm.horizontalAdvance(QLatin1Char(' '));
    const qreal baseline = top + fm.ascent();
    m_painter.setFont(font);
    m_painter.setPen(m_ink);
    QVector<int> indexes;
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const qreal advance = fm.horizontalAdvance(word);
        m_painter.drawText(QPointF(pen, baseline), word);
        indexes.append(int(m_words.size()));
        m_words.append(PageWord{word, QRectF(pen, top, advance, fm.ascent() + fm.descent())});
        pen += advance + space;
    }
    return indexes;
}

} // namespace annotune::labeling
