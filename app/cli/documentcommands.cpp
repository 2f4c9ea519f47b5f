// import pdf / scans / funsd and export funsd / fields: documents with their words and fields.

#include "commands.h"

#include "core/formats/documentexport.h"
#include "core/formats/funsdimport.h"
#include "core/store/project.h"
#include "labeling/pdfimporter.h"
#include "labeling/scanimporter.h"

#include <QFileInfo>
#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace annotune::app::cli {

using namespace annotune::core;

namespace {

struct DocumentArgs {
    std::string project, path, lang = "eng";
    std::vector<std::string> paths;
    int dpi = 150;
};

CancelFlag g_cancel{false};

// Ctrl+C asks the running import to stop at the next page; what is finished stays consistent.
void installCancelHandler()
{
    std::signal(SIGINT, [](int) { g_cancel = true; });
}

// "what: done/total" rewritten in place on stderr, only when stderr is a terminal.
ProgressFn progressOn(const char *what)
{
    if (!::isatty(fileno(stderr)))
        return {};
    return [what](qint64 done, qint64 total) {
        std::fprintf(stderr, "\r%s %lld/%lld%s", what, static_cast<long long>(done), static_cast<long long>(total),
                     done == total ? "\n" : "");
    };
}

void printLines(const char *prefix, const QStringList &lines)
{
    for (const QString &l : lines)
        std::fprintf(stderr, "annotune-cli: %s%s\n", prefix, l.toUtf8().constData());
}

// Prints the report; exit code 2 when some file failed (each named on its own line).
int reportDocuments(const labeling::DocumentImportReport &r)
{
    printLines("note: ", r.notes);
    printLines("", r.failed);
    std::printf("imported %lld documents, %d pages (%d by OCR), %lld words; %d duplicates skipped, %lld failed\n",
                static_cast<long long>(r.documents.size()), r.pages, r.ocrPages, static_cast<long long>(r.words),
                r.duplicates, static_cast<long long>(r.failed.size()));
    return r.failed.isEmpty() ? 0 : 2;
}

int cmdImportPdf(const DocumentArgs &a)
{
    auto project = store::Project::open(qstr(a.project));
    if (!project)
        return fail(project.error().message);
    QStringList paths;
    for (const std::string &p : a.paths)
        paths << qstr(p);
    labeling::PdfImportOptions options;
    options.dpi = a.dpi;
    options.ocr.language = qstr(a.lang);
    installCancelHandler();
    auto report = labeling::importPdfs(**project, paths, options, progressOn("PDF files"), &g_cancel);
    return report ? reportDocuments(*report) : fail(report.error().message);
}

int cmdImportScans(const DocumentArgs &a)
{
    auto project = store::Project::open(qstr(a.project));
    if (!project)
        return fail(project.error().message);
    labeling::OcrOptions options;
    options.language = qstr(a.lang);
    installCancelHandler();
    auto report = labeling::importScans(**project, qstr(a.path), options, progressOn("OCR pages"), &g_cancel);
    return report ? reportDocuments(*report) : fail(report.error().message);
}

int cmdImportFunsd(const DocumentArgs &a)
{
    auto project = store::Project::open(qstr(a.project));
    if (!project)
        return fail(project.error().message);
    installCancelHandler();
    auto r = formats::importFunsd(**project, qstr(a.path), progressOn("FUNSD forms"), &g_cancel);
    if (!r)
        return fail(r.error().message);
    std::printf("imported %d forms: %lld words, %lld entities, %lld links; %d duplicates skipped",
                r->forms, static_cast<long long>(r->words), static_cast<long long>(r->entities),
                static_cast<long long>(r->links), r->duplicates);
    if (!r->classesAdded.isEmpty())
        std::printf("; new classes: %s", r->classesAdded.join(QStringLiteral(", ")).toUtf8().constData());
    std::printf("\n");
    return 0;
}

int cmdExport(const DocumentArgs &a, bool funsd)
{
    auto project = store::Project::open(qstr(a.project), store::Project::Access::ReadOnly);
    if (!project)
        return fail(project.error().message);
    auto r = funsd ? formats::exportFunsd(**project, qstr(a.path)) : formats::exportFields(**project, qstr(a.path));
    if (!r)
        return fail(r.error().message);
    std::printf("wrote %s: %d documents, %d pages, %lld fields, %lld links", a.path.c_str(), r->documents, r->pages,
                static_cast<long long>(r->entities), static_cast<long long>(r->links));
    if (r->looseWords)
        std::printf("; %lld words in no field written as 'other' entities", static_cast<long long>(r->looseWords));
    std::printf("\n");
    return 0;
}

} // namespace

void registerDocumentCommands(CLI::App &importCmd, CLI::App &exportCmd, Context &ctx)
{
    static DocumentArgs args;
    auto *pdf = importCmd.add_subcommand("pdf", "Import PDFs as documents (text layer, OCR for scanned pages)");
    pdf->add_option("PROJECT", args.project, "Project file")->required();
    pdf->add_option("PATH", args.paths, "PDF files")->required();
    pdf->add_option("--dpi", args.dpi, "Page image resolution")->capture_default_str()->check(CLI::Range(36, 1200));
    pdf->add_option("--lang", args.lang, "OCR language for pages without text (Tesseract codes)")->capture_default_str();
    pdf->callback([&ctx] { ctx.exitCode = cmdImportPdf(args); });

    auto *scans = importCmd.add_subcommand("scans", "Import scans and photos (png, jpg, tiff) as documents read by OCR");
    scans->add_option("PROJECT", args.project, "Project file")->required();
    scans->add_option("DIR", args.path, "Folder of scans (recursive)")->required();
    scans->add_option("--lang", args.lang, "OCR language (Tesseract codes, e.g. eng or eng+deu)")->capture_default_str();
    scans->callback([&ctx] { ctx.exitCode = cmdImportScans(args); });

    auto *funsdIn = importCmd.add_subcommand("funsd", "Import FUNSD forms (annotations/*.json, images/*.png)");
    funsdIn->add_option("PROJECT", args.project, "Project file")->required();
    funsdIn->add_option("DIR", args.path, "FUNSD folder")->required();
    funsdIn->callback([&ctx] { ctx.exitCode = cmdImportFunsd(args); });

    auto *funsdOut = exportCmd.add_subcommand("funsd", "Export documents as FUNSD forms with their page images");
    funsdOut->add_option("PROJECT", args.project, "Project file")->required();
    funsdOut->add_option("OUT_DIR", args.path, "Output folder")->required();
    funsdOut->callback([&ctx] { ctx.exitCode = cmdExport(args, true); });

    auto *fields = exportCmd.add_subcommand("fields", "Export document fields as JSON lines (one per document)");
    fields->add_option("PROJECT", args.project, "Project file")->required();
    fields->add_option("OUT", args.path, "Output .jsonl file")->required();
    fields->callback([&ctx] { ctx.exitCode = cmdExport(args, false); });
}

} // namespace annotune::app::cli
