// The learning lens at scale (issue 8's benchmark): a partnership with COPRODUCE_LENS_PEOPLE people's
// records (1,000,000 unless told) and COPRODUCE_LENS_EVENTS events on them (10,000,000): pipeline
// stages, outcomes, sustainment checks, referrals and contact notes. bench/lens_run drives it; see
// docs/performance.md, "Learning lens: employability figures at scale".
//
//   COPRODUCE_LENS_DB=sqlite:/tmp/l.db build/coproduce_bench --benchmark_filter=Lens
//
// How it is filled: bulk SQL in this file (recursive CTEs, so the same statements run on SQLite and
// PostgreSQL), straight into the journeys tables with the columns journeys' own store functions
// write, but with no audit rows and without the counters; then journeys::rebuild_kpis makes the
// counters, as after any bulk load. Events are split: stages 30%, outcomes 6% (70% of them job
// starts, each with its three checks: 12% more rows, about 60% answered), referrals 10%, notes the
// rest. Every person is supported by one of 20 organisations.
//
// LensGenerate fills once (a second run finds the data there). LensVerify checks a few figures
// against direct SQL on the generated rows. LensRead* time kpis() plus all five breakdowns, as the
// dashboard asks for them, for the whole partnership, one organisation and one service.
// LensChange times one stage recorded through journeys_store::add_stage with its counter update.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>

#include "app/app.hpp"
#include "core/util.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/journeys/kpi.hpp"
#include "modules/organisations/organisations.hpp"

using namespace cp;
namespace kpi = modules::journeys;

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kOrgs = 20, kServices = 50, kDays = 1100;  // dates: 1,100 days from 2023-01-01
const std::string kToday = "2026-01-31";

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::int64_t env_int(const char* name, std::int64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoll(v) : fallback;
}

struct Bench {
  std::unique_ptr<app::App> app;
  std::int64_t partnership = 0, first_org = 0;
  std::string tmp_dir;
  bool generated = false;
  double fill_s = 0, rebuild_s = 0;
  std::int64_t events = 0;

  Bench() {
    std::string url = std::getenv("COPRODUCE_LENS_DB") ? std::getenv("COPRODUCE_LENS_DB") : "";
    if (url.empty()) {
      tmp_dir = (std::filesystem::temp_directory_path() / ("coproduce-lens-" + std::to_string(::getpid()))).string();
      std::filesystem::create_directories(tmp_dir);
      url = "sqlite:" + tmp_dir + "/lens.db";
    }
    Config cfg;
    cfg.db_url = url;
    cfg.access_log = false;
    cfg.share_dir = std::getenv("COPRODUCE_SHARE") ? std::getenv("COPRODUCE_SHARE") : app::default_share_dir();
    app = std::make_unique<app::App>(cfg);
    app->migrate();
    auto p = app->partnership_by_slug("lens");
    if (!p) p = app->create_partnership("lens", "Lens Bench Partnership", "lens.bench", "Employability at scale.");
    partnership = p->id;
    fill();
  }
  ~Bench() {
    app.reset();
    if (!tmp_dir.empty()) std::filesystem::remove_all(tmp_dir);
  }

  store::Work work(bool write = false) {
    return app->work(partnership, {std::nullopt, "bench", "", ""},
                     write ? store::Transaction::Mode::write : store::Transaction::Mode::read);
  }

