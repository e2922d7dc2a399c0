// The rules on who may vote and how: eligibility by postcode area (with the tick-box fallback for a
// postcode the table does not know) and by age, for online and paper ballots alike; the least and
// most number of choices; what each supporter paid under equal shares and "your share"; richer
// proposals (summary, Welsh versions, a place, an organisation proposing); and delivery updates by
// the organisation assigned to a funded project. Through real HTTP, on both databases.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "http/http_support.hpp"
#include "modules/directory/directory.hpp"
#include "modules/pb/process.hpp"
#include "modules/postcodes/postcodes.hpp"

using namespace cp;
using namespace cp::test;
namespace json = boost::json;
namespace db = cp::modules::pb_store;
using cp::modules::PbChoices;
using cp::modules::PbProcessInput;

namespace {

store::AuditContext ctx0() { return {std::nullopt, "test", "", ""}; }

struct Made {
  std::int64_t id = 0, area = 0;
  std::vector<std::int64_t> proposals;
};

Made make(TestApp& s, PbProcessInput in, const std::string& phase, const std::vector<std::pair<std::string, std::int64_t>>& projects) {
  auto w = s.app->work(s.alpha.id, ctx0());
  if (in.title.empty()) in.title = "Street fund";
  Made m;
  m.id = db::create_process(w.scope(), in, "proposals");
  auto p = db::get_process(w.scope(), m.id);
  m.area = p->area_list.front().id;
  for (const auto& [t, c] : projects)
    m.proposals.push_back(db::add_proposal(w.scope(), *p, m.area, t, "About " + t, c, std::nullopt, "", "accepted"));
  db::set_phase(w.scope(), m.id, phase);
  w.commit();
  return m;
}

std::string path(std::int64_t id, const std::string& rest = "") { return "/pb/" + std::to_string(id) + rest; }

std::int64_t ballots(TestApp& s, std::int64_t process) {
  return read_int(s, s.alpha, "SELECT COUNT(*) FROM pb_ballots WHERE partnership_id = $1 AND process_id = $2", {process});
}

// Makes KY2 5AA a postcode the table knows (it is outside the test area KY1 1).
void load_postcodes(TestApp& s) {
  auto file = (std::filesystem::temp_directory_path() / ("pb-pc-" + std::to_string(getpid()) + ".csv")).string();
  std::ofstream(file) << "postcode,latitude,longitude\nKY2 5AA,56.11,-3.17\nKY1 1AB,56.10,-3.16\n";
  modules::postcodes::load(*s.app->db, file);
  std::filesystem::remove(file);
}

PbProcessInput area_rules() {
  PbProcessInput in;
  in.budget = 1000;
  in.postcodes = "KY1 1, KY3";
  in.min_age = 16;
  return in;
}

Fields with(Fields f, std::int64_t choice) {
  f.emplace_back("choice", std::to_string(choice));
  return f;
}

}  // namespace

TEST(PbVotingRules, EligibilityDecisionCoversEveryBranch) {
  modules::PbProcess p;
  p.min_age = 16;
  modules::PbArea north{1, "North", 500, "KY1 1, KY3", 0, 0}, south{2, "South", 500, "KY2", 0, 0};
  p.area_list = {north, south};
  auto known = [](const std::string& pc) { return pc == "KY2 5AA" || pc == "KY1 1AB"; };
  std::int64_t today = *modules::pb_days(2026, 6, 15);
  auto check = [&](modules::PbEligibilityInput in) { return modules::pb_check_eligibility(p, north, in, today, known); };
  // In the area by sector, by district; any case and spacing.
  EXPECT_TRUE(check({"ky11ab", "", "", "", true, false}).allowed);
  EXPECT_TRUE(check({"KY3 9ZZ", "", "", "", true, false}).allowed);
  EXPECT_EQ(check({"KY1 1AB", "", "", "", true, false}).how, "postcode in area; age confirmed");
  // A known postcode elsewhere is refused, naming the area it is in.
  auto out = check({"KY2 5AA", "", "", "", true, false});
  ASSERT_TRUE(out.refusal);
  EXPECT_EQ(out.refusal->key, "pb.refuse_postcode_elsewhere");
  EXPECT_FALSE(out.allowed);
  // An unknown postcode outside the list: the tick box, then allowed on the voter's word.
  auto unknown = check({"KY9 9ZZ", "", "", "", true, false});
  EXPECT_TRUE(unknown.ask_lives_in_area);
  EXPECT_FALSE(unknown.allowed);
  EXPECT_TRUE(check({"KY9 9ZZ", "", "", "", true, true}).allowed);
  // Bad postcodes are mistakes, not refusals.
  EXPECT_EQ(check({"", "", "", "", true, false}).problems.at(0).key, "pb.error_postcode_missing");
  EXPECT_EQ(check({"KY1", "", "", "", true, false}).problems.at(0).key, "pb.error_postcode_invalid");
  // Age: the day before the sixteenth birthday is too young, the day itself is old enough.
  auto young = check({"KY1 1AB", "16", "6", "2010", false, false});
  ASSERT_TRUE(young.refusal);
  EXPECT_EQ(young.refusal->key, "pb.refuse_age");
  EXPECT_TRUE(check({"KY1 1AB", "15", "6", "2010", false, false}).allowed);
  EXPECT_EQ(check({"KY1 1AB", "31", "2", "2000", false, false}).problems.at(0).key, "pb.error_dob");
  EXPECT_EQ(check({"KY1 1AB", "1", "1", "2030", false, false}).problems.at(0).key, "pb.error_dob");
  EXPECT_EQ(check({"KY1 1AB", "", "", "", false, false}).problems.at(0).key, "pb.error_age_missing");
  // Lists are tidied, and nonsense in them refused.
  EXPECT_EQ(modules::pb_tidy_postcodes("ky1 1,  KY3\nky11ab"), std::optional<std::string>("KY1 1, KY3, KY1 1AB"));
  EXPECT_FALSE(modules::pb_tidy_postcodes("KY1 1, not a postcode"));
}

