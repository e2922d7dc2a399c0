// The learning lens at scale (issue 8's benchmark): a partnership with COPRODUCE_LENS_PEOPLE people's
// records (1,000,000 unless told) and COPRODUCE_LENS_EVENTS events on them (10,000,000): pipeline
// stages, outcomes, sustainment checks, referrals and contact notes. bench/lens_run drives it; see
// docs/performance.md, "Learning lens: employability figures at scale".
//
//   COPRODUCE_LENS_DB=sqlite:/tmp/l.db build/coproduce_bench --benchmark_filter=Lens
//
// How it is filled (a bench bulk path, not something the application does): the 20 organisations
// and their 50 services come through the directory's own feed import, the self-assessment scales
// are the demo's six (seed_selfassess_demo), the 50 inspections and their 200 findings go through
// the inspections store, and one admin account through the accounts module. Everything large is
// bulk SQL in this file (recursive CTEs, so the same statements run on SQLite and PostgreSQL),
// written in each owning module's column shapes but with no audit rows and without the counters:
//   journeys     people (one in ten with an account), "ever supported" links, stages, outcomes,
//                sustainment checks, referrals, notes; a goal for 30% of people, each saved twice
//                (plan history: the first by a worker, the second by the person when they have an
//                account), so "share of plans written in the person's words" is not 0;
//   selfassess   30% of people with two completions on all six scales (3.6 million scores at
//                1,000,000 people);
//   ratings      10 ratings each from 2,000 of the people's accounts (20,000);
// then ANALYZE, then journeys::rebuild_kpis makes the kept counters (employability and the
// self-assessment distance travelled), as after any bulk load. Events are split: stages 30%,
// outcomes 6% (70% of them job starts, each with its three checks: 12% more rows, about 60%
// answered), referrals 10%, notes the rest. Every person is supported by one of 20 organisations.
//
// LensGenerate fills once (a second run finds the data there). LensVerify checks figures against
// direct SQL on the generated rows (employability, self-assessment distance, own-words share, for
// the partnership and one organisation) and that each dashboard page answers 200 with the right
// number of people on it. LensPage* time whole requests through the application's request handler
// (routing, the signed-in admin's session, every figure, suppression, SVG and templates) for /lens,
// one organisation's page and one service's page. LensRead* time kpis() plus all five breakdowns,
// as the dashboard asks for them. LensChange times one stage recorded through
// journeys_store::add_stage with its counter update, and LensAnswer one self-assessment completion
// recorded through selfassess_store::record with its kept-figure update.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <random>

#include <boost/json.hpp>

#include "app/app.hpp"
#include "page_timing.hpp"
#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/directory/directory.hpp"
#include "modules/inspections/inspections.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/journeys/kpi.hpp"
#include "modules/selfassess/selfassess.hpp"
#include "web/format.hpp"

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

std::string pad(int n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%012d", n);
  return buf;
}

