#pragma once
// What the image view shows about one item, and the painting of its labels over the image.

#include "core/types.h"

#include <QHash>
#include <QTransform>
#include <QVector>

class QPainter;

namespace annotune::ui {

// One item with everything drawn over it, as read from the store when it is selected.
struct ItemScene {
    core::Item item;
    QString absolutePath;
    QVector<core::Annotation> annotations;
    QVector<core::Word> words;
    QHash<core::Id, core::LabelClass> classes;
};

// Draws words lightly, fields highlighted over their words, boxes and polygons in class colours
// with name labels, and tags as chips in the top-left corner. Geometry is in image pixels;
// imageToScreen maps it, so pens and labels keep their on-screen size at every zoom.
void paintOverlay(QPainter &p, const QTransform &imageToScreen, const ItemScene &scene);

} // namespace annotune::ui
