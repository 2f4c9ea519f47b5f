#include "spatialindex.h"

#include <algorithm>
#include <cmath>

namespace annotune::ui {

namespace {
constexpr int kMaxCellsPerSide = 64;
constexpr double kPerCell = 2; // annotations per cell the grid is sized for

bool indexed(const core::Annotation &a)
{
    return a.kind != core::AnnotationKind::Tag && !a.box.isNull();
}
} // namespace

int SpatialIndex::cellOf(double v, double cell, int cells) const
{
    return qBound(0, int(std::floor(v / cell)), cells - 1);
}

void SpatialIndex::build(const QVector<core::Annotation> &annotations, const QSizeF &imageSize)
{
    const QSizeF size(qMax(1.0, imageSize.width()), qMax(1.0, imageSize.height()));
    // As many cells as the annotations need: an item with tens of them builds and scans a few
    // cells on every switch and frame, not thousands.
    const auto shapes = std::count_if(annotations.cbegin(), annotations.cend(), indexed);
    m_columns = m_rows = qBound(1, int(std::ceil(std::sqrt(shapes / kPerCell))), kMaxCellsPerSide);
    m_cellWidth = size.width() / m_columns;
    m_cellHeight = size.height() / m_rows;
    m_cells = QVector<QVector<int>>(m_columns * m_rows);
    m_bounds.resize(annotations.size());
    m_seen = QVector<quint32>(annotations.size(), 0);
    m_stamp = 0;
    m_count = 0;
    for (int i = 0; i < annotations.size(); ++i) {
        const core::Annotation &a = annotations[i];
        if (!indexed(a)) {
            m_bounds[i] = {};
            continue;
        }
        const QRectF b = a.box.normalized();
        m_bounds[i] = b;
        ++m_count;
        const int c0 = cellOf(b.left(), m_cellWidth, m_columns), c1 = cellOf(b.right(), m_cellWidth, m_columns);
        const int r0 = cellOf(b.top(), m_cellHeight, m_rows), r1 = cellOf(b.bottom(), m_cellHeight, m_rows);
        for (int r = r0; r <= r1; ++r)
            for (int c = c0; c <= c1; ++c)
                m_cells[r * m_columns + c].append(i);
    }
}

QVector<int> SpatialIndex::query(const QRectF &rect) const
{
    QVector<int> out;
    if (m_cells.isEmpty())
        return out;
    const QRectF q = rect.normalized();
    const int c0 = cellOf(q.left(), m_cellWidth, m_columns), c1 = cellOf(q.right(), m_cellWidth, m_columns);
    const int r0 = cellOf(q.top(), m_cellHeight, m_rows), r1 = cellOf(q.bottom(), m_cellHeight, m_rows);
    if (++m_stamp == 0) {
        m_seen.fill(0);
        m_stamp = 1;
    }
    for (int r = r0; r <= r1; ++r)
        for (int c = c0; c <= c1; ++c)
            for (int i : m_cells[r * m_columns + c])
                if (m_seen[i] != m_stamp) {
                    m_seen[i] = m_stamp;
                    if (m_bounds[i].intersects(q) || q.contains(m_bounds[i].topLeft()))
                        out.append(i);
                }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace annotune::ui
