// OCR throughput: pages per second of a scan import (pages read in parallel, one single-threaded
// Tesseract engine per core) against the tesseract command-line tool run page by page on the same
// pages in the same run (same language, page segmentation mode and engine). Prints both rates and
// their ratio.
//   ocr_bench [pages]   (default 12)

#include "../common/syntheticpages.h"
#include "core/store/project.h"
#include "labeling/ocr.h"
#include "labeling/scanimporter.h"

#include <QDir>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <cstdio>

using namespace annotune;

namespace {

const QSize kPageSize(2550, 1650); // 8.5 x 5.5 inches at 300 DPI
constexpr qreal kFontPx = 58;      // DejaVu Sans 14 pt at 300 DPI

// Runs the tesseract tool on each page in turn (TSV output: words with boxes, like the import);
// returns seconds, or -1 when it fails.
double runTesseractCli(const QString &tool, const QStringList &pages)
{
    QElapsedTimer timer;
    timer.start();
    for (const QString &page : pages) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("OMP_THREAD_LIMIT")); // the tool as a user runs it: its own OpenMP threads
        p.setProcessEnvironment(env);
        p.start(tool, {page, QStringLiteral("stdout"), QStringLiteral("-l"), QStringLiteral("eng"), QStringLiteral("--psm"),
                       QStringLiteral("3"), QStringLiteral("--oem"), QStringLiteral("1"), QStringLiteral("tsv")});
        if (!p.waitForFinished(120000) || p.exitCode() != 0) {
            std::fprintf(stderr, "ocr_bench: tesseract failed on %s: %s\n", qPrintable(page), p.readAllStandardError().constData());
            return -1;
        }
    }
    return timer.nsecsElapsed() / 1e9;
}

} // namespace

int main(int argc, char **argv)
{
    labeling::ensureSingleThreadedOcr(argv);
    QGuiApplication app(argc, argv);
    const int pages = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 12;
    const QString tool = QStandardPaths::findExecutable(QStringLiteral("tesseract"));
    if (tool.isEmpty()) {
        std::fprintf(stderr, "ocr_bench: the tesseract tool is not installed (Debian package tesseract-ocr)\n");
        return 1;
    }
    QTemporaryDir dir;
    const QString scans = dir.filePath(QStringLiteral("scans"));
    QDir().mkpath(scans);
    QStringList files;
    for (int i = 0; i < pages; ++i) {
        files << QStringLiteral("%1/page-%2.png").arg(scans).arg(i, 3, 10, QLatin1Char('0'));
        testing::textPage(kPageSize, kFontPx, i * 5, 8).save(files.last());
    }
    auto project = core::store::Project::create(dir.filePath(QStringLiteral("bench.annotune")));
    if (!project) {
        std::fprintf(stderr, "ocr_bench: %s\n", qPrintable(project.error().message));
        return 2;
    }
    QElapsedTimer timer;
    timer.start();
    auto report = labeling::importScans(**project, scans);
    const double ours = timer.nsecsElapsed() / 1e9;
    if (!report || report->pages != pages) {
        std::fprintf(stderr, "ocr_bench: import failed: %s\n", report ? qPrintable(QStringLiteral("%1 pages, %2 duplicates; %3").arg(report->pages).arg(report->duplicates).arg(report->failed.join(QLatin1Char(' ')))) : qPrintable(report.error().message));
        return 2;
    }
    const double cli = runTesseractCli(tool, files);
    if (cli < 0)
        return 2;
    std::printf("ocr_bench: %d pages %dx%d, %lld words, %d cores, OMP_THREAD_LIMIT=%s in the import\n", pages,
                kPageSize.width(), kPageSize.height(), static_cast<long long>(report->words), QThread::idealThreadCount(),
                qgetenv("OMP_THREAD_LIMIT").constData());
    std::printf("  import scans (parallel, one engine per core): %.2f pages/s (%.2f s)\n", pages / ours, ours);
    std::printf("  tesseract CLI, page by page:                  %.2f pages/s (%.2f s)\n", pages / cli, cli);
    std::printf("  ratio: %.2f (target >= 1.5 on 2 cores)\n", cli / ours);
    return 0;
}
