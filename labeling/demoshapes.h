#pragma once
// Renders the demo's "shapes" scenes: coloured geometric objects of several classes, of varied size,
// colour and rotation, partly overlapping, over cluttered backgrounds (gradients, blobs, lines,
// noise) that contain nothing to label. Each object comes back with its outline in image pixels.

#include "core/types.h"

#include <QImage>

namespace annotune::labeling {

class DemoRandom;

// One class of the demo's label schema.
struct DemoClass {
    QString name;
    core::ClassKind kind = core::ClassKind::Box;
    QColor color;
};

// The object classes of shapes scenes (box classes and polygon classes).
const QVector<DemoClass> &shapeClasses();
// The scene-level tags ("busy", "calm").
const QVector<DemoClass> &sceneTagClasses();

// One drawn object: its class and outline. Box classes are labelled with the outline's bounding
// rect, polygon classes with the outline itself.
struct ShapeObject {
    QString className;
    QPolygonF outline;
};

struct ShapesScene {
    QImage image;
    QVector<ShapeObject> objects; // in drawing order: a later object may cover part of an earlier one
    QString tag;                  // a sceneTagClasses() name, or empty when the scene is neither
};

// Draws one scene from rng; the same random state gives the same pixels and labels.
ShapesScene renderShapesScene(DemoRandom &rng);

} // namespace annotune::labeling
