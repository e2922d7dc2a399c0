// Whole-directory import and export at size: a generated directory of COPRODUCE_DIRECTORY_IO_SERVICES
// services (2,000 unless told), each with a place and address, opening times, a contact with a phone
// and a taxonomy term, imported again from JSON and from CSV (the update path a nightly sync takes)
// and exported as the JSON and CSV backup.
//
//   build/coproduce_bench --benchmark_filter=DirectoryIo
//   COPRODUCE_BENCH_DB=postgresql://... build/coproduce_bench --benchmark_filter=DirectoryIo
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "app/app.hpp"
#include "core/util.hpp"
#include "modules/directory/tabular.hpp"

using namespace cp;
namespace tab = modules::directory_tabular;
namespace json = boost::json;

namespace {

std::string id(int kind, int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-0000-4000-8000-%012d", 0x10000000 + kind, n);
  return buf;
}

struct IoFixture {
  std::string dir;
  std::unique_ptr<app::App> app;
  app::Partnership p;
  json::object feed;
  std::map<std::string, std::string> csv;
  int services = 2000;

  IoFixture() {
    Config cfg;
    if (const char* url = std::getenv("COPRODUCE_BENCH_DB"); url && *url) {
      cfg.db_url = url;
    } else {
      dir = (std::filesystem::temp_directory_path() / ("coproduce-directory-io-bench-" + random_token(6))).string();
      std::filesystem::create_directories(dir);
      cfg.db_url = "sqlite:" + dir + "/bench.db";
    }
    cfg.access_log = false;
    if (const char* s = std::getenv("COPRODUCE_DIRECTORY_IO_SERVICES"); s && *s) services = std::atoi(s);
    app = std::make_unique<app::App>(cfg);
    app->migrate();
    p = app->create_partnership("directory-io-" + to_lower(random_token(4)), "Directory bench", "", "Import and export");
    json::array terms;
    for (int t = 0; t < 20; ++t)
      terms.push_back({{"id", id(1, t)}, {"name", "Need " + std::to_string(t)}, {"description", "A need"}});
    json::array taxonomies{{{"id", id(0, 0)}, {"name", "Needs"}, {"description", "What people need"}, {"taxonomy_terms", terms}}};
    json::array list;
    for (int i = 0; i < services; ++i) {
      json::object address{{"id", id(3, i)}, {"address_1", std::to_string(i) + " High Street"}, {"city", "Kirkcaldy"},
                           {"state_province", "Fife"}, {"postal_code", "KY1 1AA"}, {"country", "GB"},
                           {"address_type", "physical"}};
      json::object location{{"id", id(2, i)}, {"location_type", "physical"}, {"name", "Hall " + std::to_string(i)},
                            {"latitude", 56.1 + i * 1e-5}, {"longitude", -3.16}, {"addresses", json::array{address}}};
      json::object contact{{"id", id(5, i)}, {"name", "Front desk"},
                           {"phones", json::array{{{"id", id(6, i)}, {"number", "01592 000" + std::to_string(i % 1000)}}}}};
      json::object svc{{"id", id(4, i)}, {"name", "Service " + std::to_string(i)}, {"status", "active"},
                       {"description", "Help, advice and a cup of tea, for anyone who needs it."},
                       {"last_modified", "2026-01-05T10:00:00Z"},
                       {"service_at_locations", json::array{{{"id", id(7, i)}, {"location", location}}}},
                       {"schedules", json::array{{{"id", id(8, i)}, {"freq", "WEEKLY"}, {"byday", "MO,WE"},
                                                  {"opens_at", "09:30"}, {"closes_at", "12:00"}}}},
                       {"contacts", json::array{contact}},
                       {"attributes", json::array{{{"id", id(9, i)}, {"taxonomy_term_id", id(1, i % 20)}}}}};
      list.push_back(std::move(svc));
    }
    feed = {{"taxonomies", taxonomies}, {"services", list}};
    import_json();
    auto w = app->work(p.id, {std::nullopt, "bench", "", ""});
    csv = tab::write_csv(tab::read_tables(w.scope()));
  }
  ~IoFixture() {
    app.reset();
    if (!dir.empty()) std::filesystem::remove_all(dir);
  }
  void import_json() {
    tab::Upload up;
    up.name = "bench.json";
    up.json = json::serialize(feed);
    tab::run_import(*app, p.id, up, {std::nullopt, "bench", "", ""}, {});
  }
};

IoFixture& fixture() {
  static IoFixture f;
  return f;
}

void DirectoryIoImportJson(benchmark::State& state) {
  auto& f = fixture();
  for (auto _ : state) f.import_json();
  state.counters["services"] = f.services;
}
BENCHMARK(DirectoryIoImportJson)->Unit(benchmark::kMillisecond)->Iterations(3);

void DirectoryIoImportCsv(benchmark::State& state) {
  auto& f = fixture();
  tab::Upload up;
  up.name = "bench";
  up.csv = f.csv;
  for (auto _ : state) tab::run_import(*f.app, f.p.id, up, {std::nullopt, "bench", "", ""}, {});
  state.counters["services"] = f.services;
}
BENCHMARK(DirectoryIoImportCsv)->Unit(benchmark::kMillisecond)->Iterations(3);

void DirectoryIoExport(benchmark::State& state) {
  auto& f = fixture();
  for (auto _ : state) {
    auto w = f.app->work(f.p.id, {std::nullopt, "bench", "", ""}, store::Transaction::Mode::read);
    auto t = tab::read_tables(w.scope());
    auto feed = json::serialize(tab::nest(t).feed);
    auto files = tab::write_csv(t);
    benchmark::DoNotOptimize(feed);
    benchmark::DoNotOptimize(files);
  }
  state.counters["services"] = f.services;
}
BENCHMARK(DirectoryIoExport)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
