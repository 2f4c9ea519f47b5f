// import FORMAT / export FORMAT for every format in the registry.

#include "commands.h"

#include "core/formats/registry.h"
#include "core/store/project.h"
#include "labeling/labelinterchange.h"

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

int runImport(const formats::FormatInfo &format, const FormatArgs &a)
{
    auto opened = store::Project::open(qstr(a.project));
    if (!opened)
        return fail(opened.error().message);
    labeling::LabelImportRequest request{format.name, qstr(a.path), qstr(a.images), a.skipMissing, qstr(a.run)};
    auto report = labeling::importLabels(**opened, request);
    if (!report)
        return fail(report.error().message);
    printLines("annotune-cli: left out ", report->missingImages, stderr);
    printLines("annotune-cli: note: ", report->warnings, stderr);
    std::printf("%s\n", labeling::describe(*report, !a.run.empty() || format.name == QLatin1String("coco-results"))
                             .section(QLatin1Char('\n'), 0, 1).toUtf8().constData());
    return 0;
}

int runExport(const formats::FormatInfo &format, const FormatArgs &a)
{
    auto opened = store::Project::open(qstr(a.project), store::Project::Access::ReadOnly);
    if (!opened)
        return fail(opened.error().message);
    labeling::LabelExportRequest request{format.name, qstr(a.path), {}, a.copyImages};
    request.filter.approvedOnly = a.approvedOnly;
    if (!a.split.empty()) {
        request.filter.split = splitFromString(qstr(a.split));
        if (!request.filter.split)
            return fail(QStringLiteral("--split %1: expected train, val or test").arg(qstr(a.split)));
    }
    for (const QString &c : qstr(a.classes).split(QLatin1Char(','), Qt::SkipEmptyParts))
        request.filter.classNames.insert(c.trimmed());
    auto report = labeling::exportLabels(**opened, request);
    if (!report)
        return fail(report.error().message);
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
