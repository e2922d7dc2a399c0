// The public tracker filtered by origin ("from ideas") reads actions in order from the index made
// for it, on both databases: EXPLAIN names tracker_actions_origin_recent and, on SQLite, shows no
// sort of its own (PostgreSQL is told not to scan the whole table, as it would for a table this small).
#include <gtest/gtest.h>

#include "http/http_support.hpp"

using namespace cp;
using namespace cp::test;

TEST(TrackerOriginIndex, TheOriginFilterReadsTheOriginIndexInOrder) {
  TestApp t;
  {
    auto w = t.app->work(t.alpha.id, {std::nullopt, "test", "", ""});
    for (int i = 0; i < 300; ++i)
      w->bookkeeping("INSERT INTO tracker_actions (partnership_id, title, owner, status, origin_kind, origin_id, created_by,"
                     " created_at, updated_at) VALUES ($1, $2, 'Team', 'agreed', $3, $4, 1, $5, $5)",
                     {"Action " + std::to_string(i), std::string(i % 3 == 0 ? "idea" : i % 3 == 1 ? "finding" : "feedback"),
                      std::int64_t{i}, std::int64_t{1000 + i}});
    w.commit();
  }
  std::string where = " FROM tracker_actions WHERE partnership_id = " + std::to_string(t.alpha.id) +
                      " AND origin_kind = 'idea' ORDER BY updated_at DESC, id DESC LIMIT 20";
  std::string plan;
  auto lease = t.app->db->lease();
  bool sqlite = t.db.url().rfind("sqlite:", 0) == 0;
  if (sqlite) {
    for (const auto& r : lease->run("EXPLAIN QUERY PLAN SELECT id, title" + where, {}).rows) plan += r.text(3) + "\n";
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
  } else {
    lease->run("SET enable_seqscan = off", {});
    for (const auto& r : lease->run("EXPLAIN SELECT id, title" + where, {}).rows) plan += r.text(0) + "\n";
    lease->run("RESET enable_seqscan", {});
  }
  EXPECT_NE(plan.find("tracker_actions_origin_recent"), std::string::npos) << plan;
}
