// The self-assessment "distance travelled" figures the learning lens reads are kept with journeys'
// counters (journeys::kpis(...).distance), changed in the same transaction as every answer. After
// each of a series of writes (completions on several dates, one on the same day as another, a
// referral accepted so a person joins a service's figures, a person taken on by a second
// organisation) and an erasure, the kept figures must equal what distance_travelled computes from
// the answers themselves, for the partnership, an organisation and a service, and must equal a
// rebuild from the records.
#include <gtest/gtest.h>

#include <sstream>

#include <boost/json.hpp>

#include "modules/directory/directory.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/journeys/kpi.hpp"
#include "modules/organisations/organisations.hpp"
#include "modules/selfassess/selfassess.hpp"
#include "support/harness.hpp"

namespace cp {
namespace {

namespace kpi = modules::journeys;
namespace jdb = modules::journeys_store;
namespace sdb = modules::selfassess_store;

std::string describe(const std::vector<sdb::ScaleChange>& v) {
  std::ostringstream o;
  for (const auto& c : v) o << c.scale_id << ":" << c.people << "/" << c.mean_change << " ";
  return o.str();
}

struct SelfAssessKept : ::testing::Test {
  test::TestApp t;
  std::int64_t org = 0, college = 0, course = 0, worker = 0, tutor = 0;
  std::int64_t ann = 0, bo = 0, cy = 0;
  std::vector<std::int64_t> scales;

  store::Work work() { return t.app->work(t.alpha.id, {std::nullopt, "test", "", ""}); }

  void SetUp() override {
    org = t.add_organisation(t.alpha, "Fife Works");
    {
      auto w = work();
      std::string feed =
          R"({"services":[{"id":"00000001-0000-4000-8000-000000000001","name":"Kitchen skills course",)"
          R"("description":"Learn to cook for work.","status":"active","organization":{"id":)"
          R"("00000002-0000-4000-8000-000000000001","name":"Harbour College","description":"A college."}}]})";
      modules::directory_store::import_feed(w.scope(), boost::json::parse(feed));
      w.commit();
      college = *modules::organisations_store::find_by_slug(w.scope(), "harbour-college");
      course = w->read("SELECT id FROM directory_services WHERE partnership_id = $1").one().i64(0);
    }
    worker = t.add_user(t.alpha, "sam@example.org", "long quiet river stones 42", auth::Role::worker, org);
    tutor = t.add_user(t.alpha, "tia@example.org", "long quiet river stones 42", auth::Role::worker, college);
    auto w = work();
    modules::seed_selfassess_demo(*t.app, w.scope());
    for (const auto& sc : sdb::scales(w.scope(), true)) scales.push_back(sc.id);
    ann = jdb::create_person(w.scope(), "Ann", std::nullopt, worker, org);
    bo = jdb::create_person(w.scope(), "Bo", std::nullopt, worker, org);
    cy = jdb::create_person(w.scope(), "Cy", std::nullopt, tutor, college);
    kpi::rebuild_kpis(w.scope());  // built now, so every figure below was kept change by change
    w.commit();
  }

  void answer(std::int64_t person, const std::string& on, std::map<std::int64_t, int> scores) {
    auto w = work();
    sdb::record(w.scope(), person, std::nullopt, true, on, scores);
    w.commit();
  }

  // Kept figures for one filter, as the lens shows them.
  std::string kept(store::Scope& s, std::optional<std::int64_t> o, std::optional<std::int64_t> sv) {
    kpi::KpiFilter f;
    f.organisation_id = o;
    f.service_id = sv;
    f.today = "2026-12-01";
    return describe(sdb::distance_from_sums(s, kpi::kpis(s, f).distance));
  }

