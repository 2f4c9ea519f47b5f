#pragma once
// Who is training a run: the worker holds "<run folder>/worker.lock" for as long as it trains. A run
// still marked running whose lock nobody holds lost its worker (killed with the workbench, crashed,
// machine restarted) and is marked failed, so the runs table never shows a ghost run.

#include "core/result.h"
#include "core/types.h"

#include <QLockFile>
#include <memory>

namespace annotune::core::store {
class Project;
}

namespace annotune::core::training {

inline constexpr const char *kWorkerLockName = "worker.lock";

// Held by the training worker for the whole run; fails when another live worker holds it.
Result<std::unique_ptr<QLockFile>> lockRunForWorker(const QString &runFolder);

// Marks failed every running run whose worker is gone; returns their ids. Runs younger than graceMs
// are left alone: a worker creates its run a moment before it can take the lock.
Result<QVector<Id>> failOrphanedRuns(store::Project &project, qint64 graceMs = 30000);

} // namespace annotune::core::training
