#pragma once
// File > Import Labels / Export Labels: asks with a dialog, runs the work as a ProjectJob and
// tells the window when the project changed.

#include "core/result.h"

#include <QObject>
#include <functional>

class QWidget;

namespace annotune::core::store {
class Project;
}

namespace annotune::ui {

class ProjectJob;

class LabelsController : public QObject {
    Q_OBJECT
public:
    using ErrorReporter = std::function<void(const QString &title, const QString &message)>;
    LabelsController(QWidget *window, ErrorReporter reportError);

    // Both ask first; nothing happens without a project or while a job runs.
    void importLabels(core::store::Project *project);
    void exportLabels(core::store::Project *project);
    bool isRunning() const;

Q_SIGNALS:
    void projectChanged();
    void message(const QString &text);

private:
    void onFinished(const core::Result<QString> &result);

    QWidget *m_window;
    ErrorReporter m_reportError;
    ProjectJob *m_job;
    bool m_changesProject = false;
};

} // namespace annotune::ui
