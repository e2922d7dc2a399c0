// The self-assessment "distance travelled" figures, kept with the employability counters (kpi.cpp,
// dim "sa": value the scale id, metrics people and change) for every scope a person counts in.
//
// Why here: the figure for an organisation or a service needs to know who that organisation has
// supported and who has an accepted referral to the service, which only journeys knows and already
// keeps right for its own counters (KpiChange). kpi_contribution asks the selfassess module what one
// person adds (selfassess_store::person_distance); selfassess wraps each of its writes in KpiChange,
// so a new answer, a new referral accepted or an erasure each move the kept sums in the writing
// transaction. A lens read is then one read of a scope's kept rows, whatever the number of people.
//
// This file is the rebuild half: everyone's changes (selfassess_store::all_distances), joined in
// memory to the scopes each person counts in, read here a range of person ids at a time.
#include <map>
#include <vector>

#include "modules/journeys/kpi.hpp"
#include "modules/selfassess/selfassess.hpp"

namespace cp::modules::journeys {

void add_distance_counts(store::Scope& s, KpiCounts& c) {
  const auto all = selfassess_store::all_distances(s);  // ascending person id
  constexpr std::int64_t kStep = 20000;
  std::size_t i = 0;
  while (i < all.size()) {
    const std::int64_t from = all[i].person_id, to = from + kStep;
    std::size_t j = i;
    while (j < all.size() && all[j].person_id < to) ++j;
    std::map<std::int64_t, std::vector<std::string>> scopes;
    for (const auto& r :
         s.read("SELECT id, 'all' FROM journey_people WHERE partnership_id = $1 AND id >= $2 AND id < $3"
                " UNION SELECT person_id, 'o:' || CAST(organisation_id AS TEXT) FROM journey_kpi_orgs"
                " WHERE partnership_id = $1 AND person_id >= $2 AND person_id < $3"
                " UNION SELECT person_id, 's:' || CAST(service_id AS TEXT) FROM journey_referrals"
                " WHERE partnership_id = $1 AND status = 'accepted' AND person_id >= $2 AND person_id < $3"
                " UNION SELECT ko.person_id, 'o:' || CAST(ko.organisation_id AS TEXT) || '/s:' ||"
                " CAST(kr.service_id AS TEXT) FROM journey_kpi_orgs ko JOIN journey_referrals kr"
                " ON kr.partnership_id = $1 AND kr.person_id = ko.person_id AND kr.status = 'accepted'"
                " WHERE ko.partnership_id = $1 AND ko.person_id >= $2 AND ko.person_id < $3",
                {from, to})
             .rows)
      scopes[r.i64(0)].push_back(r.text(1));
    for (; i < j; ++i) {
      auto it = scopes.find(all[i].person_id);
      if (it == scopes.end()) continue;  // answers without a record count nowhere, as in kpi_contribution
      const std::string scale = std::to_string(all[i].scale_id);
      for (const auto& sc : it->second) {
        c[{sc, "sa", scale, "people"}] += 1;
        c[{sc, "sa", scale, "change"}] += all[i].change;
      }
    }
  }
}

}  // namespace cp::modules::journeys
