#include "appsetup.h"

#include <QDir>
#include <QStandardPaths>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace annotune::app {

QString dataFolder()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.local/share/annotune");
    QDir().mkpath(dir);
    return dir;
}

void setupLogging(const QString &programName, bool verbose)
{
    std::vector<spdlog::sink_ptr> sinks;
    auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    console->set_level(verbose ? spdlog::level::debug : spdlog::level::warn);
    console->set_pattern("%^%l%$ [%n] %v");
    sinks.push_back(console);
    const QString logDir = dataFolder() + QStringLiteral("/logs");
    if (QDir().mkpath(logDir)) {
        try {
            const std::string file = (logDir + QLatin1Char('/') + programName + QStringLiteral(".log")).toStdString();
            auto rotating = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(file, 5 * 1024 * 1024, 3);
            rotating->set_level(spdlog::level::debug);
            sinks.push_back(rotating);
        } catch (const spdlog::spdlog_ex &) {
            // A read-only home must not stop the program: stderr still gets everything.
        }
    }
    auto root = std::make_shared<spdlog::logger>(programName.toStdString(), sinks.begin(), sinks.end());
    root->set_level(spdlog::level::debug);
    root->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(root);
}

} // namespace annotune::app
