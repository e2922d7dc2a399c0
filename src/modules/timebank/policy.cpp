#include "modules/timebank/extras.hpp"

namespace cp::modules::timebank_policy {

using auth::Role;

// Offers, requests and members' names are for people in the partnership, not the open web.
bool can_browse(const std::optional<auth::Actor>& a) { return a.has_value(); }

bool can_join(const std::optional<auth::Actor>& a) { return a.has_value(); }

bool can_broker(const std::optional<auth::Actor>& a) {
  return a && (a->has(Role::worker) || a->has(Role::manager) || a->has(Role::admin));
}

bool can_change_settings(const std::optional<auth::Actor>& a) { return a && a->has(Role::admin); }

// A correction moves hours away from someone: kept to the partnership's admins.
bool can_reverse(const std::optional<auth::Actor>& a) { return a && a->has(Role::admin); }

bool acts_for(const std::optional<auth::Actor>& a, const timebank::Member& m) {
  if (!a) return false;
  if (m.kind == "person") return m.user_id && *m.user_id == a->user_id;
  if (m.kind == "organisation") return m.organisation_id && a->has_for(Role::manager, *m.organisation_id);
  return false;
}

bool can_see_balance(const std::optional<auth::Actor>& a, const timebank::Member& m) {
  return acts_for(a, m) || can_broker(a);
}

bool can_close_listing(const std::optional<auth::Actor>& a, const timebank::Member& owner) {
  return acts_for(a, owner) || can_broker(a);
}

}  // namespace cp::modules::timebank_policy

namespace cp::modules::timebank_policy {

using auth::Role;

// Commissioners fund the timebank and need its figures, but do not broker: they see counts, not names.
bool can_see_reports(const std::optional<auth::Actor>& a) { return can_broker(a) || (a && a->has(Role::commissioner)); }

bool can_decide_awards(const std::optional<auth::Actor>& a) { return a && a->has(Role::admin); }

bool can_manage_rotas(const std::optional<auth::Actor>& a) { return can_broker(a); }

}  // namespace cp::modules::timebank_policy
