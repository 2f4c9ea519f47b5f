#pragma once
// The form panel dock of a document page: each field of the schema with its value on this page,
// missing ones marked; a click selects the field's words, editing a value sets its normalised form.

#include "core/types.h"
#include "labeling/changeevent.h"

#include <QDockWidget>
#include <QPointer>

class QStandardItem;
class QStandardItemModel;
class QTreeView;
class QLabel;

namespace annotune::labeling {
class AnnotationDocument;
}

namespace annotune::ui {

// A view over the document's Field annotations: one row per field annotation (entities may have
// many), plus a "missing" row for each field class with none. Rebuilt on every document change.
class FormPanel : public QDockWidget {
    Q_OBJECT
public:
    explicit FormPanel(QWidget *parent = nullptr);
    void setDocument(labeling::AnnotationDocument *doc);
    QStandardItemModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }
    // Rows of the form that are missing fields (for tests and the status line).
    int missingCount() const { return m_missing; }

Q_SIGNALS:
    // A field's row was clicked: select it and its words.
    void fieldActivated(qint64 annotationId);

private:
    void rebuild();
    void onItemChanged(QStandardItem *item);

    QPointer<labeling::AnnotationDocument> m_doc;
    QStandardItemModel *m_model;
    QTreeView *m_view;
    QLabel *m_summary;
    int m_missing = 0;
    bool m_rebuilding = false;
    bool m_editing = false;
};

} // namespace annotune::ui
