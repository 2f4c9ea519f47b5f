#include "scanimporter.h"

#include "core/logging.h"
#include "core/store/project.h"

#include <QDirIterator>
#include <QFileInfo>
#include <QImageReader>
#include <QSet>

namespace annotune::labeling {

using namespace annotune::core;

namespace {

// One scan file on its way in: its pages (image files, extracted ones listed in files) and the
// range of OCR sources that are its pages.
struct ScanJob {
    DocumentRecord record;
    QStringList files;
    int firstSource = 0;
    QString error;
};

QStringList scanFiles(const QString &dir)
{
    QStringList filters;
    for (const QString &s : scanSuffixes())
        filters << QStringLiteral("*.") + s << QStringLiteral("*.") + s.toUpper();
    QStringList out;
    QDirIterator it(dir, filters, QDir::Files | QDir::Readable, QDirIterator::Subdirectories);
    while (it.hasNext())
        out << it.next();
    out.removeDuplicates();
    out.sort();
    return out;
}

// Saves the frames of a multi-page file as PNG pages beside the project.
Status extractFrames(store::Project &project, QImageReader &reader, int count, ScanJob &job)
{
    const QString folder = documentMediaFolder(project, job.record.sha256);
    for (int f = 0; f < count; ++f) {
        if (f > 0 && !reader.jumpToImage(f))
            return makeError(ErrorCode::BadInput, QStringLiteral("%1: page %2 cannot be read").arg(job.record.sourcePath).arg(f + 1));
        const QImage image = reader.read();
        if (image.isNull())
            return makeError(ErrorCode::BadInput, QStringLiteral("%1: page %2 cannot be decoded (%3)")
                                                      .arg(job.record.sourcePath).arg(f + 1).arg(reader.errorString()));
        const QString file = QStringLiteral("%1/page-%2.png").arg(folder).arg(f + 1, 3, 10, QLatin1Char('0'));
        auto probe = savePageImage(image, file, job.record.sha256, f);
        if (!probe)
            return probe.error();
        job.files << file;
        job.record.pages.append(PageRecord{*probe, {}});
    }
    return {};
}

// Lays out one file's pages: the file itself when it has one page, extracted PNGs otherwise.
Status preparePages(store::Project &project, ScanJob &job)
{
    QImageReader reader(job.record.sourcePath);
    reader.setAutoTransform(true);
    if (!reader.canRead())
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: not a readable image (%2)")
                                                  .arg(job.record.sourcePath, reader.errorString()));
    const int count = qMax(1, reader.imageCount());
    if (count > 1)
        return extractFrames(project, reader, count, job);
    MediaProbe probe = probeImage(job.record.sourcePath);
    if (!probe.error.isEmpty())
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: %2").arg(job.record.sourcePath, probe.error));
    job.record.pages.append(PageRecord{probe, {}});
    return {};
}

// Hashes and lays out every file; duplicates and unreadable files are counted in report.
Result<QVector<ScanJob>> prepareJobs(store::Project &project, const QStringList &files, DocumentImportReport &report)
{
    QVector<ScanJob> jobs;
    QSet<QString> seen;
    for (const QString &path : files) {
        ScanJob job;
        job.record.sourcePath = QFileInfo(path).absoluteFilePath();
        auto sha = fileSha256(path);
        auto known = sha ? alreadyImported(project, *sha) : Result<bool>(sha.error());
        if (!known && known.error().code != ErrorCode::Io)
            return known.error();
        if (known && !*known && seen.contains(*sha))
            known = true;
        if (!known || *known) {
            known ? void(++report.duplicates) : void(report.failed << known.error().message);
            continue;
        }
        job.record.sha256 = *sha;
        seen.insert(*sha);
        if (Status st = preparePages(project, job); !st) {
            removePageImages(job.files);
            report.failed << st.error().message;
            continue;
        }
        jobs.append(job);
    }
    return jobs;
}

// Stores each job whose pages were all read, each in its own transaction; failures go to report.
void storeJobs(store::Project &project, QVector<ScanJob> &jobs, DocumentImportReport &report)
{
    for (ScanJob &job : jobs) {
        Result<Id> id = job.error.isEmpty() ? storeDocument(project, job.record)
                                            : Result<Id>(makeError(ErrorCode::BadInput, job.error));
        if (!id) {
            removePageImages(job.files);
            report.failed << id.error().message;
            continue;
        }
        report.documents.append(*id);
        report.pages += int(job.record.pages.size());
        report.ocrPages += int(job.record.pages.size());
        for (const PageRecord &page : job.record.pages)
            report.words += page.words.size();
    }
}

} // namespace

const QStringList &scanSuffixes()
{
    static const QStringList suffixes{QStringLiteral("png"), QStringLiteral("jpg"), QStringLiteral("jpeg"),
                                      QStringLiteral("tif"), QStringLiteral("tiff")};
    return suffixes;
}

Result<DocumentImportReport> importScans(store::Project &project, const QString &dir, const OcrOptions &options,
                                         const ProgressFn &progress, const CancelFlag *cancel)
{
    if (!QFileInfo(dir).isDir())
        return makeError(ErrorCode::NotFound, QStringLiteral("%1: no such folder").arg(dir));
    if (Status lang = checkOcrLanguage(options.language); !lang)
        return lang.error();
    DocumentImportReport report;
    auto jobs = prepareJobs(project, scanFiles(dir), report);
    if (!jobs)
        return jobs.error();
    QVector<OcrSource> sources;
    for (ScanJob &job : *jobs) {
        job.firstSource = int(sources.size());
        for (const PageRecord &page : job.record.pages)
            sources.append(OcrSource{page.probe.path, 0, 0});
    }
    auto read = recognizePages(sources, options, progress, cancel);
    if (!read) {
        for (const ScanJob &job : *jobs)
            removePageImages(job.files);
        return read.error();
    }
    for (ScanJob &job : *jobs) {
        for (int p = 0; p < job.record.pages.size(); ++p) {
            const OcrPage &page = read->at(job.firstSource + p);
            if (!page.error.isEmpty() && job.error.isEmpty())
                job.error = page.error;
            job.record.pages[p].words = page.words;
            if (!page.note.isEmpty())
                report.notes << QStringLiteral("%1 page %2: %3").arg(job.record.sourcePath).arg(p + 1).arg(page.note);
        }
    }
    storeJobs(project, *jobs, report);
    logger("labeling.import")->info("{}: {} scanned documents, {} pages, {} failed", str(dir), report.documents.size(),
                                    report.pages, report.failed.size());
    return report;
}

} // namespace annotune::labeling
