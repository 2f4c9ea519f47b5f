#pragma once
// Painting of the canvas: the image at the pyramid level that matches the zoom, and the
// annotations that intersect the view, batched per class, with less detail when they are many.

#include "labeling/imagecache.h"
#include "spatialindex.h"
#include "viewtransform.h"

#include <QFont>
#include <QHash>
#include <QImage>
#include <QSet>
#include <QStaticText>

class QPainter;

namespace annotune::ui {

// Class names laid out and drawn on their chips once per text, colour and font, so that a frame
// copies each visible name instead of shaping and drawing its text again. Owned by the canvas;
// frames fill it as they go.
class NameTags {
public:
    // name laid out in font (plain text); the cache starts over when the font changes.
    const QStaticText &text(const QString &name, const QFont &font);
    // name in the painter's font on a chip of color, as tall as a line and 4 pixels wider than the
    // text each side, at the painter's device pixel ratio and resolution.
    const QImage &chip(QPainter &p, const QString &name, const QColor &color);

private:
    static constexpr int kMaxTexts = 512; // class names are few; a bound all the same
    QFont m_font;
    QHash<QString, QStaticText> m_texts;
    QHash<QString, QImage> m_chips; // by name, colour and device pixel ratio
};

// Everything one frame needs; references stay owned by the canvas.
struct RenderScene {
    const labeling::ImagePyramid *image = nullptr;
    QSizeF imageSize;
    ViewTransform view;
    QRectF viewport; // the widget's rect
    const QVector<core::Annotation> *annotations = nullptr;
    const SpatialIndex *index = nullptr;
    const QHash<core::Id, QColor> *colors = nullptr;
    const QHash<core::Id, QString> *names = nullptr;
    const QSet<core::Id> *hidden = nullptr;
    const QSet<core::Id> *selected = nullptr;
    const QHash<core::Id, core::Annotation> *preview = nullptr;
    NameTags *tags = nullptr;
};

// Draws the image (or a dark frame while it decodes), clipped to the viewport.
void paintImage(QPainter &p, const RenderScene &scene);
// The part of the viewport paintImage will cover with opaque pixels as a plain copy (whole device
// pixels), or null: what the background need not be painted under.
QRectF opaqueImageRect(const QPainter &p, const RenderScene &scene);
// Fills area except hole (a rectangle inside it, or null: all of area).
void fillAround(QPainter &p, const QRectF &area, const QRectF &hole, const QColor &color);
// Draws the visible annotations clipped to the image: outlines per class in one call, fills and
// names only when few are visible, selection handles on top. Returns how many were drawn.
int paintAnnotations(QPainter &p, const RenderScene &scene);
// Draws the tag chips of the item in the top-left corner.
void paintTags(QPainter &p, const RenderScene &scene);
// A box (screen pixels, antialiasing off) outlined as a 2-pixel pen would, with square corners,
// and filled with tint inside the outline; drawn from plain rectangle fills, which the raster
// engine draws many times faster than it strokes a wide pen.
void paintBox(QPainter &p, const QRectF &box, const QColor &color, const QColor &tint);
// The handle squares of a selected shape: box corners and edge middles, or polygon vertices.
QVector<QPointF> handlePoints(const core::Annotation &a);

} // namespace annotune::ui
