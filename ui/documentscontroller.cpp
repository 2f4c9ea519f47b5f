#include "documentscontroller.h"

#include "core/formats/funsdimport.h"
#include "core/store/project.h"
#include "labeling/pdfimporter.h"
#include "labeling/scanimporter.h"
#include "projectjob.h"

#include <QFileDialog>
#include <QInputDialog>
#include <QMessageBox>

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

DocumentsController::DocumentsController(QWidget *window, ErrorReporter reportError)
    : QObject(window), m_window(window), m_reportError(std::move(reportError)), m_job(new ProjectJob(window))
{
    connect(m_job, &ProjectJob::finished, this, &DocumentsController::onFinished);
}

bool DocumentsController::isRunning() const { return m_job->isRunning(); }

bool DocumentsController::ready(core::store::Project *project) const
{
    return project && !project->readOnly() && !m_job->isRunning();
}

void DocumentsController::importPdfs(core::store::Project *project)
{
    if (!ready(project))
        return;
    const QStringList files = QFileDialog::getOpenFileNames(m_window, tr("Import PDFs"), project->folder(),
                                                            tr("PDF documents (*.pdf *.PDF)"));
    if (files.isEmpty())
        return;
    bool ok = false;
    const int dpi = QInputDialog::getInt(m_window, tr("Import PDFs"), tr("Render pages at (DPI)"), 150, 72, 600, 25, &ok);
    if (!ok)
        return;
    m_job->start(project->path(), false, tr("Importing PDFs"),
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
    const QString dir = QFileDialog::getExistingDirectory(m_window, tr("Import Scans From"), project->folder());
    if (dir.isEmpty())
        return;
    m_job->start(project->path(), false, tr("Reading scans with OCR"),
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
    const QString dir = QFileDialog::getExistingDirectory(m_window, tr("Import FUNSD Forms From"), project->folder());
    if (dir.isEmpty())
        return;
    m_job->start(project->path(), false, tr("Importing FUNSD forms"),
                 [dir](core::store::Project &p, const core::ProgressFn &progress, const core::CancelFlag *cancel)
                     -> core::Result<QString> {
                     auto report = core::formats::importFunsd(p, dir, progress, cancel);
                     if (!report)
                         return report.error();
                     return tr("Imported %1 forms: %2 words, %3 entities, %4 links; %5 duplicates skipped.")
                         .arg(report->forms).arg(report->words).arg(report->entities).arg(report->links).arg(report->duplicates);
                 });
}

void DocumentsController::onFinished(const core::Result<QString> &result)
{
    if (!result) {
        if (result.error().code == core::ErrorCode::Cancelled)
            Q_EMIT message(tr("Cancelled; the project is as it was"));
        else
            m_reportError(tr("Import failed"), result.error().message);
        return;
    }
    Q_EMIT projectChanged();
    Q_EMIT message(result.value().section(QLatin1Char('\n'), 0, 0));
    QMessageBox::information(m_window, tr("Import finished"), result.value());
}

} // namespace annotune::ui
