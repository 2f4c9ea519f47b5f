// init, demo, import images, stats; import/export per format come from formatcommands.cpp.

#include "commands.h"

#include "core/store/annotationrepository.h"
#include "core/store/classrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "labeling/demoproject.h"
#include "labeling/imageimporter.h"

#include <QTextStream>
#include <cstdio>

namespace annotune::app::cli {

using namespace annotune::core;

QString qstr(const std::string &s) { return QString::fromStdString(s); }

int fail(const QString &message)
{
    std::fprintf(stderr, "annotune-cli: %s\n", message.toUtf8().constData());
    return 2;
}

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

int cmdInit(const std::string &path)
{
    auto project = store::Project::create(qstr(path));
    if (!project)
        return fail(project.error().message);
    out() << "created " << project.value()->path() << Qt::endl;
    return 0;
}

int cmdDemo(const std::string &path, const labeling::DemoOptions &options)
{
    auto report = labeling::generateDemo(qstr(path), options);
    if (!report)
        return fail(report.error().message);
    out() << "demo project " << qstr(path) << ": " << report->images << " images, " << report->invoices
          << " invoices, " << report->annotations << " labels, " << report->words << " words" << Qt::endl;
    return 0;
}

int cmdImportImages(const std::string &path, const std::string &dir)
{
    auto project = store::Project::open(qstr(path));
    if (!project)
        return fail(project.error().message);
    auto report = labeling::importImages(**project, qstr(dir));
    if (!report)
        return fail(report.error().message);
    for (const QString &bad : report->unreadable)
        std::fprintf(stderr, "annotune-cli: skipped %s\n", bad.toUtf8().constData());
    out() << "imported " << report->ids.size() << " images, skipped " << report->duplicates << " duplicates, "
          << report->unreadable.size() << " unreadable" << Qt::endl;
    return 0;
}

int cmdStats(const std::string &path)
{
    auto opened = store::Project::open(qstr(path), store::Project::Access::ReadOnly);
    if (!opened)
        return fail(opened.error().message);
    store::Project &project = **opened;
    auto total = project.items().count({});
    auto byStatus = project.items().countsByStatus();
    auto bySplit = project.items().countsBySplit();
    auto classes = project.classes().list();
    auto byClass = project.annotations().countsByClass();
    auto annotations = project.annotations().count();
    for (const auto *err : {total ? nullptr : &total.error(), byStatus ? nullptr : &byStatus.error(),
                            bySplit ? nullptr : &bySplit.error(), classes ? nullptr : &classes.error(),
                            byClass ? nullptr : &byClass.error(), annotations ? nullptr : &annotations.error()})
        if (err)
            return fail(err->message);
    out() << "project " << project.path() << Qt::endl;
    out() << "items " << *total << Qt::endl;
    for (ItemStatus s : kAllStatuses)
        out() << "  status " << toText(s) << " " << byStatus->value(s) << Qt::endl;
    for (Split s : kAllSplits)
        out() << "  split " << toText(s) << " " << bySplit->value(s) << Qt::endl;
    out() << "labels " << *annotations << Qt::endl;
    QHash<Id, qint64> counts;
    for (const auto &[id, n] : *byClass)
        counts.insert(id, n);
    for (const LabelClass &c : *classes)
        out() << "  class " << c.name << " (" << toText(c.kind) << ") " << counts.value(c.id) << Qt::endl;
    return 0;
}

} // namespace

void registerProjectCommands(CLI::App &app, Context &ctx)
{
    static std::string project, dir;
    static labeling::DemoOptions demo;

    auto *init = app.add_subcommand("init", "Create an empty project file");
    init->add_option("PROJECT", project, "Project file to create (NAME.annotune)")->required();
    init->callback([&] { ctx.exitCode = cmdInit(project); });

    auto *demoCmd = app.add_subcommand("demo", "Create the demo project (shapes images and invoices)");
    demoCmd->add_option("PROJECT", project, "Project file to create")->required();
    demoCmd->add_option("--seed", demo.seed, "Random seed")->capture_default_str();
    demoCmd->add_option("--shapes", demo.shapes, "Number of shapes images")->capture_default_str()->check(CLI::Range(0, 100000));
    demoCmd->add_option("--invoices", demo.invoices, "Number of invoices")->capture_default_str()->check(CLI::Range(0, 100000));
    demoCmd->callback([&] { ctx.exitCode = cmdDemo(project, demo); });

    auto *import = app.add_subcommand("import", "Import media or labels into a project");
    import->require_subcommand(1);
    auto *images = import->add_subcommand("images", "Import a folder of images (recursive)");
    images->add_option("PROJECT", project, "Project file")->required();
    images->add_option("DIR", dir, "Folder with jpg, png, bmp, tiff or webp images")->required();
    images->callback([&] { ctx.exitCode = cmdImportImages(project, dir); });

    auto *exportCmd = app.add_subcommand("export", "Export labels from a project");
    exportCmd->require_subcommand(1);

    registerFormatCommands(*import, *exportCmd, ctx);
    registerEvalCommands(app, ctx);
    registerDocumentCommands(*import, *exportCmd, ctx);
    registerTrainCommands(app, ctx);
    registerAnalysisCommands(app, ctx);
    registerGateCommands(app, ctx);
    registerModelCommands(app, ctx);

    auto *stats = app.add_subcommand("stats", "Counts by status, split and class");
    stats->add_option("PROJECT", project, "Project file")->required();
    stats->callback([&] { ctx.exitCode = cmdStats(project); });
}

} // namespace annotune::app::cli
