// "Grow it": the business case's sums against figures worked out by hand, and champions, cost
// figures, business cases and skills checks through real HTTP, on both databases.
#include <gtest/gtest.h>

#include "modules/grow/grow.hpp"
#include "modules/timebank/extras.hpp"
#include "support/harness.hpp"

using namespace cp;
using cp::test::Client;
using cp::test::TestServer;
namespace g = cp::modules::grow;

namespace {

const std::string kPw = "grow test password";

struct Fixture {
  TestServer s;
  std::int64_t org, other_org, admin, worker, manager, other_manager, person, neighbour;
  Fixture() {
    org = s.add_organisation(s.alpha, "Hub");
    other_org = s.add_organisation(s.alpha, "Elsewhere");
    admin = s.add_user(s.alpha, "admin@example.org", kPw, auth::Role::admin);
    worker = s.add_user(s.alpha, "worker@example.org", kPw, auth::Role::worker, org);
    manager = s.add_user(s.alpha, "manager@example.org", kPw, auth::Role::manager, org);
    other_manager = s.add_user(s.alpha, "other@example.org", kPw, auth::Role::manager, other_org);
    person = s.add_user(s.alpha, "person@example.org", kPw, auth::Role::person);
    neighbour = s.add_user(s.alpha, "neighbour@example.org", kPw, auth::Role::person);
  }
  Client as(const std::string& who) { return signed_in(s, who + "@example.org", kPw); }
  store::Work work(std::int64_t p = 0) { return s.app->work(p ? p : s.alpha.id, {std::nullopt, "test", "", ""}); }
};

bool has(const std::string& body, const std::string& text) { return body.find(text) != std::string::npos; }

}  // namespace

// ------------------------------------------------------------------ sums, by hand

TEST(GrowCalc, ParsesAndFormatsMoneyAndHours) {
  EXPECT_EQ(g::parse_pence("£1,234.56"), 123456);
  EXPECT_EQ(g::parse_pence("12"), 1200);
  EXPECT_EQ(g::parse_pence("0.5"), 50);
  EXPECT_EQ(g::parse_pence("7,5"), 750);       // a decimal comma
  EXPECT_EQ(g::parse_pence("1,234"), 123400);  // a thousands comma
  EXPECT_EQ(g::parse_pence(" 28.50 "), 2850);
  EXPECT_FALSE(g::parse_pence(""));
  EXPECT_FALSE(g::parse_pence("-5"));
  EXPECT_FALSE(g::parse_pence("1.234"));
  EXPECT_FALSE(g::parse_pence("12a"));
  EXPECT_FALSE(g::parse_pence("1.2.3"));
  EXPECT_FALSE(g::parse_pence("10000000.01"));
  EXPECT_EQ(g::parse_pence("10000000"), 1000000000);
  EXPECT_EQ(g::parse_hours("7.5"), 750);
  EXPECT_EQ(g::parse_hours("7,25"), 725);
  EXPECT_EQ(g::parse_hours("120"), 12000);
  EXPECT_FALSE(g::parse_hours("1.255"));
  EXPECT_EQ(g::parse_count("20"), 20);
  EXPECT_FALSE(g::parse_count("2.5"));
  EXPECT_FALSE(g::parse_count("1000001"));
  EXPECT_EQ(g::format_pounds(123456), "£1,234.56");
  EXPECT_EQ(g::format_pounds(5), "£0.05");
  EXPECT_EQ(g::format_pounds(-610295000), "-£6,102,950.00");
  EXPECT_EQ(g::format_hours(750), "7.5");
  EXPECT_EQ(g::format_hours(725), "7.25");
  EXPECT_EQ(g::format_hours(12000), "120");
  // 7.5 hours at £28.50 = £213.75; half a penny rounds up; a third of a penny rounds down.
  EXPECT_EQ(g::hours_cost(750, 2850), 21375);
  EXPECT_EQ(g::hours_cost(50, 1), 1);
  EXPECT_EQ(g::hours_cost(33, 1), 0);
  EXPECT_EQ(g::divide_round(857050, 6), 142842);  // 142,841.67
  EXPECT_EQ(g::divide_round(857050, 20), 42853);  // 42,852.5 rounds up
  EXPECT_TRUE(g::valid_date("2024-02-29"));
  EXPECT_FALSE(g::valid_date("2026-02-29"));
  EXPECT_FALSE(g::valid_date("2026-13-01"));
}

