#pragma once
// Importing and exporting labels in any registry format, as the CLI and the GUI dialogs both do
// it: read, resolve against the project, write through one transaction; collect, write.

#include "core/formats/datasetexport.h"
#include "core/formats/datasetimport.h"
#include "core/formats/registry.h"

namespace annotune::labeling {

struct LabelImportRequest {
    QString format;        // a registry name
    QString path;          // annotation file or folder
    QString imagesRoot;    // empty: the format's default for path
    bool skipMissingImages = false;
    QString runName;       // non-empty: store as predictions of this run (created when new)
};

struct LabelExportRequest {
    QString format;
    QString out;
    core::formats::ExportFilter filter;
    bool copyImages = false;
};

core::Result<core::formats::ImportReport> importLabels(core::store::Project &project, const LabelImportRequest &request,
                                                       const core::ProgressFn &progress = {},
                                                       const core::CancelFlag *cancel = nullptr);
core::Result<core::formats::WriteReport> exportLabels(core::store::Project &project, const LabelExportRequest &request,
                                                      const core::CancelFlag *cancel = nullptr);

// One paragraph a person reads after an import or export.
QString describe(const core::formats::ImportReport &report, bool predictions);
QString describe(const core::formats::WriteReport &report, const QString &out);

} // namespace annotune::labeling
