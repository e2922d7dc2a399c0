// Who may do what in "Grow it". The only place that decides; handlers only ask.
#include "modules/grow/grow.hpp"

namespace cp::modules::grow::policy {

using auth::Role;

// The champions list is for the partnership's own people: anyone signed in here.
bool can_see_champions(const std::optional<auth::Actor>& a) { return a.has_value(); }
bool can_manage_champions(const std::optional<auth::Actor>& a) { return a && a->is_staff(); }
bool can_nominate_self(const std::optional<auth::Actor>& a) { return a.has_value(); }

// Business cases name costs and the partnership's working assumptions: staff read and change them.
bool can_use_business_case(const std::optional<auth::Actor>& a) { return a && a->is_staff(); }

bool can_assess_self(const std::optional<auth::Actor>& a) { return a && a->is_staff(); }
bool can_edit_framework(const std::optional<auth::Actor>& a) { return a && a->has(Role::admin); }
bool is_manager(const std::optional<auth::Actor>& a) { return a && a->has(Role::manager); }

bool can_view_shared(const std::optional<auth::Actor>& a, const Share& share) {
  if (!a || !share.shared || !share.organisation_id) return false;
  if (a->user_id == share.user_id) return false;  // their own page is elsewhere
  return a->has_for(Role::manager, *share.organisation_id);
}

std::optional<std::int64_t> home_organisation(const auth::Actor& a) {
  for (const auto& g : a.grants)
    if ((g.role == Role::worker || g.role == Role::manager) && g.organisation_id) return g.organisation_id;
  return std::nullopt;
}

}  // namespace cp::modules::grow::policy
