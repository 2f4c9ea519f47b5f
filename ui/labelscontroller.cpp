#include "labelscontroller.h"

#include "core/store/classrepository.h"
#include "core/store/project.h"
#include "labelsdialogs.h"
#include "projectjob.h"


namespace annotune::ui {

void LabelsController::importLabels(core::store::Project *project)
{
    if (!project || project->readOnly() || isRunning())
        return;
    ImportLabelsDialog dialog(window());
    if (dialog.exec() != QDialog::Accepted)
        return;
    const labeling::LabelImportRequest request = dialog.request();
    run(project->path(), true, tr("Importing labels"),
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
    if (!project || isRunning())
        return;
    QStringList names;
    if (auto classes = project->classes().list())
        for (const core::LabelClass &c : *classes)
            if (c.kind != core::ClassKind::Field)
                names << c.name;
    ExportLabelsDialog dialog(names, window());
    if (dialog.exec() != QDialog::Accepted)
        return;
    const labeling::LabelExportRequest request = dialog.request();
    run(project->path(), false, tr("Exporting labels"),
                 [request](core::store::Project &p, const core::ProgressFn &, const core::CancelFlag *cancel)
                     -> core::Result<QString> {
                     auto report = labeling::exportLabels(p, request, cancel);
                     if (!report)
                         return report.error();
                     return labeling::describe(*report, request.out);
                 });
}

} // namespace annotune::ui
