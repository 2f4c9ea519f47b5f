// COCO evaluation benchmark on a val2017-sized bbox case: 5,000 images, 36,000 ground-truth boxes
// over 80 categories, 100 detections per image, written as JSON files to a temporary folder.
// Times reading both files + evaluate + accumulate + summarize and measures the peak extra memory
// (VmHWM from /proc/self/status). Target (issue 7): <= 1 s on 2 cores, < 500 MB.
// Usage: eval_bench [images] [threads]

#include "core/eval/cocojson.h"
#include "core/eval/cocosummary.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>
#include <ctime>
#include <random>
#include <thread>

using namespace annotune::core::eval;

namespace {

constexpr int kCategories = 80;
constexpr double kWidth = 640, kHeight = 480;

struct Box {
    int category;
    double x, y, w, h;
};

// Peak resident set size so far, in MB.
double peakMb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    return -1;
}

Box randomBox(std::mt19937 &rng)
{
    std::uniform_real_distribution<double> size(4, 300), unit(0, 1);
    const double w = size(rng), h = size(rng) * 0.8;
    return {static_cast<int>(rng() % kCategories) + 1, unit(rng) * (kWidth - w), unit(rng) * (kHeight - h), w, h};
}

// Writes gt and dt files; 36,000 gt boxes over `images` images, about 7 per image when 5,000.
void writeFiles(const QString &gtPath, const QString &dtPath, int images)
{
    std::mt19937 rng(7);
    FILE *gt = std::fopen(gtPath.toLocal8Bit().constData(), "w");
    FILE *dt = std::fopen(dtPath.toLocal8Bit().constData(), "w");
    std::fprintf(gt, "{\"images\":[");
    for (int i = 1; i <= images; ++i)
        std::fprintf(gt, "%s{\"id\":%d,\"width\":640,\"height\":480,\"file_name\":\"%012d.jpg\"}", i > 1 ? "," : "", i, i);
    std::fprintf(gt, "],\"categories\":[");
    for (int k = 1; k <= kCategories; ++k)
        std::fprintf(gt, "%s{\"id\":%d,\"name\":\"class%d\"}", k > 1 ? "," : "", k, k);
    std::fprintf(gt, "],\"annotations\":[");
    std::fprintf(dt, "[");
    const long gtTotal = 36000L * images / 5000;
    std::normal_distribution<double> jitter(0, 0.08);
    std::uniform_real_distribution<double> unit(0, 1);
    long annId = 0;
    bool firstDt = true;
    for (int i = 1; i <= images; ++i) {
        const long count = gtTotal * i / images - gtTotal * (i - 1) / images;
        std::vector<Box> boxes;
        for (long n = 0; n < count; ++n) {
            const Box b = randomBox(rng);
            boxes.push_back(b);
            std::fprintf(gt, "%s{\"id\":%ld,\"image_id\":%d,\"category_id\":%d,\"bbox\":[%.2f,%.2f,%.2f,%.2f],\"area\":%.2f,\"iscrowd\":%d}",
                         annId ? "," : "", annId + 1, i, b.category, b.x, b.y, b.w, b.h, b.w * b.h, (annId % 100 == 99) ? 1 : 0);
            ++annId;
        }
        for (int d = 0; d < 100; ++d) {
            Box b = randomBox(rng);
            if (!boxes.empty() && d < 3 * static_cast<int>(boxes.size())) { // near a ground truth, sometimes the wrong class
                const Box &g = boxes[d % boxes.size()];
                b = {unit(rng) < 0.8 ? g.category : b.category, g.x + jitter(rng) * g.w, g.y + jitter(rng) * g.h,
                     g.w * (1 + jitter(rng)), g.h * (1 + jitter(rng))};
            }
            std::fprintf(dt, "%s{\"image_id\":%d,\"category_id\":%d,\"bbox\":[%.2f,%.2f,%.2f,%.2f],\"score\":%.5f}",
                         firstDt ? "" : ",", i, b.category, b.x, b.y, b.w, b.h, unit(rng));
            firstDt = false;
        }
    }
    std::fprintf(gt, "]}\n");
    std::fprintf(dt, "]\n");
    std::fclose(gt);
    std::fclose(dt);
}

double ms(const QElapsedTimer &t) { return t.nsecsElapsed() / 1e6; }

// CPU time of the process (all threads), in seconds: on a shared machine wall time also counts waiting.
double cpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int images = argc > 1 ? std::atoi(argv[1]) : 5000;
    const int threads = argc > 2 ? std::atoi(argv[2]) : 2;
    QTemporaryDir tmp;
    const QString gtPath = tmp.filePath(QStringLiteral("gt.json")), dtPath = tmp.filePath(QStringLiteral("dt.json"));
    writeFiles(gtPath, dtPath, images);
    std::printf("eval_bench: %d images, files %.1f MB + %.1f MB, %d threads (%u cores)\n", images,
                QFile(gtPath).size() / 1e6, QFile(dtPath).size() / 1e6, threads, std::thread::hardware_concurrency());

    const double before = peakMb();
    const double cpuBefore = cpuSeconds();
    QElapsedTimer total, step;
    total.start();
    step.start();
    auto gt = readCocoGroundTruth(gtPath);
    const double readGt = ms(step);
    step.restart();
    auto dt = readCocoDetections(dtPath);
    const double readDt = ms(step);
    if (!gt || !dt) {
        std::fprintf(stderr, "eval_bench: %s\n", qPrintable(!gt ? gt.error().message : dt.error().message));
        return 2;
    }
    const double readCpu = cpuSeconds() - cpuBefore;
    step.restart();
    CocoParams params;
    params.threads = threads;
    auto ev = evaluateCoco(*gt, *dt, params);
    const double evaluate = ms(step);
    if (!ev) {
        std::fprintf(stderr, "eval_bench: %s\n", qPrintable(ev.error().message));
        return 2;
    }
    step.restart();
    const auto stats = summarize(*ev);
    const double summary = ms(step), all = ms(total);
    const double extra = peakMb() - before;
    const double cpu = cpuSeconds() - cpuBefore;

    std::printf("  %zu gt, %zu detections\n", gt->annotations.size(), dt->detections.size());
    for (const CocoStat &s : stats)
        std::printf("  %s\n", qPrintable(formatStat(s, params)));
    std::printf("  read gt %.0f ms, read dt %.0f ms, evaluate + accumulate %.0f ms, summarize %.1f ms (wall)\n", readGt, readDt, evaluate, summary);
    std::printf("  CPU: reading %.3f s (one thread), evaluating %.3f s (all threads)\n", readCpu, cpu - readCpu);
    std::printf("  total %.3f s wall, %.3f s CPU (target <= 1 s wall on 2 cores), peak extra memory %.0f MB (target < 500 MB)\n",
                all / 1000, cpu, extra);
    std::printf("  reference (issue 7, 2-core machine): pycocotools 86 s / 2.4 GB, faster-coco-eval 14 s / 1.2 GB\n");
    return 0;
}
