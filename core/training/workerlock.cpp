#include "workerlock.h"

#include "core/store/project.h"
#include "core/store/runrepository.h"

#include <QDateTime>
#include <QDir>

namespace annotune::core::training {

namespace {

std::unique_ptr<QLockFile> lockFor(const QString &runFolder)
{
    auto lock = std::make_unique<QLockFile>(QDir(runFolder).filePath(QString::fromLatin1(kWorkerLockName)));
    lock->setStaleLockTime(0); // a run can take hours: only a dead holder makes the lock stale
    return lock;
}

} // namespace

Result<std::unique_ptr<QLockFile>> lockRunForWorker(const QString &runFolder)
{
    auto lock = lockFor(runFolder);
    if (!lock->tryLock(0)) {
        qint64 pid = 0;
        QString host, app;
        lock->getLockInfo(&pid, &host, &app);
        return makeError(ErrorCode::Conflict, QStringLiteral("%1: another worker (process %2 on %3) is training this run")
                                                  .arg(runFolder).arg(pid).arg(host));
    }
    return lock;
}

Result<QVector<Id>> failOrphanedRuns(store::Project &project, qint64 graceMs)
{
    auto runs = project.runs().list();
    if (!runs)
        return runs.error();
    QVector<Id> failed;
    for (const Run &run : *runs) {
        if (run.status != RunStatus::Running || QDateTime::currentMSecsSinceEpoch() - run.createdAt < graceMs)
            continue;
        auto lock = lockFor(project.runFolder(run.id));
        if (!lock->tryLock(0) && lock->error() == QLockFile::LockFailedError)
            continue; // a live worker holds it
        if (lock->isLocked())
            lock->unlock();
        if (Status st = project.runs().setStatus(run.id, RunStatus::Failed, project.author()); !st)
            return st.error();
        failed.append(run.id);
    }
    return failed;
}

} // namespace annotune::core::training
