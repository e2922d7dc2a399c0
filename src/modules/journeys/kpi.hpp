// Employability figures for the learning lens, read from the journeys records without handing out
// any person's details: counts only. The learning lens module (src/modules/lens) calls these; it
// never reads journeys tables itself.
//
// The figures come from aggregate tables that journeys keeps up to date in the same transaction as
// every change that moves them (a stage recorded, an outcome, a sustainment check answered, a
// referral decided, a person's monitoring answers), so they are never stale. kpi.cpp documents the
// tables; `rebuild_kpis` recomputes them from the records and must agree with them.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "app/app.hpp"

namespace cp::modules::journeys {

// Dimensions a breakdown can use. Each is optional information on the person's record that the
// person chose to give ("prefer not to say" and "not asked" are values of their own, never dropped).
inline const std::vector<std::string> kBreakdowns = {"lone_parent", "disability", "age_band", "area", "simd_decile"};

struct KpiFilter {
  std::optional<std::int64_t> organisation_id;  // people on a key worker's caseload at this organisation
  std::optional<std::int64_t> service_id;       // people with an accepted referral to this service
  std::string today;                            // YYYY-MM-DD: decides which cohorts are old enough
};

struct StageMove {
  std::int64_t from = 0, to = 0, people = 0;  // from 0 = first stage recorded
};

struct Sustainment {
  int week = 0;                    // 13, 26 or 52
  std::int64_t cohort = 0;         // job starts at least `week` weeks before `today`
  std::int64_t sustained = 0;      // checked and still in work
  std::int64_t not_sustained = 0;  // checked and not in work
  std::int64_t not_checked = 0;    // cohort - sustained - not_sustained
};

struct GroupRow {
  std::string value;  // e.g. "yes", "no", "prefer_not", "not_asked"; an age band "25-34"; "KY1"; "3"
  std::int64_t people = 0, job_starts = 0, outcomes = 0;
  std::int64_t at_stage[6] = {0, 0, 0, 0, 0, 0};  // current stage; [0] = no stage recorded
};

struct Kpis {
  std::int64_t people = 0;                        // people with a record in the filter
  std::int64_t at_stage[6] = {0, 0, 0, 0, 0, 0};  // current (latest) stage; [0] = none recorded
  std::vector<StageMove> moves;                   // every recorded change of stage, counted once each
  std::int64_t job_starts = 0;
  std::vector<Sustainment> sustained;             // one per week in kCheckWeeks
  std::map<std::string, std::int64_t> other_destinations;  // education, volunteering, other
  std::optional<double> median_days_to_first_outcome;      // from the first stage recorded
  std::int64_t referrals = 0, referrals_declined = 0;
  std::int64_t plan_changes = 0, plan_changes_by_person = 0;  // plan edits, and those the person made
  // Self-assessment distance travelled (kept here from selfassess_store::person_distance, dim "sa"):
  // scale id -> {people who answered it at least twice, sum of (latest - first) scores}.
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> distance;
};

Kpis kpis(store::Scope& s, const KpiFilter& f);
// One breakdown dimension (a value of kBreakdowns); rows in a stable order.
std::vector<GroupRow> kpi_breakdown(store::Scope& s, const KpiFilter& f, const std::string& dimension);
// Recomputes the aggregate tables from the records (for checks and after a bulk load).
void rebuild_kpis(store::Scope& s);

// ---- Added with kpi.cpp (the names above are the contract; these are journeys' own plumbing) ----

// Answers to the monitoring questions on a person's record, and the age bands a breakdown shows.
inline const std::vector<std::string> kMonitoringAnswers = {"yes", "no", "prefer_not", "not_asked"};
inline const std::vector<std::string> kAgeBands = {"under 16", "16-24", "25-34", "35-49", "50-64", "65+", "unknown"};
// The age band of someone born in `birth_year`, taking their age as (the year of `today`) - birth_year.
std::string age_band(std::optional<std::int64_t> birth_year, const std::string& today);
// "KY1" for "KY1 1AA" or "KY1"; "unknown" for "".
std::string area_of(const std::string& postcode);

// One aggregate counter: (scope, dimension, value, metric) -> n. See kpi.cpp.
using KpiKey = std::tuple<std::string, std::string, std::string, std::string>;
using KpiCounts = std::map<KpiKey, std::int64_t>;
// What one person's records add to the aggregate tables (kpi.cpp documents the keys).
KpiCounts kpi_contribution(store::Scope& s, std::int64_t person_id);

// Keeps the aggregates right around one change to a person's records, in the same transaction:
// construct it before the change (it reads what the person adds now) and call done() after (it adds
// the difference). A change that throws rolls back with its transaction, so nothing is left half-done.
class KpiChange {
 public:
  KpiChange(store::Scope& s, std::int64_t person_id);
  void done();

 private:
  store::Scope& s_;
  std::int64_t person_;
  KpiCounts before_;
};
// A new person's record (nothing else yet): adds them to the counts.
void kpi_person_added(store::Scope& s, std::int64_t person_id);
// Remembers that an organisation supported the person (on taking them onto a caseload). This stays
// after erasure, so an organisation's figures keep the anonymised record's outcomes.
void kpi_supported_by(store::Scope& s, std::int64_t person_id, std::int64_t organisation_id);
// Rebuilds when the tables were never built for this partnership, or were built with other SIMD
// data zones than the ones loaded now. (Changes do this themselves; kpis() and kpi_breakdown() never
// write: until then they compute from the records.)
// True when it rebuilt.
bool ensure_kpis(store::Scope& s);
// rebuild_kpis for every partnership, each in its own transaction (after `coproduce postcodes
// zones`). Returns how many.
int rebuild_all_kpis(app::App& a);
// The journeys migration that adds the monitoring answers and the aggregate tables.
void kpi_migrations(store::Migrations& m);

// ---- kpi_distance.cpp: the self-assessment figures kept with the counters ----
// Adds what everyone's self-assessment answers add (dim "sa") to counts being rebuilt.
void add_distance_counts(store::Scope& s, KpiCounts& c);

// ---- kpi_cli.cpp ----
// `coproduce journeys rebuild-kpis [--partnership SLUG]`: rebuilds the kept figures (employability
// and self-assessment) of one partnership or all, each in its own transaction, and prints one line.
// Throws std::invalid_argument for an unknown slug.
int rebuild_kpis_command(const Config& cfg, const std::string& partnership_slug);
// After `migrate`: builds the counters of every partnership that has people's records but no
// counter state (an upgraded database), so pages never stay on the slow from-records path.
// Returns how many partnerships it built.
int build_missing_kpis(app::App& a);

}  // namespace cp::modules::journeys
