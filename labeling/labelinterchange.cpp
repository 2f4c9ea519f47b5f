#include "labelinterchange.h"

#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "core/store/runrepository.h"

#include <QDir>
#include <QFileInfo>

namespace annotune::labeling {

using namespace annotune::core;

namespace {

// The run predictions go to: an existing run with this name, else a new finished "imported" run.
Result<Id> runNamed(store::Project &project, const QString &name)
{
    auto runs = project.runs().list();
    if (!runs)
        return runs.error();
    for (const Run &r : *runs)
        if (r.name == name)
            return r.id;
    Run run;
    run.name = name;
    run.task = QStringLiteral("detection");
    run.status = RunStatus::Finished;
    run.configJson = QStringLiteral("{\"imported\":true}");
    run.codeVersion = QStringLiteral(ANNOTUNE_VERSION);
    run.device = QStringLiteral("external");
    return project.runs().create(run, project.author());
}

const formats::FormatInfo *formatOrError(const QString &name, Error *error)
{
    const formats::FormatInfo *format = formats::findFormat(name);
    if (!format) {
        QStringList names;
        for (const auto &f : formats::allFormats())
            names << f.name;
        *error = makeError(ErrorCode::Usage, QStringLiteral("unknown format \"%1\" (known: %2)").arg(name, names.join(QStringLiteral(", "))));
    }
    return format;
}

} // namespace

Result<formats::ImportReport> importLabels(store::Project &project, const LabelImportRequest &request,
                                           const ProgressFn &progress, const CancelFlag *cancel)
{
    Error error;
    const formats::FormatInfo *format = formatOrError(request.format, &error);
    if (!format)
        return error;
    formats::ReadOptions readOptions;
    readOptions.cancel = cancel;
    if (auto classes = project.classes().list())
        for (const LabelClass &c : *classes)
            readOptions.classNamesById.insert(c.id, c.name);
    // COCO results name images by project item id: item id -> stored path, relative to the project
    // folder (items outside it cannot be named this way and are left out of the table).
    const bool byItemId = format->name == QLatin1String("coco-results");
    if (byItemId) {
        Status st = project.items().forEach({}, [&](const Item &it) {
            if (!QDir::isAbsolutePath(it.path))
                readOptions.fileNamesById.insert(it.id, it.path);
            return true;
        });
        if (!st)
            return st.error();
    }
    auto dataset = format->read(request.path, readOptions);
    if (!dataset)
        return dataset.error();
    formats::ImportOptions options;
    options.imagesRoot = byItemId ? project.folder()
                         : request.imagesRoot.isEmpty() ? format->imagesRoot(request.path) : request.imagesRoot;
    options.skipMissingImages = request.skipMissingImages;
    if (!request.runName.isEmpty() || format->name == QLatin1String("coco-results")) {
        auto run = runNamed(project, request.runName.isEmpty() ? QFileInfo(request.path).completeBaseName() : request.runName);
        if (!run)
            return run.error();
        options.predictionsRun = *run;
    }
    return formats::applyImport(project, *dataset, options, progress, cancel);
}

Result<formats::WriteReport> exportLabels(store::Project &project, const LabelExportRequest &request, const CancelFlag *cancel)
{
    Error error;
    const formats::FormatInfo *format = formatOrError(request.format, &error);
    if (!format)
        return error;
    if (!format->write)
        return makeError(ErrorCode::Usage, QStringLiteral("format \"%1\" can be imported, not exported").arg(request.format));
    formats::ExportLoss collectLoss;
    auto dataset = formats::collectDataset(project, request.filter, &collectLoss);
    if (!dataset)
        return dataset.error();
    formats::WriteOptions options;
    options.copyImages = request.copyImages;
    options.cancel = cancel;
    auto report = format->write(*dataset, request.out, options);
    if (!report)
        return report.error();
    for (auto it = collectLoss.counts.constBegin(); it != collectLoss.counts.constEnd(); ++it)
        report->loss.add(it.key(), it.value());
    return report;
}

QString describe(const formats::ImportReport &report, bool predictions)
{
    QString text = QStringLiteral("Imported %1 %2 into %3 new and %4 existing items.")
                       .arg(report.labels).arg(predictions ? QStringLiteral("predictions") : QStringLiteral("labels"))
                       .arg(report.itemsAdded).arg(report.itemsMatched);
    if (!report.classesAdded.isEmpty())
        text += QStringLiteral("\nNew classes: %1.").arg(report.classesAdded.join(QStringLiteral(", ")));
    if (!report.missingImages.isEmpty())
        text += QStringLiteral("\nLeft out %1 images:\n  %2").arg(report.missingImages.size())
                    .arg(report.missingImages.mid(0, 10).join(QStringLiteral("\n  ")));
    if (!report.warnings.isEmpty())
        text += QStringLiteral("\nNotes:\n  %1").arg(report.warnings.join(QStringLiteral("\n  ")));
    return text;
}

QString describe(const formats::WriteReport &report, const QString &out)
{
    QString text = QStringLiteral("Wrote %1: %2 images, %3 labels.").arg(out).arg(report.images).arg(report.labels);
    const QStringList lost = report.loss.lines();
    if (!lost.isEmpty())
        text += QStringLiteral("\nNot carried by this format (dropped or converted):\n  %1").arg(lost.join(QStringLiteral("\n  ")));
    return text;
}

} // namespace annotune::labeling
