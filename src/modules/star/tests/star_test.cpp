// The Co-Production Star: its maths from hand-made ratings (missing answers and ties), the chart, the
// period windows, and the whole audit through real HTTP on both databases.
#include <gtest/gtest.h>

#include "core/util.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/star/star.hpp"
#include "support/harness.hpp"

using namespace cp;
using cp::test::Client;
using cp::test::TestServer;
namespace st = cp::modules::star;

namespace {

constexpr int kComm = 0, kDesign = 1, kDelivery = 2, kAssess = 3;
const auto none = std::nullopt;

// The hand-made answers used by the maths tests and, through the web form, the HTTP tests.
//   citizen A:   1, 3, -, 2
//   citizen B:   2, 3, -, 4
//   frontline C: 4, -, -, 4
//   manager D:   5, 2, -, -
std::vector<st::Answer> hand_made() {
  return {{"citizen", {1, 3, none, 2}}, {"citizen", {2, 3, none, 4}}, {"frontline", {4, none, none, 4}},
          {"manager", {5, 2, none, none}}};
}

const st::GroupResult& group(const st::Results& r, const std::string& g) {
  for (const auto& x : r.groups)
    if (x.group == g) return x;
  throw std::logic_error("no group " + g);
}

}  // namespace

TEST(StarMaths, MeansCountsMissingAndTiesFromHandMadeRatings) {
  auto r = st::compute(hand_made());
  ASSERT_EQ(r.groups.size(), 4u);  // every group, in order, even with nobody
  EXPECT_EQ(r.groups[0].group, "councillor");
  EXPECT_EQ(r.respondents, 4);

  const auto& citizen = group(r, "citizen");
  EXPECT_EQ(citizen.respondents, 2);
  EXPECT_EQ(citizen.cells[kComm].n, 2);
  EXPECT_EQ(citizen.cells[kComm].sum, 3);
  EXPECT_EQ(citizen.cells[kComm].tenths(), 15);
  EXPECT_EQ(citizen.cells[kComm].rung(), 1);
  EXPECT_EQ(citizen.cells[kDesign].tenths(), 30);
  EXPECT_TRUE(citizen.cells[kDelivery].empty());  // "don't know" is missing, not zero
  EXPECT_EQ(citizen.cells[kDelivery].n, 0);
  EXPECT_EQ(citizen.cells[kAssess].tenths(), 30);
  // Co-design and co-assessment tie at 3.0: both are named, neither is dropped.
  EXPECT_EQ(citizen.strongest, (std::vector<int>{kDesign, kAssess}));
  EXPECT_EQ(citizen.weakest, (std::vector<int>{kComm}));

  const auto& front = group(r, "frontline");
  EXPECT_EQ(front.cells[kComm].tenths(), 40);
  EXPECT_TRUE(front.cells[kDesign].empty());
  // Two rated Cos with the same mean: strongest and weakest are the same tie.
  EXPECT_EQ(front.strongest, (std::vector<int>{kComm, kAssess}));
  EXPECT_EQ(front.weakest, front.strongest);

  const auto& manager = group(r, "manager");
  EXPECT_EQ(manager.strongest, (std::vector<int>{kComm}));
  EXPECT_EQ(manager.weakest, (std::vector<int>{kDesign}));

  const auto& councillor = group(r, "councillor");
  EXPECT_EQ(councillor.respondents, 0);
  EXPECT_TRUE(councillor.strongest.empty());
  EXPECT_TRUE(councillor.weakest.empty());

  // Everyone pools every answer: co-commissioning (1+2+4+5)/4 = 3.0, co-design (3+3+2)/3 = 2.67,
  // co-delivery nobody, co-assessment (2+4+4)/3 = 3.33.
  EXPECT_EQ(r.overall.respondents, 4);
  EXPECT_EQ(r.overall.cells[kComm].n, 4);
  EXPECT_EQ(r.overall.cells[kComm].tenths(), 30);
  EXPECT_EQ(r.overall.cells[kDesign].n, 3);
  EXPECT_EQ(r.overall.cells[kDesign].tenths(), 27);
  EXPECT_EQ(r.overall.cells[kDesign].rung(), 2);
  EXPECT_TRUE(r.overall.cells[kDelivery].empty());
  EXPECT_EQ(r.overall.cells[kAssess].tenths(), 33);
  EXPECT_EQ(r.overall.strongest, (std::vector<int>{kAssess}));
  EXPECT_EQ(r.overall.weakest, (std::vector<int>{kDesign}));
}

