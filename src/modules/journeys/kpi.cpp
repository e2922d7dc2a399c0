// Employability figures for the learning lens (kpi.hpp), kept as counters that journeys updates in
// the same transaction as every change to a person's records.
//
// How the counters work
// ---------------------
// Every figure is a sum over people of what each person's records add. kpi_contribution(person)
// works that out from the records (a handful of indexed reads for one person). A change to a person
// (KpiChange) reads their contribution before and after and adds the difference, so the counters
// always equal the sum over everyone; rebuild_kpis computes that same sum with set-based SQL, and the
// tests check that the two agree.
//
// journey_kpi_counts (partnership_id, scope, dim, value, metric) -> n. `scope` is the filter:
//   "all"              everyone with a record
//   "o:ORG"            people an organisation has supported (journey_kpi_orgs: taken onto a key
//                      worker's caseload there; kept after erasure so the organisation's figures stay)
//   "s:SERVICE"        people with an accepted referral to the service
//   "o:ORG/s:SERVICE"  both at once
// Rows of one scope:
//   dim ""            metric people | stage0..stage5 (current stage; 0 = none) | job_start |
//                     education | volunteering | other | referrals | referrals_declined |
//                     plan_changes | plan_changes_by_person
//   dim "move"        value "FROM>TO" (FROM 0 = first stage), metric n
//   dim "start"       value the job start date YYYY-MM-DD, metric starts | y13 n13 y26 n26 y52 n52
//                     (sustainment answers), so "old enough" is decided when the figures are read
//   dim "ttfo"        value whole days from the first stage to the first outcome (0..3650), metric n
//   dim lone_parent | disability | birth_year | area | simd_decile, value the group, metric
//                     people | job_starts | outcomes | stage0..stage5. Age bands are made from
//                     birth years when read, so nobody's band goes stale as years pass.
// journey_kpi_simd caches the decile of each postcode our people give, as the postcodes module
// answered; journey_kpi_state records the data-zone version the counters were built with, and a
// zones load makes the next read rebuild (see ensure_kpis).
#include "modules/journeys/kpi.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "core/util.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/postcodes/postcodes.hpp"
#include "modules/selfassess/selfassess.hpp"

