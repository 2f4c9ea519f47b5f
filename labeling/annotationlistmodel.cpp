#include "annotationlistmodel.h"

namespace annotune::labeling {

void AnnotationListModel::setContent(const QVector<core::Annotation> &annotations,
                                     const QHash<core::Id, core::LabelClass> &classes)
{
    beginResetModel();
    m_annotations = annotations;
    m_classes = classes;
    endResetModel();
}

int AnnotationListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_annotations.size());
}

int AnnotationListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString AnnotationListModel::geometrySummary(const core::Annotation &a)
{
    const QRectF &b = a.box;
    switch (a.kind) {
    case core::AnnotationKind::Box:
        return QStringLiteral("%1, %2  %3 × %4").arg(qRound(b.x())).arg(qRound(b.y())).arg(qRound(b.width())).arg(qRound(b.height()));
    case core::AnnotationKind::Polygon:
        return QStringLiteral("%1 points  %2 × %3").arg(a.polygon.size()).arg(qRound(b.width())).arg(qRound(b.height()));
    case core::AnnotationKind::Field: {
        const QString text = a.value.isEmpty() ? a.rawText : a.value;
        return QStringLiteral("%1 words: \u201c%2\u201d").arg(a.wordIds.size()).arg(text.left(40));
    }
    case core::AnnotationKind::Tag:
        return QStringLiteral("whole item");
    }
    return {};
}

QString AnnotationListModel::provenance(const core::Annotation &a)
{
    if (!a.runId)
        return QStringLiteral("human");
    QString s = QStringLiteral("model run %1").arg(*a.runId);
    if (a.score)
        s += QStringLiteral(" · %1").arg(*a.score, 0, 'f', 2);
    return s;
}

QVariant AnnotationListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_annotations.size())
        return {};
    const core::Annotation &a = m_annotations[index.row()];
    const auto cls = m_classes.constFind(a.classId);
    if (role == IdRole)
        return a.id;
    if (role == Qt::EditRole && index.column() == ClassColumn)
        return a.classId;
    if (role == Qt::DecorationRole && index.column() == ClassColumn && cls != m_classes.cend())
        return cls->color;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case ClassColumn: return cls != m_classes.cend() ? cls->name : QStringLiteral("class %1").arg(a.classId);
    case KindColumn: return core::toText(a.kind);
    case GeometryColumn: return geometrySummary(a);
    case SourceColumn: return provenance(a);
    case AuthorColumn: return a.author;
    default: return {};
    }
}

QVariant AnnotationListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {"Class", "Kind", "Geometry", "Source", "Author"};
    return section >= 0 && section < ColumnCount ? QString::fromLatin1(names[section]) : QVariant();
}

Qt::ItemFlags AnnotationListModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (m_classEditable && index.column() == ClassColumn && index.row() < m_annotations.size()
        && m_annotations[index.row()].kind != core::AnnotationKind::Tag)
        f |= Qt::ItemIsEditable;
    return f;
}

bool AnnotationListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || index.column() != ClassColumn || index.row() >= m_annotations.size())
        return false;
    const core::Annotation &a = m_annotations[index.row()];
    if (value.toLongLong() != a.classId)
        Q_EMIT classChangeRequested(a.id, value.toLongLong());
    return false; // the document's change event refreshes the row
}

int AnnotationListModel::rowOf(core::Id id) const
{
    for (int r = 0; r < m_annotations.size(); ++r)
        if (m_annotations[r].id == id)
            return r;
    return -1;
}

} // namespace annotune::labeling
