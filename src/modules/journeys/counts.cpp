// Who writes people's plans, for other modules (the Co-Production Star's evidence from the
// platform's own records): how many saved versions of goals and steps there were, and how many of
// them the person whose plan it is saved themself (journey_plan_history.by_user is their own
// account). Counts only: no person, goal or step leaves this module.
#include "modules/journeys/journeys.hpp"

namespace cp::modules::journeys_store {

PlanAuthorship plan_authorship(store::Scope& s, std::int64_t from, std::int64_t to) {
  PlanAuthorship out;
  auto goals = s.read(
      "SELECT COUNT(*), COALESCE(SUM(CASE WHEN p.user_id IS NOT NULL AND h.by_user = p.user_id THEN 1 ELSE 0 END), 0)"
      " FROM journey_plan_history h"
      " JOIN journey_goals g ON g.partnership_id = $1 AND g.id = h.item_id"
      " JOIN journey_people p ON p.partnership_id = $1 AND p.id = g.person_id"
      " WHERE h.partnership_id = $1 AND h.item_type = 'goal' AND h.at >= $2 AND h.at < $3",
      {from, to});
  auto steps = s.read(
      "SELECT COUNT(*), COALESCE(SUM(CASE WHEN p.user_id IS NOT NULL AND h.by_user = p.user_id THEN 1 ELSE 0 END), 0)"
      " FROM journey_plan_history h"
      " JOIN journey_steps st ON st.partnership_id = $1 AND st.id = h.item_id"
      " JOIN journey_people p ON p.partnership_id = $1 AND p.id = st.person_id"
      " WHERE h.partnership_id = $1 AND h.item_type = 'step' AND h.at >= $2 AND h.at < $3",
      {from, to});
  out.changes = goals.one().i64(0) + steps.one().i64(0);
  out.by_person = goals.one().i64(1) + steps.one().i64(1);
  return out;
}

}  // namespace cp::modules::journeys_store