struct Bench {
  std::unique_ptr<app::App> app;
  std::int64_t partnership = 0, first_org = 0, first_service = 0, admin = 0;
  std::string tmp_dir, host, cookie;
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
    host = p->host;
    fill();
    sign_in();
  }

  // A session for the bench's admin account, written as the accounts module's sign-in writes one.
  void sign_in() {
    const std::string token = "lens-bench-" + std::to_string(::getpid()) + "-" + std::to_string(now_millis());
    auto lease = app->db->lease();
    store::Transaction tx(*lease);
    lease->run("INSERT INTO sessions (partnership_id, token_hash, user_id, csrf_token, created_at, last_seen_at,"
               " expires_at) VALUES ($1, $2, $3, $4, $5, $5, $6)",
               {partnership, sha256_hex(token), admin, std::string("lens-bench-csrf"), now_seconds(),
                now_seconds() + 86400});
    tx.commit();
    cookie = app->cookie_name() + "=" + token;
  }

  http::Response get(const std::string& target) {
    auto r = cp::bench::get_request(target, host);
    r.headers.push_back({"cookie", cookie});
    return app->handle(r);
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
        first_service = w->read("SELECT MIN(id) FROM directory_services WHERE partnership_id = $1").one().i64(0);
        admin = w->read("SELECT id FROM users WHERE partnership_id = $1 AND email = 'lens-admin@lens.bench'").one().i64(0);
        return;
      }
    }
    const std::int64_t people = env_int("COPRODUCE_LENS_PEOPLE", 1000000);
    events = env_int("COPRODUCE_LENS_EVENTS", 10000000);
    const std::int64_t stages = events * 30 / 100, outcomes = events * 6 / 100, referrals = events * 10 / 100;
    auto t0 = Clock::now();
    {
      // 50 services run by 20 organisations (service k by organisation k % 20), through the
      // directory's feed import, which makes the organisations too; the admin who reads the lens;
      // the demo's six self-assessment scales.
      auto w = work(true);
      boost::json::array services;
      for (int k = 0; k < kServices; ++k)
        services.push_back(
            {{"id", "00000001-0000-4000-8000-" + pad(k + 1)},
             {"name", "Into Work Service " + std::to_string(k + 1)},
             {"description", "Support to find and keep work."},
             {"status", "active"},
             {"organization",
              {{"id", "00000002-0000-4000-8000-" + pad(k % kOrgs + 1)},
               {"name", "Support Org " + std::to_string(k % kOrgs + 1)},
               {"description", "Helps people into work."}}}});
      modules::directory_store::import_feed(w.scope(), services);
      modules::NewUser u;
      u.email = "lens-admin@lens.bench";
      u.name = "Lens Bench Admin";
      u.password = "long quiet river stones 42";
      u.grants.push_back({auth::Role::admin, std::nullopt});
      admin = modules::AccountsModule::create_user(*app, w.scope(), u);
      modules::seed_selfassess_demo(*app, w.scope());
      w.commit();
    }
    {
      auto w = work();
      auto o = w->read("SELECT MIN(id), MAX(id), COUNT(*) FROM organisations WHERE partnership_id = $1").one();
      auto sv = w->read("SELECT MIN(id), MAX(id), COUNT(*) FROM directory_services WHERE partnership_id = $1").one();
      if (o.i64(2) != kOrgs || o.i64(1) - o.i64(0) != kOrgs - 1)
        throw std::runtime_error("expected 20 organisations with consecutive ids");
      if (sv.i64(2) != kServices || sv.i64(1) - sv.i64(0) != kServices - 1)
        throw std::runtime_error("expected 50 services with consecutive ids");
      first_org = o.i64(0);
      first_service = sv.i64(0);
    }
    auto lease = app->db->lease();
    store::Transaction tx(*lease);
    auto& c = *lease;
    const std::string pid = std::to_string(partnership), org0 = std::to_string(first_org),
                      svc0 = std::to_string(first_service);
    const std::int64_t accounts = std::max<std::int64_t>(1, people / 10);
    auto seq = [](std::int64_t n) {
      return "WITH RECURSIVE n(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < " + std::to_string(n) + ") ";
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
    // One person in ten has an account (people 1..accounts), in the accounts module's columns; nobody
    // signs in as them (no usable password), they own plan changes and ratings.
    c.run("INSERT INTO users (partnership_id, email, name, password_hash, created_at, password_changed_at) " +
              seq(accounts) + "SELECT " + pid + ", 'person' || CAST(i AS TEXT) || '@lens.bench', 'Person ' ||"
              " CAST(i AS TEXT), 'none', 1700000000, 1700000000 FROM n",
          {});
    auto ur = c.run("SELECT MIN(id), MAX(id) FROM users WHERE partnership_id = $1 AND email LIKE 'person%@lens.bench'",
                    {partnership})
                  .one();
    if (ur.i64(1) - ur.i64(0) + 1 != accounts) throw std::runtime_error("account ids are not consecutive");
    const std::string u0 = std::to_string(ur.i64(0) - 1);
    c.run("INSERT INTO user_roles (partnership_id, user_id, role, organisation_id, granted_at) SELECT partnership_id,"
          " id, 'person', NULL, 1700000000 FROM users WHERE partnership_id = $1 AND email LIKE 'person%@lens.bench'",
          {partnership});
    const std::string letters = "'ABDEFGHJLNPQRSTUWXYZ'";
    c.run("INSERT INTO journey_people (partnership_id, user_id, name, created_at, updated_at, postcode, birth_year,"
          " lone_parent, disability) " + seq(people) + "SELECT " + pid + ", CASE WHEN i <= " +
          std::to_string(accounts) + " THEN " + u0 + " + i END, 'Person ' || CAST(i AS TEXT), 1700000000, 1700000000,"
          " CASE WHEN i % 10 = 0 THEN '' ELSE 'KY' || CAST(1 + i % 16 AS TEXT) || ' ' || CAST((i / 16) % 10 AS TEXT)"
          " || substr(" + letters + ", CAST(1 + (i / 160) % 20 AS INTEGER), 1) || substr(" + letters + ", CAST(1 + (i / 3200) % 20 AS INTEGER), 1) END,"
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
              std::to_string(kOrgs) + ", 'bench', " + org0 + " + (i % " + std::to_string(kServices) + ") % " +
              std::to_string(kOrgs) + ", " + svc0 + " + i % " + std::to_string(kServices) + ", 'Service', 'profile',"
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
    // Plans: a goal for people 1..30%, saved twice; the second save is the person's own when they
    // have an account (journeys' plan history, by_user), so about a sixth of changes are theirs.
    const std::int64_t goals = people * 3 / 10;
    c.run("INSERT INTO journey_goals (partnership_id, person_id, text, version, updated_by_name, created_at,"
          " updated_at) " + seq(goals) + "SELECT " + pid + ", " + p0 + " + i, 'Find work I enjoy near home', 2,"
          " 'bench', 1700000000, 1700000000 FROM n",
          {});
    c.run("INSERT INTO journey_plan_history (partnership_id, item_type, item_id, version, summary, by_user, by_name, at)"
          " SELECT g.partnership_id, 'goal', g.id, v.version, 'Saved the goal', CASE WHEN v.version = 2 THEN p.user_id"
          " END, 'bench', 1700000000 FROM journey_goals g JOIN journey_people p ON p.partnership_id = g.partnership_id"
          " AND p.id = g.person_id JOIN (SELECT 1 AS version UNION ALL SELECT 2) v ON 1 = 1"
          " WHERE g.partnership_id = " + pid,
          {});
    // Self-assessment: people 1, 4, 7, ... (30% of everyone) each complete all six scales twice, the
    // second time 100 to 399 days after the first, in selfassess' columns.
    const std::int64_t answering = people * 3 / 10;
    const std::string na = std::to_string(answering);
    c.run("INSERT INTO selfassess_completions (partnership_id, person_id, recorded_by, with_worker, completed_on,"
          " created_at) " + seq(2 * answering) + "SELECT " + pid + ", " + p0 + " + 1 + 3 * ((i - 1) % " + na +
              "), NULL, (i - 1) / " + na + ", dd.iso, 1700000000 FROM n JOIN lens_bench_days dd ON dd.d = (((i - 1) % " +
              na + ") * 13) % 500 + ((i - 1) / " + na + ") * (100 + ((i - 1) % " + na + ") % 300)",
          {});
    c.run("INSERT INTO selfassess_scores (partnership_id, completion_id, scale_id, score) SELECT c.partnership_id,"
          " c.id, x.id, 1 + (c.person_id * 7 + x.id * 3) % 7 + c.with_worker * ((c.person_id + x.id) % 4)"
          " FROM selfassess_completions c JOIN selfassess_scales x ON x.partnership_id = c.partnership_id"
          " WHERE c.partnership_id = " + pid,
          {});
    // Ratings: 2,000 accounts (fewer at small sizes) each rate 10 different services.
    const std::int64_t raters = std::min<std::int64_t>(accounts, 2000);
    c.run("INSERT INTO ratings (partnership_id, service_id, user_id, stars, comment, created_at, updated_at) " +
              seq(raters * 10) + "SELECT " + pid + ", " + svc0 + " + ((i - 1) / 10 + ((i - 1) % 10) * 5) % " +
              std::to_string(kServices) + ", " + u0 + " + 1 + (i - 1) / 10, 1 + (i * 7) % 5, '', 1700000000,"
              " 1700000000 FROM n",
          {});
    tx.commit();
    {
      // One citizen inspection per service with four findings, through the inspections store.
      auto w = work(true);
      namespace ins = modules::inspections;
      auto tpl = ins::inspections_store::create_template(
          w.scope(), "Service visit", {ins::Question{"scale", "How welcome did you feel?", "Not at all", "Very"}});
      for (int k = 0; k < kServices; ++k) {
        ins::inspections_store::NewInspection in;
        in.service_id = first_service + k;
        in.template_id = tpl;
        in.lead_user_id = admin;
        in.title = "Visit to service " + std::to_string(k + 1);
        auto id = ins::inspections_store::create(w.scope(), in);
        for (int f = 0; f < 4; ++f) {
          ins::Finding fd;
          fd.text = "What we found, number " + std::to_string(f + 1);
          ins::inspections_store::add_finding(w.scope(), id, fd, admin);
        }
      }
      w.commit();
    }
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
  if (which == "service") f.service_id = bench().first_service + 6;
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
    // Share of plan changes in the person's own words: every saved version, and those saved by the
    // plan's own person.
    expect("plan changes", all.plan_changes,
           sql("SELECT COUNT(*) FROM journey_plan_history h JOIN journey_goals g ON g.partnership_id = $1"
               " AND g.id = h.item_id WHERE h.partnership_id = $1 AND h.item_type = 'goal'"));
    expect("plan changes by the person", all.plan_changes_by_person,
           sql("SELECT COUNT(*) FROM journey_plan_history h JOIN journey_goals g ON g.partnership_id = $1"
               " AND g.id = h.item_id JOIN journey_people p ON p.partnership_id = $1 AND p.id = g.person_id"
               " WHERE h.partnership_id = $1 AND h.item_type = 'goal' AND h.by_user = p.user_id"));
    expect("organisation plan changes by the person", org.plan_changes_by_person,
           sql("SELECT COUNT(*) FROM journey_plan_history h JOIN journey_goals g ON g.partnership_id = $1"
               " AND g.id = h.item_id JOIN journey_people p ON p.partnership_id = $1 AND p.id = g.person_id"
               " JOIN journey_kpi_orgs k ON k.partnership_id = $1 AND k.person_id = p.id AND k.organisation_id = $2"
               " WHERE h.partnership_id = $1 AND h.item_type = 'goal' AND h.by_user = p.user_id",
               {*f.organisation_id}));
    // Self-assessment distance travelled, per scale: people who answered at least twice and the sum
    // of (latest - first), by window functions over the answers, for everyone and one organisation.
    auto distance_sql = [&](const std::string& who) {
      return "SELECT y.scale_id, COUNT(*), SUM(y.last_score - y.first_score) FROM (SELECT z.person_id, z.scale_id,"
             " SUM(CASE WHEN z.rl = 1 THEN z.score ELSE 0 END) AS last_score,"
             " SUM(CASE WHEN z.rf = 1 THEN z.score ELSE 0 END) AS first_score FROM (SELECT c.person_id, x.scale_id,"
             " x.score, ROW_NUMBER() OVER (PARTITION BY c.person_id, x.scale_id ORDER BY c.completed_on, c.id) AS rf,"
             " ROW_NUMBER() OVER (PARTITION BY c.person_id, x.scale_id ORDER BY c.completed_on DESC, c.id DESC) AS rl"
             " FROM selfassess_completions c JOIN selfassess_scores x ON x.partnership_id = $1"
             " AND x.completion_id = c.id WHERE c.partnership_id = $1" + who + ") z GROUP BY z.person_id, z.scale_id"
             " HAVING COUNT(*) > 1) y GROUP BY y.scale_id ORDER BY y.scale_id";
    };
    auto check_distance = [&](const std::string& label, const kpi::Kpis& k, const std::string& who, store::Params p) {
      auto rows = s.read(distance_sql(who), std::move(p)).rows;
      expect(label + ": scales moved on", static_cast<std::int64_t>(k.distance.size()),
             static_cast<std::int64_t>(rows.size()));
      for (const auto& r : rows) {
        auto it = k.distance.find(r.i64(0));
        auto kept = it == k.distance.end() ? std::pair<std::int64_t, std::int64_t>{0, 0} : it->second;
        expect(label + ": scale " + std::to_string(r.i64(0)) + " people", kept.first, r.i64(1));
        expect(label + ": scale " + std::to_string(r.i64(0)) + " change", kept.second, r.i64(2));
      }
      if (rows.empty()) expect(label + ": no answers generated", 1, 0);
    };
    check_distance("distance", all, "", {});
    check_distance("organisation distance", org,
                   " AND c.person_id IN (SELECT person_id FROM journey_kpi_orgs WHERE partnership_id = $1"
                   " AND organisation_id = $2)",
                   {*f.organisation_id});
    // The pages themselves answer, with the right number of people on them.
    auto page_has = [&](const std::string& what, const std::string& target, std::int64_t people) {
      auto res = b.get(target);
      expect(what + " status", res.status, 200);
      expect(what + " shows " + std::to_string(people) + " people",
             res.body.find(web::format_number("en", people)) != std::string::npos ? 1 : 0, 1);
    };
    page_has("/lens", "/lens", all.people);
    page_has("organisation page", "/lens/organisations/" + std::to_string(*f.organisation_id), org.people);
    page_has("service page", "/lens/services/" + std::to_string(*sv.service_id), kpi::kpis(s, sv).people);
  }
  state.counters["checked"] = checked;
  state.counters["wrong"] = wrong;
  if (wrong) {
    // Stop the whole run: timings of wrong figures are worth nothing.
    std::cerr << "LensVerify: " << wrong << " of " << checked << " checks differ; stopping\n";
    std::exit(3);
  }
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
// Whole dashboard pages through the application's request handler, as the signed-in admin.
void LensPagePartnership(benchmark::State& state) {
  cp::bench::time_page(state, [](const std::string& t) { return bench().get(t); }, "/lens");
}
void LensPageOrganisation(benchmark::State& state) {
  cp::bench::time_page(state, [](const std::string& t) { return bench().get(t); },
                       "/lens/organisations/" + std::to_string(*filter_for("organisation").organisation_id));
}
void LensPageService(benchmark::State& state) {
  cp::bench::time_page(state, [](const std::string& t) { return bench().get(t); },
                       "/lens/services/" + std::to_string(*filter_for("service").service_id));
}
BENCHMARK(LensPagePartnership)->Iterations(100)->Unit(benchmark::kMillisecond);
BENCHMARK(LensPageOrganisation)->Iterations(100)->Unit(benchmark::kMillisecond);
BENCHMARK(LensPageService)->Iterations(100)->Unit(benchmark::kMillisecond);

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

// One self-assessment completion (all six scales) for a random person, with the kept-figure update.
void LensAnswer(benchmark::State& state) {
  auto& b = bench();
  std::int64_t first = 0, last = 0;
  std::vector<std::int64_t> scales;
  {
    auto w = b.work();
    first = w->read("SELECT MIN(id) FROM journey_people WHERE partnership_id = $1").one().i64(0);
    last = w->read("SELECT MAX(id) FROM journey_people WHERE partnership_id = $1").one().i64(0);
    for (const auto& sc : modules::selfassess_store::scales(w.scope(), true)) scales.push_back(sc.id);
  }
  std::mt19937_64 rng(12);
  std::vector<double> ms;
  for (auto _ : state) {
    auto person = first + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(last - first + 1));
    std::map<std::int64_t, int> scores;
    for (auto id : scales) scores[id] = 1 + static_cast<int>(rng() % 10);
    auto t0 = Clock::now();
    auto w = b.work(true);
    modules::selfassess_store::record(w.scope(), person, std::nullopt, true, kToday, scores);
    w.commit();
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  state.counters["p50_ms"] = ms[ms.size() / 2];
  state.counters["p99_ms"] = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
}
BENCHMARK(LensAnswer)->Iterations(100)->Unit(benchmark::kMillisecond);

}  // namespace
