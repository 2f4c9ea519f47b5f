#include "importcontroller.h"

#include "core/store/project.h"

#include <QProgressDialog>
#include <QThread>
#include <QWidget>

namespace annotune::ui {

using ImportResult = core::Result<labeling::ImageImportReport>;

ImportController::ImportController(QWidget *dialogParent) : QObject(dialogParent), m_dialogParent(dialogParent) {}

ImportController::~ImportController()
{
    if (m_thread) {
        m_cancel = true;
        m_thread->wait();
        delete m_thread;
    }
}

bool ImportController::start(const QString &projectPath, const QString &dir)
{
    if (m_thread)
        return false;
    m_cancel = false;
    m_result = std::make_shared<ImportResult>(core::makeError(core::ErrorCode::Internal, tr("the import did not run")));
    auto result = m_result;
    std::atomic_bool *cancel = &m_cancel;
    QPointer<ImportController> self(this);
    m_thread = QThread::create([projectPath, dir, result, cancel, self] {
        auto project = core::store::Project::open(projectPath);
        if (!project) {
            *result = project.error();
            return;
        }
        const auto progress = [self](int done, int total) {
            if (done != total && done % qMax(1, total / 200) != 0)
                return; // about 200 updates whatever the size
            QMetaObject::invokeMethod(self.data(), [self, done, total] {
                if (self)
                    self->onProgress(done, total);
            }, Qt::QueuedConnection);
        };
        *result = labeling::importImages(**project, dir, progress, cancel);
    });
    connect(m_thread, &QThread::finished, this, &ImportController::onWorkerDone);

    m_dialog = new QProgressDialog(tr("Reading images in %1…").arg(dir), tr("Cancel"), 0, 0, m_dialogParent);
    m_dialog->setWindowTitle(tr("Import Images"));
    m_dialog->setWindowModality(Qt::WindowModal);
    m_dialog->setMinimumDuration(300);
    m_dialog->setAutoClose(false);
    m_dialog->setAutoReset(false);
    connect(m_dialog, &QProgressDialog::canceled, this, [this] {
        m_cancel = true;
        if (m_dialog)
            m_dialog->setLabelText(tr("Cancelling…"));
    });
    m_thread->start();
    return true;
}

void ImportController::onProgress(int done, int total)
{
    if (!m_dialog || m_cancel)
        return;
    m_dialog->setMaximum(total);
    m_dialog->setValue(done);
    m_dialog->setLabelText(tr("Reading images: %1 of %2").arg(done).arg(total));
}

void ImportController::onWorkerDone()
{
    m_thread->deleteLater();
    m_thread = nullptr;
    if (m_dialog)
        m_dialog->deleteLater();
    const ImportResult result = *m_result;
    m_result.reset();
    Q_EMIT finished(result);
}

} // namespace annotune::ui
