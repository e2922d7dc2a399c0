// The plain-language checker as the web pages use it: one Checker per share folder, built on first
// use and kept for the life of the process, so no request ever reads the data files again.
#pragma once
#include <string>

#include "modules/plain/plain.hpp"

namespace cp::plain {

// The checker for the data in <share_dir>/data/plain/. Built once per share folder (every App in a
// process with the same share folder reads the same files, so they can share one); thread-safe.
// Throws std::runtime_error, as Checker does, when the data files are missing or bad.
const Checker& shared_checker(const std::string& share_dir);

}  // namespace cp::plain