  void fill() {
    {
      auto w = work();
      if (w->read("SELECT COUNT(*) FROM journey_people WHERE partnership_id = $1").one().i64(0) > 0) {
        first_org = w->read("SELECT MIN(organisation_id) FROM journey_kpi_orgs WHERE partnership_id = $1").one().i64(0);
        return;
      }
    }
    const std::int64_t people = env_int("COPRODUCE_LENS_PEOPLE", 1000000);
    events = env_int("COPRODUCE_LENS_EVENTS", 10000000);
    const std::int64_t stages = events * 30 / 100, outcomes = events * 6 / 100, referrals = events * 10 / 100;
    auto t0 = Clock::now();
    std::vector<std::int64_t> orgs;
    {
      auto w = work(true);
      for (int i = 0; i < kOrgs; ++i) {
        modules::OrganisationInput in;
        in.name = "Support Org " + std::to_string(i + 1);
        in.kind = "third_sector";
        in.summary = "Helps people into work.";
        orgs.push_back(modules::organisations_store::create(w.scope(), in));
      }
      w.commit();
    }
    std::sort(orgs.begin(), orgs.end());
    first_org = orgs.front();
    if (orgs.back() - orgs.front() != kOrgs - 1) throw std::runtime_error("organisation ids are not consecutive");
    auto lease = app->db->lease();
    store::Transaction tx(*lease);
    auto& c = *lease;
    const std::string pid = std::to_string(partnership), org0 = std::to_string(first_org);
    auto seq = [](std::int64_t n) {
      return "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + std::to_string(n) + ") ";
    };
    // The dates, as text, by day number.
    c.run("CREATE TABLE IF NOT EXISTS lens_bench_days (d BIGINT PRIMARY KEY, iso TEXT NOT NULL)", {});
    c.run("DELETE FROM lens_bench_days", {});
    for (int start = 0; start < kDays + 400; start += 200) {
      std::string sql = "INSERT INTO lens_bench_days (d, iso) VALUES ";
      for (int d = start; d < start + 200; ++d)
        sql += (d == start ? "" : ", ") + std::string("(") + std::to_string(d) + ", '" +
               kpi::add_days("2023-01-01", d) + "')";
      c.run(sql, {});
    }
    const std::string letters = "'ABDEFGHJLNPQRSTUWXYZ'";
    c.run("INSERT INTO journey_people (partnership_id, name, created_at, updated_at, postcode, birth_year, lone_parent,"
          " disability) " + seq(people) + "SELECT " + pid + ", 'Person ' || CAST(i AS TEXT), 1700000000, 1700000000,"
          " CASE WHEN i % 10 = 0 THEN '' ELSE 'KY' || CAST(1 + i % 16 AS TEXT) || ' ' || CAST((i / 16) % 10 AS TEXT)"
          " || substr(" + letters + ", 1 + (i / 160) % 20, 1) || substr(" + letters + ", 1 + (i / 3200) % 20, 1) END,"
          " CASE WHEN i % 7 = 0 THEN NULL ELSE 1950 + (i * 37) % 60 END,"
          " CASE i % 5 WHEN 0 THEN 'yes' WHEN 1 THEN 'no' WHEN 2 THEN 'prefer_not' ELSE 'not_asked' END,"
          " CASE (i / 5) % 4 WHEN 0 THEN 'yes' WHEN 1 THEN 'no' WHEN 2 THEN 'prefer_not' ELSE 'not_asked' END FROM n",
          {});
    auto first_person =
        c.run("SELECT MIN(id) FROM journey_people WHERE partnership_id = $1", {partnership}).one().i64(0);
    const std::string p0 = std::to_string(first_person - 1), np = std::to_string(people);
    c.run("INSERT INTO journey_kpi_orgs (partnership_id, person_id, organisation_id, since) " + seq(people) +
              "SELECT " + pid + ", " + p0 + " + i, " + org0 + " + i % " + std::to_string(kOrgs) + ", 1700000000 FROM n",
          {});
    // Stages: about three a person, on dates spread over the 1,100 days.
    c.run("INSERT INTO journey_stages (partnership_id, person_id, stage, on_date, by_name, at) " + seq(stages) +
              "SELECT " + pid + ", " + p0 + " + 1 + (i * 7919) % " + np + ", 1 + (i * 13) % 5, dd.iso, 'bench', 1700000000"
              " FROM n JOIN lens_bench_days dd ON dd.d = (i * 31) % " + std::to_string(kDays),
          {});
    c.run("INSERT INTO journey_outcomes (partnership_id, person_id, kind, on_date, hours, contract, by_name, created_at) " +
              seq(outcomes) + "SELECT " + pid + ", " + p0 + " + 1 + (i * 104729) % " + np +
              ", CASE WHEN i % 10 < 7 THEN 'job_start' WHEN i % 10 < 8 THEN 'education' WHEN i % 10 < 9"
              " THEN 'volunteering' ELSE 'other' END, dd.iso, 20, 'permanent', 'bench', 1700000000"
              " FROM n JOIN lens_bench_days dd ON dd.d = (i * 17) % " + std::to_string(kDays),
          {});
    c.run("INSERT INTO journey_outcome_checks (partnership_id, outcome_id, person_id, week, due_on, still_in_work,"
          " checked_on, by_name) WITH w(week) AS (SELECT 13 UNION ALL SELECT 26 UNION ALL SELECT 52)"
          " SELECT o.partnership_id, o.id, o.person_id, w.week, d2.iso,"
          " CASE WHEN (o.id + w.week) % 5 < 3 AND d2.iso <= '" + kToday + "' THEN"
          " CASE WHEN o.id % 4 = 0 THEN 0 ELSE 1 END END,"
          " CASE WHEN (o.id + w.week) % 5 < 3 AND d2.iso <= '" + kToday + "' THEN d2.iso ELSE '' END, 'bench'"
          " FROM journey_outcomes o JOIN lens_bench_days d1 ON d1.iso = o.on_date"
          " JOIN w ON 1 = 1 JOIN lens_bench_days d2 ON d2.d = d1.d + 7 * w.week"
          " WHERE o.partnership_id = " + pid + " AND o.kind = 'job_start'",
          {});
    c.run("INSERT INTO journey_referrals (partnership_id, person_id, from_organisation_id, from_worker_name,"
          " to_organisation_id, service_id, service_name, parts, status, created_at, updated_at) " + seq(referrals) +
              "SELECT " + pid + ", " + p0 + " + 1 + (i * 65537) % " + np + ", " + org0 + " + i % " +
              std::to_string(kOrgs) + ", 'bench', " + org0 + " + (i + 7) % " + std::to_string(kOrgs) + ", 1 + i % " +
              std::to_string(kServices) + ", 'Service', 'profile',"
              " CASE WHEN i % 10 < 5 THEN 'accepted' WHEN i % 10 < 7 THEN 'declined' WHEN i % 10 = 7 THEN 'sent'"
              " WHEN i % 10 = 8 THEN 'stopped' ELSE 'awaiting_consent' END, 1700000000, 1700000000 FROM n",
          {});
    std::int64_t written = stages + outcomes + referrals +
                           c.run("SELECT COUNT(*) FROM journey_outcome_checks WHERE partnership_id = $1", {partnership})
                               .one()
                               .i64(0);
    if (events > written)
      c.run("INSERT INTO journey_notes (partnership_id, person_id, author_name, organisation_id, kind, talked_about,"
            " created_at) " + seq(events - written) + "SELECT " + pid + ", " + p0 + " + 1 + (i * 7) % " + np +
                ", 'bench', " + org0 + " + i % " + std::to_string(kOrgs) +
                ", 'meeting', 'We talked about work.', 1700000000 + i FROM n",
            {});
    tx.commit();
    // Fresh tables have no statistics yet; PostgreSQL would plan the rebuild's joins as if they were
    // tiny (nested loops over whole tables). Autovacuum does this by itself in production.
    c.run("ANALYZE", {});
    fill_s = seconds_since(t0);
    auto t1 = Clock::now();
    {
      auto w = work(true);
      kpi::rebuild_kpis(w.scope());
      w.commit();
    }
    rebuild_s = seconds_since(t1);
    generated = true;
  }
};

