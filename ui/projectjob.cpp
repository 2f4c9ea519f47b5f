#include "projectjob.h"

#include "core/store/project.h"

#include <QProgressDialog>
#include <QThread>
#include <QWidget>

namespace annotune::ui {

ProjectJob::ProjectJob(QWidget *dialogParent)
    : QObject(dialogParent), m_dialogParent(dialogParent), m_cancel(std::make_shared<core::CancelFlag>(false))
{
}

ProjectJob::~ProjectJob()
{
    if (m_thread) {
        *m_cancel = true;
        m_thread->wait();
        delete m_thread;
    }
}

bool ProjectJob::start(const QString &projectPath, bool readOnly, const QString &title, Work work)
{
    if (m_thread)
        return false;
    m_title = title;
    *m_cancel = false;
    m_result = std::make_shared<core::Result<QString>>(core::makeError(core::ErrorCode::Internal, tr("the job did not run")));
    auto result = m_result;
    auto cancel = m_cancel;
    QPointer<ProjectJob> self(this);
    m_thread = QThread::create([projectPath, readOnly, work = std::move(work), result, cancel, self] {
        using Access = core::store::Project::Access;
        auto project = core::store::Project::open(projectPath, readOnly ? Access::ReadOnly : Access::ReadWrite);
        if (!project) {
            *result = project.error();
            return;
        }
        const core::ProgressFn progress = [self](qint64 done, qint64 total) {
            if (done != total && done % qMax<qint64>(1, total / 200) != 0)
                return; // about 200 updates whatever the size
            QMetaObject::invokeMethod(self.data(), [self, done, total] {
                if (self)
                    self->onProgress(done, total);
            }, Qt::QueuedConnection);
        };
        try {
            *result = work(**project, progress, cancel.get());
        } catch (const std::exception &e) {
            *result = core::makeError(core::ErrorCode::Internal, QString::fromUtf8(e.what()));
        }
    });
    connect(m_thread, &QThread::finished, this, &ProjectJob::onWorkerDone);
    m_dialog = new QProgressDialog(title + QStringLiteral("…"), tr("Cancel"), 0, 0, m_dialogParent);
    m_dialog->setWindowTitle(title);
    m_dialog->setWindowModality(Qt::WindowModal);
    m_dialog->setMinimumDuration(300);
    m_dialog->setAutoClose(false);
    m_dialog->setAutoReset(false);
    connect(m_dialog, &QProgressDialog::canceled, this, [this] {
        *m_cancel = true;
        if (m_dialog)
            m_dialog->setLabelText(tr("Cancelling…"));
    });
    m_thread->start();
    return true;
}

void ProjectJob::onProgress(qint64 done, qint64 total)
{
    if (!m_dialog || *m_cancel)
        return;
    m_dialog->setMaximum(int(qMin<qint64>(total, INT_MAX)));
    m_dialog->setValue(int(qMin<qint64>(done, INT_MAX)));
    m_dialog->setLabelText(tr("%1: %2 of %3").arg(m_title).arg(done).arg(total));
}

void ProjectJob::onWorkerDone()
{
    m_thread->deleteLater();
    m_thread = nullptr;
    if (m_dialog)
        m_dialog->deleteLater();
    const core::Result<QString> result = *m_result;
    m_result.reset();
    Q_EMIT finished(result);
}

} // namespace annotune::ui
