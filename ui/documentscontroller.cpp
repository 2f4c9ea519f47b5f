#include "documentscontroller.h"

#include "core/formats/funsdimport.h"
#include "core/store/project.h"
#include "labeling/pdfimporter.h"
#include "labeling/scanimporter.h"
#include "projectjob.h"

#include <QFileDialog>
#include <QInputDialog>

namespace annotune::ui {

namespace {

QString describe(const labeling::DocumentImportReport &r)
{
    QString text = QObject::tr("Imported %1 documents, %2 pages (%3 read by OCR), %4 words; %5 duplicates skipped.")
                       .arg(r.documents.size()).arg(r.pages).arg(r.ocrPages).arg(r.words).arg(r.duplicates);
    if (!r.failed.isEmpty())
        text += QObject::tr("\nNot imported:\n  %1").arg(r.failed.mid(0, 20).join(QStringLiteral("\n  ")));
    if (!r.notes.isEmpty())
        text += QObject::tr("\nNotes:\n  %1").arg(r.notes.mid(0, 20).join(QStringLiteral("\n  ")));
    return text;
}

} // namespace

bool DocumentsController::ready(core::store::Project *project) const
{
    return project && !project->readOnly() && !isRunning();
}

void DocumentsController::importPdfs(core::store::Project *project)
{
    if (!ready(project))
        return;
    const QStringList files = QFileDialog::getOpenFileNames(window(), tr("Import PDFs"), project->folder(),
                                                            tr("PDF documents (*.pdf *.PDF)"));
    if (files.isEmpty())
        return;
    bool ok = false;
    const int dpi = QInputDialog::getInt(window(), tr("Import PDFs"), tr("Render pages at (DPI)"), 150, 72, 600, 25, &ok);
    if (!ok)
        return;
    run(project->path(), true, tr("Importing PDFs"),
                 [files, dpi](core::store::Project &p, const core::ProgressFn &progress, const core::CancelFlag *cancel)
                     -> core::Result<QString> {
                     labeling::PdfImportOptions options;
                     options.dpi = dpi;
                     auto report = labeling::importPdfs(p, files, options, progress, cancel);
                     if (!report)
                         return report.error();
                     return describe(*report);
                 });
}

void DocumentsController::importScans(core::store::Project *project)
{
    if (!ready(project))
        return;
    const QString dir = QFileDialog::getExistingDirectory(window(), tr("Import Scans From"), project->folder());
    if (dir.isEmpty())
        return;
    run(project->path(), true, tr("Reading scans with OCR"),
                 [dir](core::store::Project &p, const core::ProgressFn &progress, const core::CancelFlag *cancel)
                     -> core::Result<QString> {
                     auto report = labeling::importScans(p, dir, {}, progress, cancel);
                     if (!report)
                         return report.error();
                     return describe(*report);
                 });
}

void DocumentsController::importFunsd(core::store::Project *project)
{
    if (!ready(project))
        return;
    const QString dir = QFileDialog::getExistingDirectory(window(), tr("Import FUNSD Forms From"), project->folder());
    if (dir.isEmpty())
        return;
    run(project->path(), true, tr("Importing FUNSD forms"),
                 [dir](core::store::Project &p, const core::ProgressFn &progress, const core::CancelFlag *cancel)
                     -> core::Result<QString> {
                     auto report = core::formats::importFunsd(p, dir, progress, cancel);
                     if (!report)
                         return report.error();
                     return tr("Imported %1 forms: %2 words, %3 entities, %4 links; %5 duplicates skipped.")
                         .arg(report->forms).arg(report->words).arg(report->entities).arg(report->links).arg(report->duplicates);
                 });
}

} // namespace annotune::ui
