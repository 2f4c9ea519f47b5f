#include "labelscontroller.h"

#include "core/store/classrepository.h"
#include "core/store/project.h"
#include "labelsdialogs.h"
#include "projectjob.h"

#include <QMessageBox>

namespace annotune::ui {

LabelsController::LabelsController(QWidget *window, ErrorReporter reportError)
    : QObject(window), m_window(window), m_reportError(std::move(reportError)), m_job(new ProjectJob(window))
{
    connect(m_job, &ProjectJob::finished, this, &LabelsController::onFinished);
}

bool LabelsController::isRunning() const { return m_job->isRunning(); }

void LabelsController::importLabels(core::store::Project *project)
{
    if (!project || project->readOnly() || m_job->isRunning())
        return;
    ImportLabelsDialog dialog(m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const labeling::LabelImportRequest request = dialog.request();
    m_changesProject = true;
    m_job->start(project->path(), false, tr("Importing labels"),
                 [request](core::store::Project &p, const core::ProgressFn &progress, const core::CancelFlag *cancel)
                     -> core::Result<QString> {
                     auto report = labeling::importLabels(p, request, progress, cancel);
                     if (!report)
                         return report.error();
                     return labeling::describe(*report, !request.runName.isEmpty());
                 });
}

void LabelsController::exportLabels(core::store::Project *project)
{
    if (!project || m_job->isRunning())
        return;
    QStringList names;
    if (auto classes = project->classes().list())
        for (const core::LabelClass &c : *classes)
            if (c.kind != core::ClassKind::Field)
                names << c.name;
    ExportLabelsDialog dialog(names, m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const labeling::LabelExportRequest request = dialog.request();
    m_changesProject = false;
    m_job->start(project->path(), true, tr("Exporting labels"),
                 [request](core::store::Project &p, const core::ProgressFn &, const core::CancelFlag *cancel)
                     -> core::Result<QString> {
                     auto report = labeling::exportLabels(p, request, cancel);
                     if (!report)
                         return report.error();
                     return labeling::describe(*report, request.out);
                 });
}

void LabelsController::onFinished(const core::Result<QString> &result)
{
    if (!result) {
        if (result.error().code == core::ErrorCode::Cancelled)
            Q_EMIT message(tr("Cancelled; the project is as it was"));
        else
            m_reportError(m_changesProject ? tr("Import failed") : tr("Export failed"), result.error().message);
        return;
    }
    if (m_changesProject)
        Q_EMIT projectChanged();
    Q_EMIT message(result.value().section(QLatin1Char('\n'), 0, 0));
    QMessageBox::information(m_window, m_changesProject ? tr("Import finished") : tr("Export finished"), result.value());
}

} // namespace annotune::ui
