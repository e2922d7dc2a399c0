// The priority matrix with feasibility as its second axis (high is good), the Welsh text of
// initiatives, and the read-only JSON API, on both databases.
#include <gtest/gtest.h>

#include <boost/json.hpp>

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
namespace json = boost::json;

TEST(PrioritiesFeasibility, QuadrantRuleMirrorsOnTheMidpoint) {
  auto m = [](std::int64_t sum, std::int64_t n) { return pr::Mean{sum, n}; };
  const std::string f = "feasibility";
  // High impact and easy (feasibility above 3) is the quick win; low feasibility is hard.
  EXPECT_EQ(pr::quadrant_of(m(4, 1), m(4, 1), f), pr::Quadrant::quick_win);
  EXPECT_EQ(pr::quadrant_of(m(4, 1), m(2, 1), f), pr::Quadrant::big_project);
  EXPECT_EQ(pr::quadrant_of(m(2, 1), m(4, 1), f), pr::Quadrant::small_job);
  EXPECT_EQ(pr::quadrant_of(m(2, 1), m(2, 1), f), pr::Quadrant::not_worth_it);
  // The same means read as effort give the mirror image.
  EXPECT_EQ(pr::quadrant_of(m(4, 1), m(4, 1), "effort"), pr::Quadrant::big_project);
  EXPECT_EQ(pr::quadrant_of(m(4, 1), m(2, 1), "effort"), pr::Quadrant::quick_win);
  // Exactly 3 is not easy, whichever way it is asked, and not a big difference.
  EXPECT_EQ(pr::quadrant_of(m(4, 1), m(6, 2), f), pr::Quadrant::big_project);
  EXPECT_EQ(pr::quadrant_of(m(4, 1), m(6, 2), "effort"), pr::Quadrant::big_project);
  EXPECT_EQ(pr::quadrant_of(m(9, 3), m(5, 1), f), pr::Quadrant::small_job);
  EXPECT_EQ(pr::quadrant_of(m(3, 1), m(3, 1), f), pr::Quadrant::not_worth_it);
  // Just either side of 3, exactly: 10/3 is above, 8/3 is below.
  EXPECT_EQ(pr::quadrant_of(m(10, 3), m(10, 3), f), pr::Quadrant::quick_win);
  EXPECT_EQ(pr::quadrant_of(m(10, 3), m(8, 3), f), pr::Quadrant::big_project);
  // Missing answers: not placed.
  EXPECT_EQ(pr::quadrant_of(m(0, 0), m(4, 1), f), pr::Quadrant::unplaced);
  EXPECT_EQ(pr::quadrant_of(m(5, 1), m(0, 0), f), pr::Quadrant::unplaced);
  EXPECT_THROW(pr::quadrant_of(m(4, 1), m(4, 1), "cost"), std::invalid_argument);
}

TEST(PrioritiesFeasibility, AveragesWithMissingRatingsAndTies) {
  std::vector<pr::Initiative> inits = {ini(20, 1), ini(21, 2), ini(22, 3), ini(23, 4), ini(24, 5), ini(25, 6), ini(26, 7)};
  std::vector<pr::Rating> r = {
      // 20: impact 5,4 -> 4.5; feasibility 4,5,"don't know" -> 4.5 (n 2). Quick win.
      rate(20, 1, 5, 4), rate(20, 2, 4, 5), rate(20, 3, std::nullopt, std::nullopt),
      // 21: impact 5,4 -> 4.5 (ties with 20); feasibility 4,4 -> 4 (less easy than 20). Quick win, after 20.
      rate(21, 1, 5, 4), rate(21, 2, 4, 4),
      // 22: feasibility 2,4 -> exactly 3: not easy, so a big project despite impact 5.
      rate(22, 1, 5, 2), rate(22, 2, 5, 4),
      // 23: impact 4,2 -> exactly 3 (not high); feasibility 5 -> easy. Small job.
      rate(23, 1, 4, 5), rate(23, 2, 2, std::nullopt),
      // 24: only impact, feasibility "don't know": not placed, but the person took part.
      rate(24, 1, 5, std::nullopt),
      // 25: low impact, hard. Not worth it.
      rate(25, 1, 1, 1),
      // 26: nobody rated it.
      // A rating of an initiative not in this exercise is ignored.
      rate(99, 1, 5, 5)};
  auto placed = pr::compute(inits, r, "feasibility");
  ASSERT_EQ(placed.size(), 7u);
  auto& a = find(placed, 20);
  EXPECT_EQ(a.impact.sum, 9);
  EXPECT_EQ(a.impact.n, 2);
  EXPECT_EQ(a.effort.sum, 9);  // the second answer, here feasibility
  EXPECT_EQ(a.effort.n, 2);
  EXPECT_EQ(a.raters, 2);  // the third person said "don't know" to both, which is no rating
  EXPECT_EQ(a.quadrant, pr::Quadrant::quick_win);
  EXPECT_EQ(find(placed, 21).quadrant, pr::Quadrant::quick_win);
  EXPECT_EQ(find(placed, 22).quadrant, pr::Quadrant::big_project);
  EXPECT_EQ(find(placed, 23).quadrant, pr::Quadrant::small_job);
  EXPECT_EQ(find(placed, 23).effort.n, 1);
  EXPECT_EQ(find(placed, 24).quadrant, pr::Quadrant::unplaced);
  EXPECT_EQ(find(placed, 24).raters, 1);
  EXPECT_EQ(find(placed, 25).quadrant, pr::Quadrant::not_worth_it);
  EXPECT_EQ(find(placed, 26).quadrant, pr::Quadrant::unplaced);
  EXPECT_EQ(find(placed, 26).raters, 0);
  // Order: quick wins (20 before 21: same impact, easier), big projects, small jobs, not worth it,
  // then not placed (24 has an impact mean, 26 has nothing).
  std::vector<std::int64_t> order;
  for (const auto& p : placed) order.push_back(p.initiative.id);
  EXPECT_EQ(order, (std::vector<std::int64_t>{20, 21, 22, 23, 25, 24, 26}));
  // The same ratings read as effort: 20 and 21 are hard work now, 25 is a small job.
  auto as_effort = pr::compute(inits, r, "effort");
  EXPECT_EQ(find(as_effort, 20).quadrant, pr::Quadrant::big_project);
  EXPECT_EQ(find(as_effort, 25).quadrant, pr::Quadrant::small_job);
  EXPECT_THROW(pr::compute(inits, r, "cost"), std::invalid_argument);
}

