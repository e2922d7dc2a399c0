// `coproduce journeys rebuild-kpis` and the counters `coproduce migrate` builds for an upgraded
// database, through the real binary: the demo's counters are thrown away (as if the database came
// from before them), `migrate` builds them again; spoilt counters are put right by the command; an
// unknown partnership is refused with exit code 1.
#include <gtest/gtest.h>

#include "cli/process.hpp"
#include "support/harness.hpp"

using namespace cp;
using test::run_cli;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

void exec(const std::string& url, const std::string& sql) { store::connect(url)->run(sql, {}); }

std::int64_t count(const std::string& url, const std::string& sql) {
  return store::connect(url)->run(sql, {}).one().i64(0);
}

// Every counter of the demo partnership, as text.
std::string counters(const std::string& url) {
  std::string out;
  for (const auto& r : store::connect(url)
                           ->run("SELECT k.scope, k.dim, k.value, k.metric, k.n FROM journey_kpi_counts k JOIN"
                                 " partnerships p ON p.id = k.partnership_id WHERE p.slug = 'demo' AND k.n <> 0"
                                 " ORDER BY k.scope, k.dim, k.value, k.metric",
                                 {})
                           .rows)
    out += r.text(0) + "|" + r.text(1) + "|" + r.text(2) + "|" + r.text(3) + "=" + std::to_string(r.i64(4)) + "\n";
  return out;
}

}  // namespace

TEST(JourneysKpiCli, MigrateBuildsMissingCountersAndTheCommandRebuildsThem) {
  test::TempDb db;
  auto demo = run_cli({"demo", "--db", db.url()});
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  ASSERT_GT(count(db.url(), "SELECT COUNT(*) FROM journey_people"), 0);

  // The command on a healthy database: one line, exit 0, and what it kept is the reference.
  auto first = run_cli({"journeys", "rebuild-kpis", "--db", db.url()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(has(first.out, "Rebuilt the learning lens figures of ")) << first.out;
  EXPECT_EQ(std::count(first.out.begin(), first.out.end(), '\n'), 1) << first.out;
  const auto reference = counters(db.url());
  ASSERT_FALSE(reference.empty());
  EXPECT_TRUE(has(reference, "|sa|")) << "the demo's self-assessment answers are kept with the counters";

  // As if upgraded from before the counters: records, but no counters and no state.
  exec(db.url(), "DELETE FROM journey_kpi_counts");
  exec(db.url(), "DELETE FROM journey_kpi_state");
  auto migrated = run_cli({"migrate", "--db", db.url()});
  ASSERT_EQ(migrated.exit_code, 0) << migrated.err;
  EXPECT_TRUE(has(migrated.out, "Built the learning lens figures of 1 partnership(s).")) << migrated.out;
  EXPECT_EQ(counters(db.url()), reference);
  EXPECT_EQ(count(db.url(), "SELECT COUNT(*) FROM journey_kpi_state s JOIN partnerships p ON p.id = s.partnership_id"
                            " WHERE p.slug = 'demo'"),
            1);
  auto again = run_cli({"migrate", "--db", db.url()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_FALSE(has(again.out, "Built the learning lens")) << "nothing to build the second time: " << again.out;

  // Spoilt counters are put right by the command, for the one partnership asked.
  exec(db.url(), "UPDATE journey_kpi_counts SET n = n + 100");
  ASSERT_NE(counters(db.url()), reference);
  auto fixed = run_cli({"journeys", "rebuild-kpis", "--partnership", "demo", "--db", db.url()});
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_TRUE(has(fixed.out, "Rebuilt the learning lens figures of 1 partnership (")) << fixed.out;
  EXPECT_EQ(counters(db.url()), reference);

  auto unknown = run_cli({"journeys", "rebuild-kpis", "--partnership", "nowhere", "--db", db.url()});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_TRUE(has(unknown.err, "nowhere")) << unknown.err;
}
