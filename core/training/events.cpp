#include "events.h"

#include <QJsonDocument>
#include <array>

namespace annotune::core::training {
namespace {

constexpr std::array<std::pair<EventKind, const char *>, 6> kKinds{
    {{EventKind::Started, "started"}, {EventKind::Progress, "progress"}, {EventKind::Metric, "metric"},
     {EventKind::Checkpoint, "checkpoint"}, {EventKind::Finished, "finished"}, {EventKind::Error, "error"}}};

void putText(QJsonObject &o, const char *key, const QString &v)
{
    if (!v.isEmpty())
        o.insert(QLatin1String(key), v);
}

} // namespace

QString toText(EventKind v)
{
    for (const auto &[value, name] : kKinds)
        if (value == v)
            return QString::fromLatin1(name);
    return {};
}

std::optional<EventKind> eventKindFromString(const QString &s)
{
    for (const auto &[value, name] : kKinds)
        if (s == QLatin1String(name))
            return value;
    return std::nullopt;
}

QJsonObject Event::toJson() const
{
    QJsonObject o{{QStringLiteral("event"), toText(kind)}};
    switch (kind) {
    case EventKind::Started:
        o.insert(QStringLiteral("run"), double(runId));
        o.insert(QStringLiteral("total_steps"), double(totalSteps));
        putText(o, "task", task);
        putText(o, "device", device);
        putText(o, "message", message);
        break;
    case EventKind::Progress:
        o.insert(QStringLiteral("step"), double(step));
        o.insert(QStringLiteral("total_steps"), double(totalSteps));
        o.insert(QStringLiteral("epoch"), epoch);
        o.insert(QStringLiteral("loss"), loss);
        o.insert(QStringLiteral("lr"), learningRate);
        o.insert(QStringLiteral("items_per_s"), itemsPerSecond);
        o.insert(QStringLiteral("data_wait"), dataWait);
        break;
    case EventKind::Metric:
        o.insert(QStringLiteral("step"), double(step));
        o.insert(QStringLiteral("epoch"), epoch);
        o.insert(QStringLiteral("name"), name);
        o.insert(QStringLiteral("value"), value);
        break;
    case EventKind::Checkpoint:
        o.insert(QStringLiteral("step"), double(step));
        o.insert(QStringLiteral("path"), path);
        break;
    case EventKind::Finished:
        o.insert(QStringLiteral("run"), double(runId));
        o.insert(QStringLiteral("status"), status);
        o.insert(QStringLiteral("step"), double(step));
        break;
    case EventKind::Error:
        o.insert(QStringLiteral("message"), message);
        break;
    }
    return o;
}

QByteArray Event::toLine() const { return QJsonDocument(toJson()).toJson(QJsonDocument::Compact); }

Result<Event> Event::fromJson(const QJsonObject &o)
{
    const auto kind = eventKindFromString(o.value(QStringLiteral("event")).toString());
    if (!kind)
        return makeError(ErrorCode::BadInput, QStringLiteral("event: missing or unknown \"event\""));
    Event e;
    e.kind = *kind;
    e.runId = qint64(o.value(QStringLiteral("run")).toDouble());
    e.task = o.value(QStringLiteral("task")).toString();
    e.device = o.value(QStringLiteral("device")).toString();
    e.step = qint64(o.value(QStringLiteral("step")).toDouble());
    e.totalSteps = qint64(o.value(QStringLiteral("total_steps")).toDouble());
    e.epoch = o.value(QStringLiteral("epoch")).toInt();
    e.loss = o.value(QStringLiteral("loss")).toDouble();
    e.learningRate = o.value(QStringLiteral("lr")).toDouble();
    e.itemsPerSecond = o.value(QStringLiteral("items_per_s")).toDouble();
    e.dataWait = o.value(QStringLiteral("data_wait")).toDouble();
    e.name = o.value(QStringLiteral("name")).toString();
    e.value = o.value(QStringLiteral("value")).toDouble();
    e.path = o.value(QStringLiteral("path")).toString();
    e.status = o.value(QStringLiteral("status")).toString();
    e.message = o.value(QStringLiteral("message")).toString();
    if (e.kind == EventKind::Metric && e.name.isEmpty())
        return makeError(ErrorCode::BadInput, QStringLiteral("metric event without a name"));
    return e;
}

Result<Event> Event::parseLine(const QByteArray &line)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(line.trimmed(), &pe);
    if (!doc.isObject())
        return makeError(ErrorCode::BadInput, QStringLiteral("not a JSON object: %1").arg(pe.errorString()));
    return fromJson(doc.object());
}

} // namespace annotune::core::training
