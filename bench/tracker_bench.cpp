// The public "we talked, we did together" page at size: a partnership with COPRODUCE_TRACKER_ORIGINS
// ideas as origins (20,000 unless told, with ten comments each: 200,000) and COPRODUCE_TRACKER_ACTIONS agreed actions (10,000) spread
// over 200 services and the four statuses, each with two updates. Times the whole request in
// process (routing, session-less pipeline, counts, the page of 20, service names, templates and the
// layout) for the unfiltered page, a status filter, an origin filter and one service's page, and
// reports p50 and p99 of each as counters.
//
//   build/coproduce_bench --benchmark_filter=Tracker
//   COPRODUCE_BENCH_DB=postgresql://... build/coproduce_bench --benchmark_filter=Tracker
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "app/app.hpp"
#include "page_timing.hpp"
#include "core/util.hpp"
#include "http/message.hpp"
#include "modules/directory/directory.hpp"

using namespace cp;

namespace {

struct TrackerFixture {
  std::string dir;
  std::unique_ptr<app::App> app;
  app::Partnership p;
  std::int64_t service_id = 0;

  TrackerFixture() {
    Config cfg;
    if (const char* url = std::getenv("COPRODUCE_BENCH_DB"); url && *url) {
      cfg.db_url = url;
    } else {
      dir = (std::filesystem::temp_directory_path() / ("coproduce-tracker-bench-" + random_token(6))).string();
      std::filesystem::create_directories(dir);
      cfg.db_url = "sqlite:" + dir + "/bench.db";
    }
    cfg.access_log = false;
    std::int64_t origins = 20000, actions = 10000;
    if (const char* s = std::getenv("COPRODUCE_TRACKER_ORIGINS"); s && *s) origins = std::atoll(s);
    if (const char* s = std::getenv("COPRODUCE_TRACKER_ACTIONS"); s && *s) actions = std::atoll(s);
    app = std::make_unique<app::App>(cfg);
    app->migrate();
    std::string slug = "tracker-bench-" + to_lower(random_token(4));
    p = app->create_partnership(slug, "Tracker bench", slug + ".bench", "Tracker benchmark");
    {
      // 200 services through the directory's own import.
      boost::json::array feed;
      for (int i = 0; i < 200; ++i) {
        char uuid[40];
        std::snprintf(uuid, sizeof uuid, "0c0c0c0c-0000-4000-8000-%012d", i + 1);
        feed.push_back(boost::json::object{{"id", uuid}, {"name", "Bench service " + std::to_string(i)}, {"status", "active"},
                                           {"organization", boost::json::object{{"id", "0c0c0c0c-0000-4000-8000-999999999999"},
                                                                                {"name", "Bench organisation"},
                                                                                {"description", "Runs services."}}}});
      }
      auto w = app->work(p.id, {std::nullopt, "bench", "", ""});
      modules::directory_store::import_feed(w.scope(), feed);
      w.commit();
    }
    auto w = app->work(p.id, {std::nullopt, "bench", "", ""});
    auto first = w->read("SELECT MIN(id) FROM directory_services WHERE partnership_id = $1").one().i64(0);
    service_id = first + 7;
    w.commit();
    fill(origins, actions, first);
  }