Bench& bench() {
  static Bench b;
  return b;
}

kpi::KpiFilter filter_for(const std::string& which) {
  kpi::KpiFilter f;
  f.today = kToday;
  if (which == "organisation") f.organisation_id = bench().first_org + 3;
  if (which == "service") f.service_id = 7;
  return f;
}

void LensGenerate(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(bench().partnership);
  state.counters["generated"] = bench().generated ? 1 : 0;
  state.counters["fill_s"] = bench().fill_s;
  state.counters["rebuild_s"] = bench().rebuild_s;
  state.counters["events"] = static_cast<double>(bench().events);
}
BENCHMARK(LensGenerate)->Iterations(1)->Unit(benchmark::kSecond);

// A few figures against direct SQL over the generated rows.
void LensVerify(benchmark::State& state) {
  auto& b = bench();
  int checked = 0, wrong = 0;
  for (auto _ : state) {
    auto w = b.work();
    auto& s = w.scope();
    auto expect = [&](const std::string& what, std::int64_t got, std::int64_t want) {
      ++checked;
      if (got != want) {
        ++wrong;
        std::cerr << "LensVerify: " << what << ": counters say " << got << ", SQL says " << want << "\n";
      }
    };
    auto sql = [&](const std::string& q, store::Params p = {}) { return s.read(q, std::move(p)).one().i64(0); };
    auto all = kpi::kpis(s, filter_for("partnership"));
    expect("people", all.people, sql("SELECT COUNT(*) FROM journey_people WHERE partnership_id = $1"));
    expect("job starts", all.job_starts,
           sql("SELECT COUNT(*) FROM journey_outcomes WHERE partnership_id = $1 AND kind = 'job_start'"));
    expect("referrals declined", all.referrals_declined,
           sql("SELECT COUNT(*) FROM journey_referrals WHERE partnership_id = $1 AND status = 'declined'"));
    expect("at stage 5", all.at_stage[5],
           sql("SELECT COUNT(*) FROM (SELECT person_id, stage, ROW_NUMBER() OVER (PARTITION BY person_id"
               " ORDER BY on_date DESC, id DESC) AS rn FROM journey_stages WHERE partnership_id = $1) x"
               " WHERE rn = 1 AND stage = 5"));
    auto cutoff = kpi::add_days(kToday, -7 * 13);
    expect("13-week cohort", all.sustained[0].cohort,
           sql("SELECT COUNT(*) FROM journey_outcomes WHERE partnership_id = $1 AND kind = 'job_start'"
               " AND on_date <= $2",
               {cutoff}));
    expect("13-week sustained", all.sustained[0].sustained,
           sql("SELECT COUNT(*) FROM journey_outcome_checks c JOIN journey_outcomes o ON o.partnership_id = $1"
               " AND o.id = c.outcome_id WHERE c.partnership_id = $1 AND c.week = 13 AND c.still_in_work = 1"
               " AND o.on_date <= $2",
               {cutoff}));
    auto f = filter_for("organisation");
    auto org = kpi::kpis(s, f);
    expect("organisation people", org.people,
           sql("SELECT COUNT(*) FROM journey_kpi_orgs WHERE partnership_id = $1 AND organisation_id = $2",
               {*f.organisation_id}));
    expect("organisation job starts", org.job_starts,
           sql("SELECT COUNT(*) FROM journey_outcomes o JOIN journey_kpi_orgs k ON k.partnership_id = $1"
               " AND k.person_id = o.person_id AND k.organisation_id = $2"
               " WHERE o.partnership_id = $1 AND o.kind = 'job_start'",
               {*f.organisation_id}));
    auto lone = kpi::kpi_breakdown(s, filter_for("partnership"), "lone_parent");
    expect("lone parents", lone[0].people,
           sql("SELECT COUNT(*) FROM journey_people WHERE partnership_id = $1 AND lone_parent = 'yes'"));
    auto sv = filter_for("service");
    expect("service people", kpi::kpis(s, sv).people,
           sql("SELECT COUNT(DISTINCT person_id) FROM journey_referrals WHERE partnership_id = $1"
               " AND service_id = $2 AND status = 'accepted'",
               {*sv.service_id}));
  }
  state.counters["checked"] = checked;
  state.counters["wrong"] = wrong;
  if (wrong) state.SkipWithError("a figure differs from direct SQL");
}
BENCHMARK(LensVerify)->Iterations(1);