TEST(GrowCalc, FiguresMatchAHandWorkedCase) {
  // Cost figures: staff £28.50/h (1), volunteer £12.00/h (2), a year out of work £11,000 (3), A&E £180 (4).
  std::map<std::int64_t, g::Assumption> as;
  as[1] = {1, "Staff time", "hour", "", 2850};
  as[2] = {2, "Volunteer hour", "hour", "", 1200};
  as[3] = {3, "Out of work", "year", "", 1100000};
  as[4] = {4, "A&E visit", "each", "", 18000};
  std::vector<g::CostLine> costs = {
      {1, "staff", "Key worker", 12000, 1, 0},          // 120 h x £28.50 = £3,420.00
      {2, "volunteer", "Mentors", 30000, 2, 0},         // 300 h x £12.00 = £3,600.00
      {3, "venue", "Room", 0, std::nullopt, 120000},    // £1,200.00
      {4, "expenses", "Fares", 0, std::nullopt, 35050}, // £350.50
  };
  std::vector<g::Outcome> outs = {
      {1, "Started work", 6, "typed", 3},  // 6 x £11,000 = £66,000
      {2, "A&E avoided", 20, "typed", 4},  // 20 x £180 = £3,600
      {3, "Felt less alone", 0, "typed", std::nullopt},
  };
  auto f = g::figures(costs, outs, as);
  ASSERT_EQ(f.costs.size(), 4u);
  EXPECT_EQ(f.costs[0].pence, 342000);
  EXPECT_EQ(f.costs[1].pence, 360000);
  EXPECT_EQ(f.costs[2].pence, 120000);
  EXPECT_EQ(f.costs[3].pence, 35050);
  EXPECT_EQ(f.cash_pence, 497050);       // 3,420 + 1,200 + 350.50
  EXPECT_EQ(f.volunteer_pence, 360000);
  EXPECT_EQ(f.total_pence, 857050);      // £8,570.50
  ASSERT_EQ(f.outcomes.size(), 3u);
  EXPECT_EQ(f.outcomes[0].cost_per_outcome, 142842);  // £8,570.50 / 6 = £1,428.4167
  EXPECT_EQ(f.outcomes[0].value_pence, 6600000);
  EXPECT_EQ(f.outcomes[1].cost_per_outcome, 42853);   // £8,570.50 / 20 = £428.525
  EXPECT_EQ(f.outcomes[1].value_pence, 360000);
  EXPECT_FALSE(f.outcomes[2].cost_per_outcome);       // none of them: no cost each
  EXPECT_FALSE(f.outcomes[2].value_pence);
  EXPECT_EQ(f.value_pence, 6960000);     // £69,600
  EXPECT_EQ(f.net_pence, 6102950);       // £61,029.50
  EXPECT_EQ(f.per_pound_hundredths, 812);  // 69,600 / 8,570.50 = 8.1209
  EXPECT_EQ(f.assumptions_used, (std::vector<std::int64_t>{1, 2, 3, 4}));

  // A live figure replaces the stored number; a changed figure changes every sum that uses it.
  outs.push_back({4, "Job starts", 0, "journeys_job_starts", 3});
  as[1].value_pence = 3000;  // staff now £30.00/h: 120 h = £3,600.00
  auto f2 = g::figures(costs, outs, as, {{"journeys_job_starts", 4}});
  EXPECT_EQ(f2.total_pence, 875050);
  EXPECT_EQ(f2.outcomes[3].number, 4);
  EXPECT_EQ(f2.outcomes[3].value_pence, 4400000);
  EXPECT_EQ(f2.outcomes[3].cost_per_outcome, 218763);  // 875,050 / 4 = 218,762.5
  EXPECT_EQ(f2.value_pence, 6960000 + 4400000);
  // Nothing spent: no "for each £1".
  EXPECT_FALSE(g::figures({}, outs, as).per_pound_hundredths);
}

// ------------------------------------------------------------------ business case over HTTP

