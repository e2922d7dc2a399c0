// Where the time of a directory request goes, without sockets or wrk: the whole pipeline (App::handle)
// for the three targets of bench/run, the store's list() on its own, and the SQL a page needs in
// two forms, to show what a range on `archived` (instead of an equality) and a per-page COUNT cost.
//
//   build/coproduce_bench                                   SQLite in a temporary folder
//   COPRODUCE_BENCH_DB=postgresql://... build/coproduce_bench   an empty PostgreSQL database
//
// The database is filled with the demo partnership and COPRODUCE_BENCH_SCALE (10,000) generated
// organisations before the first benchmark.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <regex>
#include <stdexcept>

#include "app/app.hpp"
#include "core/util.hpp"
#include "modules/demo/demo.hpp"
#include "modules/organisations/organisations.hpp"

using namespace cp;

namespace {

struct Fixture {
  std::string dir;
  std::unique_ptr<app::App> app;
  app::Partnership demo;
  std::string css_path;

  Fixture() {
    Config cfg;
    if (const char* url = std::getenv("COPRODUCE_BENCH_DB"); url && *url) {
      cfg.db_url = url;
    } else {
      dir = (std::filesystem::temp_directory_path() / ("coproduce-bench-" + random_token(6))).string();
      std::filesystem::create_directories(dir);
      cfg.db_url = "sqlite:" + dir + "/bench.db";
    }
    cfg.access_log = false;
    cfg.password_cost = "min";  // the demo accounts' hashing is not what is measured
    int scale = 10000;
    if (const char* s = std::getenv("COPRODUCE_BENCH_SCALE"); s && *s) scale = std::atoi(s);
    app = std::make_unique<app::App>(cfg);
    app->migrate();
    modules::load_demo(*app, scale);
    demo = app->partnership_by_slug("demo").value();
    std::smatch m;
    std::string start = get("/").body;
    if (!std::regex_search(start, m, std::regex("href=\"(/static/[^\"]*govuk-frontend[^\"]*\\.css)\"")))
      throw std::runtime_error("no GOV.UK stylesheet on the start page");
    css_path = m[1];
  }
  ~Fixture() {
    app.reset();
    if (!dir.empty()) std::filesystem::remove_all(dir);
  }

  http::Response get(const std::string& target) {
    http::Request req;
    req.method = "GET";
    req.target = target;
    auto q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) req.query = http::parse_urlencoded(target.substr(q + 1));
    req.headers = {{"host", "127.0.0.1"}};
    req.remote_addr = "127.0.0.1";
    req.request_id = "bench";
    return app->handle(req);
  }

  store::Work read() {
    return app->work(demo.id, store::AuditContext{std::nullopt, "bench", "", ""}, store::Transaction::Mode::read);
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void run_request(benchmark::State& state, const std::string& target) {
  auto& f = fixture();
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto res = f.get(target);
    if (res.status != 200) {
      state.SkipWithError(("status " + std::to_string(res.status)).c_str());
      break;
    }
    bytes += res.body.size();
    benchmark::DoNotOptimize(res);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void BM_StaticAsset(benchmark::State& state) { run_request(state, fixture().css_path); }
void BM_DirectoryPage(benchmark::State& state) { run_request(state, "/organisations"); }
void BM_JsonList(benchmark::State& state) { run_request(state, "/api/v1/organisations"); }
// A different search on each request, so that no cache of rendered pages can answer it: the cost of
// building a directory page from the database (plus a search through every organisation).
void BM_DirectorySearchUncached(benchmark::State& state) {
  auto& f = fixture();
  int i = 0;
  for (auto _ : state) {
    char q[32];
    std::snprintf(q, sizeof q, "project+%05d", i++ % 10000 + 1);
    auto res = f.get(std::string("/organisations?q=") + q);
    if (res.status != 200) {
      state.SkipWithError(("status " + std::to_string(res.status)).c_str());
      break;
    }
    benchmark::DoNotOptimize(res);
  }
}

// The store's list() as the handlers call it: the total and one page of 20.
void BM_ListFirstPage(benchmark::State& state) {
  auto& f = fixture();
  for (auto _ : state) {
    auto w = f.read();
    auto page = modules::organisations_store::list(w.scope(), "", 1, 20);
    benchmark::DoNotOptimize(page);
  }
}

void BM_ListSearch(benchmark::State& state) {
  auto& f = fixture();
  for (auto _ : state) {
    auto w = f.read();
    auto page = modules::organisations_store::list(w.scope(), "debt advice", 1, 20);
    benchmark::DoNotOptimize(page);
  }
}

constexpr const char* kColumns =
    "id, slug, name, kind, summary, expertise, partnership_role, services, contact_name, contact_email,"
    " contact_phone, website, address, archived, created_at, updated_at, version";

// One page of 20 with a range on archived (archived <= $2, as the foundation commit wrote it): the
// index (partnership_id, archived, sort_name, id) cannot give the order, so every request reads
// and sorts every organisation of the partnership.
void BM_PageQueryArchivedRange(benchmark::State& state) {
  auto& f = fixture();
  std::string sql = std::string("SELECT ") + kColumns +
                    " FROM organisations WHERE partnership_id = $1 AND archived <= $2 ORDER BY sort_name, id LIMIT $3"
                    " OFFSET $4";
  for (auto _ : state) {
    auto w = f.read();
    auto r = w->read(sql, {std::int64_t{0}, std::int64_t{20}, std::int64_t{0}});
    benchmark::DoNotOptimize(r);
  }
}

// The same page with an equality on archived: the index yields rows in order and the query stops
// after 20.
void BM_PageQueryArchivedEquals(benchmark::State& state) {
  auto& f = fixture();
  std::string sql = std::string("SELECT ") + kColumns +
                    " FROM organisations WHERE partnership_id = $1 AND archived = 0 ORDER BY sort_name, id LIMIT $2"
                    " OFFSET $3";
  for (auto _ : state) {
    auto w = f.read();
    auto r = w->read(sql, {std::int64_t{20}, std::int64_t{0}});
    benchmark::DoNotOptimize(r);
  }
}

// The last page: OFFSET still walks every skipped row, even in index order.
void BM_PageQueryArchivedEqualsLastPage(benchmark::State& state) {
  auto& f = fixture();
  std::string sql = std::string("SELECT ") + kColumns +
                    " FROM organisations WHERE partnership_id = $1 AND archived = 0 ORDER BY sort_name, id LIMIT $2"
                    " OFFSET $3";
  for (auto _ : state) {
    auto w = f.read();
    auto r = w->read(sql, {std::int64_t{20}, std::int64_t{9980}});
    benchmark::DoNotOptimize(r);
  }
}

// Counting the listed organisations by reading the index, as the foundation commit did per page.
void BM_CountQuery(benchmark::State& state) {
  auto& f = fixture();
  for (auto _ : state) {
    auto w = f.read();
    auto r = w->read("SELECT COUNT(*) FROM organisations WHERE partnership_id = $1 AND archived = 0");
    benchmark::DoNotOptimize(r);
  }
}

// An empty unit of work: what leasing a connection and opening a read transaction cost.
void BM_EmptyWork(benchmark::State& state) {
  auto& f = fixture();
  for (auto _ : state) {
    auto w = f.read();
    benchmark::DoNotOptimize(w.scope().partnership());
  }
}

}  // namespace

BENCHMARK(BM_StaticAsset)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_DirectoryPage)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_JsonList)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_DirectorySearchUncached)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ListFirstPage)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ListSearch)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PageQueryArchivedRange)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PageQueryArchivedEquals)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PageQueryArchivedEqualsLastPage)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CountQuery)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_EmptyWork)->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