  // Set-based SQL writing the rows the modules write: `origins` ideas with ten comments each, actions
  // with an origin among those ideas, a status spread, and two updates each.
  void fill(std::int64_t origins, std::int64_t actions, std::int64_t first_service) {
    auto lease = app->db->lease();
    bool pg = lease->dialect() == store::Dialect::postgres;
    store::Transaction tx(*lease);
    std::string pid = std::to_string(p.id), n = std::to_string(actions), o = std::to_string(origins),
                fs = std::to_string(first_service);
    std::string series = pg ? "FROM generate_series(1, " + n + ") AS g(i)"
                            : "FROM g";
    std::string with = pg ? "" : "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < " + n + ") ";
    // The ideas the actions came from (so the idea origins are real rows), and ten comments each.
    auto numbers = [&](std::int64_t count) {
      std::string c = std::to_string(count);
      return pg ? std::make_pair(std::string(), "FROM generate_series(1, " + c + ") AS g(i)")
                : std::make_pair("WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < " + c + ") ",
                                 std::string("FROM g"));
    };
    auto [iw, is] = numbers(origins);
    lease->run("INSERT INTO ideas (partnership_id, board_kind, board_ref, title, body, author_id, status, supports,"
               " created_at, updated_at) " + iw + "SELECT " + pid + ", 'service', 'bench-' || (i % 200), 'Idea number ' || i,"
               " 'What we could try, number ' || i, 0, 'discussed', i % 13, 1700000000 + i, 1700000000 + i " + is,
               {});
    auto [cw, cs] = numbers(origins * 10);
    lease->run("INSERT INTO idea_comments (partnership_id, idea_id, author_id, body, created_at) " + cw + "SELECT " + pid +
                   ", (SELECT MIN(id) FROM ideas WHERE partnership_id = " + pid + ") + (i % " + o +
                   "), 0, 'A comment on it, number ' || i, 1700000000 + i " + cs,
               {});
    lease->run("INSERT INTO tracker_actions (partnership_id, title, owner, service_id, due_on, status, status_reason,"
               " origin_kind, origin_id, origin_title, origin_link, created_by, created_at, updated_at) " + with +
                   "SELECT " + pid + ", 'Agreed action number ' || i, 'Team ' || (i % 40), " + fs +
                   " + (i % 200), '2030-01-31', CASE i % 4 WHEN 0 THEN 'agreed' WHEN 1 THEN 'in_progress' WHEN 2 THEN"
                   " 'done' ELSE 'not_possible' END, CASE i % 4 WHEN 3 THEN 'It costs too much' ELSE '' END,"
                   " CASE i % 3 WHEN 0 THEN 'idea' WHEN 1 THEN 'finding' ELSE 'feedback' END, 1 + (i * 7) % " + o +
                   ", 'Origin ' || i, '/ideas/' || i, 0, 1700000000 + i, 1700000000 + i * 3 " + series,
               {});
    for (const char* st : {"'agreed'", "'done'"})
      lease->run(std::string("INSERT INTO tracker_updates (partnership_id, action_id, status, note, by_user_id, created_at)"
                             " SELECT partnership_id, id, ") + st + ", 'What changed for action ' || id, 0, updated_at"
                             " FROM tracker_actions WHERE partnership_id = " + pid,
                 {});
    tx.commit();
    if (pg) lease->run_script("ANALYZE tracker_actions; ANALYZE tracker_updates;");
    else lease->run_script("ANALYZE;");
  }

  http::Response get(const std::string& target) {
    auto r = cp::bench::get_request(target, p.host);
    return app->handle(r);
  }
};

TrackerFixture& fixture() {
  static TrackerFixture f;
  return f;
}

void run(benchmark::State& state, const std::string& target) {
  cp::bench::time_page(state, [](const std::string& t) { return fixture().get(t); }, target);
}

void BM_TrackerPage(benchmark::State& s) { run(s, "/we-did-together"); }
void BM_TrackerPageDone(benchmark::State& s) { run(s, "/we-did-together?status=done&page=3"); }
void BM_TrackerPageOrigin(benchmark::State& s) { run(s, "/we-did-together?origin=finding"); }
void BM_TrackerServicePage(benchmark::State& s) {
  run(s, "/we-did-together/service/" + std::to_string(fixture().service_id));
}

}  // namespace

BENCHMARK(BM_TrackerPage)->Iterations(500)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TrackerPageDone)->Iterations(500)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TrackerPageOrigin)->Iterations(500)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TrackerServicePage)->Iterations(500)->Unit(benchmark::kMillisecond);
