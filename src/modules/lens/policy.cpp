#include "modules/lens/lens.hpp"

namespace cp::modules::lens::lens_policy {

using auth::Role;

// The whole partnership's figures are for those who answer for the partnership: its admins and
// commissioners. Counts only, and suppressed, but they still describe the people services support.
bool can_view_partnership(const std::optional<auth::Actor>& a) {
  return a && (a->has(Role::admin) || a->has(Role::commissioner));
}

// An organisation's managers see their own organisation's figures.
bool can_view_organisation(const std::optional<auth::Actor>& a, std::int64_t organisation_id) {
  return can_view_partnership(a) || (a && a->has_for(Role::manager, organisation_id));
}

// A service's figures: as for the organisation that runs it.
bool can_view_service(const std::optional<auth::Actor>& a, std::optional<std::int64_t> service_organisation_id) {
  return can_view_partnership(a) || (service_organisation_id && can_view_organisation(a, *service_organisation_id));
}

bool can_use(const std::optional<auth::Actor>& a) { return can_view_partnership(a) || (a && a->has(Role::manager)); }

}  // namespace cp::modules::lens::lens_policy
