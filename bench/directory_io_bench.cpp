// Whole-directory import and export at size: a generated directory of COPRODUCE_DIRECTORY_IO_SERVICES
// services (2,000 unless told), each with a place and address, opening times, a contact with a phone
// and a taxonomy term, imported again from JSON and from CSV (the update path a nightly sync takes)
// and exported as the JSON and CSV backup.
//
//   build/coproduce_bench --benchmark_filter=DirectoryIo
//   COPRODUCE_BENCH_DB=postgresql://... build/coproduce_bench --benchmark_filter=DirectoryIo
//
// DirectoryIoScale times the full-size import of issue 3 on its own (COPRODUCE_DIRECTORY_IO_SCALE
// services, 10,000 unless told; the same shape as bench/people_bench.cpp's services: a place with an
// address, opening times, a cost option, a contact with a phone, one or two topics, four in ten of
// them community assets): through import_feed in transactions of 1,000 services into an empty
// partnership, the same again over itself (nothing changes), and the whole feed as one file through
// the path `coproduce directory import` takes (parse, one transaction) into another empty one.
// COPRODUCE_DIRECTORY_IO_FEED=FILE also writes that feed to FILE.
//
//   COPRODUCE_DIRECTORY_IO_SCALE=100000 build/coproduce_bench --benchmark_filter=DirectoryIoScale
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "app/app.hpp"
#include "core/util.hpp"
#include "modules/directory/directory.hpp"
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

// ---- DirectoryIoScale

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

json::object scale_service(int i) {
  static const char* places[] = {"Kirkcaldy", "Dunfermline", "Glenrothes", "Methil", "Cupar", "Leven"};
  const int t1 = i % 30, t2 = (i * 7 + 3) % 30;
  const bool asset = i % 5 < 2;
  const std::string place = places[i % 6];
  json::object address{{"id", id(13, i)},          {"address_1", std::to_string(i % 200 + 1) + " High Street"},
                       {"city", place},            {"state_province", "Fife"},
                       {"postal_code", "KY1 1AA"}, {"country", "GB"},
                       {"address_type", "physical"}};
  json::object location{{"id", id(12, i)},
                        {"location_type", "physical"},
                        {"name", place + " hall " + std::to_string(i)},
                        {"latitude", 56.0 + (i % 997) * 3.1e-4},
                        {"longitude", -3.5 + (i % 991) * 7.3e-4},
                        {"addresses", json::array{address}}};
  json::array attributes{{{"id", id(19, i)}, {"taxonomy_term_id", id(11, t1)}}};
  if (t2 != t1) attributes.push_back({{"id", id(20, i)}, {"taxonomy_term_id", id(11, t2)}});
  json::object cost{{"id", id(21, i)}};
  cost["option"] = i % 10 < 6 ? "Free" : "\u00a32 a session";
  cost["amount"] = i % 10 < 6 ? 0 : 2;
  json::object svc{{"id", id(14, i)},
                   {"name", place + (asset ? " group " : " service ") + std::to_string(i)},
                   {"status", "active"},
                   {"description", "Friendly support in " + place + ". Drop in for a cup of tea and a chat, or phone first."},
                   {"last_modified", "2026-10-05T10:00:00Z"},
                   {"service_at_locations", json::array{{{"id", id(17, i)}, {"location", location}}}},
                   {"schedules", json::array{{{"id", id(18, i)}, {"freq", "WEEKLY"}, {"byday", "MO,TH"},
                                              {"opens_at", "10:00"}, {"closes_at", "12:30"}}}},
                   {"cost_options", json::array{cost}},
                   {"contacts", json::array{{{"id", id(15, i)}, {"name", "Front desk"},
                                             {"phones", json::array{{{"id", id(16, i)},
                                                                     {"number", "01592 " + std::to_string(100000 + i)}}}}}}},
                   {"attributes", attributes}};
  if (asset) svc["asset_kind"] = modules::kAssetKinds[static_cast<std::size_t>(i / 5) % modules::kAssetKinds.size()];
  if (i % 5 == 4) svc["minimum_age"] = 16;
  return svc;
}

void DirectoryIoScale(benchmark::State& state) {
  int n = 10000;
  if (const char* v = std::getenv("COPRODUCE_DIRECTORY_IO_SCALE"); v && *v) n = std::atoi(v);
  Config cfg;
  std::string dir;
  if (const char* url = std::getenv("COPRODUCE_BENCH_DB"); url && *url) {
    cfg.db_url = url;
  } else {
    dir = (std::filesystem::temp_directory_path() / ("coproduce-directory-scale-" + random_token(6))).string();
    std::filesystem::create_directories(dir);
    cfg.db_url = "sqlite:" + dir + "/bench.db";
  }
  cfg.access_log = false;
  auto app = std::make_unique<app::App>(cfg);
  app->migrate();
  json::array terms;
  for (int t = 0; t < 30; ++t)
    terms.push_back({{"id", id(11, t)}, {"name", "Topic " + std::to_string(t)}, {"description", "About it"}});
  json::array taxonomies{{{"id", id(10, 0)}, {"name", "Needs"}, {"description", "What people need"}, {"taxonomy_terms", terms}}};
  json::array all;
  all.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) all.push_back(scale_service(i));
  std::string text = json::serialize(json::object{{"taxonomies", taxonomies}, {"services", all}});
  if (const char* f = std::getenv("COPRODUCE_DIRECTORY_IO_FEED"); f && *f) std::ofstream(f, std::ios::binary) << text << "\n";
  for (auto _ : state) {
    std::string tag = to_lower(random_token(4));
    auto p = app->create_partnership("scale-" + tag, "Directory scale", "", "Import at size");
    auto batches = [&] {
      double total = 0;
      for (int from = 0; from < n; from += 1000) {
        json::object batch;
        if (from == 0) batch["taxonomies"] = taxonomies;
        batch["services"] = json::array(all.begin() + from, all.begin() + std::min(n, from + 1000));
        auto start = std::chrono::steady_clock::now();
        auto w = app->work(p.id, {std::nullopt, "bench", "", ""});
        modules::directory_store::import_feed(w.scope(), batch);
        w.commit();
        total += seconds_since(start);
      }
      return total;
    };
    double fresh = batches();
    double again = batches();
    auto q = app->create_partnership("scale-file-" + tag, "Directory scale file", "", "Import at size");
    auto start = std::chrono::steady_clock::now();
    tab::Upload up;
    up.name = "feed.json";
    up.json = text;
    tab::run_import(*app, q.id, up, {std::nullopt, "bench", "", ""}, {});
    double whole = seconds_since(start);
    state.counters["services"] = n;
    state.counters["batches_s"] = fresh;
    state.counters["again_s"] = again;
    state.counters["file_s"] = whole;
    std::cerr << "directory scale: " << n << " services; import_feed by 1,000: " << fresh << " s; again: " << again
              << " s; one file, one transaction: " << whole << " s\n";
  }
  app.reset();
  if (!dir.empty()) std::filesystem::remove_all(dir);
}
BENCHMARK(DirectoryIoScale)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
