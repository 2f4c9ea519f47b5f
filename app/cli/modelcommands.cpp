// export-model: writes an approved run's model with a model card a person or a deployment reads.

#include "commands.h"

#include "core/store/approvalrepository.h"
#include "core/store/project.h"
#include "core/store/runrepository.h"
#include "training/engine/engine.h"
#include "training/engine/modelfile.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

namespace annotune::app::cli {

using namespace annotune::core;
namespace engine = annotune::training::engine;

namespace {

struct ModelArgs {
    std::string project, out;
    qint64 run = 0;
};

// The newest approval of the run that was not revoked.
std::optional<Approval> approvalOf(const QVector<Approval> &approvals, Id run)
{
    for (const Approval &a : approvals)
        if (a.runId == run && !a.revokedAt)
            return a;
    return std::nullopt;
}

QJsonObject modelCard(const Run &run, const Approval &approval, const engine::ModelMeta &meta)
{
    QJsonArray classes;
    for (const QString &name : meta.classNames)
        classes.append(name);
    return {{QStringLiteral("task"), run.task},
            {run.task == QLatin1String("extraction") ? QStringLiteral("fields") : QStringLiteral("classes"), classes},
            {QStringLiteral("run"), QJsonObject{{QStringLiteral("id"), run.id}, {QStringLiteral("name"), run.name},
                                                {QStringLiteral("seed"), run.seed}, {QStringLiteral("device"), run.device},
                                                {QStringLiteral("code_version"), run.codeVersion}}},
            {QStringLiteral("config"), QJsonDocument::fromJson(run.configJson.toUtf8()).object()},
            {QStringLiteral("base_model"), meta.spec.base.isEmpty() ? QJsonValue() : QJsonValue(meta.spec.base)},
            {QStringLiteral("data_snapshot"), run.datasetHash},
            {QStringLiteral("metrics"), approval.metrics},
            {QStringLiteral("gate"), approval.gate},
            {QStringLiteral("reviewer"), approval.reviewer},
            {QStringLiteral("approved_at"), QDateTime::fromMSecsSinceEpoch(approval.at, Qt::UTC).toString(Qt::ISODate)},
            {QStringLiteral("files"), meta.spec.backbonePath.isEmpty()
                                          ? QJsonArray{QStringLiteral("model.pt"), QStringLiteral("model.json")}
                                          : QJsonArray{QStringLiteral("model.pt"), QStringLiteral("model.json"), QStringLiteral("backbone.pt")}}};
}

// Writes the three files into a staging folder beside out and renames it into place.
Status writeExport(const QString &runFolder, const QString &out, const QJsonObject &card)
{
    if (QFileInfo::exists(out))
        return makeError(ErrorCode::Conflict, QStringLiteral("%1: already exists; choose a new folder").arg(out));
    const QString staging = out + QStringLiteral(".partial");
    QDir(staging).removeRecursively();
    if (!QDir().mkpath(staging))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot create the folder").arg(out));
    Status st;
    for (const char *name : {"model.pt", "model.json", "backbone.pt"}) {
        const QString from = runFolder + QLatin1Char('/') + QLatin1String(name);
        if (QLatin1String(name) == QLatin1String("backbone.pt") && !QFileInfo::exists(from))
            continue; // only runs with an imported backbone have one
        if (!QFile::copy(from, staging + QLatin1Char('/') + QLatin1String(name)))
            st = makeError(ErrorCode::Io, QStringLiteral("%1: cannot copy into %2").arg(from, out));
    }
    if (st)
        st = engine::writeJsonFile(staging + QStringLiteral("/model-card.json"), card);
    if (st && !QDir().rename(staging, out))
        st = makeError(ErrorCode::Io, QStringLiteral("%1: cannot move the export into place").arg(out));
    if (!st)
        QDir(staging).removeRecursively();
    return st;
}

int cmdExportModel(const ModelArgs &a)
{
    auto opened = store::Project::open(qstr(a.project), store::Project::Access::ReadOnly);
    if (!opened)
        return fail(opened.error().message);
    store::Project &project = **opened;
    auto run = project.runs().get(a.run);
    if (!run)
        return fail(run.error().message);
    auto approvals = project.approvals().list();
    if (!approvals)
        return fail(approvals.error().message);
    const auto approval = approvalOf(*approvals, a.run);
    if (!approval)
        return fail(QStringLiteral("run %1 is not approved; only approved models are exported (see annotune-cli approve)").arg(a.run));
    const QString folder = engine::runFolder(project, a.run);
    auto meta = engine::readModelMeta(folder);
    if (!meta)
        return fail(meta.error().message);
    const QString out = QDir::cleanPath(QFileInfo(qstr(a.out)).absoluteFilePath());
    if (Status st = writeExport(folder, out, modelCard(*run, *approval, *meta)); !st)
        return fail(st.error().message);
    std::printf("wrote %s: model.pt, model.json, model-card.json (run %lld, approved by %s)\n", out.toUtf8().constData(),
                static_cast<long long>(a.run), approval->reviewer.toUtf8().constData());
    return 0;
}

} // namespace

void registerModelCommands(CLI::App &app, Context &ctx)
{
    static ModelArgs m;
    auto *cmd = app.add_subcommand("export-model", "Write an approved run's model (libtorch archive) with its model card");
    cmd->add_option("PROJECT", m.project, "Project file")->required();
    cmd->add_option("--run", m.run, "Run id")->required();
    cmd->add_option("OUT", m.out, "Folder to create with model.pt, model.json and model-card.json")->required();
    cmd->callback([&] { ctx.exitCode = cmdExportModel(m); });
}

} // namespace annotune::app::cli
