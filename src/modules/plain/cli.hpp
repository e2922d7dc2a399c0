// `coproduce plain check [--json] [FILE|-]`: the plain-language checker from the command line.
#pragma once
#include <CLI/CLI.hpp>

#include <memory>
#include <string>

namespace cp::plain {

struct PlainCli {
  CLI::App* check = nullptr;
  std::string file = "-";
  std::string jargon_file;
  std::string share;
  bool json = false;
  int target = 9;
  std::string lang = "auto";  // auto, en or cy

  bool parsed() const { return check && check->parsed(); }
  // Prints the report; returns the exit code. Throws std::invalid_argument for input it cannot
  // check (unreadable, too big, not UTF-8) and std::runtime_error when its data files are missing.
  int run() const;
};

// Adds `plain check` to the command line. The help texts come from the English catalogue, read
// from the share folder named by COPRODUCE_SHARE or beside the binary.
std::unique_ptr<PlainCli> add_plain_cli(CLI::App& app);

}  // namespace cp::plain
