#pragma once
// Imports PDF files as documents: every page rendered to a PNG beside the project at a chosen
// resolution, its words and boxes taken from the PDF's text layer, and pages without one read by
// OCR. Each file is imported in its own transaction; a file that fails leaves nothing behind.

#include "core/progress.h"
#include "core/result.h"
#include "labeling/documentwriter.h"
#include "labeling/ocr.h"

#include <QStringList>

namespace annotune::core::store {
class Project;
}

namespace annotune::labeling {

struct PdfImportOptions {
    int dpi = 150;        // rendering resolution; text-layer boxes are scaled to it
    OcrOptions ocr;       // for pages without a text layer
};

// Imports each PDF in paths. Encrypted, damaged and empty PDFs are listed in report.failed ("file:
// reason") and the others still import; files imported before are counted as duplicates. Fails
// with Usage for a DPI outside 36..1200, with the OCR language's error when no page could be
// read for want of a model, and with Cancelled (files finished before stay imported).
// progress: files done of paths.size().
core::Result<DocumentImportReport> importPdfs(core::store::Project &project, const QStringList &paths,
                                              const PdfImportOptions &options = {},
                                              const core::ProgressFn &progress = {},
                                              const core::CancelFlag *cancel = nullptr);

} // namespace annotune::labeling
