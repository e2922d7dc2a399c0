#include "modules/plain/shared.hpp"

#include <map>
#include <memory>
#include <mutex>

namespace cp::plain {

const Checker& shared_checker(const std::string& share_dir) {
  // Checkers are never freed: a reference handed out must stay good while any App still runs.
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<Checker>> checkers;
  std::lock_guard lock(mu);
  auto& slot = checkers[share_dir];
  if (!slot) slot = std::make_unique<Checker>(share_dir);
  return *slot;
}

}  // namespace cp::plain
