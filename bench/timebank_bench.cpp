// The timebank ledger at size: "balance for a member" summed from the movements (the covering
// index), the cached balance, and one transfer with its locks, over a ledger of
// COPRODUCE_TIMEBANK_MOVEMENTS movements (5,000,000 unless told) among 1,000 members.
//
//   build/coproduce_bench --benchmark_filter=Timebank
//   COPRODUCE_BENCH_DB=postgresql://... build/coproduce_bench --benchmark_filter=Timebank
//
// The ledger is filled with set-based SQL (the same two postings per transfer the module writes),
// then the cached balances are set from it, so the figures are what a full ledger costs.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "app/app.hpp"
#include "core/util.hpp"
#include "modules/timebank/timebank.hpp"

using namespace cp;
namespace tb = modules::timebank;

namespace {

struct LedgerFixture {
  std::string dir;
  std::unique_ptr<app::App> app;
  app::Partnership p;
  std::int64_t first_member = 0;
  static constexpr int kMembers = 1000;

  LedgerFixture() {
    Config cfg;
    if (const char* url = std::getenv("COPRODUCE_BENCH_DB"); url && *url) {
      cfg.db_url = url;
    } else {
      dir = (std::filesystem::temp_directory_path() / ("coproduce-timebank-bench-" + random_token(6))).string();
      std::filesystem::create_directories(dir);
      cfg.db_url = "sqlite:" + dir + "/bench.db";
    }
    cfg.access_log = false;
    std::int64_t movements = 5000000;
    if (const char* s = std::getenv("COPRODUCE_TIMEBANK_MOVEMENTS"); s && *s) movements = std::atoll(s);
    app = std::make_unique<app::App>(cfg);
    app->migrate();
    std::string slug = "timebank-bench-" + to_lower(random_token(4));
    p = app->create_partnership(slug, "Timebank bench", "", "Ledger benchmark");
    {
      auto w = app->work(p.id, {std::nullopt, "bench", "", ""});
      tb::ensure_settings(w.scope());
      for (int i = 0; i < kMembers; ++i) {
        auto id = tb::join(w.scope(), {"person", std::nullopt, std::nullopt, "Member " + std::to_string(i), "", "", true});
        if (i == 0) first_member = id;
        if (id != first_member + i) throw std::runtime_error("member ids are not contiguous");
      }
      w.commit();
    }
    fill(movements / 2);
  }

  void fill(std::int64_t transfers) {
    auto lease = app->db->lease();
    bool pg = lease->dialect() == store::Dialect::postgres;
    store::Transaction tx(*lease);
    std::string pid = std::to_string(p.id), base = std::to_string(first_member), n = std::to_string(transfers);
    // Payer i % 1000, earner (7i + 1) % 1000: never the same member (7i + 1 - i is odd, 1000 is even).
    std::string select = "SELECT " + pid + ", 'exchange', " + base + " + (i % 1000), " + base +
                         " + ((i * 7 + 1) % 1000), 1 + (i % 8), '', 1, i ";
    std::string insert = "INSERT INTO timebank_transfers (partnership_id, kind, from_member, to_member, quarters, memo,"
                         " counted_given, at_ms) ";
    if (pg)
      lease->run(insert + select + "FROM generate_series(1, " + n + ") AS g(i)", {});
    else
      lease->run(insert + "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < " + n + ") " + select +
                     "FROM g",
                 {});
    for (const char* sign : {"-", ""})
      lease->run(std::string("INSERT INTO timebank_movements (partnership_id, transfer_id, member_id, quarters, at_ms)"
                             " SELECT partnership_id, id, ") +
                     (*sign ? "from_member" : "to_member") + ", " + sign + "quarters, at_ms FROM timebank_transfers"
                     " WHERE partnership_id = " + pid,
                 {});
    lease->run("UPDATE timebank_members SET balance = (SELECT COALESCE(SUM(m.quarters), 0) FROM timebank_movements m"
               " WHERE m.partnership_id = timebank_members.partnership_id AND m.member_id = timebank_members.id)"
               " WHERE partnership_id = " + pid,
               {});
    // Room below every balance, so the transfer benchmark is never refused.
    lease->run("UPDATE timebank_settings SET min_balance = -1000000000 WHERE partnership_id = " + pid, {});
    tx.commit();
    if (pg) {
      lease->run("SELECT setval(pg_get_serial_sequence('timebank_transfers', 'id'), (SELECT MAX(id) FROM timebank_transfers))", {});
      lease->run("SELECT setval(pg_get_serial_sequence('timebank_movements', 'id'), (SELECT MAX(id) FROM timebank_movements))", {});
      lease->run("ANALYZE timebank_movements", {});
    } else {
      lease->run("ANALYZE", {});
    }
  }

  ~LedgerFixture() {
    app.reset();
    if (!dir.empty()) std::filesystem::remove_all(dir);
  }
};

LedgerFixture& fixture() {
  static LedgerFixture f;
  return f;
}

void BM_TimebankLedgerBalance(benchmark::State& state) {
  auto& f = fixture();
  std::int64_t i = 0;
  for (auto _ : state) {
    auto w = f.app->work(f.p.id, {std::nullopt, "bench", "", ""}, store::Transaction::Mode::read);
    benchmark::DoNotOptimize(tb::ledger_balance(w.scope(), f.first_member + (i++ % LedgerFixture::kMembers)));
  }
}

void BM_TimebankCachedBalance(benchmark::State& state) {
  auto& f = fixture();
  std::int64_t i = 0;
  for (auto _ : state) {
    auto w = f.app->work(f.p.id, {std::nullopt, "bench", "", ""}, store::Transaction::Mode::read);
    benchmark::DoNotOptimize(tb::balance(w.scope(), f.first_member + (i++ % LedgerFixture::kMembers)));
  }
}

void BM_TimebankTransfer(benchmark::State& state) {
  auto& f = fixture();
  std::int64_t i = 0;
  for (auto _ : state) {
    auto w = f.app->work(f.p.id, {std::nullopt, "bench", "", ""});
    tb::TransferRequest t;
    t.from_member = f.first_member + (i % LedgerFixture::kMembers);
    t.to_member = f.first_member + ((i * 3 + 1) % LedgerFixture::kMembers);
    t.quarters = 1;
    ++i;
    if (!tb::transfer(w.scope(), t).ok()) state.SkipWithError("transfer refused");
    w.commit();
  }
}

}  // namespace

BENCHMARK(BM_TimebankLedgerBalance)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TimebankCachedBalance)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TimebankTransfer)->Unit(benchmark::kMicrosecond);
