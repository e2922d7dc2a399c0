// Person-led support journeys at scale (issue 4's benchmark). JourneysGenerate fills a database
// once with a partnership of COPRODUCE_JOURNEYS_PEOPLE people (1,000,000 unless told),
// COPRODUCE_JOURNEYS_ORGS organisations (200), COPRODUCE_JOURNEYS_WORKERS key workers (5,000),
// COPRODUCE_JOURNEYS_STEPS plan steps (5,000,000) and COPRODUCE_JOURNEYS_NOTES notes (10,000,000),
// with set-based SQL that writes the rows the journeys module writes (bypassing the audit trail,
// which is not what is measured). Every person has a key worker (worker i % W), consent for that
// worker's organisation to see every part, one goal, a pipeline stage, steps and notes spread over
// everyone. Worker 1 (COPRODUCE_JOURNEYS_WORKER_EMAIL, with COPRODUCE_JOURNEYS_WORKER_PASSWORD) is
// the account bench/journeys_run signs in as; the people on their caseload are listed for it by
// JourneysCaseloadIds. A database already filled (the partnership exists) is used as it is.
// The pages are timed by bench/journeys_run through the real HTTP server.
//
//   COPRODUCE_JOURNEYS_DB=sqlite:/tmp/j.db build/coproduce_bench --benchmark_filter=JourneysGenerate
//   COPRODUCE_JOURNEYS_DB=postgresql://... COPRODUCE_JOURNEYS_PEOPLE=20000 build/coproduce_bench ...
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>

#include "app/app.hpp"
#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/organisations/organisations.hpp"
#include "page_timing.hpp"

