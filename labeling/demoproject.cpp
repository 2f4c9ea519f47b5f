#include "demoproject.h"

#include "core/logging.h"
#include "core/store/project.h"
#include "demorandom.h"
#include "demowriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QtConcurrent>
#include <atomic>
#include <numeric>

namespace annotune::labeling {

using namespace annotune::core;

namespace {

// PNG compression: a low zlib level keeps the default demo fast; PNG stays lossless either way.
constexpr int kPngQuality = 80;

QString mediaName(int index)
{
    return QStringLiteral("%1.png").arg(index, 4, 10, QLatin1Char('0'));
}

// Writes image to path and reads back its size and hash. Returns an error message or "".
QString saveAndProbe(const QImage &image, const QString &path, MediaProbe &probe)
{
    if (!image.save(path, "PNG", kPngQuality))
        return QStringLiteral("%1: cannot write the image").arg(path);
    probe = probeImage(path);
    return probe.error.isEmpty() ? QString() : QStringLiteral("%1: %2").arg(path, probe.error);
}

RenderedShapes renderShapes(quint32 seed, int index, const QString &folder)
{
    DemoRandom rng(seed, DemoRandom::Stream::Shapes, quint32(index));
    ShapesScene scene = renderShapesScene(rng);
    RenderedShapes out;
    out.objects = std::move(scene.objects);
    out.tag = scene.tag;
    out.error = saveAndProbe(scene.image, folder + QLatin1Char('/') + mediaName(index), out.probe);
    return out;
}

RenderedInvoice renderInvoiceItem(quint32 seed, int index, const QString &folder)
{
    DemoRandom rng(seed, DemoRandom::Stream::Invoices, quint32(index));
    InvoicePage page = renderInvoice(rng);
    RenderedInvoice out;
    out.words = std::move(page.words);
    out.fields = std::move(page.fields);
    out.error = saveAndProbe(page.image, folder + QLatin1Char('/') + mediaName(index), out.probe);
    return out;
}

// Renders count items on the thread pool; render(i) depends on i alone, so the order of the
// threads does not change the result.
template <typename Render>
auto renderAll(int count, Render render, std::atomic_int &done, int total, const ProgressFn &progress)
{
    QList<int> indexes(count);
    std::iota(indexes.begin(), indexes.end(), 0);
    return QtConcurrent::blockingMapped(indexes, [&](int index) {
        auto rendered = render(index);
        const int n = ++done;
        if (progress)
            progress(n, total);
        return rendered;
    });
}

template <typename Rendered>
Status firstError(const QList<Rendered> &rendered)
{
    for (const Rendered &r : rendered)
        if (!r.error.isEmpty())
            return makeError(ErrorCode::Io, r.error);
    return {};
}

Result<DemoReport> generateInto(store::Project &project, const QString &mediaDir, const DemoOptions &options,
                                 const ProgressFn &progress)
{
    const QString shapesDir = mediaDir + QStringLiteral("/shapes");
    const QString invoicesDir = mediaDir + QStringLiteral("/invoices");
    if (!QDir().mkpath(shapesDir) || !QDir().mkpath(invoicesDir))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot create the media folder").arg(mediaDir));
    std::atomic_int done = 0;
    const int total = options.shapes + options.invoices;
    const quint32 seed = options.seed;
    const QList<RenderedShapes> shapes = renderAll(
        options.shapes, [&](int i) { return renderShapes(seed, i, shapesDir); }, done, total, progress);
    if (Status st = firstError(shapes); !st)
        return st.error();
    const QList<RenderedInvoice> invoices = renderAll(
        options.invoices, [&](int i) { return renderInvoiceItem(seed, i, invoicesDir); }, done, total, progress);
    if (Status st = firstError(invoices); !st)
        return st.error();

    DemoWriter writer(project, seed);
    Status written = project.transaction([&]() -> Status {
        if (Status st = writer.writeClasses(); !st)
            return st;
        if (Status st = writer.writeShapes(shapes); !st)
            return st;
        return writer.writeInvoices(invoices);
    });
    if (!written)
        return written.error();
    return writer.report();
}

// The first folder on the way to dir that does not exist yet ("" when dir exists).
QString firstMissingFolder(const QString &dir)
{
    QString missing;
    for (QFileInfo at(dir); !at.exists(); at = QFileInfo(at.absolutePath())) {
        missing = at.absoluteFilePath();
        if (at.isRoot())
            break;
    }
    return missing;
}

// Removes what a failed generation wrote. Empty paths are skipped (QDir("") is the working folder).
void removeDemo(const QString &projectPath, const QString &mediaDir, const QString &createdFolder)
{
    if (!projectPath.isEmpty())
        for (const char *suffix : {"", "-wal", "-shm"})
            QFile::remove(projectPath + QLatin1String(suffix));
    for (const QString &dir : {mediaDir, createdFolder})
        if (!dir.isEmpty())
            QDir(dir).removeRecursively();
}

} // namespace

Result<DemoReport> generateDemo(const QString &projectPath, const DemoOptions &options, const ProgressFn &progress)
{
    if (options.shapes < 0 || options.invoices < 0)
        return makeError(ErrorCode::Usage, QStringLiteral("demo: the numbers of shapes and invoices cannot be negative"));
    const QFileInfo info(projectPath);
    const QString mediaDir = info.absolutePath() + QLatin1Char('/') + info.completeBaseName() + QStringLiteral("-media");
    if (info.exists())
        return makeError(ErrorCode::Conflict, QStringLiteral("%1: already exists").arg(projectPath));
    if (QFileInfo::exists(mediaDir))
        return makeError(ErrorCode::Conflict,
                         QStringLiteral("%1: already exists; the demo writes its media there").arg(mediaDir));
    const QString createdFolder = firstMissingFolder(info.absolutePath());
    if (!createdFolder.isEmpty() && !QDir().mkpath(info.absolutePath()))
        return makeError(ErrorCode::Io, QStringLiteral("%1: cannot create the folder").arg(info.absolutePath()));

    auto project = store::Project::create(projectPath);
    if (!project) {
        removeDemo({}, {}, createdFolder);
        return project.error();
    }
    Result<DemoReport> report = generateInto(**project, mediaDir, options, progress);
    project.value().reset();
    if (!report) {
        removeDemo(info.absoluteFilePath(), mediaDir, createdFolder);
        logger("labeling.demo")->warn("{}: demo not created: {}", str(projectPath), str(report.error().message));
        return report;
    }
    logger("labeling.demo")->info("{}: demo with {} images and {} invoices (seed {})", str(projectPath),
                                  report->images, report->invoices, options.seed);
    return report;
}

} // namespace annotune::labeling
