#pragma once
// Runs an image import in a worker thread with its own project connection, behind a progress
// dialog whose Cancel stops it; the window learns the outcome through finished().

#include "core/result.h"
#include "labeling/imageimporter.h"

#include <QObject>
#include <QPointer>
#include <atomic>
#include <memory>

class QProgressDialog;
class QThread;

namespace annotune::ui {

// One import at a time. SQLite connections are per thread, so the worker opens the project file
// again on its thread; the GUI's connection sees the rows once the import's transaction commits.
class ImportController : public QObject {
    Q_OBJECT
public:
    explicit ImportController(QWidget *dialogParent);
    // Cancels a running import and waits for its thread.
    ~ImportController() override;

    bool isRunning() const { return m_thread != nullptr; }
    // Starts importing dir into the project file at projectPath; false when one is already running.
    bool start(const QString &projectPath, const QString &dir);
    void cancel() { m_cancel = true; }

Q_SIGNALS:
    // On the GUI thread, after the worker has finished and its connection is closed.
    void finished(const core::Result<annotune::labeling::ImageImportReport> &result);

private:
    void onProgress(int done, int total);
    void onWorkerDone();

    QWidget *m_dialogParent;
    QPointer<QProgressDialog> m_dialog;
    QThread *m_thread = nullptr;
    std::atomic_bool m_cancel{false};
    std::shared_ptr<core::Result<labeling::ImageImportReport>> m_result;
};

} // namespace annotune::ui
