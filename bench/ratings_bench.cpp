// A service's ratings page at size: COPRODUCE_RATINGS (50,000 unless told) ratings spread over 200
// services by 250 people (one current rating per person per service, as the module allows), one in
// fifty hidden by moderation, one in five answered by the service. Times the whole request in process
// (routing, the distribution, the count, a page of 20 with their agreed actions, templates, layout)
// for the first page, a later page, and the directory's service page with the ratings panel, and
// reports p50 and p99 of each as counters.
//
//   build/coproduce_bench --benchmark_filter=Ratings
//   COPRODUCE_BENCH_DB=postgresql://... build/coproduce_bench --benchmark_filter=Ratings
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
#include "modules/accounts/accounts.hpp"
#include "modules/directory/directory.hpp"

using namespace cp;

namespace {

constexpr int kServices = 200;
constexpr int kPeople = 250;

struct RatingsFixture {
  std::string dir;
  std::unique_ptr<app::App> app;
  app::Partnership p;
  std::string uuid;  // the service the pages are timed for

  RatingsFixture() {
    Config cfg;
    if (const char* url = std::getenv("COPRODUCE_BENCH_DB"); url && *url) {
      cfg.db_url = url;
    } else {
      dir = (std::filesystem::temp_directory_path() / ("coproduce-ratings-bench-" + random_token(6))).string();
      std::filesystem::create_directories(dir);
      cfg.db_url = "sqlite:" + dir + "/bench.db";
    }
    cfg.access_log = false;
    cfg.password_cost = "min";  // account hashing is not what is measured
    std::int64_t ratings = 50000;
    if (const char* s = std::getenv("COPRODUCE_RATINGS"); s && *s) ratings = std::atoll(s);
    ratings = std::min<std::int64_t>(ratings, std::int64_t{kServices} * kPeople);
    app = std::make_unique<app::App>(cfg);
    app->migrate();
    std::string slug = "ratings-bench-" + to_lower(random_token(4));
    p = app->create_partnership(slug, "Ratings bench", slug + ".bench", "Ratings benchmark");
    boost::json::array feed;
    for (int i = 0; i < kServices; ++i) {
      char id[40];
      std::snprintf(id, sizeof id, "0d0d0d0d-0000-4000-8000-%012d", i + 1);
      feed.push_back(boost::json::object{{"id", id}, {"name", "Bench service " + std::to_string(i)}, {"status", "active"},
                                         {"organization", boost::json::object{{"id", "0d0d0d0d-0000-4000-8000-999999999999"},
                                                                              {"name", "Bench organisation"},
                                                                              {"description", "Runs services."}}}});
    }
    uuid = "0d0d0d0d-0000-4000-8000-000000000008";
    auto w = app->work(p.id, {std::nullopt, "bench", "", ""});
    modules::directory_store::import_feed(w.scope(), feed);
    std::vector<std::int64_t> people;
    for (int i = 0; i < kPeople; ++i)
      people.push_back(modules::AccountsModule::create_user(
          *app, w.scope(),
          {"rater" + std::to_string(i) + "@bench.example", "Rater " + std::to_string(i), "a bench passphrase " + std::to_string(i),
           {{auth::Role::person, std::nullopt}}}));
    auto first_service = w->read("SELECT MIN(id) FROM directory_services WHERE partnership_id = $1").one().i64(0);
    w.commit();
    fill(ratings, first_service, people.front());
  }

  // Set-based SQL writing the rows the module writes (bypassing the audit trail, which is not
  // what is measured): rating i is person i / 200 on service i % 200.
  void fill(std::int64_t n, std::int64_t first_service, std::int64_t first_person) {
    auto lease = app->db->lease();
    bool pg = lease->dialect() == store::Dialect::postgres;
    store::Transaction tx(*lease);
    std::string count = std::to_string(n);
    std::string with = pg ? "" : "WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i < " + count + " - 1) ";
    std::string from = pg ? "FROM generate_series(0, " + count + " - 1) AS g(i)" : "FROM g";
    lease->run("INSERT INTO ratings (partnership_id, service_id, user_id, stars, comment, hidden, response, response_at,"
               " created_at, updated_at) " + with + "SELECT " + std::to_string(p.id) + ", " + std::to_string(first_service) +
                   " + (i % " + std::to_string(kServices) + "), " + std::to_string(first_person) + " + (i / " +
                   std::to_string(kServices) + "), 1 + (i * 7) % 5, 'Comment number ' || i || '. The staff were kind but the wait was long.',"
                   " CASE WHEN i % 50 = 0 THEN 1 ELSE 0 END, CASE WHEN i % 5 = 0 THEN 'Thank you for telling us.' ELSE '' END,"
                   " CASE WHEN i % 5 = 0 THEN 1700000000 + i ELSE NULL END, 1700000000 + i, 1700000000 + i " + from,
               {});
    tx.commit();
    if (pg) lease->run_script("ANALYZE ratings;");
    else lease->run_script("ANALYZE;");
  }

  http::Response get(const std::string& target) {
    auto r = cp::bench::get_request(target, p.host);
    return app->handle(r);
  }
};

RatingsFixture& fixture() {
  static RatingsFixture f;
  return f;
}

void run(benchmark::State& state, const std::string& target) {
  cp::bench::time_page(state, [](const std::string& t) { return fixture().get(t); }, target);
}

void BM_RatingsPage(benchmark::State& s) { run(s, "/ratings/services/" + fixture().uuid); }
void BM_RatingsPageLater(benchmark::State& s) { run(s, "/ratings/services/" + fixture().uuid + "?page=10"); }
void BM_RatingsServicePanel(benchmark::State& s) { run(s, "/services/" + fixture().uuid); }

}  // namespace

BENCHMARK(BM_RatingsPage)->Iterations(500)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RatingsPageLater)->Iterations(500)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RatingsServicePanel)->Iterations(500)->Unit(benchmark::kMillisecond);
