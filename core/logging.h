#pragma once
// Named spdlog loggers for every module; sinks are installed only by app/.

#include <spdlog/spdlog.h>
#include <QString>
#include <memory>
#include <string>

namespace annotune::core {

// Returns the logger with this name ("core.store", "labeling.import", ...), creating it on first use
// with the sinks of the default logger so app/ controls where everything goes.
std::shared_ptr<spdlog::logger> logger(const std::string &name);

inline std::string str(const QString &s) { return s.toStdString(); }

} // namespace annotune::core
