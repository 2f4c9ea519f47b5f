#pragma once
// annotune-cli subcommands. Each register function adds one CLI11 subcommand whose callback sets
// the exit code: 0 ok, 2 bad input or failed operation (one line on stderr naming the file or
// record and the reason). Usage errors (1) are CLI11's.

#include "core/result.h"
#include "core/types.h"

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
// coco-eval and seq-eval (files, no project), eval (a run in a project).
void registerEvalCommands(CLI::App &app, Context &ctx);
// Adds import pdf / scans / funsd and export funsd / fields.
void registerDocumentCommands(CLI::App &importCmd, CLI::App &exportCmd, Context &ctx);
// errors and compare: per-item error review and run comparison.
void registerAnalysisCommands(CLI::App &app, Context &ctx);
// gate, review and approve: the approval gate.
void registerGateCommands(CLI::App &app, Context &ctx);
// export-model: an approved run's model and model card.
void registerModelCommands(CLI::App &app, Context &ctx);

// Prints "annotune-cli: <message>" on stderr and returns 2.
int fail(const QString &message);
QString qstr(const std::string &s);
// "train", "val", "test" or "all" (nullopt); anything else fails naming --split.
core::Result<std::optional<core::Split>> splitOption(const std::string &text);

} // namespace annotune::app::cli