TEST(StarMaths, ExactComparisonRoundingAndChange) {
  // 10/3 and 20/6 are the same mean: a tie, with no floating-point doubt.
  EXPECT_EQ(st::compare({3, 10}, {6, 20}), 0);
  EXPECT_LT(st::compare({3, 10}, {3, 11}), 0);
  EXPECT_GT(st::compare({1, 4}, {3, 11}), 0);
  // Rounded half up to tenths: 2.25 -> 2.3, 3.375 -> 3.4, 2.249.. -> 2.2.
  EXPECT_EQ((st::Cell{4, 9}.tenths()), 23);
  EXPECT_EQ((st::Cell{8, 27}.tenths()), 34);
  EXPECT_EQ((st::Cell{9, 20}.tenths()), 22);
  // 1.5 -> 2.25 is up 0.75, shown as 0.8; the other way is down 0.8.
  EXPECT_EQ(st::change_tenths({2, 3}, {4, 9}), 8);
  EXPECT_EQ(st::change_tenths({4, 9}, {2, 3}), -8);
  EXPECT_EQ(st::change_tenths({2, 6}, {4, 12}), 0);
  EXPECT_EQ(st::format_tenths(8, true), "+0.8");
  EXPECT_EQ(st::format_tenths(-8), "-0.8");
  EXPECT_EQ(st::format_tenths(30), "3.0");
  EXPECT_EQ(st::format_tenths(0), "0.0");
}

TEST(StarMaths, NoAnswersAndBadInput) {
  auto r = st::compute({});
  EXPECT_EQ(r.respondents, 0);
  EXPECT_TRUE(r.overall.strongest.empty());
  // Someone who answered "don't know" to everything took part but moves no mean.
  r = st::compute({{"citizen", {none, none, none, none}}});
  EXPECT_EQ(r.respondents, 1);
  EXPECT_EQ(group(r, "citizen").respondents, 1);
  for (const auto& c : r.overall.cells) EXPECT_TRUE(c.empty());
  EXPECT_THROW(st::compute({{"mayor", {1, 1, 1, 1}}}), std::invalid_argument);
  EXPECT_THROW(st::compute({{"citizen", {6, 1, 1, 1}}}), std::invalid_argument);
  EXPECT_THROW(st::compute({{"citizen", {0, 1, 1, 1}}}), std::invalid_argument);
}

TEST(StarChart, AxesRingsSeriesAndNoAnswersAtTheCentre) {
  std::vector<st::Series> series = {{"Everyone", 4, {st::Cell{1, 5}, st::Cell{}, st::Cell{}, st::Cell{2, 5}}},
                                    {"People <who> use services", 3, {st::Cell{1, 3}, st::Cell{}, st::Cell{1, 1}, st::Cell{}}}};
  auto svg = st::radar_svg(series, {"Co-commissioning", "Co-design", "Co-delivery", "Co-assessment"}, "no answers",
                           "Star & title", "What it shows");
  EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg.find("<title id="), std::string::npos);
  EXPECT_NE(svg.find("Star &amp; title"), std::string::npos);
  EXPECT_NE(svg.find("<desc id="), std::string::npos);
  EXPECT_NE(svg.find("People &lt;who&gt; use services"), std::string::npos);  // escaped
  // Everyone: 5.0 up the top axis (radius 140 from 280,205), centre for the empty Cos, 2.5 left.
  EXPECT_NE(svg.find("points=\"280.0,65.0 280.0,205.0 280.0,205.0 210.0,205.0\""), std::string::npos) << svg;
  // Co-design has no answers in any series: marked beside its axis name. Co-delivery has one.
  EXPECT_EQ(svg.find("(no answers)"), svg.rfind("(no answers)"));
  EXPECT_NE(svg.find("(no answers)"), std::string::npos);
  // Groups differ by line pattern, not colour alone.
  EXPECT_NE(svg.find("stroke-dasharray=\"14 4 3 4\""), std::string::npos);
  // Five rings.
  std::size_t rings = 0;
  for (auto p = svg.find("stroke=\"#b1b4b6\""); p != std::string::npos; p = svg.find("stroke=\"#b1b4b6\"", p + 1)) ++rings;
  EXPECT_EQ(rings, 5u);
  auto key = st::legend_key_svg(1);
  EXPECT_NE(key.find("aria-hidden=\"true\""), std::string::npos);
  EXPECT_NE(key.find("stroke-dasharray=\"10 5\""), std::string::npos);
}

