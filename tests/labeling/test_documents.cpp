// Document ingest: PDF text layers with their boxes, OCR for pages without one, clear messages for
// encrypted, damaged and empty PDFs with nothing half-imported, scans and multi-page TIFFs read
// by Tesseract, unknown OCR languages and cancel.

#include "../common/projectstate.h"
#include "../common/syntheticpages.h"
#include "core/store/annotationrepository.h"
#include "core/store/itemrepository.h"
#include "core/store/project.h"
#include "labeling/pdfimporter.h"
#include "labeling/scanimporter.h"

#include <QDirIterator>
#include <QPdfWriter>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#ifdef ANNOTUNE_HAVE_LIBTIFF
#include <tiffio.h>
#endif

using namespace annotune;
using namespace annotune::core;
using testing::KnownWord;

namespace {

constexpr int kDpi = 150;
constexpr qreal kPdfFontPt = 12;
const QSize kScanSize(2550, 1650); // 8.5 x 5.5 inches at 300 DPI
constexpr qreal kScanFontPx = 58;  // 14 pt at 300 DPI

// One page of a test PDF: lines of text drawn as text, or the same drawn as a picture only.
struct PdfPage {
    bool asImage = false;
    int firstWord = 0;
};

// Writes a Letter PDF (72 units per inch, no margins); returns the expected words per page in
// pixels at kDpi.
QVector<QVector<KnownWord>> writePdf(const QString &path, const QVector<PdfPage> &pages)
{
    QPdfWriter writer(path);
    writer.setResolution(72);
    writer.setPageSize(QPageSize(QPageSize::Letter));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    QPainter p(&writer);
    QVector<QVector<KnownWord>> out;
    const qreal scale = kDpi / 72.0;
    for (int i = 0; i < pages.size(); ++i) {
        if (i > 0)
            writer.newPage();
        QVector<KnownWord> words;
        if (pages[i].asImage) {
            p.drawImage(QRectF(0, 0, 612, 396), testing::textPage(kScanSize, kScanFontPx, pages[i].firstWord, 6, &words));
            for (KnownWord &w : words)
                w.box = QRectF(w.box.topLeft() * kDpi / 300.0, w.box.size() * kDpi / 300.0);
        } else {
            const QFont font = testing::pageFont(kPdfFontPt);
            p.setFont(font);
            words = testing::layoutWords(font, 612, 792, 72, pages[i].firstWord, 10,
                                         [&](const QString &w, qreal x, qreal y) { p.drawText(QPointF(x, y), w); });
            for (KnownWord &w : words)
                w.box = QRectF(w.box.topLeft() * scale, w.box.size() * scale);
        }
        out.append(words);
    }
    return out;
}

void writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

int filesUnder(const QString &dir)
{
    int n = 0;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        ++n;
    }
    return n;
}

#ifdef ANNOTUNE_HAVE_LIBTIFF
// A multi-page grayscale TIFF, one directory per image.
bool writeTiff(const QString &path, const QVector<QImage> &pages)
{
    TIFF *t = TIFFOpen(QFile::encodeName(path).constData(), "w");
    if (!t)
        return false;
    for (int i = 0; i < pages.size(); ++i) {
        const QImage &img = pages[i];
        TIFFSetField(t, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
        TIFFSetField(t, TIFFTAG_PAGENUMBER, i, int(pages.size()));
        TIFFSetField(t, TIFFTAG_IMAGEWIDTH, img.width());
        TIFFSetField(t, TIFFTAG_IMAGELENGTH, img.height());
        TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
        TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
        TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
        TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
        TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
        TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 64);
        TIFFSetField(t, TIFFTAG_XRESOLUTION, 300.0f);
        TIFFSetField(t, TIFFTAG_YRESOLUTION, 300.0f);
        TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
        for (int y = 0; y < img.height(); ++y)
            if (TIFFWriteScanline(t, const_cast<uchar *>(img.constScanLine(y)), y, 0) < 0)
                return TIFFClose(t), false;
        TIFFWriteDirectory(t);
    }
    TIFFClose(t);
    return true;
}
#endif

} // namespace

class TestDocuments : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_projects = 0;

    std::unique_ptr<store::Project> newProject()
    {
        auto p = store::Project::create(m_dir.filePath(QStringLiteral("p%1.annotune").arg(++m_projects)));
        if (!p)
            qFatal("%s", qPrintable(p.error().message));
        return std::move(p.value());
    }
    QString mediaDir(const store::Project &p) const { return p.folder() + QLatin1Char('/') + p.name() + QStringLiteral("-media"); }
    QString file(const QString &name) const { return m_dir.filePath(name); }

    QVector<Item> pagesOf(store::Project &p, Id document)
    {
        store::ItemFilter f;
        f.documentId = document;
        QVector<Item> out;
        [&] { QVERIFY(p.items().forEach(f, [&](const Item &it) { out.append(it); return true; })); }();
        return out;
    }

