// The dashboard's figures: employability counts from journeys (kpi.hpp), "what other data" from
// self-assessment, ratings and inspections, each through its module's interface, turned into
// suppressed tables. Nothing here reads another module's tables.
#include <algorithm>
#include <cstdio>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "modules/inspections/inspections.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/journeys/kpi.hpp"
#include "modules/lens/lens.hpp"
#include "modules/ratings/ratings.hpp"
#include "modules/selfassess/selfassess.hpp"
#include "web/bilingual.hpp"
#include "web/format.hpp"

namespace cp::modules::lens {

namespace {

using Args = std::vector<std::pair<std::string, std::string>>;

// One group of counts and its total, suppressed together.
struct Group {
  std::vector<Cell> cells;
  Cell total;
};

Group group(const std::vector<std::int64_t>& values, std::optional<std::int64_t> total) {
  auto sup = suppress(values, total);
  Group g;
  for (std::size_t i = 0; i < values.size(); ++i) g.cells.push_back(Cell::number(values[i], sup.cells[i]));
  if (total) g.total = Cell::number(*total, sup.total);
  return g;
}

// Hides the parts of a count that is itself hidden: shown, they would add up to it.
void hide_parts_of(const Cell& whole, std::vector<Cell*> parts) {
  if (!whole.hidden) return;
  for (auto* p : parts)
    if (!p->hidden && p->count > 0) {
      p->hidden = true;
      p->secondary = true;
    }
}

// A share of `whole`, hidden when either count is hidden or the whole is under the threshold.
Cell share(const Cell& part, const Cell& whole) {
  return Cell::percent(part.count, whole.count, part.hidden || whole.hidden || whole.count < kThreshold);
}

std::string value_label(const std::string& dimension, const std::string& v, const Tr& t) {
  static const std::vector<std::string> kWords = {"yes", "no", "prefer_not", "not_asked", "unknown"};
  if (std::find(kWords.begin(), kWords.end(), v) != kWords.end()) return t("lens.value_" + v, {});
  if (dimension == "simd_decile") return t("lens.decile", {{"decile", v}});
  if (dimension == "age_band" && v == "under 16") return t("lens.age_under_16", {});
  return v;
}

Chart stages_chart(const journeys::Kpis& k, const Tr& t) {
  Chart c{"stages", "employability", {t("lens.col_stage", {}), t("lens.col_people", {})}};
  std::vector<std::int64_t> v(k.at_stage, k.at_stage + 6);
  auto g = group(v, k.people);
  for (int i = 0; i <= journeys::kStages; ++i)
    c.rows.push_back({Cell::label(t("lens.stage_" + std::to_string(i), {})), g.cells[i]});
  c.total = {Cell::label(t("lens.total_people", {})), g.total};
  return c;
}

Chart moves_chart(const journeys::Kpis& k, const Tr& t) {
  Chart c{"moves", "employability", {t("lens.col_change", {}), t("lens.col_times", {})}};
  std::vector<journeys::StageMove> moves;
  for (const auto& m : k.moves)
    if (m.people > 0) moves.push_back(m);
  std::sort(moves.begin(), moves.end(), [](const auto& a, const auto& b) { return std::tie(a.from, a.to) < std::tie(b.from, b.to); });
  std::vector<std::int64_t> v;
  std::int64_t sum = 0;
  for (const auto& m : moves) {
    v.push_back(m.people);
    sum += m.people;
  }
  auto g = group(v, sum);
  for (std::size_t i = 0; i < moves.size(); ++i) {
    auto label = moves[i].from == 0 ? t("lens.move_first", {{"to", std::to_string(moves[i].to)}})
                                    : t(moves[i].to > moves[i].from ? "lens.move_on" : "lens.move_back",
                                        {{"from", std::to_string(moves[i].from)}, {"to", std::to_string(moves[i].to)}});
    c.rows.push_back({Cell::label(label), g.cells[i]});
  }
  c.total = {Cell::label(t("lens.total_changes", {})), g.total};
  if (moves.empty()) c.notes.push_back(t("lens.no_moves", {}));
  return c;
}

Chart sustained_chart(const journeys::Kpis& k, const Tr& t) {
  Chart c{"sustained",
          "employability",
          {t("lens.col_weeks", {}), t("lens.col_cohort", {}), t("lens.col_still", {}), t("lens.col_not_still", {}),
           t("lens.col_not_checked", {}), t("lens.col_share_still", {}), t("lens.col_too_recent", {})}};
  c.bar_column = 5;
  for (const auto& sus : k.sustained) {
    std::int64_t too_recent = std::max<std::int64_t>(0, k.job_starts - sus.cohort);
    // The cohort and the job starts too recent to count add up to all job starts (published).
    auto a = group({sus.cohort, too_recent}, k.job_starts);
    // Still in work, not in work and not checked add up to the cohort.
    auto b = group({sus.sustained, sus.not_sustained, sus.not_checked}, sus.cohort);
    Cell cohort = a.cells[0];
    if (cohort.hidden && !b.total.hidden) b.total = cohort;
    hide_parts_of(cohort, {&b.cells[0], &b.cells[1], &b.cells[2]});
    auto w = std::to_string(sus.week);
    c.rows.push_back({Cell::label(t("lens.weeks", {{"weeks", w}})), cohort, b.cells[0], b.cells[1], b.cells[2],
                      share(b.cells[0], cohort), a.cells[1]});
    if (sus.cohort == 0)
      c.notes.push_back(k.job_starts == 0 ? t("lens.cohort_none", {{"weeks", w}}) : t("lens.cohort_too_young", {{"weeks", w}}));
  }
  return c;
}

Chart destinations_chart(const journeys::Kpis& k, const Tr& t) {
  Chart c{"destinations", "employability", {t("lens.col_destination", {}), t("lens.col_count", {})}};
  std::vector<std::string> kinds = {"job_start"};
  std::vector<std::int64_t> v = {k.job_starts};
  for (const auto& kind : journeys::kOutcomeKinds) {
    if (kind == "job_start") continue;
    kinds.push_back(kind);
    auto it = k.other_destinations.find(kind);
    v.push_back(it == k.other_destinations.end() ? 0 : it->second);
  }
  std::int64_t sum = 0;
  for (auto x : v) sum += x;
  auto g = group(v, sum);
  for (std::size_t i = 0; i < kinds.size(); ++i) c.rows.push_back({Cell::label(t("lens.outcome_" + kinds[i], {})), g.cells[i]});
  c.total = {Cell::label(t("lens.total_outcomes", {})), g.total};
  return c;
}

Chart first_outcome_chart(const journeys::Kpis& k, const Tr& t) {
  Chart c{"first_outcome", "employability", {t("lens.col_measure", {}), t("lens.col_value", {})}};
  c.bar_column = -1;
  std::int64_t outcomes = k.job_starts;
  for (const auto& [kind, n] : k.other_destinations) outcomes += n;
  // A median resting on fewer than 5 outcomes could describe one person.
  c.rows.push_back({Cell::label(t("lens.median_days", {})), Cell::decimal(k.median_days_to_first_outcome, outcomes < kThreshold, 0)});
  c.notes.push_back(t("lens.median_note", {}));
  return c;
}

Chart distance_chart(const std::vector<selfassess_store::ScaleChange>& changes, const std::string& lang, const Tr& t) {
  Chart c{"distance", "other", {t("lens.col_scale", {}), t("lens.col_people_twice", {}), t("lens.col_mean_change", {})}};
  c.bar_column = 2;
  for (const auto& ch : changes) {
    auto people = Cell::number(ch.people, small(ch.people) ? Hide::small : Hide::no);
    std::optional<double> mean;
    if (ch.people > 0) mean = ch.mean_change;
    c.rows.push_back({Cell::label(web::pick(ch.name, lang).text), people, Cell::decimal(mean, ch.people < kThreshold, 1)});
  }
  if (changes.empty()) c.notes.push_back(t("lens.no_scales", {}));
  return c;
}

Chart ratings_chart(const ratings::ratings_store::Summary& r, const Tr& t) {
  Chart c{"ratings", "other", {t("lens.col_measure", {}), t("lens.col_value", {})}};
  c.bar_column = -1;
  c.rows.push_back({Cell::label(t("lens.ratings_count", {})), Cell::number(r.count, small(r.count) ? Hide::small : Hide::no)});
  std::optional<double> mean;
  if (r.count > 0) mean = r.mean;
  c.rows.push_back({Cell::label(t("lens.ratings_mean", {})), Cell::decimal(mean, r.count < kThreshold, 1)});
  return c;
}

// A part, the rest and the whole, with shares: plans, referrals and findings read this way.
Chart part_chart(const std::string& key, const std::string& first_col, std::int64_t part, std::int64_t whole,
                 const std::string& part_label, const std::string& rest_label, const std::string& total_label, const Tr& t) {
  Chart c{key, "other", {first_col, t("lens.col_count", {}), t("lens.col_share", {})}};
  auto g = group({part, std::max<std::int64_t>(0, whole - part)}, whole);
  c.rows.push_back({Cell::label(part_label), g.cells[0], share(g.cells[0], g.total)});
  c.rows.push_back({Cell::label(rest_label), g.cells[1], share(g.cells[1], g.total)});
  c.total = {Cell::label(total_label), g.total, Cell::percent(whole, whole, g.total.hidden || whole < kThreshold)};
  return c;
}

Chart group_chart(const std::string& dimension, const std::vector<journeys::GroupRow>& rows, const Tr& t) {
  Chart c{"group_" + dimension,
          "groups",
          {t("lens.col_group_" + dimension, {}), t("lens.col_people", {}), t("lens.col_job_starts", {}),
           t("lens.col_outcomes", {}), t("lens.col_job_rate", {})}};
  std::vector<std::int64_t> people, jobs, outcomes;
  std::int64_t sp = 0, sj = 0, so = 0;
  for (const auto& r : rows) {
    people.push_back(r.people);
    jobs.push_back(r.job_starts);
    outcomes.push_back(r.outcomes);
    sp += r.people;
    sj += r.job_starts;
    so += r.outcomes;
  }
  auto gp = group(people, sp), gj = group(jobs, sj), go = group(outcomes, so);
  bool all_unknown = !rows.empty();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].people > 0 && rows[i].value != "unknown" && rows[i].value != "not_asked") all_unknown = false;
    c.rows.push_back({Cell::label(value_label(dimension, rows[i].value, t)), gp.cells[i], gj.cells[i], go.cells[i],
                      share(gj.cells[i], gp.cells[i])});
  }
  c.total = {Cell::label(t("lens.total", {})), gp.total, gj.total, go.total, share(gj.total, gp.total)};
  if (rows.empty() || sp == 0) c.notes.push_back(t("lens.no_people", {}));
  else if (all_unknown) c.notes.push_back(t("lens.all_unknown_" + dimension, {}));
  return c;
}

}  // namespace

