#pragma once
// The items of an evaluation with their classified errors, one row each, filtered by class, error
// type, score range and split and kept worst first (core::eval::worstFirst); the view may re-sort.

#include "core/eval/itemerrors.h"

#include <QAbstractTableModel>

namespace annotune::ui {

class ErrorsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { ItemColumn, SplitColumn, ErrorsColumn, SeverityColumn, KindsColumn, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int ItemIdRole = Qt::UserRole + 2;

    explicit ErrorsModel(QObject *parent = nullptr);
    void setItems(QVector<core::eval::ItemErrors> items);
    void setFilter(const core::eval::ErrorFilter &filter);
    const core::eval::ErrorFilter &filter() const { return m_filter; }
    const core::eval::ItemErrors &at(int row) const { return m_rows.at(row); }
    // The row of the item, or -1.
    int rowOf(core::Id itemId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    void rebuild();
    QVector<core::eval::ItemErrors> m_all;
    QVector<core::eval::ItemErrors> m_rows;
    core::eval::ErrorFilter m_filter;
};

// "2 missed, 1 wrong class": the item's error verdicts counted by type.
QString errorSummary(const core::eval::ItemErrors &item);

} // namespace annotune::ui
