// TrainWorkspace: the worker processes (training through TrainingClient, prediction through a
// plain QProcess) and what their events do to the view.

#include "trainworkspace.h"

#include "runtablemodel.h"
#include "traincharts.h"

#include "core/store/project.h"
#include "core/training/events.h"
#include "training/client/trainingclient.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QRegularExpression>

namespace annotune::ui::train {

using namespace annotune::core;
namespace ct = annotune::core::training;

bool TrainWorkspace::startRun(const TrainRequest &request)
{
    if (!m_project)
        return false;
    return startWorker(request.arguments(m_project->path()),
                       tr("Training a %1 model (%2)…").arg(ct::toText(request.task), request.preset));
}

bool TrainWorkspace::resumeRun(qint64 runId)
{
    if (!m_project || runId <= 0)
        return false;
    if (!startWorker(resumeArguments(m_project->path(), runId), tr("Resuming run %1…").arg(runId)))
        return false;
    m_liveRun = runId; // known before the worker says so
    return true;
}

bool TrainWorkspace::startWorker(const QStringList &arguments, const QString &title)
{
    if (isTraining() || isPredicting())
        return false;
    m_liveRun = 0;
    m_chartsLive = true;
    m_liveEvents.clear();
    m_tick->start();
    m_clockStep = -1;
    m_charts->clear();
    m_log->clear();
    m_banner->hide();
    m_progress->setRange(0, 0); // busy until the worker reports its steps
    m_status->setText(title);
    m_eta->clear();
    appendLog(QStringLiteral("$ %1 %2").arg(m_program, arguments.join(QLatin1Char(' '))));
    m_client->start(m_program, arguments, m_project->path());
    updateActions();
    return true;
}

void TrainWorkspace::cancelRun()
{
    if (!isTraining())
        return;
    m_status->setText(tr("Cancelling: the worker saves a checkpoint…"));
    m_client->cancel();
}

namespace {

QString clockText(qint64 seconds)
{
    return seconds >= 3600 ? QStringLiteral("%1 h %2 min").arg(seconds / 3600).arg(seconds / 60 % 60)
                           : QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

void TrainWorkspace::onEvent(const ct::Event &e)
{
    switch (e.kind) {
    case ct::EventKind::Started:
        m_liveRun = e.runId;
        m_status->setText(tr("Run %1 training on %2").arg(e.runId).arg(e.device));
        if (e.totalSteps > 0)
            m_progress->setRange(0, int(e.totalSteps));
        reload();
        m_chartsLive = false;
        selectRun(e.runId);
        if (!m_chartsLive)
            replayLive();
        break;
    case ct::EventKind::Progress: {
        if (e.totalSteps > 0 && m_progress->maximum() != int(e.totalSteps))
            m_progress->setRange(0, int(e.totalSteps));
        m_progress->setValue(int(e.step));
        if (m_clockStep < 0) {
            m_clock.start();
            m_clockStep = e.step;
        } else if (e.step > m_clockStep && e.totalSteps > e.step) {
            const double perStep = double(m_clock.elapsed()) / 1000.0 / double(e.step - m_clockStep);
            m_eta->setText(tr("ETA %1").arg(clockText(qint64(perStep * double(e.totalSteps - e.step) + 0.5))));
        }
        m_liveEvents.append(e);
        if (m_chartsLive) {
            m_charts->addLoss(e.step, e.loss);
            if (e.learningRate > 0)
                m_charts->addLearningRate(e.step, e.learningRate);
        }
        break;
    }
    case ct::EventKind::Metric:
        m_liveEvents.append(e);
        if (m_chartsLive)
            m_charts->addMetric(e.name, e.step, e.value);
        appendLog(tr("epoch %1, step %2: %3 = %4").arg(e.epoch).arg(e.step).arg(e.name).arg(e.value, 0, 'f', 4));
        break;
    case ct::EventKind::Checkpoint:
        appendLog(tr("checkpoint at step %1: %2").arg(e.step).arg(e.path));
        break;
    case ct::EventKind::Finished:
    case ct::EventKind::Error:
        break;
    }
}

void TrainWorkspace::onEnded(const QString &status, const QString &why)
{
    m_tick->stop();
    m_eta->clear();
    if (m_progress->maximum() == 0)
        m_progress->setRange(0, 1);
    const QString run = m_liveRun > 0 ? tr("Run %1").arg(m_liveRun) : tr("The run");
    if (status == QLatin1String("failed")) {
        const QStringList tail = m_client->stderrTail().mid(std::max<qsizetype>(0, m_client->stderrTail().size() - 6));
        appendLog(tr("— failed: %1").arg(why));
        showBanner(tr("%1 failed: %2").arg(run, why)
                       + (tail.isEmpty() ? QString() : tr("\nLast worker output:\n%1").arg(tail.join(QLatin1Char('\n')))),
                   true);
        m_status->setText(tr("%1 failed").arg(run));
    } else {
        if (status == QLatin1String("finished"))
            m_progress->setValue(m_progress->maximum());
        appendLog(tr("— %1").arg(status));
        showBanner(tr("%1 %2.").arg(run, status), false);
        m_status->setText(tr("%1 %2").arg(run, status));
    }
    reload();
    Q_EMIT message(tr("%1 %2").arg(run, status));
    Q_EMIT runEnded(status, why);
}

bool TrainWorkspace::predictRun(qint64 runId)
{
    if (!m_project || runId <= 0 || isTraining() || isPredicting())
        return false;
    m_predictRun = runId;
    m_predictBuffer.clear();
    m_banner->hide();
    m_progress->setRange(0, 0);
    m_status->setText(tr("Predicting unlabeled items with run %1…").arg(runId));
    const QStringList args = predictArguments(m_project->path(), runId);
    appendLog(QStringLiteral("$ %1 %2").arg(m_program, args.join(QLatin1Char(' '))));
    m_predict.start(m_program, args);
    updateActions();
    return true;
}

// "predict: DONE/TOTAL" lines move the progress bar; everything goes to the log.
void TrainWorkspace::onPredictOutput()
{
    static const QRegularExpression progressLine(QStringLiteral("^predict: (\\d+)/(\\d+)"));
    m_predictBuffer += m_predict.readAllStandardError();
    qsizetype newline;
    while ((newline = m_predictBuffer.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(m_predictBuffer.left(newline)).trimmed();
        m_predictBuffer.remove(0, newline + 1);
        if (const auto m = progressLine.match(line); m.hasMatch()) {
            m_progress->setRange(0, m.captured(2).toInt());
            m_progress->setValue(m.captured(1).toInt());
        } else if (!line.isEmpty())
            appendLog(line);
    }
}

void TrainWorkspace::onPredictFinished(int exitCode, QProcess::ExitStatus status)
{
    onPredictOutput();
    const QString out = QString::fromUtf8(m_predict.readAllStandardOutput()).trimmed();
    if (!out.isEmpty())
        appendLog(out);
    if (m_progress->maximum() == 0)
        m_progress->setRange(0, 1);
    const bool ok = status == QProcess::NormalExit && exitCode == 0;
    const QString text = ok ? tr("Predictions stored — %1").arg(out)
                            : tr("Prediction with run %1 failed (%2); see the log.").arg(m_predictRun)
                                  .arg(status == QProcess::CrashExit ? tr("the worker crashed or could not start") : tr("exit code %1").arg(exitCode));
    showBanner(text, !ok);
    m_status->setText(ok ? tr("Predictions stored") : tr("Prediction failed"));
    updateActions();
    Q_EMIT message(text);
    Q_EMIT runEnded(ok ? QStringLiteral("finished") : QStringLiteral("failed"), text);
}

} // namespace annotune::ui::train
