#pragma once
// Starts and watches the training worker (`annotune-cli train ... --events jsonl`) with QProcess and
// turns its JSON-lines events into signals. Lines are buffered and split; a malformed line is
// skipped and logged; an over-long line is dropped (the buffer is capped). Cancel asks first (a
// "cancel" line on stdin, then SIGTERM) and kills after a timeout. A worker that dies without a
// final event leaves its run marked failed in the project.

#include "core/training/events.h"
#include "core/training/jobspec.h"

#include <QObject>
#include <QProcess>
#include <QTimer>

namespace annotune::training::client {

class TrainingClient : public QObject {
    Q_OBJECT
public:
    explicit TrainingClient(QObject *parent = nullptr);
    ~TrainingClient() override;

    // The worker's arguments for a spec written to configFile (the GUI writes spec.toJson() there).
    static QStringList trainArguments(const QString &projectPath, const core::training::JobSpec &spec,
                                      const QString &configFile);

    // Starts program with arguments; projectPath is where a crashed run gets marked failed.
    void start(const QString &program, const QStringList &arguments, const QString &projectPath);
    // Asks the worker to checkpoint and stop; kills it after timeoutMs.
    void cancel(int timeoutMs = 10000);
    // Kills the worker at once (no checkpoint).
    void kill();
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    qint64 runId() const { return m_runId; }

    void setMaxLineBytes(qint64 bytes) { m_maxLine = bytes; }
    int malformedLines() const { return m_malformed; }
    // The worker's last stderr lines (at most 40), newest last.
    QStringList stderrTail() const { return m_stderrTail; }

Q_SIGNALS:
    void eventReceived(const annotune::core::training::Event &event);
    void started(qint64 runId, const QString &device, qint64 totalSteps);
    void progress(qint64 step, qint64 totalSteps, double loss);
    void metric(const QString &name, double value, qint64 step);
    void checkpointWritten(const QString &path, qint64 step);
    // The worker ended: status is "finished", "cancelled" or "failed" (message says why).
    void ended(const QString &status, const QString &message);
    // One line the worker wrote on stderr (its log).
    void logLine(const QString &line);

private:
    void readOutput();
    void readErrors();
    void handleLine(const QByteArray &line);
    void onExit(int exitCode, QProcess::ExitStatus status);
    void markRunFailed();

    QProcess m_process;
    QTimer m_terminate, m_kill;
    QByteArray m_buffer;
    QString m_projectPath;
    qint64 m_maxLine = 1 << 20;
    qint64 m_runId = 0;
    int m_malformed = 0;
    bool m_discarding = false;
    bool m_final = false;      // finished or error seen
    QString m_finalStatus, m_finalMessage;
    QStringList m_stderrTail;
};

} // namespace annotune::training::client
