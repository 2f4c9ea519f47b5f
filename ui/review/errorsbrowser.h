#pragma once
// The items of an evaluation with their classified errors: a filter row (class, error type,
// score range, split) over a sortable table, worst first; selecting a row picks the item.

#include "core/eval/itemerrors.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QSortFilterProxyModel;
class QTableView;

namespace annotune::ui {

class ErrorsModel;

class ErrorsBrowser : public QWidget {
    Q_OBJECT
public:
    explicit ErrorsBrowser(QWidget *parent = nullptr);
    void setItems(const QVector<core::eval::ItemErrors> &items, const QHash<core::Id, core::LabelClass> &classes);
    void clear();
    ErrorsModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QComboBox *classFilter() const { return m_class; }
    QComboBox *typeFilter() const { return m_type; }
    // The item of the selected row, or 0.
    core::Id currentItemId() const;
    void selectFirst();

Q_SIGNALS:
    void itemSelected(qint64 itemId);

private:
    void applyFilter();
    ErrorsModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QComboBox *m_class;
    QComboBox *m_type;
    QComboBox *m_split;
    QDoubleSpinBox *m_minScore;
    QDoubleSpinBox *m_maxScore;
};

} // namespace annotune::ui