private Q_SLOTS:
    void textLayerWordsAndBoxesWithinAPixel();
    void pageWithoutTextLayerGoesToOcr();
    void badPdfsAreNamedAndTheOthersImport();
    void encryptedPdfIsRefused();
    void failedFileLeavesNothingBehind();
    void scansAreReadByOcr();
    void multiPageTiff();
    void unknownLanguageIsNamed();
    void cancelLeavesNothing();
};

void TestDocuments::textLayerWordsAndBoxesWithinAPixel()
{
    auto project = newProject();
    const QString pdf = file(QStringLiteral("text.pdf"));
    const auto expected = writePdf(pdf, {{false, 0}, {false, 11}});
    auto report = labeling::importPdfs(*project, {pdf});
    QVERIFY2(report, report ? "" : qPrintable(report.error().message));
    QVERIFY2(report->failed.isEmpty(), qPrintable(report->failed.join(QLatin1Char('\n'))));
    QCOMPARE(report->documents.size(), 1);
    QCOMPARE(report->pages, 2);
    QCOMPARE(report->ocrPages, 0);
    auto doc = project->items().document(report->documents.first());
    QVERIFY(doc);
    QCOMPARE(doc->pageCount, 2);
    const QVector<Item> pages = pagesOf(*project, doc->id);
    QCOMPARE(pages.size(), 2);
    for (int p = 0; p < 2; ++p) {
        QCOMPARE(pages[p].kind, ItemKind::DocumentPage);
        QCOMPARE(pages[p].pageNo, p);
        QCOMPARE(QSize(pages[p].width, pages[p].height), QSize(1275, 1650)); // Letter at 150 DPI
        const QString png = project->absoluteMediaPath(pages[p].path);
        QVERIFY2(png.startsWith(mediaDir(*project) + QStringLiteral("/documents/")), qPrintable(png));
        QVERIFY(png.endsWith(QStringLiteral("page-00%1.png").arg(p + 1)));
        auto words = project->annotations().words(pages[p].id);
        QVERIFY(words);
        QCOMPARE(words->size(), expected[p].size());
        for (int k = 0; k < words->size(); ++k) {
            const Word &w = words->at(k);
            const QRectF &e = expected[p][k].box;
            QCOMPARE(w.text, expected[p][k].text);
            QCOMPARE(w.source, WordSource::TextLayer);
            const qreal worst = qMax(qMax(qAbs(w.box.left() - e.left()), qAbs(w.box.right() - e.right())),
                                     qMax(qAbs(w.box.top() - e.top()), qAbs(w.box.bottom() - e.bottom())));
            QVERIFY2(worst <= 1.0, qPrintable(QStringLiteral("page %1 word %2 '%3': box off by %4 px").arg(p).arg(k)
                                                  .arg(w.text).arg(worst)));
        }
    }
}

void TestDocuments::pageWithoutTextLayerGoesToOcr()
{
    auto project = newProject();
    const QString pdf = file(QStringLiteral("mixed.pdf"));
    const auto expected = writePdf(pdf, {{false, 3}, {true, 5}});
    auto report = labeling::importPdfs(*project, {pdf});
    QVERIFY2(report, report ? "" : qPrintable(report.error().message));
    QCOMPARE(report->pages, 2);
    QCOMPARE(report->ocrPages, 1);
    const QVector<Item> pages = pagesOf(*project, report->documents.first());
    auto first = project->annotations().words(pages[0].id);
    auto scanned = project->annotations().words(pages[1].id);
    QVERIFY(first && scanned);
    QCOMPARE(first->first().source, WordSource::TextLayer);
    QVERIFY(!scanned->isEmpty());
    for (const Word &w : *scanned) {
        QCOMPARE(w.source, WordSource::Ocr);
        QVERIFY(w.confidence >= 0 && w.confidence <= 1);
    }
    const double share = testing::recognisedShare(expected[1], *scanned);
    QVERIFY2(share >= 0.95, qPrintable(QStringLiteral("%1 % of the words read").arg(share * 100)));
}