TEST(StarPeriods, WindowsAndNextPeriod) {
  auto y = st::window_of("2026");
  EXPECT_FALSE(y.all_time);
  EXPECT_EQ(y.from, 1767225600);  // 2026-01-01T00:00:00Z
  EXPECT_EQ(y.to, 1798761600);    // 2027-01-01
  auto f = st::window_of("2025-26");
  EXPECT_FALSE(f.all_time);
  EXPECT_EQ(f.from, 1743465600);  // 2025-04-01
  EXPECT_EQ(f.to, 1775001600);    // 2026-04-01
  EXPECT_FALSE(st::window_of("2025/2026").all_time);
  EXPECT_TRUE(st::window_of("2025-27").all_time);
  EXPECT_TRUE(st::window_of("Spring").all_time);
  EXPECT_EQ(st::window_of("Spring").from, 0);
  EXPECT_EQ(st::next_period("2026"), "2027");
  EXPECT_EQ(st::next_period("2025-26"), "2026-27");
  EXPECT_EQ(st::next_period("2099/00"), "2100/01");
  EXPECT_EQ(st::next_period("2025/2026"), "2026/2027");
  EXPECT_EQ(st::next_period("Spring"), "");
}

namespace {

const std::string kPw = "star test password";

struct Fixture {
  TestServer s;
  std::int64_t org, manager, worker, person, person2, councillor;
  Fixture() {
    org = s.add_organisation(s.alpha, "Lowhaven Hub");
    manager = s.add_user(s.alpha, "manager@example.org", kPw, auth::Role::manager, org);
    worker = s.add_user(s.alpha, "worker@example.org", kPw, auth::Role::worker, org);
    person = s.add_user(s.alpha, "person@example.org", kPw, auth::Role::person);
    person2 = s.add_user(s.alpha, "person2@example.org", kPw, auth::Role::person);
    councillor = s.add_user(s.alpha, "councillor@example.org", kPw, auth::Role::councillor);
  }
  Client as(const std::string& who) { return signed_in(s, who + "@example.org", kPw); }
  std::int64_t start(Client& c, const std::string& period = "2026", const std::string& repeat_of = "") {
    std::vector<std::pair<std::string, std::string>> f = {{"title", "How we work together"}, {"period", period}};
    if (repeat_of.empty()) f.push_back({"subject_kind", "partnership"});
    else f.push_back({"repeat_of", repeat_of});
    auto r = c.submit("/toolkit/star/new", "/toolkit/star", f);
    EXPECT_EQ(r.status, 303) << r.body;
    auto loc = r.header("location");
    return std::stoll(loc.substr(loc.rfind('/') + 1));
  }
  test::HttpResult answer(Client& c, std::int64_t id, const std::string& group, std::array<std::string, 4> levels,
                          const std::string& example = "") {
    std::string path = "/toolkit/star/" + std::to_string(id) + "/respond";
    std::vector<std::pair<std::string, std::string>> f = {{"group", group}};
    for (int i = 0; i < 4; ++i) {
      if (!levels[static_cast<std::size_t>(i)].empty())
        f.push_back({"level_" + st::kCos[static_cast<std::size_t>(i)], levels[static_cast<std::size_t>(i)]});
      f.push_back({"examples_" + st::kCos[static_cast<std::size_t>(i)], i == 0 ? example : ""});
      f.push_back({"evidence_" + st::kCos[static_cast<std::size_t>(i)], ""});
    }
    return c.submit(path, path, f);
  }
};

std::string path(std::int64_t id, const std::string& rest = "") { return "/toolkit/star/" + std::to_string(id) + rest; }

}  // namespace

