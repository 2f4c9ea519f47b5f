#pragma once
// The annotation list dock: the current item's annotations with class, kind, geometry and
// provenance; selecting rows selects on the canvas, editing the class is an undo command.

#include "core/types.h"

#include <QDockWidget>

class QTableView;

namespace annotune::labeling {
class AnnotationDocument;
class AnnotationListModel;
}

namespace annotune::ui {

// Follows the document's change events; selection is kept in step with the canvas through
// setSelection / selectionEdited (no feedback loop: programmatic changes emit nothing).
class AnnotationListDock : public QDockWidget {
    Q_OBJECT
public:
    explicit AnnotationListDock(QWidget *parent = nullptr);

    void setDocument(labeling::AnnotationDocument *document);
    void setSelection(const QVector<core::Id> &ids);
    labeling::AnnotationListModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }

Q_SIGNALS:
    void selectionEdited(const QVector<qint64> &ids);

private:
    void refresh();
    void onRowsSelected();

    labeling::AnnotationDocument *m_doc = nullptr;
    labeling::AnnotationListModel *m_model;
    QTableView *m_view;
    bool m_syncing = false;
};

} // namespace annotune::ui