void TestDocuments::badPdfsAreNamedAndTheOthersImport()
{
    auto project = newProject();
    const QString good = file(QStringLiteral("good.pdf")), empty = file(QStringLiteral("empty.pdf")),
                  corrupt = file(QStringLiteral("corrupt.pdf")), missing = file(QStringLiteral("missing.pdf"));
    writePdf(good, {{false, 0}});
    writeBytes(empty, {});
    writeBytes(corrupt, QByteArray("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\ngarbage") + QByteArray(300, '\x07'));
    auto report = labeling::importPdfs(*project, {empty, good, corrupt, missing});
    QVERIFY2(report, report ? "" : qPrintable(report.error().message));
    QCOMPARE(report->documents.size(), 1);
    QCOMPARE(report->failed.size(), 3);
    QVERIFY(report->failed[0].startsWith(empty) && report->failed[0].contains(QStringLiteral("empty file")));
    QVERIFY2(report->failed[1].startsWith(corrupt) && report->failed[1].contains(QStringLiteral("damaged")),
             qPrintable(report->failed[1]));
    QVERIFY(report->failed[2].startsWith(missing));
    QCOMPARE(*project->items().count({}), qint64(1));
    QCOMPARE(filesUnder(mediaDir(*project)), 1); // the good file's one page
    // Importing the same file again skips it.
    auto again = labeling::importPdfs(*project, {good});
    QVERIFY(again);
    QCOMPARE(again->duplicates, 1);
    QCOMPARE(*project->items().count({}), qint64(1));
}

void TestDocuments::encryptedPdfIsRefused()
{
    const QString qpdf = QStandardPaths::findExecutable(QStringLiteral("qpdf"));
    if (qpdf.isEmpty())
        QSKIP("qpdf is not installed (Debian package qpdf): no way to make an encrypted PDF fixture");
    auto project = newProject();
    const QString plain = file(QStringLiteral("plain.pdf")), locked = file(QStringLiteral("locked.pdf"));
    writePdf(plain, {{false, 0}});
    QProcess proc;
    proc.start(qpdf, {QStringLiteral("--encrypt"), QStringLiteral("secret"), QStringLiteral("owner"), QStringLiteral("256"),
                      QStringLiteral("--"), plain, locked});
    QVERIFY(proc.waitForFinished(30000));
    QCOMPARE(proc.exitCode(), 0);
    const QByteArray before = testing::projectStateHash(*project);
    auto report = labeling::importPdfs(*project, {locked});
    QVERIFY(report);
    QCOMPARE(report->failed.size(), 1);
    QVERIFY2(report->failed[0].startsWith(locked) && report->failed[0].contains(QStringLiteral("encrypted")),
             qPrintable(report->failed[0]));
    QCOMPARE(testing::projectStateHash(*project), before);
    QCOMPARE(filesUnder(mediaDir(*project)), 0);
}

void TestDocuments::failedFileLeavesNothingBehind()
{
    // Pages are rendered and saved, then OCR fails for want of a model: nothing may stay.
    auto project = newProject();
    const QString pdf = file(QStringLiteral("needs-ocr.pdf"));
    writePdf(pdf, {{false, 0}, {true, 2}});
    const QByteArray before = testing::projectStateHash(*project);
    labeling::PdfImportOptions options;
    options.ocr.language = QStringLiteral("zzq");
    auto report = labeling::importPdfs(*project, {pdf}, options);
    QVERIFY(!report);
    QCOMPARE(report.error().code, ErrorCode::NotFound);
    QVERIFY2(report.error().message.contains(QStringLiteral("'zzq'")), qPrintable(report.error().message));
    QCOMPARE(testing::projectStateHash(*project), before);
    QCOMPARE(filesUnder(mediaDir(*project)), 0);
}

void TestDocuments::scansAreReadByOcr()
{
    auto project = newProject();
    const QString dir = file(QStringLiteral("scans"));
    QDir().mkpath(dir);
    QVector<QVector<KnownWord>> expected(3);
    for (int i = 0; i < 3; ++i)
        QVERIFY(testing::textPage(kScanSize, kScanFontPx, i * 9, 7, &expected[i]).save(QStringLiteral("%1/scan-%2.png").arg(dir).arg(i)));
    QImage blank(kScanSize, QImage::Format_Grayscale8);
    blank.fill(Qt::white);
    QVERIFY(blank.save(dir + QStringLiteral("/scan-3-blank.jpg")));
    std::atomic_int calls = 0;
    auto report = labeling::importScans(*project, dir, {}, [&](qint64, qint64 total) { ++calls; QCOMPARE(total, qint64(4)); });
    QVERIFY2(report, report ? "" : qPrintable(report.error().message));
    QVERIFY2(report->failed.isEmpty(), qPrintable(report->failed.join(QLatin1Char('\n'))));
    QCOMPARE(report->documents.size(), 4);
    QCOMPARE(calls.load(), 4);
    QCOMPARE(report->notes.size(), 1);
    QVERIFY(report->notes.first().contains(QStringLiteral("scan-3-blank.jpg page 1: no text found")));
    int hits = 0, total = 0;
    for (int i = 0; i < 4; ++i) {
        const QVector<Item> pages = pagesOf(*project, report->documents[i]);
        QCOMPARE(pages.size(), 1);
        auto words = project->annotations().words(pages.first().id);
        QVERIFY(words);
        if (i == 3) {
            QCOMPARE(words->size(), 0);
            continue;
        }
        hits += qRound(testing::recognisedShare(expected[i], *words) * expected[i].size());
        total += int(expected[i].size());
    }
    QVERIFY2(hits >= 0.95 * total, qPrintable(QStringLiteral("%1 of %2 words read").arg(hits).arg(total)));
    auto again = labeling::importScans(*project, dir);
    QVERIFY(again);
    QCOMPARE(again->duplicates, 4);
}

