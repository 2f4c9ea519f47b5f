#pragma once
// Runs one long piece of work on a project in a worker thread, with its own connection to the
// project file, behind a progress dialog whose Cancel stops it.

#include "core/progress.h"
#include "core/result.h"

#include <QObject>
#include <QPointer>
#include <functional>
#include <memory>

class QProgressDialog;
class QThread;
class QWidget;

namespace annotune::core::store {
class Project;
}

namespace annotune::ui {

class ProjectJob : public QObject {
    Q_OBJECT
public:
    // The work: called on the worker thread; returns a one-paragraph summary or an Error.
    using Work = std::function<core::Result<QString>(core::store::Project &, const core::ProgressFn &,
                                                     const core::CancelFlag *)>;

    explicit ProjectJob(QWidget *dialogParent);
    // Cancels a running job and waits for it.
    ~ProjectJob() override;

    bool isRunning() const { return m_thread != nullptr; }
    // Starts work on the project file; false when a job is already running.
    bool start(const QString &projectPath, bool readOnly, const QString &title, Work work);
    void cancel() { *m_cancel = true; }

Q_SIGNALS:
    // On the GUI thread, once the worker's connection is closed.
    void finished(const core::Result<QString> &result);

private:
    void onProgress(qint64 done, qint64 total);
    void onWorkerDone();

    QWidget *m_dialogParent;
    QString m_title;
    QPointer<QProgressDialog> m_dialog;
    QThread *m_thread = nullptr;
    std::shared_ptr<core::CancelFlag> m_cancel;
    std::shared_ptr<core::Result<QString>> m_result;
};

} // namespace annotune::ui
