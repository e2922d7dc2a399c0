#include "modules/charters/charters.hpp"

namespace cp::modules::charters::policy {

using auth::Role;

// A charter is an agreement between everyone who takes part, so every member reads and signs it.
bool can_read(const std::optional<auth::Actor>& a) { return a.has_value(); }
bool can_sign(const std::optional<auth::Actor>& a) { return a.has_value(); }

// Those who speak for the agency write and publish what it commits to.
bool can_manage(const std::optional<auth::Actor>& a) {
  return a && (a->has(Role::admin) || a->has(Role::manager) || a->has(Role::commissioner));
}

}  // namespace cp::modules::charters::policy
