#include <map>
#include <mutex>
#include <stdexcept>

#include "core/util.hpp"
#include "modules/moderation/moderation.hpp"
#include "modules/moderation/queue.hpp"

namespace cp::modules::moderation {

namespace {
// Kinds are registered once at start-up and read on every report; a mutex keeps a late
// registration (tests build several apps) safe.
std::mutex kinds_mu;
std::map<std::string, Kind>& kinds() {
  static std::map<std::string, Kind> k;
  return k;
}
}  // namespace

void register_kind(Kind k) {
  if (k.name.empty() || !k.fetch || !k.set_hidden) throw std::invalid_argument("moderation kind needs a name, fetch and set_hidden");
  std::lock_guard lock(kinds_mu);
  auto name = k.name;
  kinds()[name] = std::move(k);
}

bool has_kind(const std::string& name) {
  std::lock_guard lock(kinds_mu);
  return kinds().count(name) > 0;
}

std::optional<Kind> find_kind(const std::string& name) {
  std::lock_guard lock(kinds_mu);
  auto it = kinds().find(name);
  if (it == kinds().end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> kind_names() {
  std::lock_guard lock(kinds_mu);
  std::vector<std::string> out;
  for (const auto& [n, _] : kinds()) out.push_back(n);
  return out;
}

std::string report_link(const std::string& kind, std::int64_t id) { return "/report/" + kind + "/" + std::to_string(id); }

}  // namespace cp::modules::moderation
