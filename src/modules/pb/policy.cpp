#include "modules/pb/process.hpp"

namespace cp::modules::pb_policy {

using auth::Role;

// Participatory budgeting is public: anyone may read a process, its proposals and its results.
bool can_view(const std::optional<auth::Actor>&, const PbProcess&) { return true; }

// Admins and commissioners run processes: they set them up, move phases and review proposals.
bool can_manage(const std::optional<auth::Actor>& a) { return a && (a->has(Role::admin) || a->has(Role::commissioner)); }

// Anyone with an account takes part; the phase decides what they can do (the route says why not).
bool can_propose(const std::optional<auth::Actor>& a, const PbProcess&) { return a.has_value(); }
bool can_support(const std::optional<auth::Actor>& a, const PbProcess&) { return a.has_value(); }
bool can_comment(const std::optional<auth::Actor>& a, const PbProcess&) { return a.has_value(); }
bool can_vote(const std::optional<auth::Actor>& a, const PbProcess&) { return a.has_value(); }

bool can_moderate(const std::optional<auth::Actor>& a) { return can_manage(a); }

// Paper ballots are entered by staff who meet people: workers, managers, commissioners, councillors
// and admins. Every one is marked as assisted and audited with who entered it.
bool can_enter_paper(const std::optional<auth::Actor>& a, const PbProcess&) { return a && a->is_staff(); }

// Anyone with an account rates priorities: people who use services and the panel alike.
bool can_rate_priorities(const std::optional<auth::Actor>& a, const PbProcess&) { return a.has_value(); }

bool can_track_delivery(const std::optional<auth::Actor>& a, const PbProcess&) { return a && a->has(Role::admin); }

// Once an admin assigns a funded project to the organisation delivering it, that organisation's
// workers and managers report its progress themselves; nobody else's staff can.
bool can_update_delivery(const std::optional<auth::Actor>& a, const PbProcess& p, const PbProposal& pr) {
  if (can_track_delivery(a, p)) return true;
  if (!a || !pr.delivery_org_id) return false;
  return a->has_for(Role::worker, *pr.delivery_org_id) || a->has_for(Role::manager, *pr.delivery_org_id);
}

bool can_propose_for(const std::optional<auth::Actor>& a, std::int64_t organisation_id) {
  return a && (a->has_for(Role::worker, organisation_id) || a->has_for(Role::manager, organisation_id));
}

bool can_see_results(const std::optional<auth::Actor>&, const PbProcess& p) { return p.phase == "results"; }

}  // namespace cp::modules::pb_policy
