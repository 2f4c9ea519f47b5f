#pragma once
// The worker's event protocol: one JSON object per line on stdout, and the in-process interfaces
// the engine reports through (ProgressSink) and is stopped with (CancelToken).

#include "core/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <atomic>

namespace annotune::core::training {

enum class EventKind { Started, Progress, Metric, Checkpoint, Finished, Error };
QString toText(EventKind v);
std::optional<EventKind> eventKindFromString(const QString &s);

// One event. Which fields carry meaning depends on kind:
// Started: runId, task, device, totalSteps, message (the run folder);
// Progress: step, totalSteps, epoch, loss, learningRate, itemsPerSecond, dataWait (share of step time);
// Metric: step, epoch, name, value; Checkpoint: step, path;
// Finished: runId, status ("finished" | "cancelled"), step; Error: message.
struct Event {
    EventKind kind = EventKind::Progress;
    qint64 runId = 0;
    QString task;
    QString device;
    qint64 step = 0;
    qint64 totalSteps = 0;
    int epoch = 0;
    double loss = 0;
    double learningRate = 0;
    double itemsPerSecond = 0;
    double dataWait = 0;
    QString name;
    double value = 0;
    QString path;
    QString status;
    QString message;

    QJsonObject toJson() const;
    // One compact JSON line without the newline.
    QByteArray toLine() const;
    static Result<Event> fromJson(const QJsonObject &o);
    // Parses one line (surrounding whitespace allowed); fails with BadInput on anything else.
    static Result<Event> parseLine(const QByteArray &line);
};

// Where the engine reports; called on the training thread.
class ProgressSink {
public:
    virtual ~ProgressSink() = default;
    virtual void report(const Event &event) = 0;
};

// A sink that drops everything.
class NullSink : public ProgressSink {
public:
    void report(const Event &) override {}
};

// Asked from any thread (a signal handler included: it only stores an atomic); polled by the engine
// between steps, which then checkpoints and returns.
class CancelToken {
public:
    void cancel() { m_cancelled.store(true, std::memory_order_relaxed); }
    bool isCancelled() const { return m_cancelled.load(std::memory_order_relaxed); }

private:
    std::atomic_bool m_cancelled{false};
};

} // namespace annotune::core::training
