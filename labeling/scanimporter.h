#pragma once
// Imports scans and photos of documents (PNG, JPEG, TIFF, multi-page TIFF included) as documents
// whose words come from OCR. All pages of all files are read in parallel across the cores; then
// each file is stored in its own transaction.

#include "core/progress.h"
#include "core/result.h"
#include "labeling/documentwriter.h"
#include "labeling/ocr.h"

namespace annotune::core::store {
class Project;
}

namespace annotune::labeling {

// The scan file suffixes imported (lower case, without the dot).
const QStringList &scanSuffixes();

// Imports every scan under dir (recursive, sorted by path). A single-page file is stored in place
// as its own page; the pages of a multi-page TIFF are saved as PNGs beside the project. A page
// without text imports with no words and a note; an unreadable file is listed in report.failed.
// Fails with NotFound when dir does not exist or the OCR language has no model, and with
// Cancelled (nothing imported, no page image left behind). progress: pages read of all pages.
core::Result<DocumentImportReport> importScans(core::store::Project &project, const QString &dir,
                                               const OcrOptions &options = {},
                                               const core::ProgressFn &progress = {},
                                               const core::CancelFlag *cancel = nullptr);

} // namespace annotune::labeling
