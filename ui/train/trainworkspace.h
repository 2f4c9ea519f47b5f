#pragma once
// The Train workspace: the project's runs, a new run (dialog → worker process), live charts of
// loss, learning rate and validation metrics, progress with ETA, cancel / resume, the worker's log,
// a past run's stored curves, and batch prediction of a finished run. Training and prediction run
// as `annotune-cli` child processes; a worker that dies leaves the run failed, never the workbench.

#include "trainrequest.h"

#include <QElapsedTimer>
#include <QMainWindow>
#include <QProcess>
#include <QTimer>

#include "core/training/events.h"

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QTableView;

namespace annotune::core::store {
class Project;
}
namespace annotune::training::client {
class TrainingClient;
}

namespace annotune::ui {
class ActionRegistry;
}

namespace annotune::ui::train {

class RunTableModel;
class TrainCharts;

class TrainWorkspace : public QMainWindow {
    Q_OBJECT
public:
    TrainWorkspace(ActionRegistry &actions, QWidget *parent = nullptr);
    ~TrainWorkspace() override;

    void setProject(core::store::Project *project);
    // The worker executable (default: annotune-cli next to this program).
    void setWorkerProgram(const QString &program) { m_program = program; }
    QString workerProgram() const { return m_program; }

    // Opens the new-run dialog; starts the run when accepted.
    void chooseNewRun();
    bool startRun(const TrainRequest &request);
    bool resumeRun(qint64 runId);
    bool predictRun(qint64 runId);
    void cancelRun();
    void reload();
    bool isTraining() const;
    bool isPredicting() const { return m_predict.state() != QProcess::NotRunning; }
    qint64 selectedRunId() const;
    void selectRun(qint64 runId);

    TrainCharts *charts() const { return m_charts; }
    RunTableModel *runModel() const { return m_model; }
    QProgressBar *progressBar() const { return m_progress; }
    QString logText() const;
    QString bannerText() const;

Q_SIGNALS:
    void message(const QString &text);
    // Training or prediction ended: status is finished, cancelled or failed.
    void runEnded(const QString &status, const QString &message);

private:
    void createActions();
    void buildLayout();
    bool startWorker(const QStringList &arguments, const QString &title);
    void onEvent(const core::training::Event &event);
    void onEnded(const QString &status, const QString &why);
    void onSelectionChanged();
    void onPredictOutput();
    void onPredictFinished(int exitCode, QProcess::ExitStatus status);
    void appendLog(const QString &line);
    void showBanner(const QString &text, bool error);
    void updateActions();
    void replayLive();

    ActionRegistry &m_registry;
    core::store::Project *m_project = nullptr;
    QString m_program;
    training::client::TrainingClient *m_client;
    QProcess m_predict;
    QByteArray m_predictBuffer;
    qint64 m_predictRun = 0;
    RunTableModel *m_model;
    QTableView *m_table;
    TrainCharts *m_charts;
    QProgressBar *m_progress;
    QLabel *m_status, *m_eta, *m_banner;
    QPlainTextEdit *m_log;
    QElapsedTimer m_clock;
    qint64 m_clockStep = -1;
    qint64 m_liveRun = 0;     // the run being trained (0 before its started event)
    bool m_chartsLive = false; // the charts follow the live run
    QVector<core::training::Event> m_liveEvents; // the live run's progress and metrics, to show again
    QTimer *m_tick;            // moves the running run's duration
};

} // namespace annotune::ui::train
