// annotune-cli: the headless entry point (project commands now; training worker later).

#include "appsetup.h"
#include "cli/commands.h"
#include "labeling/ocr.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <cstring>
#include <unistd.h>
#include <QGuiApplication>

int main(int argc, char **argv)
{
    // OCR reads pages in parallel with one single-threaded Tesseract engine per core; only the
    // commands that read documents need the limit (libtorch's thread pool hangs under it).
    const bool readsDocuments = argc > 2 && std::strcmp(argv[1], "import") == 0
                                && (std::strcmp(argv[2], "pdf") == 0 || std::strcmp(argv[2], "scans") == 0);
    if (readsDocuments)
        annotune::labeling::ensureSingleThreadedOcr(argv);
    // Rendering the demo's invoices needs fonts, which need a QGuiApplication; offscreen keeps
    // the CLI headless on machines without a display.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
        const QByteArray runtime = QDir::tempPath().toUtf8() + "/annotune-runtime-" + QByteArray::number(getuid());
        QDir().mkpath(QString::fromUtf8(runtime));
        QFile::setPermissions(QString::fromUtf8(runtime), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        qputenv("XDG_RUNTIME_DIR", runtime);
    }
    QGuiApplication qtApp(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("annotune"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ANNOTUNE_VERSION));

    CLI::App app{"annotune-cli: headless Annotune (projects, imports, exports, demo)"};
    app.require_subcommand(1);
    bool verbose = false;
    app.add_flag("-v,--verbose", verbose, "Log debug messages on stderr");
    app.set_version_flag("--version", std::string(ANNOTUNE_VERSION));

    annotune::app::cli::Context ctx;
    annotune::app::cli::registerProjectCommands(app, ctx);
    app.parse_complete_callback([&] { annotune::app::setupLogging(QStringLiteral("annotune-cli"), verbose); });
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        const int rc = app.exit(e);
        return rc == 0 ? 0 : 1;
    } catch (const std::exception &e) {
        return annotune::app::cli::fail(QString::fromUtf8(e.what()));
    }
    return ctx.exitCode;
}
