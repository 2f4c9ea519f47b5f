#pragma once
// The annotation list dock: the current item's annotations with class, kind, geometry and
// provenance; selecting rows selects on the canvas, editing the class is an undo command.

#include "core/types.h"
#include "labeling/changeevent.h"

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
    // While deferred, another item loaded only marks the list stale, and catchUp() fills it in
    // (the workspace calls it once the canvas has painted the item). Edits refresh it at once.
    void setLoadsDeferred(bool deferred) { m_loadsDeferred = deferred; }
    // Refreshes the list if a load left it stale; true when it did.
    bool catchUp();
    bool isStale() const { return m_stale; }
    labeling::AnnotationListModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }

Q_SIGNALS:
    void selectionEdited(const QVector<qint64> &ids);

private:
    void onDocumentChanged(const labeling::ChangeEvent &event);
    void refresh();
    void onRowsSelected();

    labeling::AnnotationDocument *m_doc = nullptr;
    labeling::AnnotationListModel *m_model;
    QTableView *m_view;
    bool m_syncing = false;
    bool m_loadsDeferred = false;
    bool m_stale = false; // a load was deferred: the rows are the previous item's
};

} // namespace annotune::ui