using namespace cp;

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::int64_t env_int(const char* name, std::int64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoll(v) : fallback;
}
std::string env_str(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

struct Journeys {
  std::unique_ptr<app::App> app;
  app::Partnership p;
  std::int64_t people = 0, orgs = 0, workers = 0, steps = 0, notes = 0;
  std::int64_t first_org = 0, first_worker = 0, first_person = 0, first_goal = 0;
  bool generated = false;
  double setup_s = 0, people_s = 0, steps_s = 0, notes_s = 0, analyze_s = 0;

  Journeys() {
    Config cfg;
    cfg.db_url = env_str("COPRODUCE_JOURNEYS_DB", "");
    if (cfg.db_url.empty()) throw std::runtime_error("set COPRODUCE_JOURNEYS_DB to sqlite:PATH or postgresql://...");
    cfg.access_log = false;
    cfg.password_cost = "min";  // one account is hashed; the others share its hash
    people = env_int("COPRODUCE_JOURNEYS_PEOPLE", 1000000);
    orgs = env_int("COPRODUCE_JOURNEYS_ORGS", 200);
    workers = env_int("COPRODUCE_JOURNEYS_WORKERS", 5000);
    steps = env_int("COPRODUCE_JOURNEYS_STEPS", 5000000);
    notes = env_int("COPRODUCE_JOURNEYS_NOTES", 10000000);
    if (people < 1 || orgs < 1 || workers < 1 || steps < 0 || notes < 0) throw std::runtime_error("sizes must be positive");
    app = std::make_unique<app::App>(cfg);
    app->migrate();
    is_pg = app->db->lease()->dialect() == store::Dialect::postgres;
    auto slug = env_str("COPRODUCE_JOURNEYS_SLUG", "journeys");
    if (auto existing = app->partnership_by_slug(slug)) {
      p = *existing;
      find_firsts();
      return;
    }
    p = app->create_partnership(slug, "Journeys at scale", env_str("COPRODUCE_JOURNEYS_HOST", "journeys.bench"),
                                "Person-led support journeys benchmark");
    generated = true;
    auto t = Clock::now();
    add_organisations_and_workers();
    setup_s = seconds_since(t);
    fill();
  }

  bool is_pg = false;
  bool pg() const { return is_pg; }

  // "WITH ... SELECT <cols> FROM g" over i = 1 .. n on either database.
  std::string series(std::int64_t n, const std::string& cols) {
    auto count = std::to_string(n);
    if (pg()) return "SELECT " + cols + " FROM generate_series(CAST(1 AS BIGINT), CAST(" + count + " AS BIGINT)) AS g(i)";
    return "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < " + count + ") SELECT " + cols +
           " FROM g";
  }

  void add_organisations_and_workers() {
    auto w = app->work(p.id, {std::nullopt, "bench", "", ""});
    for (std::int64_t i = 1; i <= orgs; ++i) {
      modules::OrganisationInput o;
      o.name = "Bench organisation " + std::to_string(i);
      o.kind = "third_sector";
      o.summary = "Key workers who walk alongside people into work.";
      modules::organisations_store::create(w.scope(), o);
    }
    auto first = w->read("SELECT MIN(id), MAX(id) FROM organisations WHERE partnership_id = $1").one();
    if (first.i64(1) - first.i64(0) + 1 != orgs) throw std::runtime_error("organisation ids are not contiguous");
    modules::NewUser u;
    u.email = env_str("COPRODUCE_JOURNEYS_WORKER_EMAIL", "worker@journeys.bench");
    u.name = "Bench Worker 1";
    u.password = env_str("COPRODUCE_JOURNEYS_WORKER_PASSWORD", "long quiet river stones 42");
    u.grants.push_back({auth::Role::worker, first.i64(0)});
    auto w1 = modules::AccountsModule::create_user(*app, w.scope(), u);
    w.commit();
    auto lease = app->db->lease();
    store::Transaction tx(*lease);
    auto pid = std::to_string(p.id), fo = std::to_string(first.i64(0)), o = std::to_string(orgs);
    auto hash = lease->run("SELECT password_hash FROM users WHERE id = $1", {w1}).one().text(0);
    // Workers 2..W share worker 1's password hash (nobody signs in as them); worker i works for
    // organisation (i - 1) % O.
    lease->run("INSERT INTO users (partnership_id, email, name, password_hash, created_at, password_changed_at) " +
                   series(workers - 1, pid + ", 'worker' || (i + 1) || '@journeys.bench', 'Bench Worker ' || (i + 1), $1,"
                                             " 1700000000, 1700000000"),
               {hash});
    lease->run("INSERT INTO user_roles (partnership_id, user_id, role, organisation_id, granted_at)"
               " SELECT partnership_id, id, 'worker', " + fo + " + ((id - $1) % " + o + "), 1700000000 FROM users"
               " WHERE partnership_id = " + pid + " AND id > $1",
               {w1});
    tx.commit();
    find_firsts();
  }

  void find_firsts() {
    auto lease = app->db->lease();
    auto pid = p.id;
    first_org = lease->run("SELECT MIN(id) FROM organisations WHERE partnership_id = $1", {pid}).one().i64(0);
    auto u = lease->run("SELECT MIN(id), MAX(id), COUNT(*) FROM users WHERE partnership_id = $1", {pid}).one();
    first_worker = u.i64(0);
    workers = u.i64(2);
    if (u.i64(1) - u.i64(0) + 1 != workers) throw std::runtime_error("worker ids are not contiguous");
    auto pp = lease->run("SELECT MIN(id), COUNT(*) FROM journey_people WHERE partnership_id = $1", {pid}).one();
    first_person = pp.i64(0);
    if (!generated) people = pp.i64(1);
    first_goal = lease->run("SELECT COALESCE(MIN(id), 0) FROM journey_goals WHERE partnership_id = $1", {pid}).one().i64(0);
    orgs = lease->run("SELECT COUNT(*) FROM organisations WHERE partnership_id = $1", {pid}).one().i64(0);
  }

  void fill() {
    auto lease = app->db->lease();
    auto pid = std::to_string(p.id), fo = std::to_string(first_org), fw = std::to_string(first_worker);
    auto o = std::to_string(orgs), wk = std::to_string(workers), n = std::to_string(people);
    auto t = Clock::now();
    {
      store::Transaction tx(*lease);
      lease->run("INSERT INTO journey_people (partnership_id, name, what_matters, good_life, strengths, barriers,"
                 " contact_pref, language, created_at, updated_at, postcode) " +
                     series(people, pid + ", 'Person ' || i, 'My family and getting back to work', 'A steady job near home',"
                                          " 'I am good with people and I do not give up', 'Childcare and the bus fare',"
                                          " 'A text in the morning', 'en', 1700000000 + i, 1700000000 + i, 'KY1 1AA'"),
                 {});
      auto pp = lease->run("SELECT MIN(id), MAX(id) FROM journey_people WHERE partnership_id = $1", {p.id}).one();
      first_person = pp.i64(0);
      if (pp.i64(1) - first_person + 1 != people) throw std::runtime_error("person ids are not contiguous");
      auto fp = std::to_string(first_person);
      // Person k (from 0) is on worker k % W's caseload, at that worker's organisation.
      std::string worker_of = fw + " + ((id - " + fp + ") % " + wk + ")";
      std::string org_of = fo + " + (((id - " + fp + ") % " + wk + ") % " + o + ")";
      lease->run("INSERT INTO journey_keyworkers (partnership_id, person_id, worker_id, organisation_id, created_at)"
                 " SELECT partnership_id, id, " + worker_of + ", " + org_of + ", created_at FROM journey_people"
                 " WHERE partnership_id = " + pid,
                 {});
      for (const char* part : {"profile", "plan", "notes", "outcomes"})
        lease->run("INSERT INTO journey_consents (partnership_id, person_id, organisation_id, part, granted, updated_at)"
                   " SELECT partnership_id, id, " + org_of + ", '" + part + "', 1, created_at FROM journey_people"
                   " WHERE partnership_id = " + pid,
                   {});
      lease->run("INSERT INTO journey_goals (partnership_id, person_id, text, updated_by_name, created_at, updated_at)"
                 " SELECT partnership_id, id, 'Get a job I can do around the school run', 'Bench Worker', created_at,"
                 " created_at FROM journey_people WHERE partnership_id = " + pid + " ORDER BY id",
                 {});
      lease->run("INSERT INTO journey_stages (partnership_id, person_id, stage, on_date, by_name, at)"
                 " SELECT partnership_id, id, 1 + (id % 5), '2026-01-05', 'Bench Worker', created_at FROM journey_people"
                 " WHERE partnership_id = " + pid,
                 {});
      tx.commit();
    }
    auto g = lease->run("SELECT MIN(id), MAX(id) FROM journey_goals WHERE partnership_id = $1", {p.id}).one();
    first_goal = g.i64(0);
    if (g.i64(1) - first_goal + 1 != people) throw std::runtime_error("goal ids are not contiguous");
    people_s = seconds_since(t);
    std::cerr << "journeys_bench: " << people << " people, keyworkers, consents, goals and stages in " << people_s << " s\n";

    auto fp = std::to_string(first_person), fg = std::to_string(first_goal);
    t = Clock::now();
    if (steps > 0) {
      store::Transaction tx(*lease);
      // Step i belongs to person i % P (and their goal); a quarter have no date, a quarter are
      // overdue, the rest due later; a third are done.
      lease->run("INSERT INTO journey_steps (partnership_id, person_id, goal_id, action, who, who_detail, due_on, status,"
                 " person_notes, updated_by_name, created_at, updated_at) " +
                     series(steps, pid + ", " + fp + " + (i % " + n + "), " + fg + " + (i % " + n +
                                       "), 'Step ' || i || ': phone the college about the evening course', 'person', '',"
                                       " CASE i % 4 WHEN 0 THEN '' WHEN 1 THEN '2025-03-14' WHEN 2 THEN '2031-06-01'"
                                       " ELSE '2030-11-20' END, CASE i % 3 WHEN 0 THEN 'done' WHEN 1 THEN 'in_progress'"
                                       " ELSE 'not_started' END, '', 'Bench Worker', 1700000000 + i, 1700000000 + i"),
                 {});
      tx.commit();
    }
    steps_s = seconds_since(t);
    std::cerr << "journeys_bench: " << steps << " steps in " << steps_s << " s\n";
    t = Clock::now();
    if (notes > 0) {
      store::Transaction tx(*lease);
      std::string person = "(" + fp + " + (i % " + n + "))";
      lease->run("INSERT INTO journey_notes (partnership_id, person_id, author_id, author_name, organisation_id, kind,"
                 " talked_about, strengths, next_steps, created_at) " +
                     series(notes, pid + ", " + person + ", " + fw + " + ((i % " + n + ") % " + wk + "), 'Bench Worker', " +
                                       fo + " + (((i % " + n + ") % " + wk + ") % " + o +
                                       "), 'meeting', 'We talked about the course and how the first week went.',"
                                       " 'Kept going when the bus did not come.', 'Phone the college on Monday.',"
                                       " 1700000000 + i"),
                 {});
      tx.commit();
    }
    notes_s = seconds_since(t);
    std::cerr << "journeys_bench: " << notes << " notes in " << notes_s << " s\n";
    t = Clock::now();
    lease->run("ANALYZE", {});
    analyze_s = seconds_since(t);
  }

  std::int64_t db_bytes() {
    auto lease = app->db->lease();
    if (lease->dialect() == store::Dialect::postgres)
      return lease->run("SELECT pg_database_size(current_database())", {}).one().i64(0);
    return lease->run("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()", {}).one().i64(0);
  }
};

Journeys& fixture() {
  static Journeys f;
  return f;
}

void JourneysGenerate(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(fixture().p.id);
  auto& f = fixture();
  state.counters["generated"] = f.generated ? 1 : 0;
  state.counters["people"] = static_cast<double>(f.people);
  state.counters["workers"] = static_cast<double>(f.workers);
  state.counters["setup_s"] = f.setup_s;
  state.counters["people_s"] = f.people_s;
  state.counters["steps_s"] = f.steps_s;
  state.counters["notes_s"] = f.notes_s;
  state.counters["analyze_s"] = f.analyze_s;
  state.counters["db_bytes"] = static_cast<double>(f.db_bytes());
}
BENCHMARK(JourneysGenerate)->Iterations(1)->Unit(benchmark::kSecond);

// Writes the record ids on worker 1's caseload, one per line, to COPRODUCE_JOURNEYS_IDS.
void JourneysCaseloadIds(benchmark::State& state) {
  auto& f = fixture();
  std::int64_t n = 0;
  for (auto _ : state) {
    std::ofstream out(env_str("COPRODUCE_JOURNEYS_IDS", "/dev/null"));
    auto w = f.app->work(f.p.id, {std::nullopt, "bench", "", ""}, store::Transaction::Mode::read);
    for (const auto& r : w->read("SELECT person_id FROM journey_keyworkers WHERE partnership_id = $1 AND worker_id = $2"
                                 " ORDER BY person_id",
                                 {f.first_worker})
                             .rows) {
      out << r.i64(0) << "\n";
      ++n;
    }
  }
  state.counters["caseload"] = static_cast<double>(n);
}
BENCHMARK(JourneysCaseloadIds)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
