// annotune: the workbench window. Composition root: settings identity, logging, style, the
// project named on the command line.

#include "appsetup.h"
#include "labeling/ocr.h"
#include "ui/mainwindow.h"
#include "ui/style.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char **argv)
{
    annotune::labeling::ensureSingleThreadedOcr(argv); // OCR runs pages in parallel, one engine thread each
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("annotune"));
    QCoreApplication::setOrganizationName(QStringLiteral("Annotune"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ANNOTUNE_VERSION));
    annotune::app::setupLogging(QStringLiteral("annotune"), false);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Annotune: label images and documents, fine-tune, review."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("project"), QStringLiteral("Project file to open (NAME.annotune)."),
                                 QStringLiteral("[PROJECT]"));
    parser.process(app);

    annotune::ui::applyWorkbenchStyle(app);
    annotune::ui::MainWindow window;
    window.show();
    if (const QStringList args = parser.positionalArguments(); !args.isEmpty())
        window.openProject(args.first()); // on failure it reports and stays on the start page
    return app.exec();
}
