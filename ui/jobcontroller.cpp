#include "jobcontroller.h"

#include <QMessageBox>

namespace annotune::ui {

JobController::JobController(QWidget *window, ErrorReporter reportError)
    : QObject(window), m_window(window), m_reportError(std::move(reportError)), m_job(new ProjectJob(window))
{
    connect(m_job, &ProjectJob::finished, this, &JobController::onFinished);
}

bool JobController::isRunning() const { return m_job->isRunning(); }

void JobController::run(const QString &projectPath, bool changesProject, const QString &title, ProjectJob::Work work)
{
    m_changesProject = changesProject;
    m_job->start(projectPath, !changesProject, title, std::move(work));
}

void JobController::onFinished(const core::Result<QString> &result)
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
