#include "metricsmodel.h"

#include <QBrush>
#include <QColor>

namespace annotune::ui {

MetricsModel::MetricsModel(Kind kind, QObject *parent) : QAbstractTableModel(parent), m_kind(kind) {}

void MetricsModel::setData(const EvaluationData &data)
{
    beginResetModel();
    m_rows.clear();
    m_hasB = data.b.has_value();
    if (m_kind == Kind::Metrics && data.comparison) {
        for (const auto &m : data.comparison->metrics)
            m_rows.append({m.name, m.a, m.b});
    } else if (m_kind == Kind::Metrics) {
        QStringList names = data.a.task == QLatin1String("detection") ? core::eval::cocoStatNames() : QStringList{};
        for (auto it = data.a.metrics.cbegin(); it != data.a.metrics.cend(); ++it)
            if (!names.contains(it.key()))
                names.append(it.key());
        for (const QString &name : std::as_const(names))
            if (data.a.metrics.contains(name))
                m_rows.append({name, data.a.metrics.value(name), -1});
    } else {
        QHash<core::Id, double> scoresB;
        if (data.b)
            for (const auto &c : data.b->classScores)
                scoresB.insert(c.classId, c.score);
        for (const auto &c : data.a.classScores)
            m_rows.append({c.name, c.score, scoresB.value(c.classId, -1)});
    }
    endResetModel();
}

void MetricsModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_hasB = false;
    endResetModel();
}

const MetricsModel::Row *MetricsModel::find(const QString &name) const
{
    for (const Row &row : m_rows)
        if (row.name == name)
            return &row;
    return nullptr;
}

int MetricsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MetricsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : (m_hasB ? ColumnCount : BColumn);
}

static QString figure(double v)
{
    return v < 0 ? QStringLiteral("–") : QString::number(v, 'f', 3);
}

QVariant MetricsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Row &row = m_rows.at(index.row());
    const bool defined = row.a >= 0 && row.b >= 0;
    const double delta = defined ? row.b - row.a : 0;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case NameColumn: return row.name;
        case AColumn: return figure(row.a);
        case BColumn: return figure(row.b);
        case DeltaColumn: return defined ? QString::asprintf("%+.3f", delta) : QStringLiteral("–");
        }
    } else if (role == Qt::ForegroundRole && index.column() == DeltaColumn && defined && std::abs(delta) > 1e-9) {
        return QBrush(delta > 0 ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28));
    } else if (role == Qt::TextAlignmentRole && index.column() != NameColumn) {
        return int(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant MetricsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return m_kind == Kind::Metrics ? tr("Metric") : tr("Class");
    case AColumn: return tr("Run A");
    case BColumn: return tr("Run B");
    case DeltaColumn: return tr("Δ B−A");
    }
    return {};
}

} // namespace annotune::ui
