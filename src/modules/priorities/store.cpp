#include <algorithm>
#include <map>
#include <stdexcept>

#include "core/util.hpp"
#include "modules/priorities/priorities.hpp"

namespace cp::modules::priorities {

std::string to_string(Quadrant q) {
  switch (q) {
    case Quadrant::quick_win: return "quick_win";
    case Quadrant::big_project: return "big_project";
    case Quadrant::small_job: return "small_job";
    case Quadrant::not_worth_it: return "not_worth_it";
    case Quadrant::unplaced: break;
  }
  return "unplaced";
}

bool is_axis(const std::string& axis) { return std::find(kAxes.begin(), kAxes.end(), axis) != kAxes.end(); }

Quadrant quadrant_of(const Mean& impact, const Mean& second, const std::string& axis) {
  if (!is_axis(axis)) throw std::invalid_argument("unknown axis");
  if (!impact.known() || !second.known()) return Quadrant::unplaced;
  bool high_impact = impact.compare_to(kMidpoint) > 0;  // exactly 3 is not high
  // "Easy" is low effort or high feasibility; exactly 3 is neither.
  bool easy = axis == "effort" ? second.compare_to(kMidpoint) < 0 : second.compare_to(kMidpoint) > 0;
  if (high_impact) return easy ? Quadrant::quick_win : Quadrant::big_project;
  return easy ? Quadrant::small_job : Quadrant::not_worth_it;
}

namespace {
// a < b as exact fractions (both known).
int cmp_means(const Mean& a, const Mean& b) {
  auto l = a.sum * b.n, r = b.sum * a.n;
  return l < r ? -1 : (l == r ? 0 : 1);
}
}  // namespace

std::vector<Placed> compute(const std::vector<Initiative>& initiatives, const std::vector<Rating>& ratings,
                            const std::string& axis) {
  if (!is_axis(axis)) throw std::invalid_argument("unknown axis");
  // Easier first: lower effort, or higher feasibility.
  const int easier = axis == "effort" ? -1 : 1;
  std::map<std::int64_t, std::size_t> at;
  std::vector<Placed> out;
  for (const auto& i : initiatives) {
    at[i.id] = out.size();
    out.push_back({i, {}, {}, 0, Quadrant::unplaced});
  }
  for (const auto& r : ratings) {
    auto it = at.find(r.initiative_id);
    if (it == at.end()) continue;
    auto& p = out[it->second];
    if (!r.impact && !r.effort) continue;
    ++p.raters;
    if (r.impact) p.impact.sum += *r.impact, ++p.impact.n;
    if (r.effort) p.effort.sum += *r.effort, ++p.effort.n;
  }
  for (auto& p : out) p.quadrant = quadrant_of(p.impact, p.effort, axis);
  std::stable_sort(out.begin(), out.end(), [easier](const Placed& a, const Placed& b) {
    if (a.quadrant != b.quadrant) return static_cast<int>(a.quadrant) < static_cast<int>(b.quadrant);
    if (a.impact.known() && b.impact.known()) {
      if (int c = cmp_means(a.impact, b.impact)) return c > 0;
    } else if (a.impact.known() != b.impact.known()) {
      return a.impact.known();
    }
    if (a.effort.known() && b.effort.known()) {
      if (int c = cmp_means(a.effort, b.effort)) return c == easier;
    } else if (a.effort.known() != b.effort.known()) {
      return a.effort.known();
    }
    return a.initiative.number < b.initiative.number;
  });
  return out;
}

namespace store_fn {

namespace {

Exercise exercise_from(const store::Row& r) {
  return {r.i64(0), r.text(1), r.text(2), r.text(3), r.i64(4), r.i64(5), r.text(6)};
}
constexpr const char* kExercise =
    "SELECT id, title, intro, status, created_by, created_at, axis FROM priority_exercises";

Initiative initiative_from(const store::Row& r) {
  return {r.i64(0), r.i64(1), r.i64(2), r.text(3), r.text(4), r.opt_i64(5), r.i64(6), r.text(7), r.text(8)};
}
constexpr const char* kInitiative =
    "SELECT id, exercise_id, number, title, description, idea_id, created_at, title_cy, description_cy"
    " FROM priority_initiatives";

Decision decision_from(const store::Row& r) {
  return {r.i64(0), r.i64(1), r.text(2), r.text(3), r.text(4), r.i64(5), r.i64(6)};
}

std::optional<int> opt_int(const store::Row& r, std::size_t i) {
  if (r.null(i)) return std::nullopt;
  return static_cast<int>(r.i64(i));
}

store::Value opt_value(std::optional<int> v) { return v ? store::Value(static_cast<std::int64_t>(*v)) : store::Value(nullptr); }

}  // namespace

std::int64_t create_exercise(store::Scope& s, const std::string& title, const std::string& intro, std::int64_t by,
                             const std::string& axis) {
  if (trim(title).empty()) throw std::invalid_argument("an exercise needs a title");
  if (!is_axis(axis)) throw std::invalid_argument("the second axis must be effort or feasibility");
  return s.insert({"priorities.exercise_create", "priority_exercise", std::nullopt, axis},
                  "INSERT INTO priority_exercises (partnership_id, title, intro, created_by, created_at, axis)"
                  " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                  {trim(title), trim(intro), by, now_seconds(), axis});
}

std::vector<Exercise> exercises(store::Scope& s) {
  std::vector<Exercise> out;
  for (const auto& r : s.read(std::string(kExercise) + " WHERE partnership_id = $1 ORDER BY created_at DESC, id DESC").rows)
    out.push_back(exercise_from(r));
  return out;
}

std::optional<Exercise> exercise(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string(kExercise) + " WHERE partnership_id = $1 AND id = $2", {id});
  if (r.empty()) return std::nullopt;
  return exercise_from(r.one());
}

bool set_status(store::Scope& s, std::int64_t id, const std::string& status) {
  if (status != "open" && status != "closed") throw std::invalid_argument("status must be open or closed");
  return s.write({"priorities.exercise_status", "priority_exercise", id, status},
                 "UPDATE priority_exercises SET status = $3 WHERE partnership_id = $1 AND id = $2 AND status <> $3",
                 {id, status}) == 1;
}

std::int64_t add_initiative(store::Scope& s, std::int64_t exercise_id, const std::string& title,
                            const std::string& description, std::optional<std::int64_t> idea_id, std::int64_t by,
                            const std::string& title_cy, const std::string& description_cy) {
  if (trim(title).empty() && trim(title_cy).empty()) throw std::invalid_argument("an initiative needs a title");
  auto next = s.read("SELECT COALESCE(MAX(number), 0) + 1 FROM priority_initiatives WHERE partnership_id = $1"
                     " AND exercise_id = $2",
                     {exercise_id})
                  .one()
                  .i64(0);
  store::Value idea = idea_id ? store::Value(*idea_id) : store::Value(nullptr);
  return s.insert({"priorities.initiative_add", "priority_initiative", std::nullopt, std::to_string(exercise_id)},
                  "INSERT INTO priority_initiatives (partnership_id, exercise_id, number, title, description, idea_id,"
                  " created_by, created_at, title_cy, description_cy) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                  " RETURNING id",
                  {exercise_id, next, trim(title), trim(description), idea, by, now_seconds(), trim(title_cy),
                   trim(description_cy)});
}

std::vector<Initiative> initiatives(store::Scope& s, std::int64_t exercise_id) {
  std::vector<Initiative> out;
  for (const auto& r :
       s.read(std::string(kInitiative) + " WHERE partnership_id = $1 AND exercise_id = $2 ORDER BY number", {exercise_id}).rows)
    out.push_back(initiative_from(r));
  return out;
}

std::optional<Initiative> initiative(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string(kInitiative) + " WHERE partnership_id = $1 AND id = $2", {id});
  if (r.empty()) return std::nullopt;
  return initiative_from(r.one());
}

void rate(store::Scope& s, std::int64_t initiative_id, std::int64_t user_id, std::optional<int> impact,
          std::optional<int> effort) {
  for (auto v : {impact, effort})
    if (v && (*v < kScaleMin || *v > kScaleMax)) throw std::invalid_argument("a rating must be from 1 to 5");
  if (!impact && !effort) {
    s.write({"priorities.unrate", "priority_initiative", initiative_id, ""},
            "DELETE FROM priority_ratings WHERE partnership_id = $1 AND initiative_id = $2 AND user_id = $3",
            {initiative_id, user_id});
    return;
  }
  auto now = now_seconds();
  // Only a real change is written (and audited): saving the same form twice changes nothing.
  auto cur = s.read("SELECT impact, effort FROM priority_ratings WHERE partnership_id = $1 AND initiative_id = $2"
                    " AND user_id = $3",
                    {initiative_id, user_id});
  if (!cur.empty()) {
    if (opt_int(cur.one(), 0) == impact && opt_int(cur.one(), 1) == effort) return;
    s.write({"priorities.rate", "priority_initiative", initiative_id, "changed"},
            "UPDATE priority_ratings SET impact = $4, effort = $5, updated_at = $6 WHERE partnership_id = $1"
            " AND initiative_id = $2 AND user_id = $3",
            {initiative_id, user_id, opt_value(impact), opt_value(effort), now});
    return;
  }
  s.insert({"priorities.rate", "priority_rating", std::nullopt, std::to_string(initiative_id)},
           "INSERT INTO priority_ratings (partnership_id, initiative_id, user_id, impact, effort, updated_at)"
           " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (partnership_id, initiative_id, user_id)"
           " DO UPDATE SET impact = excluded.impact, effort = excluded.effort, updated_at = excluded.updated_at RETURNING id",
           {initiative_id, user_id, opt_value(impact), opt_value(effort), now});
}

std::vector<Rating> ratings(store::Scope& s, std::int64_t exercise_id) {
  std::vector<Rating> out;
  auto r = s.read("SELECT r.initiative_id, r.user_id, r.impact, r.effort FROM priority_ratings r"
                  " JOIN priority_initiatives i ON i.partnership_id = r.partnership_id AND i.id = r.initiative_id"
                  " WHERE r.partnership_id = $1 AND i.partnership_id = $1 AND i.exercise_id = $2 ORDER BY r.id",
                  {exercise_id});
  for (const auto& row : r.rows) out.push_back({row.i64(0), row.i64(1), opt_int(row, 2), opt_int(row, 3)});
  return out;
}

std::vector<Rating> ratings_by(store::Scope& s, std::int64_t user_id) {
  std::vector<Rating> out;
  auto r = s.read("SELECT initiative_id, user_id, impact, effort FROM priority_ratings WHERE partnership_id = $1"
                  " AND user_id = $2 ORDER BY id",
                  {user_id});
  for (const auto& row : r.rows) out.push_back({row.i64(0), row.i64(1), opt_int(row, 2), opt_int(row, 3)});
  return out;
}

std::int64_t decide(store::Scope& s, std::int64_t initiative_id, const std::string& decision, const std::string& reason,
                    const std::string& owner, std::int64_t by) {
  if (std::find(kDecisions.begin(), kDecisions.end(), decision) == kDecisions.end())
    throw std::invalid_argument("unknown decision");
  if (trim(reason).empty()) throw std::invalid_argument("a decision needs a reason");
  if (decision == "take_on" && trim(owner).empty()) throw std::invalid_argument("taking it on needs an owner");
  return s.insert({"priorities.decide", "priority_initiative", std::nullopt, decision},
                  "INSERT INTO priority_decisions (partnership_id, initiative_id, decision, reason, owner, decided_by,"
                  " decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                  {initiative_id, decision, trim(reason), trim(owner), by, now_seconds()});
}

std::vector<Decision> decisions(store::Scope& s, std::int64_t initiative_id) {
  std::vector<Decision> out;
  auto r = s.read("SELECT id, initiative_id, decision, reason, owner, decided_by, decided_at FROM priority_decisions"
                  " WHERE partnership_id = $1 AND initiative_id = $2 ORDER BY id DESC",
                  {initiative_id});
  for (const auto& row : r.rows) out.push_back(decision_from(row));
  return out;
}

std::vector<Decision> latest_decisions(store::Scope& s, std::int64_t exercise_id) {
  std::vector<Decision> out;
  auto r = s.read(
      "SELECT d.id, d.initiative_id, d.decision, d.reason, d.owner, d.decided_by, d.decided_at FROM priority_decisions d"
      " JOIN priority_initiatives i ON i.partnership_id = d.partnership_id AND i.id = d.initiative_id"
      " WHERE d.partnership_id = $1 AND i.partnership_id = $1 AND i.exercise_id = $2 AND d.id = (SELECT MAX(x.id)"
      " FROM priority_decisions x WHERE x.partnership_id = $1 AND x.initiative_id = d.initiative_id)",
      {exercise_id});
  for (const auto& row : r.rows) out.push_back(decision_from(row));
  return out;
}

std::int64_t erase_ratings_of(store::Scope& s, std::int64_t user_id) {
  return s.write({"priorities.erase_ratings", "user", user_id, ""},
                 "DELETE FROM priority_ratings WHERE partnership_id = $1 AND user_id = $2", {user_id});
}

}  // namespace store_fn

}  // namespace cp::modules::priorities