TEST(PbVotingRules, OnlineVotersAreCheckedByPostcodeAndAgeAndNothingPersonalIsKept) {
  TestServer s;
  load_postcodes(s);
  auto m = make(s, area_rules(), "voting", {{"Benches", 300}, {"Lights", 400}});
  auto c = signed_in_as(s, auth::Role::person, "voter@example.org");
  auto page = c.get(path(m.id, "/vote"));
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "id=\"postcode\""));
  EXPECT_TRUE(contains(page.body, "id=\"dob-day\""));
  // Missing postcode and age: a 400 naming both, nothing stored.
  auto r = c.submit(path(m.id, "/vote"), path(m.id, "/vote"), with({}, m.proposals[0]));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(error_summary(r.body), shown(s, "pb.error_postcode_missing")));
  EXPECT_TRUE(contains(error_summary(r.body), "Give a date of birth"));
  // A known postcode outside the area: refused with the reason.
  r = c.submit(path(m.id, "/vote"), path(m.id, "/vote"), with({{"postcode", "KY2 5AA"}, {"age_confirmed", "1"}}, m.proposals[0]));
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(contains(error_summary(r.body), "KY2 5AA is not in Street fund")) << error_summary(r.body);
  // Too young by date of birth: refused, saying when they can vote.
  r = c.submit(path(m.id, "/vote"), path(m.id, "/vote"),
               with({{"postcode", "KY1 1AB"}, {"dob-day", "1"}, {"dob-month", "1"}, {"dob-year", "2024"}}, m.proposals[0]));
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(contains(error_summary(r.body), "You can vote from")) << error_summary(r.body);
  EXPECT_TRUE(contains(r.body, "value=\"KY1 1AB\""));  // what was typed is kept
  EXPECT_EQ(ballots(s, m.id), 0);
  // Eligible: stored with how it was decided, and without the postcode or date of birth.
  r = c.submit(path(m.id, "/vote"), path(m.id, "/vote"),
               with({{"postcode", "ky1 1ab"}, {"dob-day", "2"}, {"dob-month", "3"}, {"dob-year", "1990"}}, m.proposals[0]));
  EXPECT_EQ(r.status, 303);
  auto row = read_rows(s, s.alpha, "SELECT eligibility, choices, voter_name, paper_ref FROM pb_ballots WHERE partnership_id = $1").one();
  EXPECT_EQ(row.text(0), "postcode in area; age checked from date of birth");
  EXPECT_EQ(row.text(2), "");
  auto all = read_rows(s, s.alpha, "SELECT * FROM pb_ballots WHERE partnership_id = $1").one();
  for (std::size_t i = 0; i < all.size(); ++i)
    if (!all.null(i)) {
      EXPECT_FALSE(contains(to_lower(all.text(i)), "ky1 1ab"));
      EXPECT_FALSE(contains(all.text(i), "1990"));
    }
  // Changing the ballot later does not ask again.
  EXPECT_FALSE(contains(c.get(path(m.id, "/vote")).body, "id=\"postcode\""));
  r = c.submit(path(m.id, "/vote"), path(m.id, "/vote"), with({}, m.proposals[1]));
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(ballots(s, m.id), 1);
}

