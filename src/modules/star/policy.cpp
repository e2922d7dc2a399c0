#include "modules/star/star.hpp"

namespace cp::modules::star::policy {

using auth::Role;

// The star is the partnership looking at itself: everyone signed in to it may see the results and
// take part, whatever their role. Answers are shown by actor group, never by name.
bool can_view(const std::optional<auth::Actor>& a) { return a.has_value(); }
bool can_respond(const std::optional<auth::Actor>& a) { return a.has_value(); }

// Starting, repeating and closing an audit is for the people who run the partnership's work:
// admins, managers and commissioners (any of them, for any subject: the audit belongs to the
// partnership, not to one organisation).
bool can_manage(const std::optional<auth::Actor>& a) {
  return a && (a->has(Role::admin) || a->has(Role::manager) || a->has(Role::commissioner));
}

}  // namespace cp::modules::star::policy
