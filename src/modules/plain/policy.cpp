// Who may do what with the plain-language assistant. One place; handlers only ask.
#include "modules/plain/policy.hpp"

namespace cp::plain::policy {

using auth::Role;

// The settings and the partnership's word list shape what every author is told: admins only.
bool can_manage(const std::optional<auth::Actor>& a) { return a && a->has(Role::admin); }

// The report lists every published text and how hard it reads; it is for those who can get the
// texts changed.
bool can_see_report(const std::optional<auth::Actor>& a) { return can_manage(a); }

// Anyone signed in may write something for others (a proposal, a service, a letter), so anyone
// signed in may check it. Not anonymous visitors: the check costs CPU and they publish nothing.
bool can_check(const std::optional<auth::Actor>& a) { return a.has_value(); }

// The writing guide is for everyone.
bool can_read_guide(const std::optional<auth::Actor>&) { return true; }

}  // namespace cp::plain::policy