  // Every scope: kept == computed from the answers, and kept == a rebuild from the records.
  void check(const std::string& when) {
    auto w = work();
    auto& s = w.scope();
    std::vector<std::tuple<std::string, std::optional<std::int64_t>, std::optional<std::int64_t>>> scopes = {
        {"partnership", std::nullopt, std::nullopt},
        {"organisation", org, std::nullopt},
        {"college", college, std::nullopt},
        {"service", std::nullopt, course}};
    std::vector<std::string> before;
    for (const auto& [name, o, sv] : scopes) {
      std::optional<std::vector<std::int64_t>> people;
      if (o || sv) people = jdb::people_in(s, o, sv);
      auto from_records = describe(sdb::distance_travelled(s, people));
      before.push_back(kept(s, o, sv));
      EXPECT_EQ(before.back(), from_records) << when << ", " << name;
    }
    kpi::rebuild_kpis(s);
    for (std::size_t i = 0; i < scopes.size(); ++i)
      EXPECT_EQ(kept(s, std::get<1>(scopes[i]), std::get<2>(scopes[i])), before[i])
          << when << ", " << std::get<0>(scopes[i]) << " after a rebuild";
    // Not committed: the rebuild only checks.
  }
};

TEST_F(SelfAssessKept, KeptFiguresEqualTheAnswersAfterEveryWriteAndAnErasure) {
  const auto a = scales[0], b = scales[1], c = scales[2];
  check("nothing answered");
  answer(ann, "2026-01-10", {{a, 3}, {b, 5}});
  check("one completion");
  {
    auto w = work();
    auto k = kpi::kpis(w.scope(), {});
    EXPECT_TRUE(k.distance.empty()) << "one answer is no change yet";
  }
  answer(ann, "2026-03-10", {{a, 7}, {c, 2}});  // a moves +4; b and c answered once
  answer(bo, "2026-02-01", {{a, 6}});
  answer(bo, "2026-02-01", {{a, 4}});  // the same day: the later one counts, -2
  check("two people moved on one scale");
  {
    auto w = work();
    auto k = kpi::kpis(w.scope(), {});
    ASSERT_EQ(k.distance.count(a), 1u);
    EXPECT_EQ(k.distance[a].first, 2);
    EXPECT_EQ(k.distance[a].second, 2);  // +4 and -2
  }
  // Answers given before a referral was accepted join the service's figures with it.
  answer(cy, "2025-12-01", {{b, 2}, {c, 2}});
  answer(cy, "2026-04-01", {{b, 9}, {c, 1}});
  {
    auto w = work();
    modules::journeys::Referral r;
    r.person_id = cy;
    r.from_organisation_id = college;
    r.to_organisation_id = college;
    r.service_id = course;
    r.service_name = "Kitchen skills course";
    r.parts = {"profile"};
    auto id = jdb::add_referral(w.scope(), r);
    ASSERT_TRUE(jdb::send_referral(w.scope(), id, {tutor, "Tia"}));
    ASSERT_TRUE(jdb::decide_referral(w.scope(), id, true, "", "", {tutor, "Tia"}));
    w.commit();
  }
  check("a referral accepted");
  // Taken on by a second organisation: the person's change counts there too.
  {
    auto w = work();
    jdb::take_on(w.scope(), ann, tutor, college);
    w.commit();
  }
  answer(ann, "2026-06-01", {{a, 9}, {b, 4}});  // a now +6 from the first, b -1
  check("taken on by a second organisation, and a third completion");
  {
    auto w = work();
    kpi::KpiFilter f;
    f.organisation_id = college;
    auto k = kpi::kpis(w.scope(), f);
    EXPECT_EQ(k.distance[a].first, 1);
    EXPECT_EQ(k.distance[a].second, 6);
    EXPECT_EQ(k.distance[b].first, 2);      // Ann -1, Cy +7
    EXPECT_EQ(k.distance[b].second, 6);
  }
  {
    auto w = work();
    auto [done, scores] = sdb::erase_person(w.scope(), ann);
    EXPECT_EQ(done, 3);
    EXPECT_EQ(scores, 6);
    w.commit();
  }
  check("after Ann's answers were erased");
  {
    auto w = work();
    auto k = kpi::kpis(w.scope(), {});
    EXPECT_EQ(k.distance[a].first, 1);  // only Bo
    EXPECT_EQ(k.distance[a].second, -2);
  }
}

}  // namespace
}  // namespace cp
