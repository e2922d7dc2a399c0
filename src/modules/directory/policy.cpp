// Who may do what with the directory's pages and the Community Asset Survey.
#include "modules/directory/directory.hpp"

namespace cp::modules::directory_policy {

using auth::Role;

// The directory is open data: anyone may look for a service, signed in or not.
bool can_search(const std::optional<auth::Actor>&) { return true; }

// The people who answer for a service's details: its organisation's managers, and partnership admins.
bool can_mark_checked(const std::optional<auth::Actor>& a, std::optional<std::int64_t> organisation_id) {
  if (!a) return false;
  if (a->has(Role::admin)) return true;
  return organisation_id && a->has_for(Role::manager, *organisation_id);
}

bool can_edit_text(const std::optional<auth::Actor>& a, std::optional<std::int64_t> organisation_id) {
  return can_mark_checked(a, organisation_id);
}

// An overdue check is a note for staff; the public page stays calm and just shows the date.
bool can_see_freshness(const std::optional<auth::Actor>& a) { return a && a->is_staff(); }

bool can_review(const std::optional<auth::Actor>& a) { return a && (a->has(Role::admin) || a->has(Role::manager)); }

// Anyone in the partnership with an account may tell us about a place they know; a worker may
// enter one on someone's behalf.
bool can_suggest(const std::optional<auth::Actor>& a) { return a.has_value(); }

// Managers know their patch and admins run the directory, so both may publish or turn down a suggestion.
bool can_moderate(const std::optional<auth::Actor>& a) { return a && (a->has(Role::admin) || a->has(Role::manager)); }

// Replacing the directory wholesale, or taking a copy with staff contacts and refuge addresses in
// it, is the partnership's decision, so only its admins may.
bool can_import_export(const std::optional<auth::Actor>& a) { return a && a->has(Role::admin); }

}  // namespace cp::modules::directory_policy
