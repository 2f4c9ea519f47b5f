#pragma once
// The Browse workspace: a thumbnail grid of the project's items with a filter bar on the left,
// the selected item large with its labels in the middle, and its details on the right.

#include "core/types.h"

#include <QWidget>

class QListView;
class QSplitter;

namespace annotune::core::store {
class Project;
}
namespace annotune::labeling {
class ItemListModel;
class ThumbnailCache;
}

namespace annotune::ui {

class ActionRegistry;
class FilterBar;
class ImageView;
class ItemDetailsPanel;

// Owns its widgets and registers its actions (view.*, go.*) in the shared registry. Reads the
// store only through the project it is given (the GUI thread's connection); setProject(nullptr)
// before that project is destroyed.
class BrowseWorkspace : public QWidget {
    Q_OBJECT
public:
    BrowseWorkspace(ActionRegistry &actions, labeling::ThumbnailCache &thumbnails, QWidget *parent = nullptr);
    ~BrowseWorkspace() override;

    void setProject(core::store::Project *project);
    // Re-reads items and classes after the store changed (an import), keeping filters.
    void reload();

    // Selects the row (loading pages up to it); false when there is no such row.
    bool selectRow(int row);
    int currentRow() const;
    core::Id currentItemId() const;
    // The id of a loaded row, or 0 (never loads pages).
    core::Id itemIdAt(int row) const;
    // Whether the browser's own image view and details follow the current item; off while
    // another workspace shows it, so nothing is decoded twice.
    void setViewerActive(bool active);
    FilterBar *filterBar() const { return m_filter; }

    labeling::ItemListModel *model() const { return m_model; }
    QListView *itemView() const { return m_list; }
    ImageView *imageView() const { return m_view; }
    ItemDetailsPanel *detailsPanel() const { return m_details; }

public Q_SLOTS:
    void selectNext();
    void selectPrevious();
    void selectNextUnlabeled();

Q_SIGNALS:
    // The current row changed (row -1: none) out of total matching items.
    void currentChanged(int row, qint64 total);
    // Something worth a line in the status bar.
    void message(const QString &text);

private:
    void registerActions(ActionRegistry &actions);
    void onCurrentChanged();
    void loadClasses();

    core::store::Project *m_project = nullptr;
    labeling::ThumbnailCache &m_thumbnails;
    labeling::ItemListModel *m_model = nullptr;
    FilterBar *m_filter;
    QListView *m_list;
    ImageView *m_view;
    ItemDetailsPanel *m_details;
    QSplitter *m_splitter;
    bool m_viewerActive = true;
};

} // namespace annotune::ui
