#include "trainworkspace.h"

#include "newrundialog.h"
#include "runtablemodel.h"
#include "traincharts.h"

#include "core/store/project.h"
#include "core/store/runrepository.h"
#include "core/training/workerlock.h"
#include "training/client/trainingclient.h"
#include "ui/actionregistry.h"

#include <QAction>
#include <QCoreApplication>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace annotune::ui::train {

using namespace annotune::core;
using annotune::training::client::TrainingClient;
namespace ct = annotune::core::training;

TrainWorkspace::TrainWorkspace(ActionRegistry &actions, QWidget *parent)
    : QMainWindow(parent), m_registry(actions),
      m_program(QCoreApplication::applicationDirPath() + QStringLiteral("/annotune-cli")),
      m_client(new TrainingClient(this)), m_model(new RunTableModel(this)), m_table(new QTableView),
      m_charts(new TrainCharts), m_progress(new QProgressBar), m_status(new QLabel), m_eta(new QLabel),
      m_banner(new QLabel), m_log(new QPlainTextEdit), m_tick(new QTimer(this))
{
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, m_model, &RunTableModel::tick);
    setWindowFlags(Qt::Widget);
    buildLayout();
    createActions();
    connect(m_client, &TrainingClient::eventReceived, this, &TrainWorkspace::onEvent);
    connect(m_client, &TrainingClient::ended, this, &TrainWorkspace::onEnded);
    connect(m_client, &TrainingClient::logLine, this, &TrainWorkspace::appendLog);
    connect(&m_predict, &QProcess::readyReadStandardError, this, &TrainWorkspace::onPredictOutput);
    connect(&m_predict, &QProcess::finished, this, &TrainWorkspace::onPredictFinished);
    connect(&m_predict, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            onPredictFinished(-1, QProcess::CrashExit);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &TrainWorkspace::onSelectionChanged);
    updateActions();
}

TrainWorkspace::~TrainWorkspace()
{
    if (m_predict.state() != QProcess::NotRunning) {
        m_predict.kill();
        m_predict.waitForFinished(3000);
    }
}

void TrainWorkspace::buildLayout()
{
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setMinimumSectionSize(60);
    m_table->setAlternatingRowColors(true);
    m_status->setText(tr("No run selected."));
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->hide();
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    m_log->setPlaceholderText(tr("The worker's log appears here."));
    m_log->setFont(QFont(QStringLiteral("monospace"), 9));

    auto *progressRow = new QHBoxLayout;
    progressRow->addWidget(m_status, 2);
    progressRow->addWidget(m_progress, 3);
    progressRow->addWidget(m_eta, 1);
    auto *live = new QWidget;
    auto *liveLayout = new QVBoxLayout(live);
    liveLayout->setContentsMargins(6, 4, 6, 4);
    liveLayout->addWidget(m_banner);
    liveLayout->addLayout(progressRow);
    liveLayout->addWidget(m_charts, 1);

    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_table);
    split->addWidget(live);
    split->addWidget(m_log);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 4);
    split->setStretchFactor(2, 2);
    setCentralWidget(split);
}