namespace cp::modules::journeys {

namespace {

using store::Value;

constexpr std::int64_t kMaxDays = 3650;  // time to first outcome: one-day buckets up to ten years
const std::vector<std::string> kGroupDims = {"lone_parent", "disability", "birth_year", "area", "simd_decile"};

// Days since a fixed origin for YYYY-MM-DD, by the same integer formula as sql_day below (March-based
// years), so differences agree exactly between C++ and SQL.
std::int64_t day_number(const std::string& iso) {
  if (iso.size() < 10) return 0;
  std::int64_t y = parse_int(iso.substr(0, 4)).value_or(1970), m = parse_int(iso.substr(5, 2)).value_or(1),
               d = parse_int(iso.substr(8, 2)).value_or(1);
  std::int64_t yy = y - (m <= 2 ? 1 : 0), mm = (m + 9) % 12;
  return 365 * yy + yy / 4 - yy / 100 + yy / 400 + (153 * mm + 2) / 5 + d;
}

std::string sql_day(const std::string& col) {
  std::string y = "CAST(substr(" + col + ", 1, 4) AS INTEGER)", m = "CAST(substr(" + col + ", 6, 2) AS INTEGER)",
              d = "CAST(substr(" + col + ", 9, 2) AS INTEGER)";
  std::string yy = "(" + y + " - CASE WHEN " + m + " <= 2 THEN 1 ELSE 0 END)";
  return "(365 * " + yy + " + " + yy + " / 4 - " + yy + " / 100 + " + yy + " / 400 + (153 * ((" + m +
         " + 9) % 12) + 2) / 5 + " + d + ")";
}

std::int64_t clamp_days(std::int64_t d) { return std::max<std::int64_t>(0, std::min(kMaxDays, d)); }

std::string today_or_now(const std::string& today) {
  if (today.size() == 10 && today[4] == '-' && today[7] == '-' && parse_int(today.substr(0, 4))) return today;
  if (!today.empty()) throw std::invalid_argument("KpiFilter.today must be YYYY-MM-DD: " + today);
  return iso_date(now_seconds());
}

std::string scope_key(const KpiFilter& f) {
  if (f.organisation_id && f.service_id)
    return "o:" + std::to_string(*f.organisation_id) + "/s:" + std::to_string(*f.service_id);
  if (f.organisation_id) return "o:" + std::to_string(*f.organisation_id);
  if (f.service_id) return "s:" + std::to_string(*f.service_id);
  return "all";
}

// The decile of a postcode as the aggregates use it: the cache first, then the postcodes module
// (remembered in the cache, so a later rebuild and this agree).
std::string simd_of(store::Scope& s, const std::string& postcode) {
  if (postcode.size() <= 4) return "unknown";  // empty, or only the outcode
  auto r = s.read("SELECT decile FROM journey_kpi_simd WHERE partnership_id = $1 AND postcode = $2", {postcode});
  if (!r.empty()) return std::to_string(r.rows[0].i64(0));
  auto d = postcodes::simd_decile(s, postcode);
  if (!d) return "unknown";
  s.bookkeeping("INSERT INTO journey_kpi_simd (partnership_id, postcode, decile) VALUES ($1, $2, $3)"
                " ON CONFLICT (partnership_id, postcode) DO NOTHING",
                {postcode, std::int64_t{*d}});
  return std::to_string(*d);
}

// Adds `delta` to the counters, many rows per statement.
void add_counts(store::Scope& s, const KpiCounts& delta) {
  constexpr std::size_t kBatch = 150;
  std::vector<std::pair<KpiKey, std::int64_t>> rows;
  for (const auto& [k, n] : delta)
    if (n != 0) rows.emplace_back(k, n);
  for (std::size_t start = 0; start < rows.size(); start += kBatch) {
    std::size_t end = std::min(rows.size(), start + kBatch);
    std::string sql = "INSERT INTO journey_kpi_counts (partnership_id, scope, dim, value, metric, n) VALUES ";
    store::Params p;
    for (std::size_t i = start; i < end; ++i) {
      std::size_t b = p.size() + 2;
      if (i != start) sql += ", ";
      sql += "($1, $" + std::to_string(b) + ", $" + std::to_string(b + 1) + ", $" + std::to_string(b + 2) + ", $" +
             std::to_string(b + 3) + ", $" + std::to_string(b + 4) + ")";
      const auto& [scope, dim, value, metric] = rows[i].first;
      p.emplace_back(scope);
      p.emplace_back(dim);
      p.emplace_back(value);
      p.emplace_back(metric);
      p.emplace_back(rows[i].second);
    }
    sql += " ON CONFLICT (partnership_id, scope, dim, value, metric) DO UPDATE SET n = journey_kpi_counts.n + excluded.n";
    s.bookkeeping(sql, p);
  }
}

// The scopes (filters) a person counts in.
std::vector<std::string> scopes_for(const std::set<std::int64_t>& orgs, const std::set<std::int64_t>& services) {
  std::vector<std::string> out = {"all"};
  for (auto o : orgs) out.push_back("o:" + std::to_string(o));
  for (auto sv : services) out.push_back("s:" + std::to_string(sv));
  for (auto o : orgs)
    for (auto sv : services) out.push_back("o:" + std::to_string(o) + "/s:" + std::to_string(sv));
  return out;
}

const std::string kScopesCte =
    "WITH sc (person_id, scope) AS ("
    " SELECT id, 'all' FROM journey_people WHERE partnership_id = $1"
    " UNION SELECT person_id, 'o:' || CAST(organisation_id AS TEXT) FROM journey_kpi_orgs WHERE partnership_id = $1"
    " UNION SELECT person_id, 's:' || CAST(service_id AS TEXT) FROM journey_referrals WHERE partnership_id = $1"
    "   AND status = 'accepted'"
    " UNION SELECT ko.person_id, 'o:' || CAST(ko.organisation_id AS TEXT) || '/s:' || CAST(kr.service_id AS TEXT)"
    "   FROM journey_kpi_orgs ko JOIN journey_referrals kr ON kr.partnership_id = $1 AND kr.person_id = ko.person_id"
    "   AND kr.status = 'accepted' WHERE ko.partnership_id = $1)";

std::string group_expr(const std::string& dim) {
  if (dim == "lone_parent") return "p.lone_parent";
  if (dim == "disability") return "p.disability";
  if (dim == "birth_year") return "COALESCE(CAST(p.birth_year AS TEXT), 'unknown')";
  if (dim == "area")
    return "CASE WHEN p.postcode = '' THEN 'unknown' WHEN length(p.postcode) > 4"
           " THEN substr(p.postcode, 1, length(p.postcode) - 4) ELSE p.postcode END";
  return "COALESCE(CAST(z.decile AS TEXT), 'unknown')";
}

bool built(store::Scope& s);
KpiCounts compute_counts(store::Scope& s);

void write_state(store::Scope& s) {
  s.bookkeeping("INSERT INTO journey_kpi_state (partnership_id, zones_version, built_at) VALUES ($1, $2, $3)"
                " ON CONFLICT (partnership_id) DO UPDATE SET zones_version = excluded.zones_version,"
                " built_at = excluded.built_at",
                {postcodes::zones_version(s), now_seconds()});
}

}  // namespace

std::string age_band(std::optional<std::int64_t> birth_year, const std::string& today) {
  if (!birth_year) return "unknown";
  std::int64_t age = parse_int(today.substr(0, 4)).value_or(0) - *birth_year;
  if (age < 0) return "unknown";
  if (age < 16) return "under 16";
  if (age <= 24) return "16-24";
  if (age <= 34) return "25-34";
  if (age <= 49) return "35-49";
  if (age <= 64) return "50-64";
  return "65+";
}

std::string area_of(const std::string& postcode) {
  if (postcode.empty()) return "unknown";
  if (postcode.size() > 4) return postcode.substr(0, postcode.size() - 4);
  return postcode;
}

KpiCounts kpi_contribution(store::Scope& s, std::int64_t id) {
  KpiCounts c;
  auto pr = s.read("SELECT user_id, lone_parent, disability, birth_year, postcode FROM journey_people"
                   " WHERE partnership_id = $1 AND id = $2",
                   {id});
  if (pr.empty()) return c;
  const auto& row = pr.rows[0];
  auto user = row.opt_i64(0);
  std::string postcode = row.text(4);
  const std::string groups[5] = {row.text(1), row.text(2), row.null(3) ? "unknown" : std::to_string(row.i64(3)),
                                 area_of(postcode), simd_of(s, postcode)};

  std::set<std::int64_t> orgs, services;
  for (const auto& r : s.read("SELECT organisation_id FROM journey_kpi_orgs WHERE partnership_id = $1 AND person_id = $2",
                              {id})
                           .rows)
    orgs.insert(r.i64(0));
  std::int64_t referrals = 0, declined = 0;
  for (const auto& r : s.read("SELECT status, service_id FROM journey_referrals WHERE partnership_id = $1"
                              " AND person_id = $2",
                              {id})
                           .rows) {
    ++referrals;
    if (r.text(0) == "declined") ++declined;
    if (r.text(0) == "accepted") services.insert(r.i64(1));
  }

  // Stages in the order they happened: the current one, the changes, the first date.
  std::int64_t current = 0;
  std::map<std::string, std::int64_t> moves;
  std::string first_stage;
  for (const auto& r : s.read("SELECT stage, on_date FROM journey_stages WHERE partnership_id = $1 AND person_id = $2"
                              " ORDER BY on_date, id",
                              {id})
                           .rows) {
    auto st = r.i64(0);
    if (first_stage.empty()) first_stage = r.text(1);
    if (st != current) ++moves[std::to_string(current) + ">" + std::to_string(st)];
    current = st;
  }

  std::map<std::string, std::int64_t> kinds;
  std::map<std::int64_t, std::string> start_of;  // job start outcome id -> date
  std::string first_outcome;
  std::int64_t outcomes = 0;
  for (const auto& r : s.read("SELECT id, kind, on_date FROM journey_outcomes WHERE partnership_id = $1"
                              " AND person_id = $2",
                              {id})
                           .rows) {
    ++outcomes;
    ++kinds[r.text(1)];
    if (r.text(1) == "job_start") start_of[r.i64(0)] = r.text(2);
    if (first_outcome.empty() || r.text(2) < first_outcome) first_outcome = r.text(2);
  }
  std::map<std::pair<std::string, std::string>, std::int64_t> starts;  // (date, metric)
  for (const auto& [oid, date] : start_of) ++starts[{date, "starts"}];
  for (const auto& r : s.read("SELECT outcome_id, week, still_in_work FROM journey_outcome_checks"
                              " WHERE partnership_id = $1 AND person_id = $2 AND still_in_work IS NOT NULL",
                              {id})
                           .rows) {
    auto it = start_of.find(r.i64(0));
    if (it == start_of.end()) continue;
    ++starts[{it->second, (r.boolean(2) ? "y" : "n") + std::to_string(r.i64(1))}];
  }

  std::int64_t plan_changes = 0, by_person = 0;
  for (const auto& r : s.read("SELECT h.by_user FROM journey_plan_history h JOIN journey_goals g"
                              " ON g.partnership_id = $1 AND g.id = h.item_id"
                              " WHERE h.partnership_id = $1 AND h.item_type = 'goal' AND g.person_id = $2"
                              " UNION ALL SELECT h2.by_user FROM journey_plan_history h2 JOIN journey_steps t"
                              " ON t.partnership_id = $1 AND t.id = h2.item_id"
                              " WHERE h2.partnership_id = $1 AND h2.item_type = 'step' AND t.person_id = $2",
                              {id})
                           .rows) {
    ++plan_changes;
    if (user && !r.null(0) && r.i64(0) == *user) ++by_person;
  }

  // Self-assessment distance travelled, per scale answered at least twice (selfassess' interface).
  const auto distance = selfassess_store::person_distance(s, id);

  std::string stage_metric = "stage" + std::to_string(current);
  for (const auto& sc : scopes_for(orgs, services)) {
    for (const auto& [scale, change] : distance) {
      c[{sc, "sa", std::to_string(scale), "people"}] += 1;
      c[{sc, "sa", std::to_string(scale), "change"}] += change;
    }
    c[{sc, "", "", "people"}] += 1;
    c[{sc, "", "", stage_metric}] += 1;
    for (const auto& [kind, n] : kinds) c[{sc, "", "", kind}] += n;
    c[{sc, "", "", "referrals"}] += referrals;
    c[{sc, "", "", "referrals_declined"}] += declined;
    c[{sc, "", "", "plan_changes"}] += plan_changes;
    c[{sc, "", "", "plan_changes_by_person"}] += by_person;
    for (const auto& [mv, n] : moves) c[{sc, "move", mv, "n"}] += n;
    for (const auto& [k, n] : starts) c[{sc, "start", k.first, k.second}] += n;
    if (!first_stage.empty() && !first_outcome.empty())
      c[{sc, "ttfo", std::to_string(clamp_days(day_number(first_outcome) - day_number(first_stage))), "n"}] += 1;
    for (std::size_t d = 0; d < kGroupDims.size(); ++d) {
      c[{sc, kGroupDims[d], groups[d], "people"}] += 1;
      c[{sc, kGroupDims[d], groups[d], stage_metric}] += 1;
      c[{sc, kGroupDims[d], groups[d], "job_starts"}] += static_cast<std::int64_t>(start_of.size());
      c[{sc, kGroupDims[d], groups[d], "outcomes"}] += outcomes;
    }
  }
  // Zeros add nothing; leaving them out keeps the difference small.
  for (auto it = c.begin(); it != c.end();) it = it->second == 0 ? c.erase(it) : std::next(it);
  return c;
}

KpiChange::KpiChange(store::Scope& s, std::int64_t person_id) : s_(s), person_(person_id) {
  before_ = kpi_contribution(s_, person_);
}

void KpiChange::done() {
  // Never built (records from before the counters, or a new partnership), or built with other data
  // zones: build it all now, in this change's transaction.
  if (!built(s_)) {
    rebuild_kpis(s_);
    return;
  }
  KpiCounts delta = kpi_contribution(s_, person_);
  for (const auto& [k, n] : before_) delta[k] -= n;
  add_counts(s_, delta);
  before_.clear();
}

void kpi_person_added(store::Scope& s, std::int64_t person_id) {
  if (!built(s)) return rebuild_kpis(s);
  add_counts(s, kpi_contribution(s, person_id));
}

void kpi_supported_by(store::Scope& s, std::int64_t person_id, std::int64_t organisation_id) {
  s.bookkeeping("INSERT INTO journey_kpi_orgs (partnership_id, person_id, organisation_id, since)"
                " VALUES ($1, $2, $3, $4) ON CONFLICT (partnership_id, person_id, organisation_id) DO NOTHING",
                {person_id, organisation_id, now_seconds()});
}

namespace {
bool built(store::Scope& s) {
  auto r = s.read("SELECT zones_version FROM journey_kpi_state WHERE partnership_id = $1");
  return !r.empty() && r.rows[0].text(0) == postcodes::zones_version(s);
}
}  // namespace

void rebuild_kpis(store::Scope& s) {
  // The deciles of the postcodes people gave, asked of the postcodes module in one go.
  s.bookkeeping("DELETE FROM journey_kpi_simd WHERE partnership_id = $1");
  std::vector<std::string> pcs;
  for (const auto& r : s.read("SELECT DISTINCT postcode FROM journey_people WHERE partnership_id = $1"
                              " AND length(postcode) > 4")
                           .rows)
    pcs.push_back(r.text(0));
  {
    auto deciles = postcodes::simd_deciles(s, pcs);
    std::vector<std::pair<std::string, int>> rows(deciles.begin(), deciles.end());
    constexpr std::size_t kBatch = 300;
    for (std::size_t start = 0; start < rows.size(); start += kBatch) {
      std::size_t end = std::min(rows.size(), start + kBatch);
      std::string sql = "INSERT INTO journey_kpi_simd (partnership_id, postcode, decile) VALUES ";
      store::Params p;
      for (std::size_t i = start; i < end; ++i) {
        std::size_t b = p.size() + 2;
        if (i != start) sql += ", ";
        sql += "($1, $" + std::to_string(b) + ", $" + std::to_string(b + 1) + ")";
        p.emplace_back(rows[i].first);
        p.emplace_back(std::int64_t{rows[i].second});
      }
      s.bookkeeping(sql, p);
    }
  }

  auto c = compute_counts(s);
  s.bookkeeping("DELETE FROM journey_kpi_counts WHERE partnership_id = $1");
  add_counts(s, c);
  write_state(s);
}

namespace {
// Every counter, summed over everyone by set-based SQL: what rebuild_kpis writes. Reads only
// (journey_kpi_simd holds the deciles rebuild_kpis asked for).
KpiCounts compute_counts(store::Scope& s) {
  KpiCounts c;
  // Each person's values come from indexed lookups by person (correlated subqueries), never from a
  // join to a derived table, which SQLite would scan once per person.
  const std::string cur =
      "(SELECT h.stage FROM journey_stages h WHERE h.partnership_id = $1 AND h.person_id = p.id"
      " ORDER BY h.on_date DESC, h.id DESC LIMIT 1)";
  const std::string outs = "(SELECT COUNT(*) FROM journey_outcomes o WHERE o.partnership_id = $1 AND o.person_id = p.id)";
  const std::string starts =
      "(SELECT COUNT(*) FROM journey_outcomes o2 WHERE o2.partnership_id = $1 AND o2.person_id = p.id"
      " AND o2.kind = 'job_start')";
  // People, their current stage, job starts and outcomes, by each group dimension.
  for (const auto& dim : kGroupDims) {
    std::string g = group_expr(dim);
    std::string sql =
        kScopesCte + " SELECT x.scope, x.g, x.st, COUNT(*), SUM(x.js), SUM(x.n) FROM (SELECT sc.scope AS scope, " + g +
        " AS g, COALESCE(" + cur + ", 0) AS st, " + starts + " AS js, " + outs +
        " AS n FROM sc JOIN journey_people p ON p.partnership_id = $1 AND p.id = sc.person_id" +
        (dim == "simd_decile" ? " LEFT JOIN journey_kpi_simd z ON z.partnership_id = $1 AND z.postcode = p.postcode"
                              : "") +
        ") x GROUP BY 1, 2, 3";
    for (const auto& r : s.read(sql).rows) {
      std::string sc = r.text(0), v = r.text(1), stage = "stage" + std::to_string(r.i64(2));
      auto people = r.i64(3), js = r.i64(4), n = r.i64(5);
      c[{sc, dim, v, "people"}] += people;
      c[{sc, dim, v, stage}] += people;
      c[{sc, dim, v, "job_starts"}] += js;
      c[{sc, dim, v, "outcomes"}] += n;
      if (dim == kGroupDims.front()) {  // each person is in exactly one value of a dimension
        c[{sc, "", "", "people"}] += people;
        c[{sc, "", "", stage}] += people;
      }
    }
  }
  for (const auto& r : s.read(kScopesCte + " SELECT sc.scope, o.kind, COUNT(*) FROM sc JOIN journey_outcomes o"
                                           " ON o.partnership_id = $1 AND o.person_id = sc.person_id GROUP BY 1, 2")
                           .rows)
    c[{r.text(0), "", "", r.text(1)}] += r.i64(2);
  for (const auto& r : s.read(kScopesCte + " SELECT sc.scope, o.on_date, COUNT(*) FROM sc JOIN journey_outcomes o"
                                           " ON o.partnership_id = $1 AND o.person_id = sc.person_id"
                                           " AND o.kind = 'job_start' GROUP BY 1, 2")
                           .rows)
    c[{r.text(0), "start", r.text(1), "starts"}] += r.i64(2);
  for (const auto& r : s.read(kScopesCte + " SELECT sc.scope, o.on_date, c.week, c.still_in_work, COUNT(*) FROM sc"
                                           " JOIN journey_outcomes o ON o.partnership_id = $1"
                                           " AND o.person_id = sc.person_id AND o.kind = 'job_start'"
                                           " JOIN journey_outcome_checks c ON c.partnership_id = $1"
                                           " AND c.outcome_id = o.id WHERE c.still_in_work IS NOT NULL"
                                           " GROUP BY 1, 2, 3, 4")
                           .rows)
    c[{r.text(0), "start", r.text(1), (r.boolean(3) ? "y" : "n") + std::to_string(r.i64(2))}] += r.i64(4);
  // Each stage with the one before it (by date, then the order recorded); a change counts once.
  for (const auto& r :
       s.read(kScopesCte +
              " SELECT x.scope, x.prev, x.stage, COUNT(*) FROM (SELECT sc.scope AS scope, h.stage AS stage,"
              " COALESCE((SELECT h2.stage FROM journey_stages h2 WHERE h2.partnership_id = $1"
              " AND h2.person_id = h.person_id AND (h2.on_date < h.on_date OR (h2.on_date = h.on_date AND h2.id < h.id))"
              " ORDER BY h2.on_date DESC, h2.id DESC LIMIT 1), 0) AS prev FROM sc JOIN journey_stages h"
              " ON h.partnership_id = $1 AND h.person_id = sc.person_id) x WHERE x.prev <> x.stage GROUP BY 1, 2, 3")
           .rows)
    c[{r.text(0), "move", std::to_string(r.i64(1)) + ">" + std::to_string(r.i64(2)), "n"}] += r.i64(3);
  for (const auto& r : s.read(kScopesCte + " SELECT sc.scope, COUNT(*), SUM(CASE WHEN r.status = 'declined' THEN 1"
                                           " ELSE 0 END) FROM sc JOIN journey_referrals r ON r.partnership_id = $1"
                                           " AND r.person_id = sc.person_id GROUP BY 1")
                           .rows) {
    c[{r.text(0), "", "", "referrals"}] += r.i64(1);
    c[{r.text(0), "", "", "referrals_declined"}] += r.i64(2);
  }
  for (const auto& item : {std::string("goal"), std::string("step")}) {
    std::string table = item == "goal" ? "journey_goals" : "journey_steps";
    for (const auto& r : s.read(kScopesCte + " SELECT sc.scope, COUNT(*), SUM(CASE WHEN h.by_user = p.user_id THEN 1"
                                             " ELSE 0 END) FROM sc JOIN " + table + " g ON g.partnership_id = $1"
                                             " AND g.person_id = sc.person_id JOIN journey_plan_history h"
                                             " ON h.partnership_id = $1 AND h.item_type = '" + item + "'"
                                             " AND h.item_id = g.id JOIN journey_people p ON p.partnership_id = $1"
                                             " AND p.id = sc.person_id GROUP BY 1")
                             .rows) {
      c[{r.text(0), "", "", "plan_changes"}] += r.i64(1);
      c[{r.text(0), "", "", "plan_changes_by_person"}] += r.i64(2);
    }
  }
  for (const auto& r :
       s.read(kScopesCte + " SELECT y.scope, " + sql_day("y.fo") + " - " + sql_day("y.fs") +
              ", SUM(y.n) FROM (SELECT x.scope AS scope, x.fs AS fs, x.fo AS fo, COUNT(*) AS n FROM (SELECT sc.scope AS scope,"
              " (SELECT MIN(h.on_date) FROM journey_stages h WHERE h.partnership_id = $1 AND h.person_id = sc.person_id)"
              " AS fs, (SELECT MIN(o.on_date) FROM journey_outcomes o WHERE o.partnership_id = $1"
              " AND o.person_id = sc.person_id) AS fo FROM sc) x WHERE x.fs IS NOT NULL AND x.fo IS NOT NULL GROUP BY 1, 2, 3) y"
              " GROUP BY 1, 2")
           .rows)
    c[{r.text(0), "ttfo", std::to_string(clamp_days(r.i64(1))), "n"}] += r.i64(2);
  add_distance_counts(s, c);
  for (auto it = c.begin(); it != c.end();) it = it->second == 0 ? c.erase(it) : std::next(it);
  return c;
}
}  // namespace

bool ensure_kpis(store::Scope& s) {
  if (built(s)) return false;
  rebuild_kpis(s);
  return true;
}

int rebuild_all_kpis(app::App& a) {
  std::vector<std::int64_t> ids;
  {
    auto lease = a.db->lease();
    for (const auto& r : lease->run("SELECT id FROM partnerships ORDER BY id", {}).rows) ids.push_back(r.i64(0));
  }
  for (auto id : ids) {
    auto w = a.work(id, {std::nullopt, "cli", "", ""});
    rebuild_kpis(w.scope());
    w.commit();
  }
  return static_cast<int>(ids.size());
}

namespace {
// The counters of one scope, from the kept table, or, when it has not been built for the data zones
// loaded now, computed from the records without writing (reads never write; the next change to any
// record in the partnership builds the table).
std::vector<std::tuple<std::string, std::string, std::string, std::int64_t>> scope_rows(
    store::Scope& s, const std::string& scope, const std::vector<std::string>& dims) {
  std::vector<std::tuple<std::string, std::string, std::string, std::int64_t>> out;
  if (!built(s)) {
    for (const auto& [k, n] : compute_counts(s)) {
      const auto& [sc, dim, value, metric] = k;
      if (sc == scope && std::find(dims.begin(), dims.end(), dim) != dims.end()) out.emplace_back(dim, value, metric, n);
    }
    return out;
  }
  std::string in;
  store::Params p = {scope};
  for (const auto& d : dims) {
    in += (in.empty() ? "$" : ", $") + std::to_string(p.size() + 2);
    p.emplace_back(d);
  }
  for (const auto& r : s.read("SELECT dim, value, metric, n FROM journey_kpi_counts WHERE partnership_id = $1"
                              " AND scope = $2 AND dim IN (" + in + ") AND n <> 0",
                              p)
                           .rows)
    out.emplace_back(r.text(0), r.text(1), r.text(2), r.i64(3));
  return out;
}
}  // namespace

Kpis kpis(store::Scope& s, const KpiFilter& f) {
  const std::string today = today_or_now(f.today);
  Kpis k;
  std::map<std::string, std::int64_t> hist;  // days -> people
  struct Start {
    std::int64_t starts = 0;
    std::map<std::string, std::int64_t> answers;
  };
  std::map<std::string, Start> starts;  // by date
  for (const auto& [dim, value, metric, n] : scope_rows(s, scope_key(f), {"", "move", "start", "ttfo", "sa"})) {
    if (dim.empty()) {
      if (metric == "people") k.people = n;
      else if (metric.rfind("stage", 0) == 0) {
        auto st = parse_int(metric.substr(5)).value_or(-1);
        if (st >= 0 && st <= kStages) k.at_stage[st] = n;
      } else if (metric == "job_start") k.job_starts = n;
      else if (metric == "referrals") k.referrals = n;
      else if (metric == "referrals_declined") k.referrals_declined = n;
      else if (metric == "plan_changes") k.plan_changes = n;
      else if (metric == "plan_changes_by_person") k.plan_changes_by_person = n;
      else if (one_of(kOutcomeKinds, metric)) k.other_destinations[metric] = n;
    } else if (dim == "move") {
      auto gt = value.find('>');
      if (gt == std::string::npos) continue;
      k.moves.push_back({parse_int(value.substr(0, gt)).value_or(0), parse_int(value.substr(gt + 1)).value_or(0), n});
    } else if (dim == "start") {
      if (metric == "starts") starts[value].starts += n;
      else starts[value].answers[metric] += n;
    } else if (dim == "ttfo") {
      hist[value] += n;
    } else if (dim == "sa") {
      auto scale = parse_int(value);
      if (!scale) continue;
      if (metric == "people") k.distance[*scale].first = n;
      else if (metric == "change") k.distance[*scale].second = n;
    }
  }
  for (const auto& kind : kOutcomeKinds)
    if (kind != "job_start") k.other_destinations.emplace(kind, 0);
  std::sort(k.moves.begin(), k.moves.end(),
            [](const StageMove& a, const StageMove& b) { return std::tie(a.from, a.to) < std::tie(b.from, b.to); });
  for (int week : kCheckWeeks) {
    Sustainment sus;
    sus.week = week;
    // Old enough: the check fell due (start + week weeks) on or before today.
    const std::string cutoff = add_days(today, -7 * week);
    const std::string w = std::to_string(week);
    for (const auto& [date, st] : starts) {
      if (date > cutoff) break;  // dates are in order
      sus.cohort += st.starts;
      auto y = st.answers.find("y" + w), no = st.answers.find("n" + w);
      if (y != st.answers.end()) sus.sustained += y->second;
      if (no != st.answers.end()) sus.not_sustained += no->second;
    }
    sus.not_checked = sus.cohort - sus.sustained - sus.not_sustained;
    k.sustained.push_back(sus);
  }
  // The median of whole days, from the histogram (exact to the day up to ten years).
  std::vector<std::pair<std::int64_t, std::int64_t>> buckets;
  std::int64_t total = 0;
  for (const auto& [d, n] : hist) {
    buckets.emplace_back(parse_int(d).value_or(0), n);
    total += n;
  }
  std::sort(buckets.begin(), buckets.end());
  if (total > 0) {
    auto at = [&](std::int64_t pos) {  // the pos-th smallest value, 1-based
      std::int64_t seen = 0;
      for (const auto& [d, n] : buckets) {
        seen += n;
        if (seen >= pos) return d;
      }
      return buckets.back().first;
    };
    k.median_days_to_first_outcome =
        total % 2 ? static_cast<double>(at(total / 2 + 1)) : (at(total / 2) + at(total / 2 + 1)) / 2.0;
  }
  return k;
}

std::vector<GroupRow> kpi_breakdown(store::Scope& s, const KpiFilter& f, const std::string& dimension) {
  if (!one_of(kBreakdowns, dimension)) throw std::invalid_argument("unknown KPI breakdown: " + dimension);
  const std::string today = today_or_now(f.today);
  const std::string dim = dimension == "age_band" ? "birth_year" : dimension;
  std::map<std::string, GroupRow> by;
  for (auto [d, value, metric, n] : scope_rows(s, scope_key(f), {dim})) {
    if (dimension == "age_band") value = age_band(value == "unknown" ? std::nullopt : parse_int(value), today);
    auto& g = by[value];
    g.value = value;
    if (metric == "people") g.people += n;
    else if (metric == "job_starts") g.job_starts += n;
    else if (metric == "outcomes") g.outcomes += n;
    else if (metric.rfind("stage", 0) == 0) {
      auto st = parse_int(metric.substr(5)).value_or(-1);
      if (st >= 0 && st <= kStages) g.at_stage[st] += n;
    }
  }
  // Closed lists show every value, in their own order, even at 0; areas are those people gave, A-Z,
  // then "unknown".
  std::vector<std::string> order;
  if (dimension == "lone_parent" || dimension == "disability") order = kMonitoringAnswers;
  else if (dimension == "age_band") order = kAgeBands;
  else if (dimension == "simd_decile") {
    for (int d = 1; d <= 10; ++d) order.push_back(std::to_string(d));
    order.push_back("unknown");
  } else {
    for (const auto& [v, g] : by)
      if (v != "unknown" && g.people > 0) order.push_back(v);
    order.push_back("unknown");
  }
  std::vector<GroupRow> out;
  for (const auto& v : order) {
    auto it = by.find(v);
    GroupRow g = it == by.end() ? GroupRow{} : it->second;
    g.value = v;
    out.push_back(g);
  }
  return out;
}

void kpi_migrations(store::Migrations& m) {
  m.add({"journeys", 3, "monitoring answers; employability counters for the learning lens",
         R"SQL(
ALTER TABLE journey_people ADD COLUMN lone_parent TEXT NOT NULL DEFAULT 'not_asked'
  CHECK (lone_parent IN ('yes', 'no', 'prefer_not', 'not_asked'));
ALTER TABLE journey_people ADD COLUMN disability TEXT NOT NULL DEFAULT 'not_asked'
  CHECK (disability IN ('yes', 'no', 'prefer_not', 'not_asked'));
CREATE TABLE journey_kpi_orgs (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  person_id BIGINT NOT NULL,
  organisation_id BIGINT NOT NULL,
  since BIGINT NOT NULL,
  UNIQUE (partnership_id, person_id, organisation_id),
  FOREIGN KEY (partnership_id, person_id) REFERENCES journey_people (partnership_id, id),
  FOREIGN KEY (partnership_id, organisation_id) REFERENCES organisations (partnership_id, id)
);
CREATE INDEX journey_kpi_orgs_org ON journey_kpi_orgs (partnership_id, organisation_id);
INSERT INTO journey_kpi_orgs (partnership_id, person_id, organisation_id, since)
  SELECT partnership_id, person_id, organisation_id, MIN(created_at) FROM journey_keyworkers
  GROUP BY partnership_id, person_id, organisation_id;
CREATE TABLE journey_kpi_counts (
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  scope TEXT NOT NULL,
  dim TEXT NOT NULL,
  value TEXT NOT NULL,
  metric TEXT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (partnership_id, scope, dim, value, metric)
);
CREATE TABLE journey_kpi_simd (
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  postcode TEXT NOT NULL,
  decile BIGINT NOT NULL,
  PRIMARY KEY (partnership_id, postcode)
);
CREATE TABLE journey_kpi_state (
  partnership_id BIGINT PRIMARY KEY REFERENCES partnerships (id),
  zones_version TEXT NOT NULL,
  built_at BIGINT NOT NULL
);
CREATE INDEX journey_outcomes_kind ON journey_outcomes (partnership_id, kind, on_date);
)SQL",
         {"journey_kpi_orgs", "journey_kpi_counts", "journey_kpi_simd", "journey_kpi_state"}});
  // The self-assessment figures joined the counters (kpi_distance.cpp): counters built before lack
  // them, so every partnership is marked unbuilt; `coproduce migrate` then rebuilds those with
  // records (build_missing_kpis), and otherwise the next change does.
  m.add({"journeys", 4, "self-assessment distance travelled kept with the employability counters",
         "DELETE FROM journey_kpi_state;", {}});
}

}  // namespace cp::modules::journeys
