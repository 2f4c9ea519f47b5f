// Interchange benchmark: a synthetic COCO file of 100,000 images and 1,000,000 annotations (boxes,
// every fifth one a polygon) imported into a project whose items are already there, then exported
// again. Prints read + import time, collect + write time and the peak memory each adds, as a
// multiple of the file's size.
// Targets (issue "COCO"): import <= 5 s, export <= 3 s, peak extra memory <= 3x the file size.
// Usage: format_bench [images] [annotations per image] [folder]

#include "core/formats/coco.h"
#include "core/formats/datasetexport.h"
#include "core/formats/datasetimport.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <cstdio>
#include <malloc.h>
#include <sys/resource.h>
#include <random>

using namespace annotune::core;
using namespace annotune::core::formats;

namespace {

double seconds(const QElapsedTimer &t) { return t.nsecsElapsed() / 1e9; }

// CPU seconds (user + system) this process has used: on a shared machine a fairer clock than wall time.
double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// A /proc/self/status field in bytes (VmRSS, VmHWM).
qint64 statusBytes(const char *field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(qstrlen(field) + 1).trimmed().split(' ').first().toLongLong() * 1024;
    return 0;
}

// Starts a new peak: freed heap goes back to the system, then VmHWM falls back to the current
// resident size.
qint64 resetPeak()
{
    malloc_trim(0);
    QFile f(QStringLiteral("/proc/self/clear_refs"));
    if (f.open(QIODevice::WriteOnly))
        f.write("5");
    return statusBytes("VmRSS:");
}

QString fileName(int i) { return QStringLiteral("images/%1/%2.jpg").arg(i / 1000, 3, 10, QLatin1Char('0')).arg(i, 6, 10, QLatin1Char('0')); }

bool writeCocoFile(const QString &path, int images, int perImage)
{
    std::FILE *f = std::fopen(QFile::encodeName(path).constData(), "w");
    if (!f)
        return false;
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> pos(0, 1700), size(5, 200);
    std::fputs("{\"info\":{},\"categories\":[", f);
    for (int c = 0; c < 20; ++c)
        std::fprintf(f, "%s{\"id\":%d,\"name\":\"class%d\",\"supercategory\":\"\"}", c ? "," : "", c + 1, c);
    std::fputs("],\"images\":[", f);
    for (int i = 0; i < images; ++i)
        std::fprintf(f, "%s{\"id\":%d,\"file_name\":\"%s\",\"width\":1920,\"height\":1080}", i ? "," : "", i + 1, qPrintable(fileName(i)));
    std::fputs("],\"annotations\":[", f);
    qint64 id = 0;
    for (int i = 0; i < images; ++i)
        for (int k = 0; k < perImage; ++k) {
            const double x = pos(rng), y = pos(rng) * 0.5, w = size(rng), h = size(rng);
            std::fprintf(f, "%s{\"id\":%lld,\"image_id\":%d,\"category_id\":%d,\"bbox\":[%.2f,%.2f,%.2f,%.2f],\"area\":%.2f,\"iscrowd\":0,\"segmentation\":",
                         id ? "," : "", static_cast<long long>(id + 1), i + 1, int(rng() % 20) + 1, x, y, w, h, w * h);
            if (id % 5 == 0)
                std::fprintf(f, "[[%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f]]}", x, y, x + w / 2, y, x + w, y + h / 3, x + w, y + h,
                             x + w / 2, y + h, x, y + h / 2);
            else
                std::fputs("[]}", f);
            ++id;
        }
    std::fputs("]}\n", f);
    return std::fclose(f) == 0;
}

int fail(const QString &message)
{
    std::fprintf(stderr, "format_bench: %s\n", qPrintable(message));
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int images = argc > 1 ? std::atoi(argv[1]) : 100000;
    const int perImage = argc > 2 ? std::atoi(argv[2]) : 10;
    QTemporaryDir tmp(argc > 3 ? QString::fromLocal8Bit(argv[3]) + QStringLiteral("/format_bench-XXXXXX") : QString());
    const QString json = tmp.filePath(QStringLiteral("instances.json"));
    if (!writeCocoFile(json, images, perImage))
        return fail(json + QStringLiteral(": cannot write"));
    const double fileMb = QFileInfo(json).size() / 1e6;

    auto p = store::Project::create(tmp.filePath(QStringLiteral("bench.annotune")));
    if (!p)
        return fail(p.error().message);
    store::Project &project = **p;
    QVector<Item> items;
    for (int i = 0; i < images; ++i) {
        Item it;
        it.path = fileName(i);
        it.sha256 = QStringLiteral("%1").arg(i, 64, 16, QLatin1Char('0'));
        it.width = 1920;
        it.height = 1080;
        items << it;
    }
    if (auto ids = project.items().insertMany(items, project.author()); !ids)
        return fail(ids.error().message);
    items.clear();
    items.squeeze();

    qint64 base = resetPeak();
    QElapsedTimer t;
    t.start();
    double cpu = cpuSeconds();
    auto ds = readCoco(json, {});
    if (!ds)
        return fail(ds.error().message);
    const double readS = seconds(t);
    const double readPeak = (statusBytes("VmHWM:") - base) / 1e6;
    ImportOptions options;
    options.imagesRoot = project.folder();
    auto report = applyImport(project, *ds, options);
    if (!report)
        return fail(report.error().message);
    ds = Dataset{};
    const double importS = seconds(t);
    const double importCpu = cpuSeconds() - cpu;
    const double importPeak = (statusBytes("VmHWM:") - base) / 1e6;

    base = resetPeak();
    t.restart();
    cpu = cpuSeconds();
    auto collected = collectDataset(project, {});
    if (!collected)
        return fail(collected.error().message);
    const double collectS = seconds(t);
    auto written = writeCoco(*collected, tmp.filePath(QStringLiteral("out.json")), {});
    if (!written)
        return fail(written.error().message);
    const double exportS = seconds(t);
    const double exportCpu = cpuSeconds() - cpu;
    const double exportPeak = (statusBytes("VmHWM:") - base) / 1e6;

    std::printf("COCO file: %d images, %lld annotations, %.1f MB\n", images, static_cast<long long>(report->labels), fileMb);
    std::printf("read + import: %.2f s wall, %.2f s CPU (read %.2f s; target <= 5 s); %d items matched\n", importS, importCpu, readS,
                report->itemsMatched);
    std::printf("  peak extra memory %.0f MB = %.2fx the file (after reading: %.0f MB = %.2fx; target <= 3x)\n", importPeak,
                importPeak / fileMb, readPeak, readPeak / fileMb);
    std::printf("collect + write: %.2f s wall, %.2f s CPU (collect %.2f s; target <= 3 s); %lld labels written\n", exportS, exportCpu,
                collectS, static_cast<long long>(written->labels));
    std::printf("  peak extra memory %.0f MB = %.2fx the file (target <= 3x)\n", exportPeak, exportPeak / fileMb);
    return 0;
}
