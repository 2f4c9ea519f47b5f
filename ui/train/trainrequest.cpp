#include "trainrequest.h"

#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "core/store/runrepository.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace annotune::ui::train {

using namespace annotune::core;
namespace ct = annotune::core::training;

QStringList TrainRequest::arguments(const QString &projectPath) const
{
    QStringList args{QStringLiteral("train"), projectPath, QStringLiteral("--task"), ct::toText(task),
                     QStringLiteral("--preset"), preset};
    if (!configFile.isEmpty())
        args << QStringLiteral("--config") << configFile;
    if (!base.isEmpty())
        args << QStringLiteral("--base") << base;
    if (!backbone.isEmpty() && task == ct::TrainTask::Detection)
        args << QStringLiteral("--backbone") << backbone;
    if (epochs > 0)
        args << QStringLiteral("--epochs") << QString::number(epochs);
    if (loraRank > 0)
        args << QStringLiteral("--lora-rank") << QString::number(loraRank);
    if (maxSteps > 0)
        args << QStringLiteral("--max-steps") << QString::number(maxSteps);
    args << QStringLiteral("--labels") << ct::toText(labels) << QStringLiteral("--device") << ct::toText(device)
         << QStringLiteral("--events") << QStringLiteral("jsonl");
    return args;
}

int TrainRequest::presetEpochs() const
{
    auto spec = ct::presetSpec(task, preset);
    return spec ? spec->epochs : 0;
}

QStringList resumeArguments(const QString &projectPath, qint64 runId)
{
    return {QStringLiteral("train"), projectPath, QStringLiteral("--resume"), QString::number(runId),
            QStringLiteral("--events"), QStringLiteral("jsonl")};
}

QStringList predictArguments(const QString &projectPath, qint64 runId)
{
    return {QStringLiteral("predict"), projectPath, QStringLiteral("--run"), QString::number(runId),
            QStringLiteral("--items"), QStringLiteral("unlabeled")};
}

namespace {

// Items of the task's kind (images for detection, document pages for extraction) with the labels asked for.
qint64 trainingItems(store::Project &project, ct::TrainTask task, ct::LabelSelection labels)
{
    QVector<ItemStatus> statuses{ItemStatus::Approved};
    if (labels == ct::LabelSelection::Labeled)
        statuses << ItemStatus::Labeled << ItemStatus::InReview;
    qint64 total = 0;
    for (ItemStatus status : statuses) {
        store::ItemFilter filter;
        filter.status = status;
        filter.kind = task == ct::TrainTask::Detection ? ItemKind::Image : ItemKind::DocumentPage;
        if (auto n = project.items().count(filter))
            total += *n;
    }
    return total;
}

// Seconds per item and epoch from the newest finished run of the task, or nothing.
std::optional<double> measuredRate(store::Project &project, const QString &task, qint64 items)
{
    auto runs = project.runs().list();
    if (!runs || items <= 0)
        return std::nullopt;
    for (auto it = runs->crbegin(); it != runs->crend(); ++it) {
        if (it->task != task || it->status != RunStatus::Finished || it->finishedAt <= it->createdAt)
            continue;
        const QJsonObject config = QJsonDocument::fromJson(it->configJson.toUtf8()).object();
        const int epochs = config.value(QStringLiteral("epochs")).toInt();
        if (epochs > 0)
            return double(it->finishedAt - it->createdAt) / 1000.0 / (double(epochs) * double(items));
    }
    return std::nullopt;
}

} // namespace

TrainEstimate estimate(store::Project &project, const TrainRequest &request)
{
    TrainEstimate e;
    e.items = trainingItems(project, request.task, request.labels);
    const int epochs = request.epochs > 0 ? request.epochs : request.presetEpochs();
    const auto rate = measuredRate(project, ct::toText(request.task), e.items);
    e.measured = rate.has_value();
    // Seconds per item and epoch of the balanced presets on a 2-core CPU (train_bench --full: the demo
    // shapes, 70 epochs in 515 s; the demo invoices, 125 epochs in 102 s).
    const double defaultRate = request.task == ct::TrainTask::Detection ? 0.04 : 0.015;
    e.seconds = double(e.items) * double(std::max(1, epochs)) * rate.value_or(defaultRate);
    return e;
}

ct::TrainTask suggestedTask(store::Project &project)
{
    const auto labelled = [&](ct::TrainTask task) { return trainingItems(project, task, ct::LabelSelection::Labeled); };
    return labelled(ct::TrainTask::Extraction) > labelled(ct::TrainTask::Detection) ? ct::TrainTask::Extraction
                                                                                  : ct::TrainTask::Detection;
}

} // namespace annotune::ui::train