void TestDocuments::multiPageTiff()
{
#ifndef ANNOTUNE_HAVE_LIBTIFF
    QSKIP("libtiff headers not found at build time: no way to write a multi-page TIFF fixture");
#else
    auto project = newProject();
    const QString dir = file(QStringLiteral("tiff"));
    QDir().mkpath(dir);
    QVector<QVector<KnownWord>> expected(3);
    QVector<QImage> pages;
    for (int i = 0; i < 3; ++i)
        pages.append(testing::textPage(kScanSize, kScanFontPx, i * 5, 4, &expected[i]));
    QVERIFY(writeTiff(dir + QStringLiteral("/fax.tiff"), pages));
    auto report = labeling::importScans(*project, dir);
    QVERIFY2(report, report ? "" : qPrintable(report.error().message));
    QVERIFY2(report->failed.isEmpty(), qPrintable(report->failed.join(QLatin1Char('\n'))));
    QCOMPARE(report->documents.size(), 1);
    QCOMPARE(report->pages, 3);
    const QVector<Item> items = pagesOf(*project, report->documents.first());
    QCOMPARE(items.size(), 3);
    for (int p = 0; p < 3; ++p) {
        QCOMPARE(items[p].pageNo, p);
        QVERIFY(project->absoluteMediaPath(items[p].path).endsWith(QStringLiteral("page-00%1.png").arg(p + 1)));
        auto words = project->annotations().words(items[p].id);
        QVERIFY(words);
        const double share = testing::recognisedShare(expected[p], *words);
        QVERIFY2(share >= 0.95, qPrintable(QStringLiteral("page %1: %2 % of the words read").arg(p).arg(share * 100)));
    }
#endif
}

void TestDocuments::unknownLanguageIsNamed()
{
    auto project = newProject();
    const QString dir = file(QStringLiteral("lang"));
    QDir().mkpath(dir);
    QVERIFY(testing::textPage(kScanSize, kScanFontPx, 0, 2).save(dir + QStringLiteral("/a.png")));
    const QByteArray before = testing::projectStateHash(*project);
    labeling::OcrOptions options;
    options.language = QStringLiteral("klingon");
    auto report = labeling::importScans(*project, dir, options);
    QVERIFY(!report);
    QCOMPARE(report.error().code, ErrorCode::NotFound);
    QVERIFY2(report.error().message.contains(QStringLiteral("'klingon'")), qPrintable(report.error().message));
    options.language = QStringLiteral("eng; rm -rf");
    report = labeling::importScans(*project, dir, options);
    QVERIFY(!report);
    QCOMPARE(report.error().code, ErrorCode::Usage);
    QCOMPARE(testing::projectStateHash(*project), before);
}

void TestDocuments::cancelLeavesNothing()
{
    auto project = newProject();
    const QString dir = file(QStringLiteral("cancel"));
    QDir().mkpath(dir);
    QVector<QImage> pages{testing::textPage(kScanSize, kScanFontPx, 0, 2), testing::textPage(kScanSize, kScanFontPx, 4, 2)};
    QVERIFY(pages[0].save(dir + QStringLiteral("/a.png")));
#ifdef ANNOTUNE_HAVE_LIBTIFF
    QVERIFY(writeTiff(dir + QStringLiteral("/b.tif"), pages));
#endif
    const QByteArray before = testing::projectStateHash(*project);
    core::CancelFlag cancel{false};
    auto report = labeling::importScans(*project, dir, {}, [&](qint64, qint64) { cancel = true; }, &cancel);
    QVERIFY(!report);
    QCOMPARE(report.error().code, ErrorCode::Cancelled);
    QCOMPARE(testing::projectStateHash(*project), before);
    QCOMPARE(filesUnder(mediaDir(*project)), 0);
}

QTEST_MAIN(TestDocuments)
#include "test_documents.moc"