TEST(StarWeb, StartWithErrorsThenAnswerAndSeeTheHandMadeStar) {
  Fixture f;
  auto m = f.as("manager");
  auto bad = m.submit("/toolkit/star/new", "/toolkit/star", {{"title", ""}, {"period", ""}});
  EXPECT_EQ(bad.status, 400);
  for (const auto* field : {"#subject_kind", "#title", "#period"})
    EXPECT_NE(bad.body.find(std::string("href=\"") + field + "\""), std::string::npos) << field;
  auto bad_org = m.submit("/toolkit/star/new", "/toolkit/star",
                          {{"subject_kind", "organisation"}, {"organisation", "999999"}, {"title", "Kept title"}, {"period", "2026"}});
  EXPECT_EQ(bad_org.status, 400);
  EXPECT_NE(bad_org.body.find("href=\"#organisation\""), std::string::npos);
  EXPECT_NE(bad_org.body.find("value=\"Kept title\""), std::string::npos);  // nothing typed is lost

  auto id = f.start(m);
  // The hand-made answers, through the form. A missing level is an error, kept with the rest.
  auto a = f.as("person");
  auto missing = f.answer(a, id, "citizen", {"1", "3", "", "2"});
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.body.find("href=\"#level_delivery\""), std::string::npos);
  EXPECT_EQ(f.answer(a, id, "citizen", {"1", "3", "dont_know", "2"}, "The panel chose the new service").status, 303);
  auto b = f.as("person2");
  EXPECT_EQ(f.answer(b, id, "citizen", {"2", "3", "dont_know", "4"}, "We are told after").status, 303);
  auto c = f.as("worker");
  EXPECT_EQ(f.answer(c, id, "frontline", {"4", "dont_know", "dont_know", "4"}).status, 303);
  // The manager first answers something else, then changes it: one response per person.
  EXPECT_EQ(f.answer(m, id, "councillor", {"1", "1", "1", "1"}).status, 303);
  EXPECT_EQ(f.answer(m, id, "manager", {"5", "2", "dont_know", "dont_know"}).status, 303);

  {
    auto w = f.s.app->work(f.s.alpha.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
    EXPECT_EQ(st::star_store::responses(w.scope(), id).size(), 4u);
    auto r = st::star_store::results(w.scope(), id);
    auto expected = st::compute(hand_made());
    for (int i = 0; i < 4; ++i) {
      EXPECT_EQ(r.overall.cells[static_cast<std::size_t>(i)].n, expected.overall.cells[static_cast<std::size_t>(i)].n);
      EXPECT_EQ(r.overall.cells[static_cast<std::size_t>(i)].sum, expected.overall.cells[static_cast<std::size_t>(i)].sum);
    }
    EXPECT_EQ(group(r, "councillor").respondents, 0);
    EXPECT_EQ(r.overall.strongest, expected.overall.strongest);
  }

  auto page = a.get(path(id));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<svg"), std::string::npos);
  EXPECT_NE(page.body.find("1.5 (Informing)"), std::string::npos);   // citizens' co-commissioning
  EXPECT_NE(page.body.find("2.7 (Consulting)"), std::string::npos);  // everyone's co-design
  EXPECT_NE(page.body.find("3.3 (Engaging)"), std::string::npos);    // everyone's co-assessment
  EXPECT_NE(page.body.find("no answers"), std::string::npos);        // co-delivery
  EXPECT_NE(page.body.find("Answers: 3"), std::string::npos);
  // The citizens' tie is stated as a tie.
  EXPECT_NE(page.body.find("highest is Co-design and Co-assessment; lowest is Co-commissioning"), std::string::npos);
  EXPECT_NE(page.body.find("From Coproduce&#39;s own records"), std::string::npos);
  EXPECT_NE(page.body.find("Change your answers"), std::string::npos);
  // Nobody's name is on the results.
  EXPECT_EQ(page.body.find("person2@example.org"), std::string::npos);

  auto pockets = a.get(path(id, "/pockets"));
  ASSERT_EQ(pockets.status, 200);
  // Co-commissioning comes first: its "Happening" heading, then its "Not yet" heading, then co-design's.
  auto happening = pockets.body.find(">Happening</h3>");
  auto not_yet = pockets.body.find(">Not yet</h3>", happening);
  auto next_co = pockets.body.find(">Happening</h3>", not_yet);
  auto panel = pockets.body.find("The panel chose the new service");  // chose informing: not yet
  auto told = pockets.body.find("We are told after");                // chose consulting: not yet
  ASSERT_NE(happening, std::string::npos);
  ASSERT_NE(not_yet, std::string::npos);
  ASSERT_NE(next_co, std::string::npos);
  EXPECT_GT(panel, not_yet);
  EXPECT_LT(panel, next_co);
  EXPECT_GT(told, not_yet);
  EXPECT_LT(told, next_co);
  EXPECT_NE(pockets.body.find("People who use services, chose Informing"), std::string::npos);

  // Welsh.
  auto cy = a.get(path(id) + "?lang=cy");
  EXPECT_NE(cy.body.find("O gofnodion Coproduce ei hun"), std::string::npos);
  a.get(path(id) + "?lang=en");
}

