// Distance travelled in aggregate, for the learning lens: counts and means only, never a person.
#include <algorithm>
#include <map>

#include "modules/selfassess/selfassess.hpp"

namespace cp::modules::selfassess_store {

std::vector<ScaleChange> distance_travelled(store::Scope& s, const std::optional<std::vector<std::int64_t>>& people) {
  // Rows come ordered by person, scale and date, so the first and last score of each pair are the
  // first and last rows of its run. Same-day completions are ordered by id (the later one counts).
  auto r = s.read(
      "SELECT c.person_id, x.scale_id, x.score FROM selfassess_completions c"
      " JOIN selfassess_scores x ON x.completion_id = c.id AND x.partnership_id = $1"
      " WHERE c.partnership_id = $1 ORDER BY c.person_id, x.scale_id, c.completed_on, c.id");
  std::vector<std::int64_t> allowed;
  if (people) {
    allowed = *people;
    std::sort(allowed.begin(), allowed.end());
  }
  struct Sum {
    std::int64_t people = 0, change = 0;
  };
  std::map<std::int64_t, Sum> sums;
  std::size_t i = 0;
  while (i < r.rows.size()) {
    auto person = r.rows[i].i64(0), scale = r.rows[i].i64(1);
    std::size_t j = i;
    while (j + 1 < r.rows.size() && r.rows[j + 1].i64(0) == person && r.rows[j + 1].i64(1) == scale) ++j;
    bool in = !people || std::binary_search(allowed.begin(), allowed.end(), person);
    if (in && j > i) {  // answered at least twice: a change can be measured
      auto& sum = sums[scale];
      sum.people += 1;
      sum.change += r.rows[j].i64(2) - r.rows[i].i64(2);
    }
    i = j + 1;
  }
  std::vector<ScaleChange> out;
  for (const auto& sc : scales(s, false)) {
    ScaleChange c;
    c.scale_id = sc.id;
    c.name = sc.name;
    auto it = sums.find(sc.id);
    if (it != sums.end()) {
      c.people = it->second.people;
      c.mean_change = double(it->second.change) / double(it->second.people);
    }
    if (!sc.active && c.people == 0) continue;  // a retired scale nobody moved on says nothing
    out.push_back(c);
  }
  return out;
}

}  // namespace cp::modules::selfassess_store
