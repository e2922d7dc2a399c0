// `coproduce pb ...`: counting a Pabulib file from the command line.
//   pb tally --rule RULE [--explain] [--per-voter] FILE.pb
//   pb generate [--voters N] [--projects N] [--approvals N] [--seed N] [--out FILE]
//   pb export --partnership SLUG --process ID [--area ID] OUT.pb
//   pb import --partnership SLUG FILE.pb
// These two are declared outside any namespace because src/main.cpp declares them again at its
// `[pb ...]` hook lines, where an #include cannot go.
#pragma once
#include <CLI/CLI.hpp>

// Adds the `pb` subcommand to `parent` and returns it.
CLI::App* add_pb_cli(CLI::App& parent);
// Runs whichever pb subcommand was parsed. Returns the exit code: 0, or 1 for a bad file or rule
// (the message, from the pb catalogue, goes to standard error).
int run_pb_cli();
