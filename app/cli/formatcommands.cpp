// import FORMAT / export FORMAT for every format in the registry.

#include "commands.h"

#include "core/formats/datasetexport.h"
#include "core/formats/datasetimport.h"
#include "core/formats/registry.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "core/store/runrepository.h"

#include <QDir>
#include <QFileInfo>
#include <cstdio>

namespace annotune::app::cli {

using namespace annotune::core;

namespace {

struct FormatArgs {
    std::string project, path, images, run, split, classes;
    bool skipMissing = false, approvedOnly = false, copyImages = false;
};

void printLines(const char *prefix, const QStringList &lines, FILE *to)
{
    for (const QString &l : lines)
        std::fprintf(to, "%s%s\n", prefix, l.toUtf8().constData());
}

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

// COCO results name images by project item id: item id -> stored path (relative to the project
// folder; items outside it cannot be named this way and are left out of the table).
Status fillFileNamesById(store::Project &project, formats::ReadOptions &readOptions)
{
    return project.items().forEach({}, [&](const Item &it) {
        if (!QDir::isAbsolutePath(it.path))
            readOptions.fileNamesById.insert(it.id, it.path);
        return true;
    });
}

int runImport(const formats::FormatInfo &format, const FormatArgs &a)
{
    auto opened = store::Project::open(qstr(a.project));
    if (!opened)
        return fail(opened.error().message);
    store::Project &project = **opened;
    formats::ReadOptions readOptions;
    if (auto classes = project.classes().list())
        for (const LabelClass &c : *classes)
            readOptions.classNamesById.insert(c.id, c.name);
    const bool byItemId = format.name == QLatin1String("coco-results");
    if (byItemId)
        if (Status st = fillFileNamesById(project, readOptions); !st)
            return fail(st.error().message);
    auto dataset = format.read(qstr(a.path), readOptions);
    if (!dataset)
        return fail(dataset.error().message);
    formats::ImportOptions options;
    options.imagesRoot = byItemId ? project.folder() : a.images.empty() ? format.imagesRoot(qstr(a.path)) : qstr(a.images);
    options.skipMissingImages = a.skipMissing;
    if (!a.run.empty() || format.name == QLatin1String("coco-results")) {
        auto run = runNamed(project, a.run.empty() ? QFileInfo(qstr(a.path)).completeBaseName() : qstr(a.run));
        if (!run)
            return fail(run.error().message);
        options.predictionsRun = *run;
    }
    auto report = formats::applyImport(project, *dataset, options);
    if (!report)
        return fail(report.error().message);
    printLines("annotune-cli: left out ", report->missingImages, stderr);
    printLines("annotune-cli: note: ", report->warnings, stderr);
    std::printf("imported %lld %s into %d new and %d existing items",
                static_cast<long long>(report->labels), options.predictionsRun ? "predictions" : "labels",
                report->itemsAdded, report->itemsMatched);
    if (!report->classesAdded.isEmpty())
        std::printf("; new classes: %s", report->classesAdded.join(QStringLiteral(", ")).toUtf8().constData());
    std::printf("\n");
    return 0;
}

int runExport(const formats::FormatInfo &format, const FormatArgs &a)
{
    auto opened = store::Project::open(qstr(a.project), store::Project::Access::ReadOnly);
    if (!opened)
        return fail(opened.error().message);
    formats::ExportFilter filter;
    filter.approvedOnly = a.approvedOnly;
    if (!a.split.empty()) {
        filter.split = splitFromString(qstr(a.split));
        if (!filter.split)
            return fail(QStringLiteral("--split %1: expected train, val or test").arg(qstr(a.split)));
    }
    for (const QString &c : qstr(a.classes).split(QLatin1Char(','), Qt::SkipEmptyParts))
        filter.classNames.insert(c.trimmed());
    formats::ExportLoss collectLoss;
    auto dataset = formats::collectDataset(**opened, filter, &collectLoss);
    if (!dataset)
        return fail(dataset.error().message);
    formats::WriteOptions options;
    options.copyImages = a.copyImages;
    auto report = format.write(*dataset, qstr(a.path), options);
    if (!report)
        return fail(report.error().message);
    for (auto it = collectLoss.counts.constBegin(); it != collectLoss.counts.constEnd(); ++it)
        report->loss.add(it.key(), it.value());
    printLines("annotune-cli: dropped ", report->loss.lines(), stderr);
    std::printf("wrote %s: %lld images, %lld labels\n", a.path.c_str(), static_cast<long long>(report->images),
                static_cast<long long>(report->labels));
    return 0;
}

} // namespace

void registerFormatCommands(CLI::App &importCmd, CLI::App &exportCmd, Context &ctx)
{
    static FormatArgs args;
    for (const formats::FormatInfo &format : formats::allFormats()) {
        const std::string name = format.name.toStdString();
        auto *in = importCmd.add_subcommand(name, "Import " + format.description.toStdString());
        in->add_option("PROJECT", args.project, "Project file")->required();
        in->add_option("PATH", args.path, "Annotation file or folder")->required();
        in->add_option("--images", args.images, "Folder the image file names are relative to");
        in->add_flag("--skip-missing", args.skipMissing, "Import the rest when referenced images are missing");
        in->add_option("--run", args.run, "Store the labels as predictions of this run (created when new)");
        in->callback([&ctx, &format] { ctx.exitCode = runImport(format, args); });
        if (!format.write)
            continue;
        auto *out = exportCmd.add_subcommand(name, "Export " + format.description.toStdString());
        out->add_option("PROJECT", args.project, "Project file")->required();
        out->add_option("OUT", args.path, format.outputIsFolder ? "Output folder" : "Output file")->required();
        out->add_flag("--approved-only", args.approvedOnly, "Only items whose status is approved");
        out->add_option("--split", args.split, "Only items of this split (train, val, test)");
        out->add_option("--classes", args.classes, "Only these classes (comma-separated names)");
        if (format.outputIsFolder)
            out->add_flag("--copy-images", args.copyImages, "Copy the images beside the labels");
        out->callback([&ctx, &format] { ctx.exitCode = runExport(format, args); });
    }
}

} // namespace annotune::app::cli
