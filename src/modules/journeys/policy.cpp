#include <algorithm>

#include "modules/journeys/journeys.hpp"

namespace cp::modules::journeys_policy {

using auth::Role;

bool can_keep_own(const std::optional<auth::Actor>& a) { return a.has_value(); }

// Only workers hold caseloads. Managers, commissioners and admins do not open people's records
// through their role: the access that matters is the key-worker link plus the person's consent.
bool can_keep_caseload(const std::optional<auth::Actor>& a) { return a && a->has(Role::worker); }

bool can_set_lawful_basis(const std::optional<auth::Actor>& a) { return a && a->has(Role::admin); }

std::optional<std::int64_t> worker_organisation(const std::optional<auth::Actor>& a) {
  if (!a) return std::nullopt;
  for (const auto& g : a->grants)
    if (g.role == Role::worker && g.organisation_id) return g.organisation_id;
  return std::nullopt;
}

std::vector<std::int64_t> referral_organisations(const std::optional<auth::Actor>& a) {
  std::vector<std::int64_t> out;
  if (!a) return out;
  for (const auto& g : a->grants)
    if ((g.role == Role::worker || g.role == Role::manager) && g.organisation_id &&
        std::find(out.begin(), out.end(), *g.organisation_id) == out.end())
      out.push_back(*g.organisation_id);
  return out;
}

std::optional<std::int64_t> managed_organisation(const std::optional<auth::Actor>& a) {
  if (!a) return std::nullopt;
  for (const auto& g : a->grants)
    if (g.role == Role::manager && g.organisation_id) return g.organisation_id;
  return std::nullopt;
}

}  // namespace cp::modules::journeys_policy
