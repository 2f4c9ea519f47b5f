#pragma once
// File > Import PDFs / Import Scans / Import FUNSD: asks for the files, runs the import as a
// ProjectJob (progress, cancel) and tells the window when the project changed.

#include "core/result.h"

#include <QObject>
#include <functional>

class QWidget;

namespace annotune::core::store {
class Project;
}

namespace annotune::ui {

class ProjectJob;

class DocumentsController : public QObject {
    Q_OBJECT
public:
    using ErrorReporter = std::function<void(const QString &title, const QString &message)>;
    DocumentsController(QWidget *window, ErrorReporter reportError);

    // Each asks first; nothing happens without a writable project or while a job runs.
    void importPdfs(core::store::Project *project);
    void importScans(core::store::Project *project);
    void importFunsd(core::store::Project *project);
    bool isRunning() const;

Q_SIGNALS:
    void projectChanged();
    void message(const QString &text);

private:
    bool ready(core::store::Project *project) const;
    void onFinished(const core::Result<QString> &result);

    QWidget *m_window;
    ErrorReporter m_reportError;
    ProjectJob *m_job;
};

} // namespace annotune::ui