TEST(StarWeb, CloseKeepsResultsAndRefusesChanges) {
  Fixture f;
  auto m = f.as("manager");
  auto id = f.start(m);
  auto p = f.as("person");
  EXPECT_EQ(f.answer(p, id, "citizen", {"2", "2", "2", "2"}).status, 303);
  // A person cannot close it (with a good token: the policy says no, not the CSRF check).
  auto csrf = Client::csrf_in(p.get(path(id, "/respond")).body);
  ASSERT_FALSE(csrf.empty());
  EXPECT_EQ(p.post_form(path(id, "/close"), {{"csrf_token", csrf}}).status, 403);
  auto page = m.get(path(id));
  EXPECT_EQ(m.post_form(path(id, "/close"), {{"csrf_token", Client::csrf_in(page.body)}}).status, 303);
  // The form is gone and a late post is refused with the reason; the numbers stay.
  EXPECT_EQ(p.get(path(id, "/respond")).status, 303);
  std::vector<std::pair<std::string, std::string>> late = {{"csrf_token", csrf}, {"group", "citizen"}};
  for (const auto& co : st::kCos) late.push_back({"level_" + co, "5"});
  auto r = p.post_form(path(id, "/respond"), late);
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.body.find("This audit is closed"), std::string::npos);
  auto after = p.get(path(id));
  EXPECT_NE(after.body.find("2.0 (Consulting)"), std::string::npos);
  EXPECT_EQ(after.body.find("5.0 (Co-producing)"), std::string::npos);
  EXPECT_NE(after.body.find("Closed"), std::string::npos);
  {
    auto w = f.s.app->work(f.s.alpha.id, {std::nullopt, "test", "", ""});
    EXPECT_EQ(st::star_store::save_response(w.scope(), id, f.person, "citizen", {}), st::star_store::Saved::closed);
    EXPECT_FALSE(st::star_store::close(w.scope(), id));  // already closed
  }
  // Another partnership cannot see it.
  Client beta(f.s.port, "beta.test");
  f.s.add_user(f.s.beta, "b@example.org", kPw, auth::Role::admin);
  ASSERT_EQ(beta.sign_in("b@example.org", kPw).status, 303);
  EXPECT_EQ(beta.get(path(id)).status, 404);
  EXPECT_EQ(beta.get(path(id, "/pockets")).status, 404);
}

TEST(StarWeb, RepeatAYearLaterAndCompare) {
  Fixture f;
  auto m = f.as("manager");
  auto first = f.start(m, "2025");
  auto p = f.as("person");
  auto w2 = f.as("worker");
  EXPECT_EQ(f.answer(p, first, "citizen", {"1", "2", "dont_know", "3"}).status, 303);
  EXPECT_EQ(f.answer(w2, first, "frontline", {"2", "2", "2", "2"}).status, 303);
  // The repeat form fills in the next period and keeps the subject.
  auto form = m.get("/toolkit/star/new?repeat=" + std::to_string(first));
  EXPECT_NE(form.body.find("value=\"2026\""), std::string::npos);
  auto second = f.start(m, "2026", std::to_string(first));
  {
    auto w = f.s.app->work(f.s.alpha.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
    auto a = st::star_store::get(w.scope(), second);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->subject_kind, "partnership");
    EXPECT_EQ(a->previous_id, first);
  }
  EXPECT_EQ(f.answer(p, second, "citizen", {"3", "2", "dont_know", "2"}).status, 303);
  auto cmp = p.get(path(second, "/compare"));
  ASSERT_EQ(cmp.status, 200);
  // Two charts side by side, then the table of change for citizens: up 2.0, no change, cannot
  // compare (no answers either year), down 1.0.
  std::size_t charts = 0;
  for (auto q = cmp.body.find("class=\"cp-star-chart\""); q != std::string::npos; q = cmp.body.find("class=\"cp-star-chart\"", q + 1))
    ++charts;
  EXPECT_EQ(charts, 2u);
  EXPECT_NE(cmp.body.find("up by 2.0"), std::string::npos);
  EXPECT_NE(cmp.body.find("no change"), std::string::npos);
  EXPECT_NE(cmp.body.find("cannot compare"), std::string::npos);
  EXPECT_NE(cmp.body.find("down by 1.0"), std::string::npos);
  EXPECT_LT(cmp.body.find(">2025<"), cmp.body.find(">2026<"));  // earlier first
  // Comparing with an audit of another subject is not offered.
  auto other = m.submit("/toolkit/star/new", "/toolkit/star",
                        {{"subject_kind", "organisation"}, {"organisation", std::to_string(f.org)}, {"title", "Hub"}, {"period", "2026"}});
  ASSERT_EQ(other.status, 303);
  auto oid = other.header("location").substr(other.header("location").rfind('/') + 1);
  EXPECT_EQ(p.get(path(second, "/compare?with=" + oid)).status, 404);
  auto alone = p.get("/toolkit/star/" + oid + "/compare");
  EXPECT_NE(alone.body.find("There is no other audit about the same thing yet"), std::string::npos);
}

