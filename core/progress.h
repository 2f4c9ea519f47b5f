#pragma once
// Progress and cancellation for long work: a hook called with done/total from the working thread,
// and a flag the caller sets to stop it.

#include <QtGlobal>
#include <atomic>
#include <functional>

namespace annotune::core {

using ProgressFn = std::function<void(qint64 done, qint64 total)>;
using CancelFlag = std::atomic_bool;

inline bool cancelled(const CancelFlag *flag) { return flag && flag->load(std::memory_order_relaxed); }

} // namespace annotune::core
