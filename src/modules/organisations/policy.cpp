#include "modules/organisations/organisations.hpp"

namespace cp::modules::organisations_policy {

using auth::Role;

// The directory is open: partners and the public need to know who does what.
bool can_list(const std::optional<auth::Actor>&) { return true; }

bool can_view(const std::optional<auth::Actor>& a, const Organisation& o) {
  if (!o.archived) return true;
  return a && (a->has(Role::admin) || a->has_for(Role::manager, o.id));
}

bool can_create(const std::optional<auth::Actor>& a) { return a && a->has(Role::admin); }

bool can_edit(const std::optional<auth::Actor>& a, const Organisation& o) {
  return a && !o.archived && (a->has(Role::admin) || a->has_for(Role::manager, o.id));
}

bool can_archive(const std::optional<auth::Actor>& a, const Organisation& o) { return can_edit(a, o); }

}  // namespace cp::modules::organisations_policy
