#pragma once
// What a document page shows on the canvas besides its image: the OCR word boxes (toggle), the
// fields as tinted words with their class names, and links between entities as arrows. Also the
// hit tests the word and link tools share.

#include "core/types.h"
#include "viewtransform.h"

class QPainter;

namespace annotune::labeling {
class AnnotationDocument;
}

namespace annotune::ui {

class Canvas;

// Paints for the canvas (added as a Canvas::Layer); draws nothing on images.
class DocumentLayer {
public:
    explicit DocumentLayer(Canvas &canvas) : m_canvas(canvas) {}
    void setShowWords(bool show) { m_showWords = show; }
    bool showWords() const { return m_showWords; }
    void paint(QPainter &p, const ViewTransform &view) const;

private:
    void paintWords(QPainter &p, const ViewTransform &view) const;
    void paintFields(QPainter &p, const ViewTransform &view) const;
    void paintLinks(QPainter &p, const ViewTransform &view) const;

    Canvas &m_canvas;
    bool m_showWords = true;
};

namespace documenthit {
// True when the document's item is a page with words.
bool isPage(const labeling::AnnotationDocument *doc);
// The word whose box contains the image point (grown by tol image pixels), or 0.
core::Id wordAt(const labeling::AnnotationDocument &doc, const QPointF &image, double tol);
// Words whose boxes intersect rect (image pixels), in reading order.
QVector<core::Id> wordsIn(const labeling::AnnotationDocument &doc, const QRectF &rect);
// The field (entity) annotation under the point, the smallest first, or 0.
core::Id fieldAt(const labeling::AnnotationDocument &doc, const QPointF &image, double tol);
// The link whose arrow passes within tol image pixels of the point, or 0.
core::Id linkAt(const labeling::AnnotationDocument &doc, const QPointF &image, double tol);
// The arrow of a link between two boxes: from the edge of one to the edge of the other.
QLineF arrowBetween(const QRectF &from, const QRectF &to);
// Draws an arrow head at line.p2() (screen pixels).
void drawArrow(QPainter &p, const QLineF &line);
} // namespace documenthit

} // namespace annotune::ui
