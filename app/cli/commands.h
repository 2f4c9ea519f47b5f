#pragma once
// annotune-cli subcommands. Each register function adds one CLI11 subcommand whose callback sets
// the exit code: 0 ok, 2 bad input or failed operation (one line on stderr naming the file or
// record and the reason). Usage errors (1) are CLI11's.

#include <CLI/CLI.hpp>
#include <QString>

namespace annotune::app::cli {

// Shared by every command: where the exit code of the chosen command goes.
struct Context {
    int exitCode = 0;
};

void registerProjectCommands(CLI::App &app, Context &ctx);
// train and predict (the training worker).
void registerTrainCommands(CLI::App &app, Context &ctx);
// Adds one subcommand per registry format under `import` and `export`.
void registerFormatCommands(CLI::App &importCmd, CLI::App &exportCmd, Context &ctx);
// coco-eval and seq-eval: evaluation of files, no project needed.
void registerEvalCommands(CLI::App &app, Context &ctx);
// Adds import pdf / scans / funsd and export funsd / fields.
void registerDocumentCommands(CLI::App &importCmd, CLI::App &exportCmd, Context &ctx);

// Prints "annotune-cli: <message>" on stderr and returns 2.
int fail(const QString &message);
QString qstr(const std::string &s);

} // namespace annotune::app::cli
