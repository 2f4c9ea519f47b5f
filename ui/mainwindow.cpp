#include "mainwindow.h"

#include "actionregistry.h"
#include "annotateworkspace.h"
#include "browseworkspace.h"
#include "train/trainworkspace.h"
#include "review/evaluateworkspace.h"
#include "suggestionsdock.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "importcontroller.h"
#include "documentscontroller.h"
#include "labelscontroller.h"
#include "labeling/thumbnailcache.h"
#include "labeling/itemlistmodel.h"
#include "recentprojects.h"
#include "settingsdialog.h"
#include "shortcutsettings.h"
#include "filterbar.h"
#include "startpage.h"
#include "statustext.h"
#include "style.h"

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QListView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>

namespace annotune::ui {
namespace {
// Actions that need an open project.
constexpr const char *kProjectActions[] = {"file.import", "file.importLabels", "file.exportLabels",
                                           "file.importPdfs", "file.importScans", "file.importFunsd",
                                           "file.close", "go.next", "go.previous", "go.nextUnlabeled",
                                           "go.jump", "go.reviewQueue", "workspace.browse", "workspace.annotate", "workspace.train", "workspace.evaluate",
                                           "view.fit", "view.actualSize", "view.zoomIn", "view.zoomOut"};
}

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), m_actions(new ActionRegistry(this)), m_thumbnails(new labeling::ThumbnailCache({}, 160, this)),
      m_stack(new QStackedWidget(this)), m_start(new StartPage(m_stack)),
      m_browse(new BrowseWorkspace(*m_actions, *m_thumbnails, m_stack)),
      m_annotate(new AnnotateWorkspace(*m_actions, m_stack)), m_import(new ImportController(this)),
      m_projectLabel(new QLabel(this)), m_countsLabel(new QLabel(this)), m_positionLabel(new StatusText(this))
{
    m_reportError = [this](const QString &title, const QString &message) {
        QMessageBox::warning(this, title, message);
    };
    m_labels = new LabelsController(this, [this](const QString &title, const QString &message) { m_reportError(title, message); });
    connect(m_labels, &LabelsController::projectChanged, this, [this] {
        m_browse->reload();
        refreshStatus();
    });
    connect(m_labels, &LabelsController::message, this, [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    m_documents = new DocumentsController(this, [this](const QString &title, const QString &message) { m_reportError(title, message); });
    connect(m_documents, &DocumentsController::projectChanged, this, [this] {
        m_browse->reload();
        refreshStatus();
    });
    connect(m_documents, &DocumentsController::message, this, [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    m_stack->addWidget(m_start);
    m_stack->addWidget(m_browse);
    m_stack->addWidget(m_annotate);
    m_train = new train::TrainWorkspace(*m_actions, m_stack); // Train workspace
    m_stack->addWidget(m_train);
    connect(m_train, &train::TrainWorkspace::message, this, [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    // Evaluate / Review workspace
    m_evaluate = new EvaluateWorkspace(m_stack);
    m_stack->addWidget(m_evaluate);
    connect(m_evaluate, &EvaluateWorkspace::message, this, [this](const QString &text) { statusBar()->showMessage(text, 6000); });
    connect(m_evaluate, &EvaluateWorkspace::editRequested, this, [this](qint64 id) {
        if (jumpToItem(id))
            showAnnotate();
    });
    connect(m_annotate->suggestions(), &SuggestionsDock::itemRequested, this, [this](qint64 id) { jumpToItem(id); });
    setCentralWidget(m_stack);
    createActions();
    createMenus();
    createStatusBar();
    connectAnnotate();
    shortcutsettings::apply(*m_actions);
    connect(m_start, &StartPage::newRequested, this, &MainWindow::chooseNewProject);
    connect(m_start, &StartPage::openRequested, this, &MainWindow::chooseOpenProject);
    connect(m_start, &StartPage::openRecentRequested, this, [this](const QString &path) {
        if (!openProject(path) && !QFileInfo::exists(path)) {
            RecentProjects().remove(path);
            refreshRecent();
        }
    });
    connect(m_browse, &BrowseWorkspace::currentChanged, this, &MainWindow::onCurrentChanged);
    connect(m_browse, &BrowseWorkspace::message, this, [this](const QString &text) { statusBar()->showMessage(text, 4000); });
    connect(m_import, &ImportController::finished, this, [this](const auto &result) {
        if (!result) {
            if (result.error().code == core::ErrorCode::Cancelled)
                statusBar()->showMessage(tr("Import cancelled; nothing was imported"), 6000);
            else
                m_reportError(tr("Import failed"), result.error().message);
            return;
        }
        m_browse->reload();
        refreshStatus();
        const auto &report = result.value();
        statusBar()->showMessage(tr("Imported %1 images (%2 duplicates skipped, %3 unreadable)")
                                     .arg(report.ids.size()).arg(report.duplicates).arg(report.unreadable.size()), 10000);
        if (!report.unreadable.isEmpty())
            m_reportError(tr("Some files were not imported"), report.unreadable.mid(0, 20).join(QLatin1Char('\n')));
    });
    resize(1500, 920);
    closeProject();
}

MainWindow::~MainWindow()
{
    delete m_import; // waits for a running import before the project goes
    m_import = nullptr;
    m_annotate->setProject(nullptr);
    m_evaluate->setProject(nullptr);
    m_browse->setProject(nullptr);
    m_train->setProject(nullptr); // Train workspace
}

void MainWindow::createActions()
{
    const auto add = [this](const char *id, const QString &text, const QKeySequence &key, QStyle::StandardPixmap icon,
                            auto slot) {
        QAction *a = m_actions->add(QString::fromLatin1(id), text, key);
        a->setIcon(style()->standardIcon(icon));
        connect(a, &QAction::triggered, this, slot);
    };
    add("file.new", tr("&New Project…"), QKeySequence::New, QStyle::SP_FileIcon, &MainWindow::chooseNewProject);
    add("file.open", tr("&Open Project…"), QKeySequence::Open, QStyle::SP_DialogOpenButton, &MainWindow::chooseOpenProject);
    add("file.import", tr("&Import Images…"), QKeySequence(Qt::CTRL | Qt::Key_I), QStyle::SP_DirOpenIcon,
        &MainWindow::chooseImportFolder);
    add("file.importLabels", tr("Import &Labels…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I), QStyle::SP_ArrowDown,
        [this] { m_labels->importLabels(m_project.get()); });
    add("file.exportLabels", tr("&Export Labels…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), QStyle::SP_ArrowUp,
        [this] { m_labels->exportLabels(m_project.get()); });
    add("file.importPdfs", tr("Import &PDFs…"), {}, QStyle::SP_FileDialogDetailedView,
        [this] { m_documents->importPdfs(m_project.get()); });
    add("file.importScans", tr("Import &Scans (OCR)…"), {}, QStyle::SP_FileDialogContentsView,
        [this] { m_documents->importScans(m_project.get()); });
    add("file.importFunsd", tr("Import &FUNSD Forms…"), {}, QStyle::SP_FileDialogListView,
        [this] { m_documents->importFunsd(m_project.get()); });
    add("file.close", tr("&Close Project"), QKeySequence::Close, QStyle::SP_DialogCloseButton, &MainWindow::closeProject);
    add("file.quit", tr("&Quit"), QKeySequence::Quit, QStyle::SP_DialogCloseButton, &QWidget::close);
    add("file.settings", tr("&Settings…"), QKeySequence(Qt::CTRL | Qt::Key_Comma), QStyle::SP_FileDialogDetailedView,
        &MainWindow::showSettings);
    add("workspace.browse", tr("&Browse Items"), QKeySequence(Qt::CTRL | Qt::Key_1), QStyle::SP_FileDialogListView,
        &MainWindow::showBrowse);
    add("workspace.annotate", tr("&Annotate Item"), QKeySequence(Qt::CTRL | Qt::Key_2), QStyle::SP_FileDialogContentsView,
        &MainWindow::showAnnotate);
    add("workspace.train", tr("&Train Models"), QKeySequence(Qt::CTRL | Qt::Key_3), QStyle::SP_MediaPlay, &MainWindow::showTrain);
    add("workspace.evaluate", tr("&Evaluate Runs"), QKeySequence(Qt::CTRL | Qt::Key_4), QStyle::SP_FileDialogInfoView,
        &MainWindow::showEvaluate);
    add("go.jump", tr("&Jump to Item…"), QKeySequence(Qt::CTRL | Qt::Key_G), QStyle::SP_ArrowRight, &MainWindow::chooseJump);
    add("go.reviewQueue", tr("&Review Queue"), QKeySequence(Qt::CTRL | Qt::Key_R), QStyle::SP_DialogApplyButton,
        &MainWindow::showReviewQueue);
    add("help.about", tr("&About Annotune"), {}, QStyle::SP_MessageBoxInformation, &MainWindow::showAbout);
}

void MainWindow::createMenus()
{
    const auto place = [this](QWidget *target, const QStringList &ids) {
        for (const QString &id : ids) {
            if (id.isEmpty()) {
                auto *separator = new QAction(target);
                separator->setSeparator(true);
                target->addAction(separator);
            } else if (QAction *a = m_actions->action(id))
                target->addAction(a);
        }
    };
    QMenu *file = menuBar()->addMenu(tr("&File"));
    place(file, {QStringLiteral("file.new"), QStringLiteral("file.open")});
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::refreshRecent);
    place(file, {{}, QStringLiteral("file.import"), QStringLiteral("file.importPdfs"), QStringLiteral("file.importScans"),
                 QStringLiteral("file.importFunsd"), QStringLiteral("file.importLabels"), QStringLiteral("file.exportLabels"), {},
                 QStringLiteral("file.settings"), {}, QStringLiteral("file.close"), QStringLiteral("file.quit")});
    const auto ids = [](std::initializer_list<const char *> list) {
        QStringList out;
        for (const char *id : list)
            out << QString::fromLatin1(id);
        return out;
    };
    place(menuBar()->addMenu(tr("&Edit")), ids({"edit.undo", "edit.redo", "", "edit.copy", "edit.paste", "edit.duplicate",
                                                "edit.delete", "edit.selectAll", "", "edit.copyPrevious"}));
    place(menuBar()->addMenu(tr("&View")), ids({"workspace.browse", "workspace.annotate", "workspace.train", "workspace.evaluate", "", "view.fit", "view.actualSize",
                                                "", "view.zoomIn", "view.zoomOut"}));
    place(menuBar()->addMenu(tr("&Tools")), ids({"tool.select", "tool.box", "tool.polygon", "", "class.schema"}));
    place(menuBar()->addMenu(tr("&Go")), ids({"go.previous", "go.next", "go.nextUnlabeled", "go.jump", "", "go.reviewQueue"}));
    place(menuBar()->addMenu(tr("&Review")), ids({"review.markLabeled", "review.submit", "review.approve", "review.reject"}));
    place(menuBar()->addMenu(tr("T&rain")), ids({"train.newRun", "train.cancel", "train.resume", "", "train.predict"})); // Train workspace
    place(menuBar()->addMenu(tr("&Help")), {QStringLiteral("help.about")});

    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->setIconSize(QSize(18, 18));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    place(bar, {QStringLiteral("file.open"), QStringLiteral("file.import"), {}, QStringLiteral("workspace.browse"),
                QStringLiteral("workspace.annotate"), QStringLiteral("workspace.train"), QStringLiteral("workspace.evaluate"), {}, QStringLiteral("go.previous"),
                QStringLiteral("go.next"), QStringLiteral("go.nextUnlabeled"), {}});
    for (const char *id : {"view.fit", "view.actualSize"})
        if (QAction *a = m_actions->action(QString::fromLatin1(id)))
            bar->addAction(a);
}

void MainWindow::createStatusBar()
{
    m_projectLabel->setTextFormat(Qt::RichText);
    m_countsLabel->setTextFormat(Qt::RichText);
    statusBar()->addPermanentWidget(m_countsLabel);
    statusBar()->addPermanentWidget(m_positionLabel);
    statusBar()->insertWidget(0, m_projectLabel);
}

bool MainWindow::openProject(const QString &path)
{
    auto opened = core::store::Project::open(path);
    if (!opened) {
        m_reportError(tr("Cannot open project"), opened.error().message);
        return false;
    }
    adopt(std::move(opened.value()));
    return true;
}

bool MainWindow::createProject(const QString &path)
{
    auto created = core::store::Project::create(path);
    if (!created) {
        m_reportError(tr("Cannot create project"), created.error().message);
        return false;
    }
    adopt(std::move(created.value()));
    return true;
}

// Switches to project: the workspace lets go of the old one before it is closed.
void MainWindow::adopt(std::unique_ptr<core::store::Project> project)
{
    m_annotate->setProject(project.get());
    m_browse->setProject(project.get());
    m_train->setProject(project.get()); // Train workspace
    m_evaluate->setProject(project.get());
    m_project = std::move(project);
    RecentProjects().add(m_project->path());
    showBrowse();
    setWindowTitle(tr("%1%2 — Annotune").arg(m_project->name(), m_project->readOnly() ? tr(" (read-only)") : QString()));
    setProjectActionsEnabled(true);
    m_actions->action(QStringLiteral("file.import"))->setEnabled(!m_project->readOnly());
    refreshStatus();
}

void MainWindow::closeProject()
{
    m_annotate->setProject(nullptr);
    m_annotate->setActive(false);
    m_browse->setViewerActive(true);
    m_evaluate->setProject(nullptr);
    m_browse->setProject(nullptr);
    m_train->setProject(nullptr); // Train workspace
    m_project.reset();
    m_stack->setCurrentWidget(m_start);
    setWindowTitle(tr("Annotune"));
    setProjectActionsEnabled(false);
    refreshRecent();
    refreshStatus();
}

void MainWindow::setProjectActionsEnabled(bool enabled)
{
    for (const char *id : kProjectActions)
        if (QAction *a = m_actions->action(QString::fromLatin1(id)))
            a->setEnabled(enabled);
}

void MainWindow::refreshStatus()
{
    if (!m_project) {
        m_projectLabel->setText(tr("No project open"));
        m_countsLabel->clear();
        m_positionLabel->clear();
        return;
    }
    m_projectLabel->setText(QStringLiteral("<b>%1</b>").arg(m_project->name().toHtmlEscaped()));
    auto counts = m_project->items().countsByStatus();
    if (!counts) {
        m_countsLabel->setText(counts.error().message.toHtmlEscaped());
        return;
    }
    qint64 total = 0;
    for (qint64 n : *counts)
        total += n;
    QStringList parts{tr("%L1 items").arg(total)};
    for (core::ItemStatus s : core::kAllStatuses)
        if (qint64 n = counts->value(s); n > 0)
            parts << QStringLiteral("<span style='color:%1'>●</span> %L2 %3")
                         .arg(statusColor(s).name()).arg(n).arg(core::toText(s).replace(QLatin1Char('_'), QLatin1Char(' ')));
    m_countsLabel->setText(parts.join(QStringLiteral(" &nbsp;·&nbsp; ")));
}

void MainWindow::onCurrentChanged(int row, qint64 total)
{
    m_positionLabel->setText(row < 0 ? (m_project ? tr("%L1 shown").arg(total) : QString())
                                     : tr("Item %L1 of %L2").arg(row + 1).arg(total));
}

void MainWindow::refreshRecent()
{
    RecentProjects recent;
    const QStringList dropped = recent.pruneMissing();
    if (!dropped.isEmpty())
        statusBar()->showMessage(tr("Removed %n missing project(s) from the recent list", nullptr, int(dropped.size())), 6000);
    const QStringList paths = recent.list();
    m_start->setRecent(paths);
    m_recentMenu->clear();
    for (const QString &path : paths) {
        QAction *a = m_recentMenu->addAction(QFileInfo(path).completeBaseName() + QStringLiteral("   ") + path);
        connect(a, &QAction::triggered, this, [this, path] { openProject(path); });
    }
    m_recentMenu->setEnabled(!paths.isEmpty());
}

void MainWindow::chooseNewProject()
{
    QString path = QFileDialog::getSaveFileName(this, tr("New Project"), QString(), tr("Annotune projects (*.annotune)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(QLatin1String(".annotune")))
        path += QStringLiteral(".annotune");
    createProject(path);
}

void MainWindow::chooseOpenProject()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Project"), QString(),
                                                      tr("Annotune projects (*.annotune);;All files (*)"));
    if (!path.isEmpty())
        openProject(path);
}

void MainWindow::chooseImportFolder()
{
    if (!m_project || m_import->isRunning())
        return;
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Import Images From"), m_project->folder());
    if (!dir.isEmpty())
        importFolder(dir);
}

bool MainWindow::importFolder(const QString &dir)
{
    if (!m_project || m_project->readOnly())
        return false;
    return m_import->start(m_project->path(), dir);
}

bool MainWindow::isImporting() const
{
    return m_import->isRunning();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Annotune"),
                       tr("<h3>Annotune %1</h3><p>A desktop workbench for labeling images and documents, "
                          "fine-tuning models on them and reviewing what they learned.</p>"
                          "<p>Projects are single SQLite files; every change is saved as it is made.</p>")
                           .arg(QStringLiteral(ANNOTUNE_VERSION)));
}

void MainWindow::connectAnnotate()
{
    m_annotate->setNeighbourProvider([this](int offset) { return m_browse->itemIdAt(m_browse->currentRow() + offset); });
    connect(m_browse, &BrowseWorkspace::currentChanged, this, [this] {
        if (annotating())
            m_annotate->showItem(m_browse->currentItemId());
    });
    connect(m_browse->itemView(), &QListView::activated, this, [this] { showAnnotate(); });
    connect(m_annotate, &AnnotateWorkspace::message, this, [this](const QString &text) { statusBar()->showMessage(text, 5000); });
    connect(m_annotate, &AnnotateWorkspace::itemEdited, this, [this](const core::Item &item, int count) {
        if (m_browse->model())
            m_browse->model()->updateItem(item, count);
        refreshStatus();
    });
    connect(m_annotate, &AnnotateWorkspace::schemaChanged, m_browse, &BrowseWorkspace::reload);
}

bool MainWindow::annotating() const
{
    return m_project && m_stack->currentWidget() == m_annotate;
}

void MainWindow::showBrowse()
{
    if (!m_project)
        return;
    m_annotate->setActive(false);
    m_browse->setViewerActive(true);
    m_stack->setCurrentWidget(m_browse);
}

void MainWindow::showAnnotate()
{
    if (!m_project)
        return;
    m_browse->setViewerActive(false);
    m_stack->setCurrentWidget(m_annotate);
    m_annotate->setActive(true);
    m_annotate->showItem(m_browse->currentItemId());
}

// Train workspace
void MainWindow::showTrain()
{
    if (!m_project)
        return;
    m_annotate->setActive(false);
    m_browse->setViewerActive(false);
    m_stack->setCurrentWidget(m_train);
    m_train->reload();
}

void MainWindow::showEvaluate()
{
    if (!m_project)
        return;
    m_annotate->setActive(false);
    m_browse->setViewerActive(false);
    m_evaluate->reloadRuns();
    m_stack->setCurrentWidget(m_evaluate);
}

bool MainWindow::jumpToItem(qint64 itemId)
{
    auto *model = m_browse->model();
    if (!model)
        return false;
    for (int row = 0; model->ensureLoaded(row); ++row)
        if (model->rowAt(row)->item.id == itemId)
            return m_browse->selectRow(row);
    return false;
}

void MainWindow::chooseJump()
{
    if (!m_project)
        return;
    bool ok = false;
    const QString text = QInputDialog::getText(this, tr("Jump to Item"), tr("Item id, or #position in the list:"),
                                               QLineEdit::Normal, {}, &ok).trimmed();
    if (!ok || text.isEmpty())
        return;
    const bool byPosition = text.startsWith(QLatin1Char('#'));
    const qint64 n = (byPosition ? text.mid(1) : text).toLongLong();
    const bool found = byPosition ? m_browse->selectRow(int(n) - 1) : jumpToItem(n);
    if (!found)
        statusBar()->showMessage(tr("No item %1 in the current list").arg(text), 5000);
}

void MainWindow::showReviewQueue()
{
    if (!m_project)
        return;
    m_browse->filterBar()->setStatus(core::ItemStatus::InReview);
    statusBar()->showMessage(tr("Review queue: items sent to review"), 4000);
}

void MainWindow::showSettings()
{
    SettingsDialog dialog(*m_actions, this);
    if (dialog.exec() == QDialog::Accepted && m_project && !shortcutsettings::reviewerName().isEmpty())
        m_project->setAuthor(shortcutsettings::reviewerName());
}

} // namespace annotune::ui
