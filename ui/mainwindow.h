#pragma once
// The workbench shell: menus, status bar, the start page and the workspaces in a stack, and the
// open project. Activities live in their workspaces; this only composes them.

#include <QMainWindow>
#include <functional>
#include <memory>

class QLabel;
class QMenu;
class QStackedWidget;

namespace annotune::core::store {
class Project;
}
namespace annotune::labeling {
class ThumbnailCache;
}

namespace annotune::ui {

class ActionRegistry;
class AnnotateWorkspace;
class BrowseWorkspace;
class ImportController;
class LabelsController;
class DocumentsController;
class EvaluateWorkspace;
class StartPage;
class StatusText;
namespace train {
class TrainWorkspace;
}

// Holds at most one open project. Opening or creating one that fails reports the store's
// message and leaves the current project (or the start page) as it was.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // How errors reach the user: a message box by default; tests install their own.
    using ErrorReporter = std::function<void(const QString &title, const QString &message)>;

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens the project file at path; false (after reporting) when it cannot be opened.
    bool openProject(const QString &path);
    // Creates a new project file at path and opens it; false (after reporting) on failure.
    bool createProject(const QString &path);
    void closeProject();
    // Imports the images under dir into the open project in a worker thread, behind a progress
    // dialog; false when no project is open or an import is already running.
    bool importFolder(const QString &dir);
    bool isImporting() const;

    core::store::Project *project() const { return m_project.get(); }
    ActionRegistry &actions() const { return *m_actions; }
    BrowseWorkspace *browseWorkspace() const { return m_browse; }
    AnnotateWorkspace *annotateWorkspace() const { return m_annotate; }
    // Shows the browser (grid) or the annotation editor for the current item.
    void showBrowse();
    void showAnnotate();
    void showEvaluate(); // the Evaluate / Review workspace
    EvaluateWorkspace *evaluateWorkspace() const { return m_evaluate; }
    bool annotating() const;
    // Jumps to the item with this id (loading pages up to it); false when it is not in the list.
    bool jumpToItem(qint64 itemId);
    StartPage *startPage() const { return m_start; }
    train::TrainWorkspace *trainWorkspace() const { return m_train; } // Train workspace
    void showTrain();
    void setErrorReporter(ErrorReporter reporter) { m_reportError = std::move(reporter); }

private:
    void createActions();
    void createMenus();
    void createStatusBar();
    void adopt(std::unique_ptr<core::store::Project> project);
    void setProjectActionsEnabled(bool enabled);
    void refreshStatus();
    void refreshRecent();
    void onCurrentChanged(int row, qint64 total);
    void chooseNewProject();
    void chooseOpenProject();
    void chooseImportFolder();
    void showAbout();
    void showSettings();
    void chooseJump();
    void showReviewQueue();
    void connectAnnotate();

    ActionRegistry *m_actions;
    labeling::ThumbnailCache *m_thumbnails;
    QStackedWidget *m_stack;
    StartPage *m_start;
    BrowseWorkspace *m_browse;
    AnnotateWorkspace *m_annotate;
    train::TrainWorkspace *m_train = nullptr; // Train workspace
    EvaluateWorkspace *m_evaluate = nullptr;
    ImportController *m_import;
    LabelsController *m_labels = nullptr;
    DocumentsController *m_documents = nullptr;
    QMenu *m_recentMenu = nullptr;
    QLabel *m_projectLabel;
    QLabel *m_countsLabel;
    StatusText *m_positionLabel; // changes on every item switch
    std::unique_ptr<core::store::Project> m_project;
    ErrorReporter m_reportError;
};

} // namespace annotune::ui
