#pragma once
// The one conversion between image pixels and screen pixels of the canvas.

#include <QPointF>
#include <QRectF>
#include <QTransform>

namespace annotune::ui {

// screen = image * scale + offset. Geometry lives in image pixels everywhere else.
struct ViewTransform {
    double scale = 1.0;
    QPointF offset;

    QPointF toScreen(const QPointF &image) const { return image * scale + offset; }
    QPointF toImage(const QPointF &screen) const { return (screen - offset) / scale; }
    QRectF toScreen(const QRectF &image) const
    {
        return QRectF(toScreen(image.topLeft()), image.size() * scale);
    }
    QRectF toImage(const QRectF &screen) const
    {
        return QRectF(toImage(screen.topLeft()), screen.size() / scale);
    }
    QTransform matrix() const { return QTransform(scale, 0, 0, scale, offset.x(), offset.y()); }
};

} // namespace annotune::ui
