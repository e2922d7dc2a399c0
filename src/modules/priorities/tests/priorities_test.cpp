// The priority matrix: the averaging and quadrant rules from hand-made ratings, then the whole
// exercise through HTTP, on both databases.
#include <gtest/gtest.h>

#include "modules/ideas/ideas.hpp"
#include "modules/priorities/priorities.hpp"
#include "modules/priorities/tests/fixture.hpp"
#include "support/harness.hpp"

using namespace cp;
using cp::test::Client;
using cp::test::TestServer;
namespace pr = cp::modules::priorities;
using cp::test::priorities::find;
using cp::test::priorities::Fixture;
using cp::test::priorities::id_from;
using cp::test::priorities::ini;
using cp::test::priorities::rate;

TEST(PrioritiesMatrix, QuadrantRuleOnTheMidpoint) {
  auto m = [](std::int64_t sum, std::int64_t n) { return pr::Mean{sum, n}; };
  EXPECT_EQ(pr::quadrant_of(m(4, 1), m(2, 1)), pr::Quadrant::quick_win);
  EXPECT_EQ(pr::quadrant_of(m(4, 1), m(4, 1)), pr::Quadrant::big_project);
  EXPECT_EQ(pr::quadrant_of(m(2, 1), m(2, 1)), pr::Quadrant::small_job);
  EXPECT_EQ(pr::quadrant_of(m(2, 1), m(4, 1)), pr::Quadrant::not_worth_it);
  // Exactly 3 is neither high impact nor low effort.
  EXPECT_EQ(pr::quadrant_of(m(9, 3), m(2, 1)), pr::Quadrant::small_job);
  EXPECT_EQ(pr::quadrant_of(m(4, 1), m(6, 2)), pr::Quadrant::big_project);
  EXPECT_EQ(pr::quadrant_of(m(3, 1), m(3, 1)), pr::Quadrant::not_worth_it);
  // Just either side of 3, exactly: 10/3 is above, 8/3 is below.
  EXPECT_EQ(pr::quadrant_of(m(10, 3), m(8, 3)), pr::Quadrant::quick_win);
  // No answers on either axis: not placed.
  EXPECT_EQ(pr::quadrant_of(m(0, 0), m(2, 1)), pr::Quadrant::unplaced);
  EXPECT_EQ(pr::quadrant_of(m(5, 1), m(0, 0)), pr::Quadrant::unplaced);
}

TEST(PrioritiesMatrix, AveragesWithMissingRatingsAndTies) {
  std::vector<pr::Initiative> inits = {ini(10, 1), ini(11, 2), ini(12, 3), ini(13, 4), ini(14, 5), ini(15, 6)};
  std::vector<pr::Rating> r = {
      // 10: impact 5,4,"don't know" -> 4.5 (n 2); effort 2,1,2 -> 5/3 (n 3). Quick win.
      rate(10, 1, 5, 2), rate(10, 2, 4, 1), rate(10, 3, std::nullopt, 2),
      // 11: impact 4,2 -> exactly 3 (on the midpoint: not high); effort 1,2 -> 1.5. Small job.
      rate(11, 1, 4, 1), rate(11, 2, 2, 2),
      // 12: impact 5,4 -> 4.5 (ties with 10); effort 2,2 -> 2 (more than 10's 5/3). Quick win, after 10.
      rate(12, 1, 5, 2), rate(12, 2, 4, 2),
      // 13: only "don't know" for effort: not placed; the person still counts as taking part.
      rate(13, 1, 4, std::nullopt),
      // 14: effort exactly 3: big project.
      rate(14, 1, 5, 3), rate(14, 2, 5, 3),
      // 15: nobody rated it.
      // A rating of an initiative not in this exercise is ignored.
      rate(99, 1, 1, 5)};
  auto placed = pr::compute(inits, r);
  ASSERT_EQ(placed.size(), 6u);
  auto& a = find(placed, 10);
  EXPECT_EQ(a.impact.sum, 9);
  EXPECT_EQ(a.impact.n, 2);
  EXPECT_EQ(a.effort.sum, 5);
  EXPECT_EQ(a.effort.n, 3);
  EXPECT_EQ(a.raters, 3);
  EXPECT_DOUBLE_EQ(a.impact.value(), 4.5);
  EXPECT_EQ(a.quadrant, pr::Quadrant::quick_win);
  EXPECT_EQ(find(placed, 11).quadrant, pr::Quadrant::small_job);
  EXPECT_EQ(find(placed, 12).quadrant, pr::Quadrant::quick_win);
  EXPECT_EQ(find(placed, 13).quadrant, pr::Quadrant::unplaced);
  EXPECT_EQ(find(placed, 13).raters, 1);
  EXPECT_EQ(find(placed, 14).quadrant, pr::Quadrant::big_project);
  EXPECT_EQ(find(placed, 15).quadrant, pr::Quadrant::unplaced);
  EXPECT_EQ(find(placed, 15).raters, 0);
  // Order: quick wins (10 before 12: same impact, less effort), big projects, small jobs, then
  // not placed (13 has an impact mean, 15 has nothing).
  std::vector<std::int64_t> order;
  for (const auto& p : placed) order.push_back(p.initiative.id);
  EXPECT_EQ(order, (std::vector<std::int64_t>{10, 12, 14, 11, 13, 15}));
}

