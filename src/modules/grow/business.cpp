// The business case: storage and pages. Sums are in calc.cpp; live figures from other modules in live.cpp.
#include <algorithm>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "modules/grow/grow.hpp"
#include "modules/grow/web.hpp"
#include "web/format.hpp"

namespace cp::modules::grow {

namespace {

Assumption assumption_row(const store::Row& r) {
  return {r.i64(0), r.text(1), r.text(2), r.text(3), r.i64(4), r.i64(5), r.i64(6), r.i64(7)};
}
constexpr const char* kAssumptionCols = "id, name, unit, source, value_pence, updated_by, updated_at, version";

}  // namespace

// ------------------------------------------------------------------ assumptions

std::vector<Assumption> assumptions(store::Scope& s) {
  std::vector<Assumption> out;
  for (const auto& r : s.read(std::string("SELECT ") + kAssumptionCols +
                              " FROM grow_assumptions WHERE partnership_id = $1 ORDER BY lower(name), id")
                           .rows)
    out.push_back(assumption_row(r));
  return out;
}

std::optional<Assumption> assumption(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string("SELECT ") + kAssumptionCols + " FROM grow_assumptions WHERE partnership_id = $1 AND id = $2",
                  {id});
  if (r.empty()) return std::nullopt;
  return assumption_row(r.one());
}

std::vector<AssumptionChange> assumption_history(store::Scope& s, std::int64_t id) {
  std::vector<AssumptionChange> out;
  for (const auto& r : s.read("SELECT value_pence, source, changed_by, changed_at FROM grow_assumption_changes"
                              " WHERE partnership_id = $1 AND assumption_id = $2 ORDER BY changed_at DESC, id DESC",
                              {id})
                           .rows)
    out.push_back({r.i64(0), r.text(1), r.i64(2), r.i64(3)});
  return out;
}

