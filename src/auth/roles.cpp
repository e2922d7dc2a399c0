#include "auth/roles.hpp"

namespace cp::auth {

std::string to_string(Role r) {
  switch (r) {
    case Role::person: return "person";
    case Role::worker: return "worker";
    case Role::manager: return "manager";
    case Role::commissioner: return "commissioner";
    case Role::councillor: return "councillor";
    case Role::admin: return "admin";
  }
  return "person";
}

std::optional<Role> parse_role(const std::string& s) {
  for (Role r : kAllRoles)
    if (to_string(r) == s) return r;
  return std::nullopt;
}

bool Actor::has(Role r) const {
  for (const auto& g : grants)
    if (g.role == r) return true;
  return false;
}

bool Actor::has_for(Role r, std::int64_t organisation_id) const {
  for (const auto& g : grants)
    if (g.role == r && g.organisation_id && *g.organisation_id == organisation_id) return true;
  return false;
}

bool Actor::is_staff() const {
  for (const auto& g : grants)
    if (g.role != Role::person) return true;
  return false;
}

}  // namespace cp::auth