TEST(PrioritiesMatrix, FullTiesFallBackToTheNumber) {
  std::vector<pr::Initiative> inits = {ini(3, 3), ini(1, 1), ini(2, 2)};
  std::vector<pr::Rating> r = {rate(1, 1, 4, 2), rate(2, 1, 4, 2), rate(3, 1, 4, 2), rate(3, 2, 4, 2)};
  auto placed = pr::compute(inits, r);
  EXPECT_EQ(placed[0].initiative.number, 1);
  EXPECT_EQ(placed[1].initiative.number, 2);
  EXPECT_EQ(placed[2].initiative.number, 3);
  for (const auto& p : placed) EXPECT_EQ(p.quadrant, pr::Quadrant::quick_win);
}

TEST(Priorities, ExerciseRatingsAndDecisionsThroughHttp) {
  Fixture f;
  auto staff = f.as("staff");
  // Creating: the error summary first, nothing saved.
  auto bad = staff.submit("/toolkit/priorities/new", "/toolkit/priorities", {{"title", ""}, {"intro", "Kept intro"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("href=\"#title\""), std::string::npos);
  EXPECT_NE(bad.body.find("Kept intro"), std::string::npos);
  auto ok = staff.submit("/toolkit/priorities/new", "/toolkit/priorities",
                         {{"title", "What first?"}, {"intro", "Tell us what matters."}});
  ASSERT_EQ(ok.status, 303);
  auto ex = id_from(ok.header("location"));
  auto ex_path = "/toolkit/priorities/" + std::to_string(ex);

  // An idea from the ideas module, linked through its interface.
  std::int64_t idea;
  {
    auto w = f.work();
    idea = modules::ideas::store_fn::create(w.scope(), {"service", "x"}, "Saturday opening", "", f.person);
    w.commit();
  }
  auto add = [&](const std::string& title, const std::string& idea_field = "") {
    return staff.submit(ex_path + "/initiatives/new", ex_path + "/initiatives",
                        {{"title", title}, {"description", "About " + title}, {"idea", idea_field}});
  };
  EXPECT_EQ(add("").status, 400);
  EXPECT_EQ(add("Bad idea link", "999999").status, 400);
  ASSERT_EQ(add("Open on Saturdays", std::to_string(idea)).status, 303);
  ASSERT_EQ(add("New computer system").status, 303);
  std::vector<pr::Initiative> inits;
  {
    auto w = f.work();
    inits = pr::store_fn::initiatives(w.scope(), ex);
  }
  ASSERT_EQ(inits.size(), 2u);
  EXPECT_EQ(inits[0].number, 1);
  EXPECT_EQ(inits[1].number, 2);
  EXPECT_EQ(inits[0].idea_id, idea);
  auto a = std::to_string(inits[0].id), b = std::to_string(inits[1].id);

  // A person rates; a tampered value is refused with the form kept and nothing saved.
  auto person = f.as("person");
  auto tampered = person.submit(ex_path, ex_path + "/ratings", {{"impact_" + a, "9"}, {"effort_" + a, "2"}});
  EXPECT_EQ(tampered.status, 400);
  EXPECT_NE(tampered.body.find("href=\"#impact_" + a + "\""), std::string::npos);
  {
    auto w = f.work();
    EXPECT_TRUE(pr::store_fn::ratings(w.scope(), ex).empty());
  }
  ASSERT_EQ(person.submit(ex_path, ex_path + "/ratings",
                          {{"impact_" + a, "5"}, {"effort_" + a, "2"}, {"impact_" + b, "dk"}, {"effort_" + b, "5"}})
                .status,
            303);
  // Changed: one rating per person per initiative.
  ASSERT_EQ(person.submit(ex_path, ex_path + "/ratings",
                          {{"impact_" + a, "4"}, {"effort_" + a, "1"}, {"impact_" + b, "dk"}, {"effort_" + b, "5"}})
                .status,
            303);
  auto worker = f.as("worker");
  ASSERT_EQ(worker.submit(ex_path, ex_path + "/ratings", {{"impact_" + a, "4"}, {"effort_" + a, "3"}}).status, 303);
  {
    auto w = f.work();
    auto r = pr::store_fn::ratings(w.scope(), ex);
    ASSERT_EQ(r.size(), 3u);  // the worker left b alone, so has no rating of it
    auto placed = pr::compute(pr::store_fn::initiatives(w.scope(), ex), r);
    EXPECT_EQ(placed[0].initiative.id, inits[0].id);
    EXPECT_EQ(placed[0].impact.sum, 8);
    EXPECT_EQ(placed[0].effort.sum, 4);  // 1 + 3: mean 2, low
    EXPECT_EQ(placed[0].quadrant, pr::Quadrant::quick_win);
    EXPECT_EQ(placed[1].quadrant, pr::Quadrant::unplaced);  // impact only "don't know"
  }
  auto page = person.get(ex_path);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("There is 1 quick win."), std::string::npos);
  EXPECT_NE(page.body.find("<svg"), std::string::npos);
  EXPECT_NE(page.body.find("quick-hatch"), std::string::npos);
  // The person's answers are shown back to them.
  EXPECT_NE(page.body.find("<option value=\"4\" selected>"), std::string::npos);
  EXPECT_NE(page.body.find("<option value=\"dk\" selected>"), std::string::npos);
  // People who use services do not set up or decide.
  EXPECT_EQ(person.get(ex_path + "/initiatives/new").status, 403);
  EXPECT_EQ(person.submit(ex_path, "/toolkit/priorities/initiatives/" + a + "/decision",
                          {{"decision", "drop"}, {"reason", "x"}})
                .status,
            403);

  // Decisions: a reason always, an owner to take it on; history kept.
  auto ipath = "/toolkit/priorities/initiatives/" + a;
  auto no_owner = staff.submit(ipath, ipath + "/decision", {{"decision", "take_on"}, {"reason", "Quick win"}});
  EXPECT_EQ(no_owner.status, 400);
  EXPECT_NE(no_owner.body.find("href=\"#owner\""), std::string::npos);
  EXPECT_NE(no_owner.body.find("Quick win"), std::string::npos);
  EXPECT_EQ(staff.submit(ipath, ipath + "/decision", {{"decision", "back_burner"}}).status, 400);
  EXPECT_EQ(staff.submit(ipath, ipath + "/decision", {{"decision", "maybe"}, {"reason", "x"}}).status, 400);
  ASSERT_EQ(staff.submit(ipath, ipath + "/decision", {{"decision", "back_burner"}, {"reason", "Not this year"}}).status, 303);
  ASSERT_EQ(staff.submit(ipath, ipath + "/decision",
                         {{"decision", "take_on"}, {"reason", "Money was found"}, {"owner", "Library team"}})
                .status,
            303);
  {
    auto w = f.work();
    auto h = pr::store_fn::decisions(w.scope(), inits[0].id);
    ASSERT_EQ(h.size(), 2u);
    EXPECT_EQ(h[0].decision, "take_on");
    EXPECT_EQ(h[0].owner, "Library team");
    EXPECT_EQ(h[0].decided_by, f.staff);
    EXPECT_EQ(h[1].decision, "back_burner");
    auto latest = pr::store_fn::latest_decisions(w.scope(), ex);
    ASSERT_EQ(latest.size(), 1u);
    EXPECT_EQ(latest[0].decision, "take_on");
  }
  auto show = person.get(ipath);
  EXPECT_NE(show.body.find("Money was found"), std::string::npos);
  EXPECT_NE(show.body.find("Not this year"), std::string::npos);
  EXPECT_NE(show.body.find("href=\"/ideas/" + std::to_string(idea) + "\""), std::string::npos);

  // Closing rating: answers are refused with a 409 and the form gone.
  ASSERT_EQ(staff.submit(ex_path, ex_path + "/status", {{"status", "closed"}}).status, 303);
  auto closed = person.submit(ex_path, ex_path + "/ratings", {{"impact_" + a, "1"}});
  EXPECT_EQ(closed.status, 409);
  EXPECT_NE(closed.body.find("href=\"#rate\""), std::string::npos);
  EXPECT_EQ(person.get(ex_path).body.find("Save my answers"), std::string::npos);

  // Signed out: sign in first. Another partnership: not found.
  Client anon(f.s.port);
  EXPECT_NE(anon.get(ex_path).status, 200);
  EXPECT_EQ(anon.get("/toolkit").status, 200);
  Client beta(f.s.port, "beta.test");
  EXPECT_EQ(beta.get("/toolkit").status, 200);
}

TEST(Priorities, RightsExportAndEraseRatings) {
  Fixture f;
  std::int64_t ex, i;
  {
    auto w = f.work();
    ex = pr::store_fn::create_exercise(w.scope(), "E", "", f.staff);
    i = pr::store_fn::add_initiative(w.scope(), ex, "I", "", std::nullopt, f.staff);
    pr::store_fn::rate(w.scope(), i, f.person, 4, std::nullopt);
    pr::store_fn::rate(w.scope(), i, f.worker, 2, 2);
    EXPECT_THROW(pr::store_fn::rate(w.scope(), i, f.worker, 6, 2), std::invalid_argument);
    EXPECT_THROW(pr::store_fn::decide(w.scope(), i, "take_on", "Why", "", f.staff), std::invalid_argument);
    EXPECT_THROW(pr::store_fn::decide(w.scope(), i, "drop", " ", "", f.staff), std::invalid_argument);
    w.commit();
  }
  auto w = f.work();
  EXPECT_EQ(pr::store_fn::ratings_by(w.scope(), f.person).size(), 1u);
  EXPECT_EQ(pr::store_fn::erase_ratings_of(w.scope(), f.person), 1);
  EXPECT_TRUE(pr::store_fn::ratings_by(w.scope(), f.person).empty());
  EXPECT_EQ(pr::store_fn::ratings(w.scope(), ex).size(), 1u);
  // Both answers empty takes a rating back.
  pr::store_fn::rate(w.scope(), i, f.worker, std::nullopt, std::nullopt);
  EXPECT_TRUE(pr::store_fn::ratings(w.scope(), ex).empty());
}