TEST(PbVotingRules, UnknownPostcodeFallsBackToTheAreaTickBox) {
  TestServer s;  // no postcode table loaded at all
  PbProcessInput in;
  in.budget = 1000;
  in.per_area = true;
  in.areas = {{"North", 500}, {"South", 500}};
  in.area_rules = {{"KY1 1", 0, 0}, {"KY2", 0, 0}};
  auto m = make(s, in, "voting", {{"Swings", 300}});
  auto c = signed_in_as(s, auth::Role::person, "newbuild@example.org");
  std::string area = "?area=" + std::to_string(m.area);
  Fields f = with({{"area", std::to_string(m.area)}, {"postcode", "KY9 9ZZ"}}, m.proposals[0]);
  auto r = c.submit(path(m.id, "/vote" + area), path(m.id, "/vote"), f);
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(error_summary(r.body), "We could not find KY9 9ZZ")) << error_summary(r.body);
  EXPECT_TRUE(contains(r.body, "I live in North"));
  EXPECT_EQ(ballots(s, m.id), 0);
  f.emplace_back("lives_in_area", "1");
  r = c.submit(path(m.id, "/vote" + area), path(m.id, "/vote"), f);
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(read_rows(s, s.alpha, "SELECT eligibility FROM pb_ballots WHERE partnership_id = $1").one().text(0),
            "lives in area (postcode not in the table)");
}

TEST(PbVotingRules, PaperBallotsFollowTheSameRules) {
  TestServer s;
  load_postcodes(s);
  auto m = make(s, area_rules(), "voting", {{"Benches", 300}});
  auto c = signed_in_as(s, auth::Role::worker, "worker@example.org");
  auto page = c.get(path(m.id, "/assisted"));
  EXPECT_TRUE(contains(page.body, "id=\"postcode\""));
  Fields f = with({{"voter_name", "Ann Paper"}, {"paper_ref", "P-1"}, {"postcode", "KY2 5AA"}, {"age_confirmed", "1"}},
                  m.proposals[0]);
  auto r = c.submit(path(m.id, "/assisted"), path(m.id, "/assisted"), f);
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(contains(error_summary(r.body), "KY2 5AA is not in Street fund"));
  EXPECT_EQ(ballots(s, m.id), 0);
  f = with({{"voter_name", "Ann Paper"}, {"paper_ref", "P-1"}, {"postcode", "KY1 1AB"}, {"age_confirmed", "1"}}, m.proposals[0]);
  r = c.submit(path(m.id, "/assisted"), path(m.id, "/assisted"), f);
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(read_rows(s, s.alpha, "SELECT eligibility FROM pb_ballots WHERE partnership_id = $1").one().text(0),
            "postcode in area; age confirmed");
}