TEST(PrioritiesFeasibility, FullTiesFallBackToTheNumber) {
  std::vector<pr::Initiative> inits = {ini(3, 3), ini(1, 1), ini(2, 2)};
  std::vector<pr::Rating> r = {rate(1, 1, 4, 4), rate(2, 1, 4, 4), rate(3, 1, 4, 4), rate(3, 2, 4, 4)};
  auto placed = pr::compute(inits, r, "feasibility");
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(placed[i].initiative.number, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(placed[i].quadrant, pr::Quadrant::quick_win);
  }
}

namespace {

bool has(const std::string& body, const std::string& text) { return body.find(text) != std::string::npos; }

}  // namespace

TEST(PrioritiesFeasibility, FeasibilityExerciseThroughHttp) {
  Fixture f;
  auto staff = f.as("staff");
  // The form offers the choice, effort checked to start with.
  auto form = staff.get("/toolkit/priorities/new");
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(has(form.body, "value=\"effort\" checked"));
  EXPECT_TRUE(has(form.body, "How easy it would be to do"));
  // An unknown axis: the error summary, the typed title kept, nothing saved.
  auto bad = staff.submit("/toolkit/priorities/new", "/toolkit/priorities", {{"title", "Kept title"}, {"axis", "cost"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(has(bad.body, "href=\"#axis\""));
  EXPECT_TRUE(has(bad.body, "Kept title"));
  {
    auto w = f.work();
    EXPECT_TRUE(pr::store_fn::exercises(w.scope()).empty());
  }
  auto ok = staff.submit("/toolkit/priorities/new", "/toolkit/priorities", {{"title", "What is doable?"}, {"axis", "feasibility"}});
  ASSERT_EQ(ok.status, 303);
  auto ex = id_from(ok.header("location"));
  auto ex_path = "/toolkit/priorities/" + std::to_string(ex);
  {
    auto w = f.work();
    ASSERT_EQ(pr::store_fn::exercise(w.scope(), ex)->axis, "feasibility");
  }
  // Two initiatives: one with Welsh, one in English only.
  ASSERT_EQ(staff.submit(ex_path + "/initiatives/new", ex_path + "/initiatives",
                         {{"title", "Saturday drop-in"}, {"title_cy", "Sesiwn galw heibio ar ddydd Sadwrn"},
                          {"description", "Open the hub on Saturday mornings."},
                          {"description_cy", "Agor yr hwb ar fore Sadwrn."}})
                .status,
            303);
  ASSERT_EQ(staff.submit(ex_path + "/initiatives/new", ex_path + "/initiatives", {{"title", "New phone line"}}).status, 303);
  std::vector<pr::Initiative> inits;
  {
    auto w = f.work();
    inits = pr::store_fn::initiatives(w.scope(), ex);
  }
  ASSERT_EQ(inits.size(), 2u);
  EXPECT_EQ(inits[0].title_cy, "Sesiwn galw heibio ar ddydd Sadwrn");
  auto a = std::to_string(inits[0].id), b = std::to_string(inits[1].id);

  // The rating form asks how easy, under feasibility_<id>.
  auto person = f.as("person");
  auto page = person.get(ex_path);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "name=\"feasibility_" + a + "\""));
  EXPECT_FALSE(has(page.body, "name=\"effort_" + a + "\""));
  EXPECT_TRUE(has(page.body, "How easy would it be to do?"));
  EXPECT_TRUE(has(page.body, "5 – very easy to do"));
  // A bad value names the feasibility field.
  auto tampered = person.submit(ex_path, ex_path + "/ratings", {{"impact_" + a, "4"}, {"feasibility_" + a, "7"}});
  EXPECT_EQ(tampered.status, 400);
  EXPECT_TRUE(has(tampered.body, "href=\"#feasibility_" + a + "\""));
  // Easy and a big difference: a quick win; hard and a big difference: worth it but hard.
  ASSERT_EQ(person.submit(ex_path, ex_path + "/ratings",
                          {{"impact_" + a, "5"}, {"feasibility_" + a, "4"}, {"impact_" + b, "5"}, {"feasibility_" + b, "1"}})
                .status,
            303);
  {
    auto w = f.work();
    auto r = pr::store_fn::ratings(w.scope(), ex);
    ASSERT_EQ(r.size(), 2u);
    auto placed = pr::compute(inits, r, "feasibility");
    EXPECT_EQ(find(placed, inits[0].id).quadrant, pr::Quadrant::quick_win);
    EXPECT_EQ(find(placed, inits[1].id).quadrant, pr::Quadrant::big_project);
  }
  page = person.get(ex_path);
  EXPECT_TRUE(has(page.body, "There is 1 quick win."));
  // The chart and table speak of how easy it is, with the quick wins at the top right.
  EXPECT_TRUE(has(page.body, "Priority matrix: difference it makes against how easy it is"));
  EXPECT_TRUE(has(page.body, "<rect x=\"198\" y=\"16\" width=\"142\" height=\"142\" fill=\"url(#quick-hatch)\""));
  EXPECT_TRUE(has(page.body, ">How easy it is</th>"));
  EXPECT_TRUE(has(page.body, "Worth it but hard"));
  EXPECT_FALSE(has(page.body, "Work it takes"));

  // An effort exercise keeps its words and the quick wins at the top left.
  auto eff = staff.submit("/toolkit/priorities/new", "/toolkit/priorities", {{"title", "Effort one"}, {"axis", "effort"}});
  ASSERT_EQ(eff.status, 303);
  auto eff_path = "/toolkit/priorities/" + std::to_string(id_from(eff.header("location")));
  ASSERT_EQ(staff.submit(eff_path + "/initiatives/new", eff_path + "/initiatives", {{"title", "Leaflets"}}).status, 303);
  auto ep = staff.get(eff_path);
  EXPECT_TRUE(has(ep.body, ">Work it takes</th>"));
  EXPECT_TRUE(has(ep.body, "How much work would it take?"));
}

TEST(PrioritiesFeasibility, WelshReadersSeeWelshInitiatives) {
  Fixture f;
  std::int64_t ex, with_cy, only_en;
  {
    auto w = f.work();
    ex = pr::store_fn::create_exercise(w.scope(), "Welsh test", "", f.staff, "feasibility");
    with_cy = pr::store_fn::add_initiative(w.scope(), ex, "Saturday drop-in", "Open on Saturdays.", std::nullopt, f.staff,
                                           "Sesiwn galw heibio ar ddydd Sadwrn", "Agor ar ddydd Sadwrn.");
    only_en = pr::store_fn::add_initiative(w.scope(), ex, "New phone line", "A free number.", std::nullopt, f.staff);
    w.commit();
  }
  auto person = f.as("person");
  auto ipath = [](std::int64_t id) { return "/toolkit/priorities/initiatives/" + std::to_string(id); };
  // Chosen Welsh: the Welsh text, with no note.
  auto cy = person.get(ipath(with_cy) + "?lang=cy");
  ASSERT_EQ(cy.status, 200);
  EXPECT_TRUE(has(cy.body, "Sesiwn galw heibio ar ddydd Sadwrn"));
  EXPECT_TRUE(has(cy.body, "Agor ar ddydd Sadwrn."));
  EXPECT_FALSE(has(cy.body, "Open on Saturdays."));
  EXPECT_FALSE(has(cy.body, "cp-lang-note"));
  // No Welsh: the English, marked as English, with the note (in Welsh).
  auto fallback = person.get(ipath(only_en));
  ASSERT_EQ(fallback.status, 200);
  EXPECT_TRUE(has(fallback.body, "<span lang=\"en\">New phone line</span>"));
  EXPECT_TRUE(has(fallback.body, "cp-lang-note"));
  // The exercise page: the Welsh title in the table and the rating form, English marked as such.
  auto ex_page = person.get("/toolkit/priorities/" + std::to_string(ex));
  EXPECT_TRUE(has(ex_page.body, "Sesiwn galw heibio ar ddydd Sadwrn"));
  EXPECT_TRUE(has(ex_page.body, "lang=\"en\">New phone line</a>"));
  // An English reader sees English and no note.
  auto en = person.get(ipath(with_cy) + "?lang=en");
  EXPECT_TRUE(has(en.body, "Saturday drop-in"));
  EXPECT_FALSE(has(en.body, "cp-lang-note"));
}

TEST(PrioritiesApi, InitiativesWithAveragesQuadrantsAndDecisions) {
  Fixture f;
  std::int64_t ex, a, b, effort_ex;
  {
    auto w = f.work();
    ex = pr::store_fn::create_exercise(w.scope(), "Doable?", "Intro", f.staff, "feasibility");
    a = pr::store_fn::add_initiative(w.scope(), ex, "Drop-in", "", std::nullopt, f.staff, "Galw heibio", "");
    b = pr::store_fn::add_initiative(w.scope(), ex, "Phone line", "", std::nullopt, f.staff);
    pr::store_fn::rate(w.scope(), a, f.staff, 5, 4);
    pr::store_fn::rate(w.scope(), a, f.person, 4, std::nullopt);
    pr::store_fn::rate(w.scope(), b, f.staff, 2, 3);
    pr::store_fn::decide(w.scope(), a, "back_burner", "Later", "", f.staff);
    pr::store_fn::decide(w.scope(), a, "take_on", "Funding found", "Hub team", f.staff);
    effort_ex = pr::store_fn::create_exercise(w.scope(), "Effort", "", f.staff);
    w.commit();
  }
  Client anon(f.s.port);
  auto denied = anon.get("/api/v1/toolkit/priorities");
  EXPECT_EQ(denied.status, 401);
  EXPECT_TRUE(has(denied.header("content-type"), "application/problem+json"));

  auto person = f.as("person");
  auto res = person.get("/api/v1/toolkit/priorities?exercise=" + std::to_string(ex));
  ASSERT_EQ(res.status, 200) << res.body;
  auto doc = json::parse(res.body).as_object();
  auto& exs = doc.at("exercises").as_array();
  ASSERT_EQ(exs.size(), 1u);
  auto& e = exs[0].as_object();
  EXPECT_EQ(e.at("axis").as_string(), "feasibility");
  auto& items = e.at("initiatives").as_array();
  ASSERT_EQ(items.size(), 2u);
  auto& first = items[0].as_object();  // the quick win comes first
  EXPECT_EQ(first.at("id").as_int64(), a);
  EXPECT_EQ(first.at("title_cy").as_string(), "Galw heibio");
  EXPECT_EQ(first.at("impact").as_object().at("sum").as_int64(), 9);
  EXPECT_EQ(first.at("impact").as_object().at("count").as_int64(), 2);
  EXPECT_DOUBLE_EQ(first.at("impact").as_object().at("mean").as_double(), 4.5);
  EXPECT_EQ(first.at("feasibility").as_object().at("count").as_int64(), 1);
  EXPECT_FALSE(first.contains("effort"));
  EXPECT_EQ(first.at("quadrant").as_string(), "quick_win");
  auto& d = first.at("decision").as_object();
  EXPECT_EQ(d.at("decision").as_string(), "take_on");  // the newest decision stands
  EXPECT_EQ(d.at("reason").as_string(), "Funding found");
  EXPECT_EQ(d.at("owner").as_string(), "Hub team");
  auto& second = items[1].as_object();
  EXPECT_EQ(second.at("quadrant").as_string(), "not_worth_it");  // impact 2, feasibility exactly 3
  EXPECT_TRUE(second.at("decision").is_null());

  // Without a filter: every exercise, newest first; an effort exercise names its average "effort".
  auto all = json::parse(person.get("/api/v1/toolkit/priorities").body).as_object();
  ASSERT_EQ(all.at("exercises").as_array().size(), 2u);
  EXPECT_EQ(all.at("exercises").as_array()[0].as_object().at("id").as_int64(), effort_ex);
  EXPECT_EQ(all.at("exercises").as_array()[0].as_object().at("axis").as_string(), "effort");

  auto missing = person.get("/api/v1/toolkit/priorities?exercise=999999");
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(has(missing.header("content-type"), "application/problem+json"));
  auto bad = person.get("/api/v1/toolkit/priorities?exercise=abc");
  EXPECT_EQ(bad.status, 400);
  auto problem = json::parse(bad.body).as_object();
  EXPECT_EQ(problem.at("status").as_int64(), 400);
  EXPECT_EQ(problem.at("errors").as_array()[0].as_object().at("field").as_string(), "exercise");
}
