#pragma once
// Draws text on a page image word by word and records each word's box from the font metrics as it
// draws it, so the stored boxes are exactly where the pixels are.

#include <QColor>
#include <QFont>
#include <QImage>
#include <QPainter>
#include <QRectF>
#include <QVector>

namespace annotune::labeling {

// A word drawn on a page, in page pixels: the advance of the word by the font's ascent + descent.
struct PageWord {
    QString text;
    QRectF box;
};

class PageWriter {
public:
    // Paints on image (which must outlive the writer) with antialiasing.
    explicit PageWriter(QImage &image);

    QPainter &painter() { return m_painter; }
    void setInk(const QColor &ink) { m_ink = ink; }

    // Width of text laid out as write() lays it out (words separated by one space advance).
    static qreal width(const QString &text, const QFont &font);
    // Ascent + descent: the height of a line box and of each word box.
    static qreal lineHeight(const QFont &font);

    // Draws text with its line box's top at top and its left edge (AlignLeft), right edge
    // (AlignRight) or centre (AlignHCenter) at x. Returns the indexes in words() of its words.
    QVector<int> write(const QString &text, const QFont &font, qreal x, qreal top,
                       Qt::Alignment align = Qt::AlignLeft);

    const QVector<PageWord> &words() const { return m_words; }
    QVector<PageWord> takeWords() { return std::move(m_words); }

private:
    QPainter m_painter;
    QColor m_ink = Qt::black;
    QVector<PageWord> m_words;
};

} // namespace annotune::labeling