// kpis() and the five breakdowns, as one dashboard asks for them, in one read transaction.
void read_dashboard(benchmark::State& state, const std::string& which) {
  auto& b = bench();
  auto f = filter_for(which);
  std::vector<double> ms;
  std::int64_t rows = 0;
  for (auto _ : state) {
    auto t0 = Clock::now();
    auto w = b.work();
    auto k = kpi::kpis(w.scope(), f);
    for (const auto& d : kpi::kBreakdowns) rows += static_cast<std::int64_t>(kpi::kpi_breakdown(w.scope(), f, d).size());
    benchmark::DoNotOptimize(k.people);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  state.counters["p50_ms"] = ms[ms.size() / 2];
  state.counters["p99_ms"] = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
  state.counters["group_rows"] = static_cast<double>(rows) / static_cast<double>(ms.size());
}
void LensReadPartnership(benchmark::State& state) { read_dashboard(state, "partnership"); }
void LensReadOrganisation(benchmark::State& state) { read_dashboard(state, "organisation"); }
void LensReadService(benchmark::State& state) { read_dashboard(state, "service"); }
BENCHMARK(LensReadPartnership)->Iterations(200)->Unit(benchmark::kMillisecond);
BENCHMARK(LensReadOrganisation)->Iterations(200)->Unit(benchmark::kMillisecond);
BENCHMARK(LensReadService)->Iterations(200)->Unit(benchmark::kMillisecond);

// One stage recorded for a random person, with its counter update, committed.
void LensChange(benchmark::State& state) {
  auto& b = bench();
  std::int64_t first = 0, last = 0;
  {
    auto w = b.work();
    first = w->read("SELECT MIN(id) FROM journey_people WHERE partnership_id = $1").one().i64(0);
    last = w->read("SELECT MAX(id) FROM journey_people WHERE partnership_id = $1").one().i64(0);
  }
  std::mt19937_64 rng(11);
  std::vector<double> ms;
  for (auto _ : state) {
    auto person = first + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(last - first + 1));
    auto t0 = Clock::now();
    auto w = b.work(true);
    modules::journeys_store::add_stage(w.scope(), person, 1 + static_cast<std::int64_t>(rng() % 5), kToday, {0, "bench"});
    w.commit();
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  state.counters["p50_ms"] = ms[ms.size() / 2];
  state.counters["p99_ms"] = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
}
BENCHMARK(LensChange)->Iterations(100)->Unit(benchmark::kMillisecond);

}  // namespace
