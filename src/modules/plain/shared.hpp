// The plain-language checker as the web pages use it: one Checker per share folder, built on first
// use and kept for the life of the process, so no request ever reads the data files again.
#pragma once
#include <string>

#include "modules/plain/plain.hpp"

namespace cp::plain {

// The reading age (in years) a partnership's public text should not go above. The issue asks for
// a per-partnership setting with 9 as the default; until that setting exists every partnership
// gets this value. Text over it is warned about, never refused.
inline constexpr int kTargetReadingAge = 9;

// The checker for the data in <share_dir>/data/plain/. Built once per share folder (every App in a
// process with the same share folder reads the same files, so they can share one); thread-safe.
// Throws std::runtime_error, as Checker does, when the data files are missing or bad.
const Checker& shared_checker(const std::string& share_dir);

}  // namespace cp::plain
