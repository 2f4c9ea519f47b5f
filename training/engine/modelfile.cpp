#include "modelfile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace annotune::training::engine {

using namespace annotune::core;
namespace ct = annotune::core::training;

Status writeJsonFile(const QString &path, const QJsonObject &o)
{
    QFile f(path + QStringLiteral(".tmp"));
    if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(o).toJson()) < 0 || !f.flush())
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot write: %2").arg(path, f.errorString()));
    f.close();
    QFile::remove(path);
    if (!QFile::rename(f.fileName(), path))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot replace").arg(path));
    return {};
}

Result<QJsonObject> readJsonFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::NotFound, QStringLiteral("%1: cannot read: %2").arg(path, f.errorString()));
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
    if (!doc.isObject())
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: not a JSON object").arg(path));
    return doc.object();
}

Status writeModelMeta(const QString &folder, const ct::JobSpec &spec, const QVector<LabelClass> &classes,
                      const std::vector<bool> &singleSpan, const TagTransitions &transitions)
{
    QJsonArray list;
    for (qsizetype i = 0; i < classes.size(); ++i) {
        QJsonObject c{{QStringLiteral("id"), double(classes[i].id)}, {QStringLiteral("name"), classes[i].name}};
        if (size_t(i) < singleSpan.size())
            c.insert(QStringLiteral("single_span"), bool(singleSpan[size_t(i)]));
        list.append(c);
    }
    QJsonObject o{{QStringLiteral("format"), QStringLiteral("annotune-model-1")},
                  {QStringLiteral("spec"), spec.toJson()}, {QStringLiteral("classes"), list}};
    if (!transitions.empty()) {
        QJsonArray logp;
        for (const double v : transitions.logp)
            logp.append(v);
        o.insert(QStringLiteral("transitions"), QJsonObject{{QStringLiteral("weight"), transitions.weight},
                                                            {QStringLiteral("tags"), double(transitions.tags)},
                                                            {QStringLiteral("step_kinds"), kStepKinds},
                                                            {QStringLiteral("log_p"), logp}});
    }
    return writeJsonFile(folder + QStringLiteral("/model.json"), o);
}

Result<ModelMeta> readModelMeta(const QString &folder)
{
    auto o = readJsonFile(folder + QStringLiteral("/model.json"));
    if (!o)
        return o.error();
    auto spec = ct::JobSpec::fromJson(o->value(QStringLiteral("spec")).toObject());
    if (!spec)
        return makeError(ErrorCode::BadInput, QStringLiteral("%1/model.json: %2").arg(folder, spec.error().message));
    ModelMeta meta{*spec, {}, {}, {}, {}};
    for (const QJsonValue &v : o->value(QStringLiteral("classes")).toArray()) {
        meta.classIds.push_back(Id(v.toObject().value(QStringLiteral("id")).toDouble()));
        meta.classNames << v.toObject().value(QStringLiteral("name")).toString();
        meta.singleSpan.push_back(v.toObject().value(QStringLiteral("single_span")).toBool(true));
    }
    if (meta.classIds.empty())
        return makeError(ErrorCode::BadInput, QStringLiteral("%1/model.json: no classes").arg(folder));
    if (const QJsonValue t = o->value(QStringLiteral("transitions")); t.isObject()) {
        const QJsonObject to = t.toObject();
        meta.transitions.weight = to.value(QStringLiteral("weight")).toDouble();
        meta.transitions.tags = to.value(QStringLiteral("tags")).toInteger();
        for (const QJsonValue &v : to.value(QStringLiteral("log_p")).toArray())
            meta.transitions.logp.push_back(v.toDouble());
        // A weight of 0 (set by hand) is valid and turns them off; the table must still fit.
        const int64_t tags = meta.transitions.tags;
        if (to.value(QStringLiteral("step_kinds")).toInteger() != kStepKinds || tags != 2 * int64_t(meta.classIds.size()) + 1
            || meta.transitions.logp.size() != size_t(kStepKinds * tags * tags))
            return makeError(ErrorCode::BadInput, QStringLiteral("%1/model.json: transitions do not fit the classes").arg(folder));
    }
    return meta;
}

} // namespace annotune::training::engine
