#include "modules/capabilities/capabilities.hpp"

namespace cp::modules::capabilities_policy {

using auth::Role;

bool can_keep_own(const std::optional<auth::Actor>& a) { return a.has_value(); }

// Until the journeys module knows whom each worker supports, any worker may record for any person
// account in the partnership; the audit trail names both.
bool can_record_for_others(const std::optional<auth::Actor>& a) { return a && a->has(Role::worker); }

// Commissioners and councillors are staff too, but they plan services, not support people: they see
// only what people shared with every member.
bool is_offer_staff(const std::optional<auth::Actor>& a) {
  return a && (a->has(Role::worker) || a->has(Role::manager) || a->has(Role::admin));
}

bool can_browse(const std::optional<auth::Actor>& a) { return a.has_value(); }

bool can_edit(const std::optional<auth::Actor>& a, const Offer& o) {
  return a && o.status == "active" && (a->user_id == o.person_id || a->user_id == o.recorded_by);
}

}  // namespace cp::modules::capabilities_policy
