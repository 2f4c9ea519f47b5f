#include "trainingclient.h"

#include <QProcessEnvironment>

#include "core/store/project.h"
#include "core/store/runrepository.h"

#include <spdlog/spdlog.h>

namespace annotune::training::client {

using namespace annotune::core;
namespace ct = annotune::core::training;

namespace {

std::shared_ptr<spdlog::logger> log()
{
    static auto logger = spdlog::get("training.client") ? spdlog::get("training.client") : spdlog::default_logger();
    return logger;
}

} // namespace

TrainingClient::TrainingClient(QObject *parent) : QObject(parent)
{
    m_terminate.setSingleShot(true);
    m_kill.setSingleShot(true);
    connect(&m_terminate, &QTimer::timeout, this, [this] { m_process.terminate(); });
    connect(&m_kill, &QTimer::timeout, this, [this] { m_process.kill(); });
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &TrainingClient::readOutput);
    connect(&m_process, &QProcess::readyReadStandardError, this, &TrainingClient::readErrors);
    connect(&m_process, &QProcess::finished, this, &TrainingClient::onExit);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            Q_EMIT ended(QStringLiteral("failed"), QStringLiteral("%1: cannot start: %2").arg(m_process.program(), m_process.errorString()));
    });
}

TrainingClient::~TrainingClient()
{
    if (isRunning()) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

QStringList TrainingClient::trainArguments(const QString &projectPath, const ct::JobSpec &spec, const QString &configFile)
{
    return {QStringLiteral("train"), projectPath, QStringLiteral("--task"), ct::toText(spec.task), QStringLiteral("--preset"),
            spec.preset, QStringLiteral("--config"), configFile, QStringLiteral("--events"), QStringLiteral("jsonl")};
}

void TrainingClient::start(const QString &program, const QStringList &arguments, const QString &projectPath)
{
    m_projectPath = projectPath;
    m_buffer.clear();
    m_runId = 0;
    m_malformed = 0;
    m_discarding = m_final = false;
    m_stderrTail.clear();
    m_process.setProgram(program);
    m_process.setArguments(arguments);
    // A GUI that reads documents runs under OMP_THREAD_LIMIT=1 (set with the marker variable, see
    // labeling/ocr.h); libtorch's thread pool must not inherit it.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (env.contains(QStringLiteral("ANNOTUNE_OCR_THREAD_LIMIT"))) {
        env.remove(QStringLiteral("OMP_THREAD_LIMIT"));
        env.remove(QStringLiteral("ANNOTUNE_OCR_THREAD_LIMIT"));
    }
    m_process.setProcessEnvironment(env);
    m_process.start();
}

void TrainingClient::cancel(int timeoutMs)
{
    if (!isRunning())
        return;
    m_process.write("cancel\n");
    m_terminate.start(timeoutMs / 2);
    m_kill.start(timeoutMs);
}

void TrainingClient::kill()
{
    if (isRunning())
        m_process.kill();
}

void TrainingClient::readErrors()
{
    for (const QByteArray &line : m_process.readAllStandardError().split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        log()->info("worker: {}", line.trimmed().toStdString());
        m_stderrTail.append(QString::fromUtf8(line.trimmed()));
        if (m_stderrTail.size() > 40)
            m_stderrTail.removeFirst();
        Q_EMIT logLine(m_stderrTail.last());
    }
}

void TrainingClient::readOutput()
{
    m_buffer += m_process.readAllStandardOutput();
    qsizetype newline;
    while ((newline = m_buffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_buffer.left(newline);
        m_buffer.remove(0, newline + 1);
        if (m_discarding) {
            m_discarding = false; // the tail of a dropped over-long line
            continue;
        }
        handleLine(line);
    }
    if (m_buffer.size() > m_maxLine) {
        log()->warn("training.client: dropped an event line over {} bytes", m_maxLine);
        ++m_malformed;
        m_buffer.clear();
        m_discarding = true;
    }
}

void TrainingClient::handleLine(const QByteArray &line)
{
    if (line.trimmed().isEmpty())
        return;
    if (line.size() > m_maxLine) {
        ++m_malformed;
        log()->warn("training.client: dropped an event line over {} bytes", m_maxLine);
        return;
    }
    auto event = ct::Event::parseLine(line);
    if (!event) {
        ++m_malformed;
        log()->warn("training.client: skipped a malformed event line: {}", event.error().message.toStdString());
        return;
    }
    const ct::Event &e = *event;
    Q_EMIT eventReceived(e);
    switch (e.kind) {
    case ct::EventKind::Started:
        m_runId = e.runId;
        Q_EMIT started(e.runId, e.device, e.totalSteps);
        break;
    case ct::EventKind::Progress:
        Q_EMIT progress(e.step, e.totalSteps, e.loss);
        break;
    case ct::EventKind::Metric:
        Q_EMIT metric(e.name, e.value, e.step);
        break;
    case ct::EventKind::Checkpoint:
        Q_EMIT checkpointWritten(e.path, e.step);
        break;
    case ct::EventKind::Finished:
        m_final = true;
        m_finalStatus = e.status;
        break;
    case ct::EventKind::Error:
        m_final = true;
        m_finalStatus = QStringLiteral("failed");
        m_finalMessage = e.message;
        break;
    }
}

void TrainingClient::onExit(int exitCode, QProcess::ExitStatus status)
{
    m_terminate.stop();
    m_kill.stop();
    readErrors();
    readOutput();
    if (!m_buffer.isEmpty() && !m_discarding)
        handleLine(m_buffer);
    m_buffer.clear();
    if (m_final) {
        Q_EMIT ended(m_finalStatus, m_finalMessage);
        return;
    }
    const QString why = status == QProcess::CrashExit ? QStringLiteral("the worker was killed or crashed")
                                                      : QStringLiteral("the worker exited with code %1 without a result").arg(exitCode);
    markRunFailed();
    Q_EMIT ended(QStringLiteral("failed"), why);
}

void TrainingClient::markRunFailed()
{
    if (m_runId <= 0 || m_projectPath.isEmpty())
        return;
    auto project = store::Project::open(m_projectPath);
    if (!project) {
        log()->warn("training.client: {}", project.error().message.toStdString());
        return;
    }
    auto run = (*project)->runs().get(m_runId);
    if (run && run->status == RunStatus::Running)
        if (Status st = (*project)->runs().setStatus(m_runId, RunStatus::Failed, (*project)->author()); !st)
            log()->warn("training.client: {}", st.error().message.toStdString());
}

} // namespace annotune::training::client
