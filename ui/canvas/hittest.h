#pragma once
// Small geometry for tools: distances to segments, the handle or edge under the cursor.

#include "core/types.h"

#include <QLineF>
#include <QPolygonF>
#include <cmath>

namespace annotune::ui::hittest {

inline double distanceToSegment(const QPointF &p, const QPointF &a, const QPointF &b, QPointF *closest = nullptr)
{
    const QPointF ab = b - a;
    const double len2 = QPointF::dotProduct(ab, ab);
    const double t = len2 > 0 ? qBound(0.0, QPointF::dotProduct(p - a, ab) / len2, 1.0) : 0.0;
    const QPointF c = a + ab * t;
    if (closest)
        *closest = c;
    return QLineF(p, c).length();
}

// The index of the point of points within tol of p (the last one wins: drawn on top), or -1.
inline int pointNear(const QVector<QPointF> &points, const QPointF &p, double tol)
{
    for (int i = int(points.size()) - 1; i >= 0; --i)
        if (std::abs(points[i].x() - p.x()) <= tol && std::abs(points[i].y() - p.y()) <= tol)
            return i;
    return -1;
}

// The closed polygon's edge within tol of p: the index to insert a vertex at (after edge start),
// or -1; at gets the closest point on that edge.
inline int edgeNear(const QPolygonF &polygon, const QPointF &p, double tol, QPointF *at)
{
    const int n = int(polygon.size());
    for (int i = 0; i < n; ++i)
        if (distanceToSegment(p, polygon[i], polygon[(i + 1) % n], at) <= tol)
            return i + 1;
    return -1;
}

// Whether p is on or inside the shape of a (box or polygon), with tol around it.
inline bool touches(const core::Annotation &a, const QPointF &p, double tol)
{
    if (a.kind != core::AnnotationKind::Box && a.polygon.size() >= 3) {
        QPointF at;
        return a.polygon.containsPoint(p, Qt::OddEvenFill) || edgeNear(a.polygon, p, tol, &at) >= 0;
    }
    return a.box.adjusted(-tol, -tol, tol, tol).contains(p);
}

} // namespace annotune::ui::hittest
