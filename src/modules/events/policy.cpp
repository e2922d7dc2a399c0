#include "modules/events/events.hpp"

namespace cp::modules::events::policy {

using auth::Role;

// Labs are public: people find out about them before they have an account.
bool can_view(const std::optional<auth::Actor>&) { return true; }

// Staff who run co-production work make labs; councillors take part but do not run them.
bool can_create(const std::optional<auth::Actor>& a) {
  return a && (a->has(Role::worker) || a->has(Role::manager) || a->has(Role::commissioner) || a->has(Role::admin));
}

// The organiser runs their own lab (sign-ups, attendance, expenses); admins and commissioners can
// step in for any lab.
bool can_manage(const std::optional<auth::Actor>& a, const Event& e) {
  return a && (a->user_id == e.organiser_id || a->has(Role::admin) || a->has(Role::commissioner));
}

bool can_sign_up(const std::optional<auth::Actor>& a) { return a.has_value(); }

}  // namespace cp::modules::events::policy
