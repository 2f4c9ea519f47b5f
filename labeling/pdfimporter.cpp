#include "pdfimporter.h"

#include "core/logging.h"
#include "core/store/project.h"

#include <QFileInfo>
#include <poppler-qt6.h>

namespace annotune::labeling {

using namespace annotune::core;

namespace {

void logPopplerMessage(const QString &message, const QVariant &)
{
    logger("labeling.pdf")->debug("poppler: {}", str(message));
}

// A PDF being turned into a DocumentRecord; files lists the page images written so far.
struct PdfJob {
    DocumentRecord record;
    QStringList files;
    QVector<int> ocrPages; // indexes of pages without a text layer
};

// Opens path; an error names the file and why it cannot be read.
Result<std::unique_ptr<Poppler::Document>> openPdf(const QString &path)
{
    if (QFileInfo(path).size() == 0)
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: empty file (0 bytes), not a PDF").arg(path));
    std::unique_ptr<Poppler::Document> doc = Poppler::Document::load(path);
    if (!doc)
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: not a PDF or damaged (Poppler cannot open it)").arg(path));
    if (doc->isLocked())
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: encrypted (password protected); remove the "
                                                             "password and import it again").arg(path));
    if (doc->numPages() <= 0)
        return makeError(ErrorCode::BadInput, QStringLiteral("%1: the PDF has no pages").arg(path));
    doc->setRenderHint(Poppler::Document::Antialiasing);
    doc->setRenderHint(Poppler::Document::TextAntialiasing);
    return doc;
}

// Typographic ligatures (U+FB00..FB06: ff, fi, fl, ffi, ffl, st) spelled out, as a reader types them.
QString withoutLigatures(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (QChar c : text)
        out += (c.unicode() >= 0xFB00 && c.unicode() <= 0xFB06) ? QString(c).normalized(QString::NormalizationForm_KC)
                                                                 : QString(c);
    return out;
}

// The page's text-layer words in pixels at dpi, in the PDF's reading order.
QVector<Word> textLayerWords(const Poppler::Page &page, int dpi)
{
    const double scale = dpi / 72.0;
    QVector<Word> words;
    for (const std::unique_ptr<Poppler::TextBox> &box : page.textList()) {
        const QString text = withoutLigatures(box->text()).trimmed();
        if (text.isEmpty())
            continue;
        const QRectF r = box->boundingBox();
        Word w;
        w.index = int(words.size());
        w.text = text;
        w.box = QRectF(r.x() * scale, r.y() * scale, r.width() * scale, r.height() * scale);
        w.source = WordSource::TextLayer;
        words.append(w);
    }
    return words;
}

// Renders and saves every page and takes its text layer; pages without one are marked for OCR.
Status renderPages(store::Project &project, Poppler::Document &pdf, const PdfImportOptions &options, PdfJob &job)
{
    const QString folder = documentMediaFolder(project, job.record.sha256);
    for (int p = 0; p < pdf.numPages(); ++p) {
        std::unique_ptr<Poppler::Page> page = pdf.page(p);
        const QImage image = page ? page->renderToImage(options.dpi, options.dpi) : QImage();
        if (image.isNull())
            return makeError(ErrorCode::BadInput, QStringLiteral("%1: page %2 cannot be rendered (damaged)")
                                                      .arg(job.record.sourcePath).arg(p + 1));
        const QString file = QStringLiteral("%1/page-%2.png").arg(folder).arg(p + 1, 3, 10, QLatin1Char('0'));
        auto probe = savePageImage(image, file, job.record.sha256, p);
        if (!probe)
            return probe.error();
        job.files << file;
        PageRecord record{*probe, textLayerWords(*page, options.dpi)};
        if (record.words.isEmpty())
            job.ocrPages << p;
        job.record.pages.append(record);
    }
    return {};
}

// Reads the pages without a text layer by OCR, in parallel; records a note for pages with no text.
Status readScannedPages(PdfJob &job, const PdfImportOptions &options, DocumentImportReport &report,
                        const CancelFlag *cancel)
{
    if (job.ocrPages.isEmpty())
        return {};
    QVector<OcrSource> sources;
    for (int p : job.ocrPages)
        sources.append(OcrSource{job.files[p], 0, double(options.dpi)});
    auto read = recognizePages(sources, options.ocr, {}, cancel);
    if (!read)
        return read.error();
    for (int k = 0; k < job.ocrPages.size(); ++k) {
        const OcrPage &page = read->at(k);
        const int p = job.ocrPages[k];
        if (!page.error.isEmpty())
            return makeError(ErrorCode::BadInput, QStringLiteral("%1: page %2: %3").arg(job.record.sourcePath).arg(p + 1).arg(page.error));
        job.record.pages[p].words = page.words;
        if (!page.note.isEmpty())
            report.notes << QStringLiteral("%1 page %2: %3").arg(job.record.sourcePath).arg(p + 1).arg(page.note);
    }
    report.ocrPages += int(job.ocrPages.size());
    return {};
}

// Imports one PDF; on any failure removes the page images it wrote and returns the error.
Status importOne(store::Project &project, const QString &path, const PdfImportOptions &options,
                 DocumentImportReport &report, const CancelFlag *cancel)
{
    PdfJob job;
    job.record.sourcePath = QFileInfo(path).absoluteFilePath();
    auto sha = fileSha256(path);
    if (!sha)
        return sha.error();
    job.record.sha256 = *sha;
    auto known = alreadyImported(project, *sha);
    if (!known)
        return known.error();
    if (*known) {
        ++report.duplicates;
        return {};
    }
    auto pdf = openPdf(path);
    if (!pdf)
        return pdf.error();
    const int notesBefore = int(report.notes.size());
    Status st = renderPages(project, **pdf, options, job);
    if (st)
        st = readScannedPages(job, options, report, cancel);
    Result<Id> id = st ? storeDocument(project, job.record) : Result<Id>(st.error());
    if (!id) {
        removePageImages(job.files);
        report.notes.erase(report.notes.begin() + notesBefore, report.notes.end());
        return id.error();
    }
    report.documents.append(*id);
    report.pages += int(job.record.pages.size());
    for (const PageRecord &page : job.record.pages)
        report.words += page.words.size();
    return {};
}

} // namespace

Result<DocumentImportReport> importPdfs(store::Project &project, const QStringList &paths,
                                        const PdfImportOptions &options, const ProgressFn &progress,
                                        const CancelFlag *cancel)
{
    if (options.dpi < 36 || options.dpi > 1200)
        return makeError(ErrorCode::Usage, QStringLiteral("--dpi %1: expected 36 to 1200").arg(options.dpi));
    Poppler::setDebugErrorFunction(logPopplerMessage, {});
    DocumentImportReport report;
    for (int i = 0; i < paths.size(); ++i) {
        if (cancelled(cancel))
            return makeError(ErrorCode::Cancelled, QStringLiteral("PDF import cancelled after %1 of %2 files")
                                                       .arg(i).arg(paths.size()));
        Status st = importOne(project, paths[i], options, report, cancel);
        if (!st && (st.error().code == ErrorCode::Cancelled || st.error().code == ErrorCode::NotFound
                    || st.error().code == ErrorCode::Usage))
            return st.error();
        if (!st)
            report.failed << st.error().message;
        if (progress)
            progress(i + 1, paths.size());
    }
    logger("labeling.import")->info("PDF import: {} documents, {} pages ({} by OCR), {} failed", report.documents.size(),
                                    report.pages, report.ocrPages, report.failed.size());
    return report;
}

} // namespace annotune::labeling
