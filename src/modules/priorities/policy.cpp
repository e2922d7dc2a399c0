#include "modules/priorities/priorities.hpp"

namespace cp::modules::priorities::policy {

using auth::Role;

// Everyone who belongs to the partnership sees the matrix and rates: the point is to hear from
// people who use services as well as staff.
bool can_view(const std::optional<auth::Actor>& a) { return a.has_value(); }
bool can_rate(const std::optional<auth::Actor>& a) { return a.has_value(); }

// Those who can commit the partnership's time set up exercises and decide what to take on.
bool can_manage(const std::optional<auth::Actor>& a) {
  return a && (a->has(Role::admin) || a->has(Role::manager) || a->has(Role::commissioner));
}

}  // namespace cp::modules::priorities::policy
