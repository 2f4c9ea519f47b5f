#pragma once
// A uniform grid over the image that finds the annotations in a rectangle without looking at all
// of them: what the canvas culls with and hit-tests against.

#include "core/types.h"

#include <QRectF>
#include <QVector>

namespace annotune::ui {

// Indexes positions in a vector of annotations (the document's, rebuilt when it changes). Tags
// and empty boxes are not indexed.
class SpatialIndex {
public:
    void build(const QVector<core::Annotation> &annotations, const QSizeF &imageSize);
    // Positions of annotations whose bounds intersect rect, ascending (drawing order).
    QVector<int> query(const QRectF &rect) const;
    int size() const { return m_count; }

private:
    int cellOf(double v, double cell, int cells) const;

    QVector<QVector<int>> m_cells;
    QVector<QRectF> m_bounds;
    int m_columns = 0;
    int m_rows = 0;
    double m_cellWidth = 1;
    double m_cellHeight = 1;
    int m_count = 0;
    mutable QVector<quint32> m_seen; // per-annotation stamp to drop duplicates across cells
    mutable quint32 m_stamp = 0;
};

} // namespace annotune::ui