std::int64_t add_assumption(store::Scope& s, const std::string& name, const std::string& unit, std::int64_t value_pence,
                            const std::string& source, std::int64_t by_user) {
  auto now = now_seconds();
  auto id = s.insert({"grow.assumption_add", "grow_assumption", std::nullopt, ""},
                     "INSERT INTO grow_assumptions (partnership_id, name, unit, value_pence, source, updated_by, updated_at)"
                     " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                     {trim(name), unit, value_pence, trim(source), by_user, now});
  s.insert({"grow.assumption_change", "grow_assumption", id, "first value"},
           "INSERT INTO grow_assumption_changes (partnership_id, assumption_id, value_pence, source, changed_by, changed_at)"
           " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
           {id, value_pence, trim(source), by_user, now});
  return id;
}

Saved change_assumption(store::Scope& s, std::int64_t id, std::int64_t value_pence, const std::string& source,
                        std::int64_t by_user, std::optional<std::int64_t> version) {
  auto cur = assumption(s, id);
  if (!cur) return Saved::not_found;
  if (version && *version != cur->version) return Saved::conflict;
  auto now = now_seconds();
  auto n = s.write({"grow.assumption_change", "grow_assumption", id, ""},
                   "UPDATE grow_assumptions SET value_pence = $3, source = $4, updated_by = $5, updated_at = $6,"
                   " version = version + 1 WHERE partnership_id = $1 AND id = $2 AND version = $7",
                   {id, value_pence, trim(source), by_user, now, cur->version});
  if (n != 1) return Saved::conflict;
  s.insert({"grow.assumption_history", "grow_assumption", id, ""},
           "INSERT INTO grow_assumption_changes (partnership_id, assumption_id, value_pence, source, changed_by, changed_at)"
           " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
           {id, value_pence, trim(source), by_user, now});
  return Saved::ok;
}

// ------------------------------------------------------------------ cases

std::int64_t add_case(store::Scope& s, const std::string& title, const std::string& summary,
                      std::optional<std::int64_t> service_id, std::int64_t by_user) {
  auto now = now_seconds();
  store::Value service = service_id ? store::Value(*service_id) : store::Value(nullptr);
  return s.insert({"grow.case_add", "grow_case", std::nullopt, ""},
                  "INSERT INTO grow_cases (partnership_id, title, summary, service_id, created_by, created_at, updated_at)"
                  " VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
                  {trim(title), trim(summary), service, by_user, now});
}

namespace {
Case case_row(const store::Row& r) { return {r.i64(0), r.text(1), r.text(2), r.opt_i64(3), r.i64(4), r.i64(5), r.i64(6)}; }
}  // namespace

std::optional<Case> get_case(store::Scope& s, std::int64_t id) {
  auto r = s.read("SELECT id, title, summary, service_id, created_by, created_at, updated_at FROM grow_cases"
                  " WHERE partnership_id = $1 AND id = $2",
                  {id});
  if (r.empty()) return std::nullopt;
  return case_row(r.one());
}

std::vector<Case> cases(store::Scope& s) {
  std::vector<Case> out;
  for (const auto& r : s.read("SELECT id, title, summary, service_id, created_by, created_at, updated_at FROM grow_cases"
                              " WHERE partnership_id = $1 ORDER BY updated_at DESC, id DESC")
                           .rows)
    out.push_back(case_row(r));
  return out;
}

namespace {
void touch(store::Scope& s, std::int64_t case_id) {
  s.write({"grow.case_touch", "grow_case", case_id, ""},
          "UPDATE grow_cases SET updated_at = $3 WHERE partnership_id = $1 AND id = $2", {case_id, now_seconds()});
}
}  // namespace

std::int64_t add_cost(store::Scope& s, std::int64_t case_id, const CostLine& c) {
  store::Value a = c.assumption_id ? store::Value(*c.assumption_id) : store::Value(nullptr);
  auto id = s.insert({"grow.cost_add", "grow_case", case_id, c.kind},
                     "INSERT INTO grow_case_costs (partnership_id, case_id, kind, description, hours, assumption_id, amount_pence)"
                     " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                     {case_id, c.kind, trim(c.description), c.hours, a, c.amount_pence});
  touch(s, case_id);
  return id;
}

std::int64_t add_outcome(store::Scope& s, std::int64_t case_id, const Outcome& o) {
  store::Value a = o.assumption_id ? store::Value(*o.assumption_id) : store::Value(nullptr);
  auto id = s.insert({"grow.outcome_add", "grow_case", case_id, o.source},
                     "INSERT INTO grow_case_outcomes (partnership_id, case_id, description, number, source, assumption_id)"
                     " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                     {case_id, trim(o.description), o.number, o.source, a});
  touch(s, case_id);
  return id;
}

std::vector<CostLine> costs(store::Scope& s, std::int64_t case_id) {
  std::vector<CostLine> out;
  for (const auto& r : s.read("SELECT id, kind, description, hours, assumption_id, amount_pence FROM grow_case_costs"
                              " WHERE partnership_id = $1 AND case_id = $2 ORDER BY id",
                              {case_id})
                           .rows)
    out.push_back({r.i64(0), r.text(1), r.text(2), r.i64(3), r.opt_i64(4), r.i64(5)});
  return out;
}

std::vector<Outcome> outcomes(store::Scope& s, std::int64_t case_id) {
  std::vector<Outcome> out;
  for (const auto& r : s.read("SELECT id, description, number, source, assumption_id FROM grow_case_outcomes"
                              " WHERE partnership_id = $1 AND case_id = $2 ORDER BY id",
                              {case_id})
                           .rows)
    out.push_back({r.i64(0), r.text(1), r.i64(2), r.text(3), r.opt_i64(4)});
  return out;
}

bool remove_cost(store::Scope& s, std::int64_t case_id, std::int64_t id) {
  auto n = s.write({"grow.cost_remove", "grow_case", case_id, std::to_string(id)},
                   "DELETE FROM grow_case_costs WHERE partnership_id = $1 AND case_id = $2 AND id = $3", {case_id, id});
  if (n == 1) touch(s, case_id);
  return n == 1;
}

bool remove_outcome(store::Scope& s, std::int64_t case_id, std::int64_t id) {
  auto n = s.write({"grow.outcome_remove", "grow_case", case_id, std::to_string(id)},
                   "DELETE FROM grow_case_outcomes WHERE partnership_id = $1 AND case_id = $2 AND id = $3", {case_id, id});
  if (n == 1) touch(s, case_id);
  return n == 1;
}

}  // namespace cp::modules::grow