TEST(PbVotingRules, LeastAndMostChoicesPerProcessAndArea) {
  TestServer s;
  PbProcessInput in;
  in.budget = 1000;
  in.min_choices = 2;
  in.max_choices = 3;
  auto m = make(s, in, "voting", {{"A", 100}, {"B", 100}, {"C", 100}, {"D", 100}});
  auto c = signed_in_as(s, auth::Role::person, "chooser@example.org");
  EXPECT_TRUE(contains(c.get(path(m.id, "/vote")).body, "Tick between 2 and 3 projects."));
  auto r = c.submit(path(m.id, "/vote"), path(m.id, "/vote"), with({}, m.proposals[0]));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(error_summary(r.body), "Choose at least 2 projects. You chose 1."));
  Fields four;
  for (auto id : m.proposals) four = with(four, id);
  r = c.submit(path(m.id, "/vote"), path(m.id, "/vote"), four);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ballots(s, m.id), 0);
  r = c.submit(path(m.id, "/vote"), path(m.id, "/vote"), with(with({}, m.proposals[0]), m.proposals[1]));
  EXPECT_EQ(r.status, 303);
  // Setting up: a least above the most is refused on the form; area lines carry their own limits.
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  r = admin.submit("/pb/new", "/pb", {{"title", "Bad limits"}, {"ballot_kind", "approval"}, {"budget", "500"},
                                       {"min_choices", "4"}, {"max_choices", "2"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(error_summary(r.body), "cannot be more than the most"));
  r = admin.submit("/pb/new", "/pb", {{"title", "Bad area line"}, {"ballot_kind", "approval"}, {"per_area", "1"},
                                       {"areas", "North: 500 | KY1 1 | three"}});
  EXPECT_EQ(r.status, 400);
  r = admin.submit("/pb/new", "/pb", {{"title", "Areas"}, {"ballot_kind", "approval"}, {"per_area", "1"},
                                       {"areas", "North: 500 | ky1 1, KY3 | 1-2\nSouth: 700"}});
  ASSERT_EQ(r.status, 303);
  auto row = read_rows(s, s.alpha, "SELECT postcodes, min_choices, max_choices FROM pb_areas WHERE partnership_id = $1"
                                   " AND name = 'North'").one();
  EXPECT_EQ(row.text(0), "KY1 1, KY3");
  EXPECT_EQ(row.i64(1), 1);
  EXPECT_EQ(row.i64(2), 2);
}

// Four voters, £1,000. Everyone backs the £600 park; voters 1 and 2 also back the £400 lights.
// Equal shares raises each voter's share to £350: the park costs its 4 supporters £150 each, the
// lights cost its 2 supporters £200 each, so voters 1 and 2 spend all £350 and 3 and 4 spend £150.
TEST(PbVotingRules, EqualSharesShowsWhatEachSupporterPaidAndYourShare) {
  TestServer s;
  PbProcessInput in;
  in.budget = 1000;
  auto m = make(s, in, "voting", {{"Park", 600}, {"Lights", 400}});
  std::vector<Client> voters;
  for (int i = 0; i < 4; ++i) {
    voters.push_back(signed_in_as(s, auth::Role::person, "v" + std::to_string(i) + "@example.org"));
    Fields f = with({}, m.proposals[0]);
    if (i < 2) f = with(f, m.proposals[1]);
    ASSERT_EQ(voters.back().submit(path(m.id, "/vote"), path(m.id, "/vote"), f).status, 303);
  }
  {
    auto w = s.app->work(s.alpha.id, ctx0());
    db::set_phase(w.scope(), m.id, "results");
    w.commit();
  }
  auto page = voters[3].get(path(m.id, "/results"));
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "Each of its 4 supporters paid £150 from their share.")) << page.body;
  EXPECT_TRUE(contains(page.body, "Each of its 2 supporters paid £200 from their share."));
  EXPECT_TRUE(contains(page.body, "each voter had £350 to spend"));
  EXPECT_TRUE(contains(page.body, "Voters who spent all of their share: 2"));
  EXPECT_TRUE(contains(page.body, "Voters who spent some of their share: 2"));
  EXPECT_TRUE(contains(page.body, "you had £350 and spent £150"));
  EXPECT_TRUE(contains(voters[0].get(path(m.id, "/results")).body, "you had £350 and spent £350"));
  // Someone who did not vote sees the summary but no share of their own.
  Client anon(s.port);
  EXPECT_FALSE(contains(anon.get(path(m.id, "/results")).body, "pb-your-share"));
  auto api = json::parse(anon.get("/api/v1/pb/" + std::to_string(m.id) + "/results").body).as_object();
  auto& es = api.at("areas").as_array().at(0).at("equal_shares").as_object();
  EXPECT_EQ(es.at("voter_share_pence").as_int64(), 35000);
  EXPECT_EQ(es.at("spending").as_array().size(), 2u);
}

