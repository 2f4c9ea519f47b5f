#pragma once
// The shared half of the File menu's long commands (labels, documents): runs a piece of work as a
// ProjectJob and reports the outcome: a message box with the summary, or the error.

#include "core/result.h"
#include "projectjob.h"

#include <QObject>
#include <functional>

class QWidget;

namespace annotune::ui {

class JobController : public QObject {
    Q_OBJECT
public:
    using ErrorReporter = std::function<void(const QString &title, const QString &message)>;
    JobController(QWidget *window, ErrorReporter reportError);
    bool isRunning() const;

Q_SIGNALS:
    void projectChanged();
    void message(const QString &text);

protected:
    // Starts work on the project file; changesProject says whether the window reloads afterwards.
    void run(const QString &projectPath, bool changesProject, const QString &title, ProjectJob::Work work);
    QWidget *window() const { return m_window; }

private:
    void onFinished(const core::Result<QString> &result);

    QWidget *m_window;
    ErrorReporter m_reportError;
    ProjectJob *m_job;
    bool m_changesProject = false;
};

} // namespace annotune::ui
