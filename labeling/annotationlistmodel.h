#pragma once
// A read-only table of one item's annotations for the details panel: class, kind, geometry,
// where the label came from and who made it.

#include "core/types.h"

#include <QAbstractTableModel>
#include <QHash>

namespace annotune::labeling {

// Holds the few annotations of the selected item (tens, not thousands) with the class schema to
// name and colour them. setContent replaces everything in one reset.
class AnnotationListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { ClassColumn, KindColumn, GeometryColumn, SourceColumn, AuthorColumn, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1 };

    using QAbstractTableModel::QAbstractTableModel;

    void setContent(const QVector<core::Annotation> &annotations, const QHash<core::Id, core::LabelClass> &classes);
    void clear() { setContent({}, {}); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // With setClassEditable(true) the class column is editable (EditRole: the class id); an edit
    // is not applied here but asked for with classChangeRequested, so it goes through the document.
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    void setClassEditable(bool editable) { m_classEditable = editable; }
    // The row of the annotation id, or -1.
    int rowOf(core::Id id) const;
    const QHash<core::Id, core::LabelClass> &classes() const { return m_classes; }

Q_SIGNALS:
    void classChangeRequested(qint64 annotationId, qint64 classId);

public:

    // "x, y  w × h", "7 points", "3 words: 'ACME'", ...: a one-line summary of the geometry.
    static QString geometrySummary(const core::Annotation &a);
    // "human" or "model run 3 · 0.87".
    static QString provenance(const core::Annotation &a);

private:
    QVector<core::Annotation> m_annotations;
    QHash<core::Id, core::LabelClass> m_classes;
    bool m_classEditable = false;
};

} // namespace annotune::labeling