const std::vector<std::string>& chart_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k = {"stages",  "moves",   "sustained", "destinations", "first_outcome",
                                  "distance", "ratings", "own_words", "referrals",    "findings"};
    for (const auto& d : journeys::kBreakdowns) k.push_back("group_" + d);
    return k;
  }();
  return keys;
}

Dashboard build(store::Scope& s, const LensScope& scope, const std::string& today, const std::string& lang, const Tr& t) {
  Dashboard d;
  d.scope = scope;
  d.today = today;
  journeys::KpiFilter f;
  f.today = today;
  std::optional<std::vector<std::int64_t>> services;
  if (scope.kind == "organisation") {
    f.organisation_id = scope.id;
    services.emplace();
    for (const auto& b : directory_store::briefs(s))
      if (b.organisation_id && *b.organisation_id == scope.id) services->push_back(b.id);
  } else if (scope.kind == "service") {
    f.service_id = scope.id;
    services = std::vector<std::int64_t>{scope.id};
  }
  auto k = journeys::kpis(s, f);
  d.charts.push_back(stages_chart(k, t));
  d.charts.push_back(moves_chart(k, t));
  d.charts.push_back(sustained_chart(k, t));
  d.charts.push_back(destinations_chart(k, t));
  d.charts.push_back(first_outcome_chart(k, t));
  d.charts.push_back(distance_chart(selfassess_store::distance_from_sums(s, k.distance), lang, t));
  d.charts.push_back(ratings_chart(ratings::ratings_store::summary(s, services), t));
  d.charts.push_back(part_chart("own_words", t("lens.col_who_changed", {}), k.plan_changes_by_person, k.plan_changes,
                                t("lens.by_person", {}), t("lens.by_staff", {}), t("lens.total_plan_changes", {}), t));
  d.charts.push_back(part_chart("referrals", t("lens.col_referral", {}), k.referrals_declined, k.referrals,
                                t("lens.declined", {}), t("lens.not_declined", {}), t("lens.total_referrals", {}), t));
  auto fc = inspections::inspections_store::finding_counts(s, services);
  d.charts.push_back(part_chart("findings", t("lens.col_finding", {}), fc.open, fc.findings, t("lens.findings_open", {}),
                                t("lens.findings_closed", {}), t("lens.total_findings", {}), t));
  for (const auto& dim : journeys::kBreakdowns) d.charts.push_back(group_chart(dim, journeys::kpi_breakdown(s, f, dim), t));
  return d;
}

std::string cell_text(const Cell& c, const std::string& lang, const Tr& t) {
  switch (c.kind) {
    case Cell::Kind::text: return c.text;
    case Cell::Kind::count:
      if (c.hidden) return t(c.secondary ? "lens.hidden_secondary" : "lens.fewer_than_5", {});
      return web::format_number(lang, c.count);
    case Cell::Kind::decimal:
    case Cell::Kind::percent:
      if (c.none) return t("lens.no_data", {});
      if (c.hidden) return t("lens.not_shown", {});
      return web::format_decimal(lang, c.value, c.digits) + (c.kind == Cell::Kind::percent ? "%" : "");
  }
  return "";
}

std::string cell_export(const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::text: return c.text;
    case Cell::Kind::count:
      if (c.hidden) return c.secondary ? "[s]" : "<5";
      return std::to_string(c.count);
    case Cell::Kind::decimal:
    case Cell::Kind::percent: {
      if (c.none) return "";
      if (c.hidden) return "[s]";
      char buf[48];
      std::snprintf(buf, sizeof buf, "%.*f", c.digits, c.value);
      std::string s = buf;
      if (s == "-0" || s == "-0.0") s = s.substr(1);
      return s;
    }
  }
  return "";
}

}  // namespace cp::modules::lens
