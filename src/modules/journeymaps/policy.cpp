#include "modules/journeymaps/journeymaps.hpp"

namespace cp::modules::journeymaps::policy {

using auth::Role;

bool can_view(const std::optional<auth::Actor>&) { return true; }

// Staff start a map for a service they work on; everyone then edits it together.
bool can_create(const std::optional<auth::Actor>& a) { return a && a->is_staff() && !a->has(Role::councillor); }

bool can_edit(const std::optional<auth::Actor>& a) { return a.has_value(); }

}  // namespace cp::modules::journeymaps::policy
