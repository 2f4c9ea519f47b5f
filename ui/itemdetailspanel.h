#pragma once
// The right-hand panel of the browser: facts about the selected item and a table of its labels.

#include "overlaypainter.h"

#include <QWidget>

class QFormLayout;
class QLabel;
class QTableView;

namespace annotune::labeling {
class AnnotationListModel;
}

namespace annotune::ui {

// Read-only: shows an ItemScene's item info (path, size, split, status, hash, assignee) and its
// annotations (class, kind, geometry, provenance, author).
class ItemDetailsPanel : public QWidget {
    Q_OBJECT
public:
    explicit ItemDetailsPanel(QWidget *parent = nullptr);

    void setScene(const ItemScene &scene);
    void clear();
    // The annotations table's model (tests read it).
    labeling::AnnotationListModel *annotationModel() const { return m_annotations; }

private:
    QLabel *addField(QFormLayout *form, const QString &name);

    QLabel *m_title;
    QLabel *m_path;
    QLabel *m_size;
    QLabel *m_split;
    QLabel *m_status;
    QLabel *m_sha;
    QLabel *m_assignee;
    QLabel *m_labelsHeading;
    labeling::AnnotationListModel *m_annotations;
    QTableView *m_table;
};

} // namespace annotune::ui