TEST(GrowBusinessCase, FiguresEditableWithHistoryAndCaseSums) {
  Fixture f;
  auto person = f.as("person");
  EXPECT_EQ(person.get("/toolkit/business-case").status, 403);
  EXPECT_EQ(person.get("/toolkit/business-case/assumptions").status, 403);

  auto c = f.as("worker");
  auto bad = c.submit("/toolkit/business-case/assumptions", "/toolkit/business-case/assumptions",
                      {{"name", "Staff time"}, {"unit", "fortnight"}, {"value", "lots"}, {"source", ""}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(has(bad.body, "href=\"#unit\""));
  EXPECT_TRUE(has(bad.body, "href=\"#value\""));
  EXPECT_TRUE(has(bad.body, "href=\"#source\""));
  EXPECT_TRUE(has(bad.body, "value=\"Staff time\""));  // kept
  auto ok = c.submit("/toolkit/business-case/assumptions", "/toolkit/business-case/assumptions",
                     {{"name", "Staff time"}, {"unit", "hour"}, {"value", "28.50"}, {"source", "Our pay scales 2026"}});
  ASSERT_EQ(ok.status, 303);
  auto staff_href = ok.header("location");
  auto dup = c.submit("/toolkit/business-case/assumptions", "/toolkit/business-case/assumptions",
                      {{"name", "staff TIME"}, {"unit", "hour"}, {"value", "1"}, {"source", "x"}});
  EXPECT_EQ(dup.status, 400);
  ASSERT_EQ(c.submit("/toolkit/business-case/assumptions", "/toolkit/business-case/assumptions",
                     {{"name", "A night in hospital"}, {"unit", "day"}, {"value", "450"}, {"source", "Health board costs"}})
                .status,
            303);
  std::int64_t staff_id = 0, night_id = 0;
  {
    auto w = f.work();
    for (const auto& a : g::assumptions(w.scope())) (a.unit == "hour" ? staff_id : night_id) = a.id;
  }
  ASSERT_GT(staff_id, 0);
  ASSERT_GT(night_id, 0);

  // A case on no listed service: 10 hours of staff time, a venue, and 3 nights in hospital avoided.
  auto made = c.submit("/toolkit/business-case/new", "/toolkit/business-case", {{"title", "Home from hospital"}});
  ASSERT_EQ(made.status, 303);
  auto href = made.header("location");
  auto nocost = c.submit(href, href + "/costs", {{"kind", "staff"}, {"hours", ""}, {"rate", ""}});
  EXPECT_EQ(nocost.status, 400);
  EXPECT_TRUE(has(nocost.body, "href=\"#cost_hours\""));
  EXPECT_TRUE(has(nocost.body, "href=\"#cost_rate\""));
  // A rate that is not an hourly figure is refused.
  auto wrong_rate = c.submit(href, href + "/costs", {{"kind", "staff"}, {"hours", "10"}, {"rate", std::to_string(night_id)}});
  EXPECT_EQ(wrong_rate.status, 400);
  EXPECT_EQ(c.submit(href, href + "/costs", {{"kind", "staff"}, {"description", "Visits"}, {"hours", "10"},
                                             {"rate", std::to_string(staff_id)}})
                .status,
            303);
  EXPECT_EQ(c.submit(href, href + "/costs", {{"kind", "venue"}, {"description", "Hall"}, {"amount", "£100.00"}}).status, 303);
  auto noout = c.submit(href, href + "/outcomes", {{"description", ""}, {"number", "x"}});
  EXPECT_EQ(noout.status, 400);
  EXPECT_TRUE(has(noout.body, "href=\"#outcome_description\""));
  EXPECT_TRUE(has(noout.body, "href=\"#outcome_number\""));
  EXPECT_EQ(c.submit(href, href + "/outcomes", {{"description", "Nights in hospital avoided"}, {"number", "3"},
                                                {"value", std::to_string(night_id)}})
                .status,
            303);
  // Total: 10 x £28.50 + £100 = £385.00. Each night: £385 / 3 = £128.33. Avoided: 3 x £450 = £1,350.
  // Saving £965.00; £3.51 for each £1 (1,350 / 385 = 3.506).
  auto page = c.get(href);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "data-figure=\"total\">£385.00<"));
  EXPECT_TRUE(has(page.body, "data-figure=\"value\">£1,350.00<"));
  EXPECT_TRUE(has(page.body, "data-figure=\"net\">£965.00<"));
  EXPECT_TRUE(has(page.body, "data-figure=\"per_pound\">£3.51<"));
  EXPECT_TRUE(has(page.body, "data-cost-per>£128.33<"));
  EXPECT_TRUE(has(page.body, "href=\"" + staff_href + "\""));  // the figure used is linked

  // Change the staff figure (stale version refused), and the case follows.
  auto stale = c.submit(staff_href, staff_href, {{"value", "30"}, {"source", "New pay scales"}, {"version", "99"}});
  EXPECT_EQ(stale.status, 409);
  auto nosource = c.submit(staff_href, staff_href, {{"value", "30"}, {"source", ""}});
  EXPECT_EQ(nosource.status, 400);
  EXPECT_TRUE(has(nosource.body, "href=\"#source\""));
  EXPECT_EQ(c.submit(staff_href, staff_href, {{"value", "30"}, {"source", "New pay scales"}}).status, 303);
  {
    auto w = f.work();
    auto h = g::assumption_history(w.scope(), staff_id);
    ASSERT_EQ(h.size(), 2u);
    EXPECT_EQ(h[0].value_pence, 3000);
    EXPECT_EQ(h[0].source, "New pay scales");
    EXPECT_EQ(h[0].changed_by, f.worker);
    EXPECT_EQ(h[1].value_pence, 2850);
  }
  auto history = c.get(staff_href);
  EXPECT_TRUE(has(history.body, "Our pay scales 2026"));
  EXPECT_TRUE(has(history.body, "New pay scales"));
  page = c.get(href);
  EXPECT_TRUE(has(page.body, "data-figure=\"total\">£400.00<"));  // 10 x £30 + £100

  // Another partnership sees neither the case nor the figure.
  auto w = f.work(f.s.beta.id);
  EXPECT_TRUE(g::cases(w.scope()).empty());
  EXPECT_TRUE(g::assumptions(w.scope()).empty());
}

