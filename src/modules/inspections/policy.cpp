#include "modules/inspections/inspections.hpp"

namespace cp::modules::inspections::inspections_policy {

using auth::Role;

// Published reports are for everyone: that is the point of inspecting in public.
bool can_read_published(const std::optional<auth::Actor>&) { return true; }

// Commissioners plan inspections of what they pay for; admins run the programme.
bool can_manage(const std::optional<auth::Actor>& a) { return a && (a->has(Role::admin) || a->has(Role::commissioner)); }

bool can_admin(const std::optional<auth::Actor>& a) { return a && a->has(Role::admin); }

bool can_see(const std::optional<auth::Actor>& a, const Inspection& i, bool member,
             const directory_store::ServiceBrief& service) {
  if (i.status == "published") return true;
  if (member || can_manage(a)) return true;
  // The service sees its report once it has been sent to it for a response.
  return i.status == "sent" && can_respond(a, i, service);
}

bool can_work(const std::optional<auth::Actor>& a, const Inspection& i, bool member) {
  if (i.status != "planned") return false;
  return a && (member || a->has(Role::admin));
}

bool can_lead(const std::optional<auth::Actor>& a, const Inspection& i) {
  return a && (a->user_id == i.lead_user_id || a->has(Role::admin));
}

bool can_respond(const std::optional<auth::Actor>& a, const Inspection& i, const directory_store::ServiceBrief& service) {
  if (!a || i.status == "planned") return false;
  if (a->has(Role::admin)) return true;
  return service.organisation_id && a->has_for(Role::manager, *service.organisation_id);
}

}  // namespace cp::modules::inspections::inspections_policy
