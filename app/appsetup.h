#pragma once
// Composition-root helpers shared by both executables: logging sinks and the data folder.

#include <QString>

namespace annotune::app {

// Installs the sinks of every named logger: stderr (warnings and up unless verbose) and a
// rotating file in the user's data folder. Call once, first thing in main.
void setupLogging(const QString &programName, bool verbose);

// The folder for logs, caches and settings of this user.
QString dataFolder();

} // namespace annotune::app