TEST(PbVotingRules, ProposalsHaveSummaryWelshPlaceAndOrganisation) {
  TestServer s;
  {
    std::string feed = R"({"services":[{"id":"22222222-0000-4000-8000-000000000001","name":"Lowhaven Community Centre",)"
                       R"("description":"A hall for hire.","status":"active"}]})";
    auto w = s.app->work(s.alpha.id, ctx0());
    modules::directory_store::import_feed(w.scope(), json::parse(feed));
    w.commit();
  }
  PbProcessInput in;
  in.budget = 1000;
  auto m = make(s, in, "proposals", {});
  auto org = s.add_organisation(s.alpha, "Shore Trust");
  s.add_user(s.alpha, "staff@example.org", kPassword, auth::Role::worker, org);
  Client c(s.port);
  ASSERT_EQ(c.sign_in("staff@example.org", kPassword).status, 303);
  auto form = c.get(path(m.id, "/proposals/new"));
  EXPECT_TRUE(contains(form.body, "Shore Trust"));
  Fields f = {{"title", "Picnic tables"}, {"description", "Four tables by the shore path."}, {"cost", "800"},
              {"summary", "Tables for people to eat outside."}, {"title_cy", "Byrddau picnic"},
              {"place", "Nowhere Hall"}, {"postcode", "ky11aa"}, {"on_behalf", std::to_string(org)},
              {"area", std::to_string(m.area)}};
  // An unknown place and a long summary are named; nothing is stored.
  auto bad = f;
  bad[3].second = std::string(501, 'a');
  auto r = c.submit(path(m.id, "/proposals/new"), path(m.id, "/proposals"), bad);
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(error_summary(r.body), "We could not find a place called Nowhere Hall"));
  EXPECT_TRUE(contains(error_summary(r.body), "500 characters or fewer"));
  // Proposing for an organisation you are not in is refused.
  bad = f;
  bad[5].second = "lowhaven community centre";
  bad[7].second = std::to_string(org + 1000);
  r = c.submit(path(m.id, "/proposals/new"), path(m.id, "/proposals"), bad);
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(error_summary(r.body), "an organisation you work for"));
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM pb_proposals WHERE partnership_id = $1"), 0);
  f[5].second = "lowhaven community centre";
  r = c.submit(path(m.id, "/proposals/new"), path(m.id, "/proposals"), f);
  ASSERT_EQ(r.status, 303) << error_summary(r.body);
  auto page = Client(s.port).get(r.header("location"));
  EXPECT_TRUE(contains(page.body, "Shore Trust"));
  EXPECT_FALSE(contains(page.body, "Test User"));
  EXPECT_TRUE(contains(page.body, "href=\"/services/22222222-0000-4000-8000-000000000001\""));
  EXPECT_TRUE(contains(page.body, "KY1 1AA"));
  EXPECT_TRUE(contains(page.body, "Tables for people to eat outside."));
  // A Welsh reader gets the Welsh title, and the English summary marked as only in English.
  auto cy = Client(s.port).get(r.header("location") + "?lang=cy");
  EXPECT_TRUE(contains(cy.body, ">Byrddau picnic</h1>"));
  EXPECT_TRUE(contains(cy.body, "lang=\"en\">Tables for people to eat outside."));
  EXPECT_TRUE(contains(cy.body, html_escape(s.app->catalogue.t("cy", "site.only_in_english"))));
}

TEST(PbVotingRules, TheDeliveringOrganisationUpdatesItsProjectAndNoOtherCan) {
  TestServer s;
  PbProcessInput in;
  in.budget = 1000;
  auto m = make(s, in, "voting", {{"Park", 600}});
  {
    auto w = s.app->work(s.alpha.id, ctx0());
    auto p = db::get_process(w.scope(), m.id);
    db::cast_ballot(w.scope(), *p, m.area, "t:1", {{m.proposals[0], 1}}, std::nullopt);
    db::set_phase(w.scope(), m.id, "results");
    w.commit();
  }
  auto ours = s.add_organisation(s.alpha, "Parks Friends"), theirs = s.add_organisation(s.alpha, "Other Group");
  s.add_user(s.alpha, "ours@example.org", kPassword, auth::Role::worker, ours);
  s.add_user(s.alpha, "theirs@example.org", kPassword, auth::Role::manager, theirs);
  Client we(s.port), they(s.port);
  ASSERT_EQ(we.sign_in("ours@example.org", kPassword).status, 303);
  ASSERT_EQ(they.sign_in("theirs@example.org", kPassword).status, 303);
  std::string edit = path(m.id, "/delivery/" + std::to_string(m.proposals[0]));
  EXPECT_EQ(we.get(edit).status, 403);  // not assigned yet
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  auto r = admin.submit(edit, edit + "/organisation", {{"organisation", "999999"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(error_summary(r.body), shown(s, "pb.error_delivery_org")));
  r = admin.submit(edit, edit + "/organisation", {{"organisation", std::to_string(ours)}});
  EXPECT_EQ(r.status, 303);
  // Now its worker updates progress and milestones; the other organisation's manager cannot.
  EXPECT_EQ(we.submit(edit, edit, {{"form", "progress"}, {"progress", "60"}}).status, 303);
  EXPECT_EQ(we.submit(edit, edit, {{"form", "milestone"}, {"title", "Order swings"}, {"due", "2026-09-01"}}).status, 303);
  EXPECT_EQ(they.get(edit).status, 403);
  EXPECT_EQ(they.post_form(edit, {{"form", "progress"}, {"progress", "5"}, {"csrf_token", session_csrf(they)}}).status, 403);
  // The worker cannot choose who delivers.
  EXPECT_EQ(we.post_form(edit + "/organisation", {{"organisation", std::to_string(ours)}, {"csrf_token", session_csrf(we)}}).status,
            403);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT progress FROM pb_delivery WHERE partnership_id = $1"), 60);
  auto pub = Client(s.port).get(path(m.id, "/delivery"));
  EXPECT_TRUE(contains(pub.body, "Delivered by Parks Friends"));
  EXPECT_TRUE(contains(pub.body, "Order swings"));
}