void TrainWorkspace::createActions()
{
    const auto add = [this](const char *id, const QString &text, QStyle::StandardPixmap icon, auto slot) {
        QAction *a = m_registry.add(QString::fromLatin1(id), text);
        a->setIcon(style()->standardIcon(icon));
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    auto *bar = addToolBar(tr("Train"));
    bar->setObjectName(QStringLiteral("trainToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(add("train.newRun", tr("&New Run…"), QStyle::SP_MediaPlay, [this] { chooseNewRun(); }));
    bar->addAction(add("train.cancel", tr("&Cancel Run"), QStyle::SP_MediaStop, [this] { cancelRun(); }));
    bar->addAction(add("train.resume", tr("&Resume Run"), QStyle::SP_MediaSeekForward, [this] { resumeRun(selectedRunId()); }));
    bar->addSeparator();
    bar->addAction(add("train.predict", tr("&Predict Unlabeled"), QStyle::SP_DialogApplyButton,
                       [this] { predictRun(selectedRunId()); }));
    bar->addAction(add("train.refresh", tr("Re&fresh Runs"), QStyle::SP_BrowserReload, [this] { reload(); }));
}

void TrainWorkspace::setProject(store::Project *project)
{
    if (project != m_project && m_client->isRunning())
        m_client->cancel();
    m_project = project;
    m_charts->clear();
    m_log->clear();
    m_banner->hide();
    reload();
}

void TrainWorkspace::reload()
{
    const qint64 selected = selectedRunId();
    if (m_project && !m_project->readOnly())
        if (auto orphaned = ct::failOrphanedRuns(*m_project); !orphaned)
            m_log->appendPlainText(orphaned.error().message);
    m_model->reload(m_project);
    m_table->resizeColumnsToContents();
    if (selected > 0)
        selectRun(selected);
    updateActions();
}

qint64 TrainWorkspace::selectedRunId() const
{
    const Run *r = m_model->runAt(m_table->currentIndex().row());
    return r ? r->id : 0;
}

void TrainWorkspace::selectRun(qint64 runId)
{
    const int row = m_model->rowOf(runId);
    if (row >= 0)
        m_table->setCurrentIndex(m_model->index(row, 0));
}

// A past run shows its stored metrics; the live run keeps its live curves.
void TrainWorkspace::onSelectionChanged()
{
    updateActions();
    const Run *r = m_model->runAt(m_table->currentIndex().row());
    if (!r || !m_project)
        return;
    if (r->id == m_liveRun && (isTraining() || !m_liveEvents.isEmpty())) {
        m_status->setText(isTraining() ? tr("Run %1 — %2 (training)").arg(r->id).arg(r->name)
                                       : tr("Run %1 — %2: %3").arg(r->id).arg(r->name, toText(r->status)));
        if (!m_chartsLive)
            replayLive();
        return;
    }
    m_chartsLive = false;
    m_status->setText(tr("Run %1 — %2: %3").arg(r->id).arg(r->name, toText(r->status)));
    if (auto points = m_project->runs().metrics(r->id))
        m_charts->showStored(*points);
}

void TrainWorkspace::chooseNewRun()
{
    if (!m_project || isTraining())
        return;
    NewRunDialog dialog(*m_project, this);
    if (dialog.exec() == QDialog::Accepted)
        startRun(dialog.request());
}

void TrainWorkspace::replayLive()
{
    m_chartsLive = true;
    m_charts->clear();
    for (const core::training::Event &e : m_liveEvents) {
        if (e.kind == core::training::EventKind::Metric) {
            m_charts->addMetric(e.name, e.step, e.value);
            continue;
        }
        m_charts->addLoss(e.step, e.loss);
        if (e.learningRate > 0)
            m_charts->addLearningRate(e.step, e.learningRate);
    }
}

bool TrainWorkspace::isTraining() const { return m_client->isRunning(); }

QString TrainWorkspace::logText() const { return m_log->toPlainText(); }
QString TrainWorkspace::bannerText() const { return m_banner->isVisible() || !m_banner->isHidden() ? m_banner->text() : QString(); }

void TrainWorkspace::appendLog(const QString &line) { m_log->appendPlainText(line); }

void TrainWorkspace::showBanner(const QString &text, bool error)
{
    m_banner->setText(text);
    m_banner->setStyleSheet(error ? QStringLiteral("background:#fdecea; color:#8a1c12; padding:6px; border:1px solid #e0a39c;")
                                  : QStringLiteral("background:#e8f4ea; color:#1d5e2c; padding:6px; border:1px solid #a6d1ad;"));
    m_banner->show();
}

void TrainWorkspace::updateActions()
{
    const Run *r = m_model->runAt(m_table->currentIndex().row());
    const bool busy = isTraining() || isPredicting();
    const auto enable = [this](const char *id, bool on) {
        if (QAction *a = m_registry.action(QString::fromLatin1(id)))
            a->setEnabled(on);
    };
    enable("train.newRun", m_project && !busy && !m_project->readOnly());
    enable("train.cancel", isTraining());
    enable("train.resume", m_project && !busy && r && (r->status == RunStatus::Cancelled || r->status == RunStatus::Failed));
    enable("train.predict", m_project && !busy && r && r->status == RunStatus::Finished);
    enable("train.refresh", m_project != nullptr);
}

} // namespace annotune::ui::train
