// The people an organisation or a service works with, as record ids, for the learning lens's
// "what other data" figures (self-assessment change). The lens never sees who they are: it hands the
// ids straight to the self-assessment module's aggregate.
#include "modules/journeys/journeys.hpp"

namespace cp::modules::journeys_store {

std::vector<std::int64_t> people_in(store::Scope& s, std::optional<std::int64_t> organisation_id,
                                    std::optional<std::int64_t> service_id) {
  std::vector<std::int64_t> out;
  store::Result r;
  if (organisation_id)
    r = s.read("SELECT DISTINCT person_id FROM journey_keyworkers WHERE partnership_id = $1 AND organisation_id = $2"
               " ORDER BY person_id",
               {*organisation_id});
  else if (service_id)
    r = s.read("SELECT DISTINCT person_id FROM journey_referrals WHERE partnership_id = $1 AND service_id = $2"
               " AND status = 'accepted' ORDER BY person_id",
               {*service_id});
  else
    r = s.read("SELECT id FROM journey_people WHERE partnership_id = $1 ORDER BY id");
  out.reserve(r.rows.size());
  for (const auto& row : r.rows) out.push_back(row.i64(0));
  return out;
}

}  // namespace cp::modules::journeys_store
