#include "modules/ratings/ratings.hpp"

namespace cp::modules::ratings::ratings_policy {

using auth::Role;

// Ratings help people choose a service: everyone may read them.
bool can_read(const std::optional<auth::Actor>&) { return true; }

// Only people with an account rate, so each person has one rating per service and can change it.
bool can_rate(const std::optional<auth::Actor>& a) { return a.has_value(); }

// Workers see who uses which service; managers and admins stand behind them.
bool can_verify(const std::optional<auth::Actor>& a) {
  return a && (a->has(Role::worker) || a->has(Role::manager) || a->has(Role::admin));
}

bool can_answer(const std::optional<auth::Actor>& a, const directory_store::ServiceBrief& service) {
  if (!a) return false;
  if (a->has(Role::admin)) return true;
  return service.organisation_id && a->has_for(Role::manager, *service.organisation_id);
}

}  // namespace cp::modules::ratings::ratings_policy
