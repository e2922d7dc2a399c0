// What each person's self-assessment answers add to the kept "distance travelled" figures. The sums
// themselves live with journeys' employability counters (journeys/kpi.hpp, dim "sa"): journeys knows
// which organisation and service a person is with, and already keeps every scope's counters right
// when that changes, so the self-assessment figure for an organisation or a service is one small
// read of kept rows. This module only says what one person (or everyone) adds; it never reads
// journeys' tables, and journeys never reads these.
#include <algorithm>

#include "modules/selfassess/selfassess.hpp"

namespace cp::modules::selfassess_store {

namespace {

// Rows (person, scale, score) ordered by person, scale, date and id: the first and last row of each
// (person, scale) run are the first and latest answers.
void fold(const store::Result& r, std::vector<PersonChange>& out) {
  std::size_t i = 0;
  while (i < r.rows.size()) {
    auto person = r.rows[i].i64(0), scale = r.rows[i].i64(1);
    std::size_t j = i;
    while (j + 1 < r.rows.size() && r.rows[j + 1].i64(0) == person && r.rows[j + 1].i64(1) == scale) ++j;
    if (j > i) out.push_back({person, scale, r.rows[j].i64(2) - r.rows[i].i64(2)});
    i = j + 1;
  }
}

const char* kOrdered =
    "SELECT c.person_id, x.scale_id, x.score FROM selfassess_completions c"
    " JOIN selfassess_scores x ON x.partnership_id = $1 AND x.completion_id = c.id";

}  // namespace

std::map<std::int64_t, std::int64_t> person_distance(store::Scope& s, std::int64_t person_id) {
  std::vector<PersonChange> v;
  fold(s.read(std::string(kOrdered) + " WHERE c.partnership_id = $1 AND c.person_id = $2"
                                      " ORDER BY x.scale_id, c.completed_on, c.id",
              {person_id}),
       v);
  std::map<std::int64_t, std::int64_t> out;
  for (const auto& c : v) out[c.scale_id] = c.change;
  return out;
}

std::vector<PersonChange> all_distances(store::Scope& s) {
  std::vector<PersonChange> out;
  auto range = s.read("SELECT MIN(person_id), MAX(person_id) FROM selfassess_completions WHERE partnership_id = $1");
  if (range.empty() || range.rows[0].null(0)) return out;
  const std::int64_t lo = range.rows[0].i64(0), hi = range.rows[0].i64(1);
  constexpr std::int64_t kStep = 20000;  // person ids per read: a few hundred thousand rows at most
  for (std::int64_t from = lo; from <= hi; from += kStep)
    fold(s.read(std::string(kOrdered) + " WHERE c.partnership_id = $1 AND c.person_id >= $2 AND c.person_id < $3"
                                        " ORDER BY c.person_id, x.scale_id, c.completed_on, c.id",
                {from, from + kStep}),
         out);
  return out;
}

std::vector<ScaleChange> distance_from_sums(store::Scope& s,
                                            const std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>>& sums) {
  std::vector<ScaleChange> out;
  for (const auto& sc : scales(s, false)) {
    ScaleChange c;
    c.scale_id = sc.id;
    c.name = sc.name;
    auto it = sums.find(sc.id);
    if (it != sums.end() && it->second.first > 0) {
      c.people = it->second.first;
      c.mean_change = double(it->second.second) / double(it->second.first);
    }
    if (!sc.active && c.people == 0) continue;  // a retired scale nobody moved on says nothing
    out.push_back(c);
  }
  return out;
}

}  // namespace cp::modules::selfassess_store
