#pragma once
// Test helper: pages of known words drawn with a known font at known places, for OCR and PDF
// text-layer tests and the OCR benchmark.

#include <QFont>
#include <QFontMetricsF>
#include <QImage>
#include <QPainter>
#include <QRectF>
#include <QStringList>
#include <QVector>

namespace annotune::testing {

struct KnownWord {
    QString text;
    QRectF box; // x..x+advance, baseline-ascent..baseline+descent, in the page's units
};

// Ordinary words and numbers of a business form; page k uses a rotation of them.
inline QStringList vocabulary()
{
    return QStringLiteral("Invoice number date total amount payment due customer order address street city "
                          "account balance quantity price description service company invoice report "
                          "shipping delivery account phone email total 2024 1250.00 March 17 Boston "
                          "signature approved received paid remit office number reference terms net")
        .split(QLatin1Char(' '));
}

inline QFont pageFont(qreal pixelSize)
{
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPixelSize(int(pixelSize));
    f.setHintingPreference(QFont::PreferNoHinting);
    return f;
}

// Lays words out in lines inside width x height with the given margins, starting from word `first`
// of the vocabulary; calls draw(text, x, baseline) for each and returns their boxes.
template <typename Draw>
QVector<KnownWord> layoutWords(const QFont &font, qreal width, qreal height, qreal margin, int first, int lines,
                               Draw draw)
{
    const QFontMetricsF fm(font);
    const QStringList words = vocabulary();
    QVector<KnownWord> out;
    qreal baseline = margin + fm.ascent();
    int k = first;
    for (int line = 0; line < lines && baseline + fm.descent() < height - margin; ++line) {
        qreal x = margin;
        while (true) {
            const QString w = words[k % words.size()];
            const qreal advance = fm.horizontalAdvance(w);
            if (x + advance > width - margin)
                break;
            draw(w, x, baseline);
            out.append({w, QRectF(x, baseline - fm.ascent(), advance, fm.ascent() + fm.descent())});
            x += advance + fm.horizontalAdvance(QStringLiteral("  "));
            ++k;
        }
        baseline += fm.lineSpacing() * 1.8;
    }
    return out;
}

// A white page image of size with lines of words in DejaVu Sans at pixelSize, black ink.
inline QImage textPage(QSize size, qreal pixelSize, int first, int lines, QVector<KnownWord> *words = nullptr)
{
    QImage image(size, QImage::Format_Grayscale8);
    image.fill(Qt::white);
    image.setDotsPerMeterX(11811); // 300 DPI
    image.setDotsPerMeterY(11811);
    QPainter p(&image);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.setPen(Qt::black);
    const QFont font = pageFont(pixelSize);
    p.setFont(font);
    const auto placed = layoutWords(font, size.width(), size.height(), pixelSize * 3, first, lines,
                                    [&](const QString &w, qreal x, qreal y) { p.drawText(QPointF(x, y), w); });
    if (words)
        *words = placed;
    return image;
}

// Share of expected words found by OCR: same text, centre of the found box inside the expected box.
template <typename Found>
double recognisedShare(const QVector<KnownWord> &expected, const Found &found)
{
    if (expected.isEmpty())
        return 0;
    int hits = 0;
    for (const KnownWord &e : expected)
        for (const auto &f : found)
            if (f.text == e.text && e.box.adjusted(-4, -4, 4, 4).contains(f.box.center())) {
                ++hits;
                break;
            }
    return double(hits) / expected.size();
}

} // namespace annotune::testing