TEST(StarEvidence, PlanShareCountsOnlyThePersonsOwnChanges) {
  Fixture f;
  std::int64_t id;
  {
    auto w = f.s.app->work(f.s.alpha.id, {f.person, "test", "", ""});
    auto me = modules::journeys_store::ensure_person_for_user(w.scope(), f.person, "Pat");
    modules::journeys_store::add_goal(w.scope(), me.id, "Get a job in a kitchen", {f.person, "Pat"});
    modules::journeys_store::add_goal(w.scope(), me.id, "Learn to drive", {f.person, "Pat"});
    modules::journeys_store::add_goal(w.scope(), me.id, "Find a course", {f.worker, "Worker"});
    st::NewAudit a{"partnership", std::nullopt, "Alpha", "Evidence", "All of it", std::nullopt};
    id = st::star_store::create(w.scope(), a, f.manager);
    auto got = st::star_store::get(w.scope(), id);
    auto figures = st::evidence(w.scope(), *got, now_seconds());
    ASSERT_EQ(figures.size(), 4u);
    EXPECT_EQ(figures[2].key, "star.evidence_plans");
    EXPECT_EQ(figures[2].total, 3);
    EXPECT_EQ(figures[2].count, 2);
    EXPECT_EQ(figures[0].count, 0);  // no ballots
    // A period that is over holds none of today's changes.
    st::Audit old = *got;
    old.period = "2001";
    EXPECT_EQ(st::evidence(w.scope(), old, now_seconds())[2].total, 0);
    w.commit();
  }
  auto c = f.as("person");
  auto page = c.get(path(id));
  EXPECT_NE(page.body.find("67% of changes to people&apos;s plans were made by the person (2 of 3)"), std::string::npos)
      << page.body.substr(page.body.find("Evidence"), 1500);
  // The other partnership's records are not counted.
  auto w = f.s.app->work(f.s.beta.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
  EXPECT_EQ(modules::journeys_store::plan_authorship(w.scope(), 0, now_seconds() + 10).changes, 0);
}

TEST(StarRights, ExportAndEraseKeepTheNumbers) {
  Fixture f;
  auto m = f.as("manager");
  auto id = f.start(m);
  auto p = f.as("person");
  EXPECT_EQ(f.answer(p, id, "citizen", {"4", "dont_know", "2", "3"}, "I sat on the panel").status, 303);
  auto w = f.s.app->work(f.s.alpha.id, {std::nullopt, "test", "", ""});
  auto held = st::star_store::held(w.scope(), f.person);
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].second.ratings[0].examples, "I sat on the panel");
  EXPECT_EQ(st::star_store::erase_user(w.scope(), f.person), 1);
  EXPECT_TRUE(st::star_store::held(w.scope(), f.person).empty());
  auto all = st::star_store::responses(w.scope(), id);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_FALSE(all[0].user_id);
  EXPECT_EQ(all[0].ratings[0].examples, "");
  EXPECT_EQ(all[0].ratings[0].level, 4);
  EXPECT_EQ(st::star_store::results(w.scope(), id).overall.cells[0].sum, 4);
  EXPECT_EQ(st::star_store::forget_creator(w.scope(), f.manager), 1);
  w.commit();
}
