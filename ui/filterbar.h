#pragma once
// The row of controls above the item grid: status, class, split, path search and sort order.

#include "core/store/itemrepository.h"

#include <QWidget>

class QComboBox;
class QLineEdit;
class QTimer;
class QToolButton;

namespace annotune::ui {

// Turns its controls into an ItemFilter and an ItemSort. Typing in the search box is debounced so
// the model is not reset on every key.
class FilterBar : public QWidget {
    Q_OBJECT
public:
    explicit FilterBar(QWidget *parent = nullptr);

    // Fills the class picker; keeps the current class when it still exists.
    void setClasses(const QVector<core::LabelClass> &classes);
    core::store::ItemFilter filter() const;
    core::store::ItemSort sort() const;
    // Back to "everything, by id".
    void reset();
    // Shows only items of status (all when empty), as if picked in the box; emits filterChanged.
    void setStatus(std::optional<core::ItemStatus> status);

Q_SIGNALS:
    void filterChanged(const core::store::ItemFilter &filter);
    void sortChanged(const core::store::ItemSort &sort);

private:
    QComboBox *makeCombo(const QString &tip);
    void emitFilter() { Q_EMIT filterChanged(filter()); }
    void emitSort() { Q_EMIT sortChanged(sort()); }

    QComboBox *m_status;
    QComboBox *m_class;
    QComboBox *m_split;
    QLineEdit *m_search;
    QComboBox *m_sortKey;
    QToolButton *m_descending;
    QTimer *m_searchDelay;
};

} // namespace annotune::ui
