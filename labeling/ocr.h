#pragma once
// Optical character recognition of page images through Tesseract 5: words with boxes and
// confidences, pages read in parallel with one engine per worker thread.
//
// Tesseract's OpenMP runtime reads OMP_THREAD_LIMIT once, when the program loads. Running pages in
// parallel only pays when each engine stays on one thread, so programs that call recognizePages
// should start with OMP_THREAD_LIMIT=1 (annotune-cli sets it for itself; see ensureSingleThreadedOcr).

#include "core/progress.h"
#include "core/result.h"
#include "core/types.h"

#include <QImage>
#include <QString>
#include <QVector>

namespace annotune::labeling {

struct OcrOptions {
    QString language = QStringLiteral("eng"); // Tesseract language codes, "eng" or "eng+deu"
    int pageSegMode = 3;                      // Tesseract's --psm: 3 = fully automatic page segmentation
    int threads = 0;                          // 0: one per core
};

// Where a page image comes from: a file (frame = page of a multi-page TIFF), and its resolution
// when known (0: from the file's header, else 300 DPI).
struct OcrSource {
    QString path;
    int frame = 0;
    double dpi = 0;
};

// What one page gave: words in reading order (source Ocr, confidence 0..1, boxes in image pixels),
// a note when the page has no text, an error when the image could not be read.
struct OcrPage {
    QVector<core::Word> words;
    QString note;
    QString error;
};

// Checks that language is well formed and that Tesseract has a model for it. Fails with Usage for a
// malformed code and NotFound naming the language (and the Debian package to install) otherwise.
core::Status checkOcrLanguage(const QString &language);

// Reads every page, in parallel across options.threads workers. Results are in the order of pages.
// Fails with NotFound for an unknown language and Cancelled when cancel is set (nothing returned).
core::Result<QVector<OcrPage>> recognizePages(const QVector<OcrSource> &pages, const OcrOptions &options,
                                              const core::ProgressFn &progress = {},
                                              const core::CancelFlag *cancel = nullptr);

// Reads one in-memory image on the calling thread (tests, small jobs).
core::Result<OcrPage> recognizeImage(const QImage &image, const OcrOptions &options, double dpi = 0);

// Call first thing in main(argv): when OMP_THREAD_LIMIT is unset, sets it to 1 and restarts the
// program so Tesseract's OpenMP runtime sees it. Returns only when no restart was needed or possible.
void ensureSingleThreadedOcr(char **argv);
// Set beside OMP_THREAD_LIMIT=1 by ensureSingleThreadedOcr.
inline constexpr const char *kOcrThreadLimitMarker = "ANNOTUNE_OCR_THREAD_LIMIT";

} // namespace annotune::labeling