// ------------------------------------------------------------------ champions

TEST(GrowChampions, NominateConfirmShowOnlyWhatIsAgreedAndAwards) {
  Fixture f;
  auto person = f.as("person");
  auto bad = person.submit("/toolkit/champions/nominate", "/toolkit/champions/nominate",
                           {{"contact_pref", "email"}, {"contact_detail", ""}, {"since_on", "2026-02-30"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(has(bad.body, "href=\"#area\""));
  EXPECT_TRUE(has(bad.body, "href=\"#contact_detail\""));
  EXPECT_TRUE(has(bad.body, "href=\"#since_on\""));
  auto ok = person.submit("/toolkit/champions/nominate", "/toolkit/champions/nominate",
                          {{"area", "topic"}, {"topic", "Young carers"}, {"contact_pref", "email"},
                           {"contact_detail", "jo@example.org"}, {"listed", "1"}, {"show_contact", "1"}});
  ASSERT_EQ(ok.status, 303);
  // Not on the public list until staff confirm. A neighbour (not staff) sees what others see.
  auto other = f.as("neighbour");
  EXPECT_FALSE(has(person.get("/toolkit/champions").body, "Young carers"));
  auto staff = f.as("worker");
  auto list = staff.get("/toolkit/champions");
  EXPECT_TRUE(has(list.body, "Young carers"));
  std::int64_t id = 0;
  {
    auto w = f.work();
    auto c = g::champion_for_user(w.scope(), f.person);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->status, "pending");
    id = c->id;
  }
  EXPECT_EQ(person.post_form("/toolkit/champions/" + std::to_string(id) + "/confirm",
                             {{"csrf_token", Client::csrf_in(person.get("/toolkit/champions").body)}})
                .status,
            403);
  ASSERT_EQ(staff.post_form("/toolkit/champions/" + std::to_string(id) + "/confirm",
                            {{"csrf_token", Client::csrf_in(list.body)}})
                .status,
            303);
  auto seen = other.get("/toolkit/champions");
  EXPECT_TRUE(has(seen.body, "Young carers"));
  EXPECT_TRUE(has(seen.body, "jo@example.org"));  // they agreed to show it
  // Trying again is refused with a clear error.
  auto again = person.submit("/toolkit/champions/nominate", "/toolkit/champions/nominate",
                             {{"area", "co_design"}, {"contact_pref", "through_staff"}});
  EXPECT_EQ(again.status, 400);

  // Staff add a named person who does not want their organisation or phone shown, and one unlisted.
  ASSERT_EQ(staff.submit("/toolkit/champions/new", "/toolkit/champions",
                         {{"name", "Aileen Fraser"}, {"organisation", "Secret Society"}, {"area", "co_assessment"},
                          {"contact_pref", "phone"}, {"contact_detail", "01234 567890"}, {"listed", "1"}})
                .status,
            303);
  ASSERT_EQ(staff.submit("/toolkit/champions/new", "/toolkit/champions",
                         {{"name", "Hidden Person"}, {"area", "co_design"}, {"contact_pref", "through_staff"}})
                .status,
            303);
  seen = other.get("/toolkit/champions");
  EXPECT_TRUE(has(seen.body, "Aileen Fraser"));
  EXPECT_FALSE(has(seen.body, "Secret Society"));
  EXPECT_FALSE(has(seen.body, "01234 567890"));
  EXPECT_FALSE(has(seen.body, "Hidden Person"));
  auto staff_view = staff.get("/toolkit/champions").body;
  EXPECT_TRUE(has(staff_view, "Secret Society"));
  EXPECT_TRUE(has(staff_view, "Hidden Person"));
  EXPECT_EQ(Client(f.s.port).get("/toolkit/champions").status, 303);  // sign in first

  // Recognition comes from the timebank: a confirmed award for the champion's membership shows.
  {
    auto w = f.work();
    namespace tb = cp::modules::timebank;
    tb::ensure_settings(w.scope());
    auto jo = tb::join(w.scope(), {"person", f.person, std::nullopt, "Jo", "Chats", "KY1", false});
    auto sam = tb::join(w.scope(), {"person", f.worker, std::nullopt, "Sam", "Forms", "KY1", false});
    std::int64_t award = 0;
    ASSERT_EQ(tb::nominate(w.scope(), sam, jo, "community_champion", "Brought the carers together.", award),
              tb::NominateResult::ok);
    ASSERT_TRUE(tb::decide_award(w.scope(), award, true, f.admin));
    w.commit();
    auto page = other.get("/toolkit/champions").body;
    EXPECT_TRUE(has(page, "Brought the carers together."));
    EXPECT_TRUE(has(page, "/timebank/awards/nominate?member=" + std::to_string(jo)));
  }

  // Removing takes them off the list.
  ASSERT_EQ(staff.post_form("/toolkit/champions/" + std::to_string(id) + "/remove",
                            {{"csrf_token", Client::csrf_in(staff.get("/toolkit/champions").body)}})
                .status,
            303);
  EXPECT_FALSE(has(other.get("/toolkit/champions").body, "Young carers"));
  auto w = f.work(f.s.beta.id);
  EXPECT_TRUE(g::champions(w.scope(), true).empty());
}

// ------------------------------------------------------------------ skills checks

TEST(GrowCompetencies, FrameworkSelfCheckShareAndAuditedManagerView) {
  Fixture f;
  auto admin = f.as("admin");
  auto bad = admin.submit("/toolkit/competencies/framework/new", "/toolkit/competencies/framework",
                          {{"name", "Sharing power"}, {"description", ""}, {"level1", "a"}, {"level2", ""},
                           {"level3", "c"}, {"level4", "d"}, {"position", "x"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(has(bad.body, "href=\"#description\""));
  EXPECT_TRUE(has(bad.body, "href=\"#level2\""));
  EXPECT_TRUE(has(bad.body, "href=\"#position\""));
  for (const char* name : {"Sharing power", "Listening"})
    ASSERT_EQ(admin.submit("/toolkit/competencies/framework/new", "/toolkit/competencies/framework",
                           {{"name", name}, {"description", "What it means"}, {"level1", "Starting"}, {"level2", "Growing"},
                            {"level3", "Doing it"}, {"level4", "Leading others"}})
                  .status,
              303);
  std::vector<g::Competency> comps;
  {
    auto w = f.work();
    comps = g::competencies(w.scope(), false);
  }
  ASSERT_EQ(comps.size(), 2u);
  auto l0 = "level-" + std::to_string(comps[0].id), l1 = "level-" + std::to_string(comps[1].id);
  auto e0 = "example-" + std::to_string(comps[0].id);

  auto worker = f.as("worker");
  EXPECT_EQ(f.as("person").get("/toolkit/competencies").status, 403);
  EXPECT_EQ(worker.get("/toolkit/competencies/framework").status, 403);
  auto missing = worker.submit("/toolkit/competencies/assess", "/toolkit/competencies/assess",
                               {{"on", "2026-03-02"}, {l0, "2"}, {e0, "I asked the group first."}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_TRUE(has(missing.body, "href=\"#" + l1 + "\""));
  EXPECT_TRUE(has(missing.body, "I asked the group first."));  // kept
  ASSERT_EQ(worker.submit("/toolkit/competencies/assess", "/toolkit/competencies/assess",
                          {{"on", "2026-03-02"}, {l0, "2"}, {e0, "I asked the group first."}, {l1, "1"}})
                .status,
            303);
  auto dup = worker.submit("/toolkit/competencies/assess", "/toolkit/competencies/assess",
                           {{"on", "2026-03-02"}, {l0, "3"}, {l1, "3"}});
  EXPECT_EQ(dup.status, 409);
  EXPECT_TRUE(has(dup.body, "href=\"#on\""));
  ASSERT_EQ(worker.submit("/toolkit/competencies/assess", "/toolkit/competencies/assess",
                          {{"on", "2026-09-07"}, {l0, "3"}, {l1, "2"}})
                .status,
            303);
  auto own = worker.get("/toolkit/competencies");
  EXPECT_TRUE(has(own.body, "I asked the group first."));
  {
    auto w = f.work();
    auto list = g::assessments_of(w.scope(), f.worker);
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].assessed_on, "2026-03-02");
    EXPECT_EQ(list[0].ratings.at(comps[0].id).level, 2);
    EXPECT_EQ(list[1].ratings.at(comps[0].id).level, 3);
    EXPECT_EQ(list[0].organisation_id, f.org);
  }

  // Not shared: the manager finds nothing. Shared: the manager of the same organisation sees it and
  // the view is audited; a manager elsewhere still finds nothing.
  auto manager = f.as("manager");
  auto other = f.as("other");
  auto path = "/toolkit/competencies/staff/" + std::to_string(f.worker);
  EXPECT_EQ(manager.get(path).status, 404);
  EXPECT_FALSE(has(manager.get("/toolkit/competencies/team").body, path));
  ASSERT_EQ(worker.post_form("/toolkit/competencies/share", {{"csrf_token", Client::csrf_in(own.body)}, {"shared", "1"}}).status,
            303);
  EXPECT_TRUE(has(manager.get("/toolkit/competencies/team").body, path));
  auto view = manager.get(path);
  EXPECT_EQ(view.status, 200);
  EXPECT_TRUE(has(view.body, "I asked the group first."));
  EXPECT_EQ(other.get(path).status, 404);
  EXPECT_EQ(admin.get(path).status, 403);
  {
    auto w = f.work();
    auto n = w->read("SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'grow.competencies_view'"
                     " AND record_id = $2 AND actor_user_id = $3",
                     {f.worker, f.manager})
                 .one()
                 .i64(0);
    EXPECT_EQ(n, 1);
  }
  ASSERT_EQ(worker.post_form("/toolkit/competencies/share",
                             {{"csrf_token", Client::csrf_in(worker.get("/toolkit/competencies").body)}, {"shared", "0"}})
                .status,
            303);
  EXPECT_EQ(manager.get(path).status, 404);

  // A member of staff with no organisation has no manager to share with.
  auto no_org = admin.post_form("/toolkit/competencies/share",
                                {{"csrf_token", Client::csrf_in(admin.get("/toolkit/competencies").body)}, {"shared", "1"}});
  EXPECT_EQ(no_org.status, 403);

  // Erasure removes the checks, the ratings and the sharing choice.
  {
    auto w = f.work();
    auto c = g::erase_user(w.scope(), f.worker);
    EXPECT_EQ(c["grow_assessments"], 2);
    EXPECT_EQ(c["grow_assessment_ratings"], 4);
    EXPECT_EQ(c["grow_competency_shares"], 1);
    w.commit();
  }
  auto w = f.work();
  EXPECT_TRUE(g::assessments_of(w.scope(), f.worker).empty());
}
