// Participatory budgeting on the web, through real HTTP on both databases: one ballot per voter
// even when submissions race, ballot rules (knapsack budget, points), changing a vote, assisted
// paper ballots, phase rules, results that equal the CLI count of the exported file, the
// explanations, and partnership isolation. Also `pb export` / `pb import` through the real binary.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "cli/process.hpp"
#include "http/http_support.hpp"
#include "modules/pb/process.hpp"

using namespace cp;
using namespace cp::test;
namespace json = boost::json;
namespace db = cp::modules::pb_store;
using cp::modules::PbChoices;
using cp::modules::PbProcessInput;

namespace {

store::AuditContext test_ctx() { return {std::nullopt, "test", "", ""}; }

struct Made {
  std::int64_t id = 0, area = 0;
  std::vector<std::int64_t> proposals;
};

// A process with accepted proposals of these costs, created in `phase`.
Made make_process(TestApp& s, const app::Partnership& p, const std::string& kind, const std::string& phase,
                  std::int64_t budget, const std::vector<std::pair<std::string, std::int64_t>>& projects,
                  std::int64_t points = 0, std::int64_t max_choices = 0) {
  auto w = s.app->work(p.id, test_ctx());
  PbProcessInput in;
  in.title = "Fund " + kind;
  in.ballot_kind = kind;
  in.budget = budget;
  in.points = points;
  in.max_choices = max_choices;
  Made m;
  m.id = db::create_process(w.scope(), in, "proposals");
  auto proc = db::get_process(w.scope(), m.id);
  m.area = proc->area_list.front().id;
  for (const auto& [title, cost] : projects)
    m.proposals.push_back(db::add_proposal(w.scope(), *proc, m.area, title, "About " + title, cost, std::nullopt, "",
                                           "accepted"));
  db::set_phase(w.scope(), m.id, phase);
  w.commit();
  return m;
}

void set_phase(TestApp& s, const app::Partnership& p, std::int64_t id, const std::string& phase) {
  auto w = s.app->work(p.id, test_ctx());
  db::set_phase(w.scope(), id, phase);
  w.commit();
}

// Stores ballots directly (voter keys "t:<n>"), as many voters would have cast them.
void cast(TestApp& s, const app::Partnership& p, const Made& m, const std::vector<PbChoices>& ballots) {
  auto w = s.app->work(p.id, test_ctx());
  auto proc = db::get_process(w.scope(), m.id);
  int n = 0;
  for (const auto& b : ballots) db::cast_ballot(w.scope(), *proc, m.area, "t:" + std::to_string(++n), b, std::nullopt);
  w.commit();
}

std::int64_t ballots_in(TestApp& s, const app::Partnership& p, std::int64_t process) {
  return read_int(s, p, "SELECT COUNT(*) FROM pb_ballots WHERE partnership_id = $1 AND process_id = $2", {process});
}

Fields vote_fields(const std::vector<std::int64_t>& ids) {
  Fields f;
  for (auto id : ids) f.emplace_back("choice", std::to_string(id));
  return f;
}

std::string path(std::int64_t id, const std::string& rest = "") { return "/pb/" + std::to_string(id) + rest; }

std::vector<std::string> strings(const json::value& v) {
  std::vector<std::string> out;
  for (const auto& x : v.as_array()) out.emplace_back(x.is_string() ? std::string(x.as_string()) : json::serialize(x));
  return out;
}

// The project ids (as in the exported file) a rule chose, in order, from the results API.
std::vector<std::string> chosen_keys(const json::object& area_result, const char* rule) {
  std::vector<std::string> out;
  for (const auto& p : area_result.at(rule).at("projects").as_array())
    if (p.at("selected").as_bool()) out.emplace_back(p.at("project_id").as_string());
  return out;
}

struct TempPath {
  std::string path;
  explicit TempPath(const std::string& name) {
    path = (std::filesystem::temp_directory_path() / ("pbweb-" + std::to_string(getpid()) + "-" + name)).string();
  }
  ~TempPath() { std::filesystem::remove(path); }
};

}  // namespace

TEST(PbWeb, StorageKeepsProcessesAreasAndProposals) {
  TestApp s;
  auto w = s.app->work(s.alpha.id, test_ctx());
  PbProcessInput in;
  in.title = "Neighbourhood fund";
  in.ballot_kind = "knapsack";
  in.per_area = true;
  in.areas = {{"North", 3000}, {"South", 2000}};
  in.dates = {"2026-01-01", "2026-02-01", "", "2026-04-01", "2026-05-01"};
  EXPECT_TRUE(db::validate(in).empty());
  auto id = db::create_process(w.scope(), in);
  auto p = db::get_process(w.scope(), id);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->phase, "information");
  EXPECT_EQ(p->budget, 5000);
  ASSERT_EQ(p->area_list.size(), 2u);
  EXPECT_EQ(p->area_list[1].name, "South");
  EXPECT_EQ(p->dates[3], "2026-04-01");
  std::int64_t cost = 0;
  auto problems = db::validate_proposal(*p, "Bench", "A bench by the shop.", "£2,500", p->area_list[1].id, cost);
  ASSERT_EQ(problems.size(), 1u);  // over the South budget of 2000
  EXPECT_EQ(problems[0].key, "pb.error_cost_over");
  EXPECT_TRUE(db::validate_proposal(*p, "Bench", "A bench by the shop.", "£1,500", p->area_list[1].id, cost).empty());
  EXPECT_EQ(cost, 1500);
  // Bad input is named field by field.
  PbProcessInput bad;
  bad.ballot_kind = "ranked";
  bad.dates[0] = "1 May";
  std::set<std::string> fields;
  for (const auto& pr : db::validate(bad)) fields.insert(pr.field);
  EXPECT_EQ(fields, (std::set<std::string>{"title", "ballot_kind", "budget", "information_date"}));
}

TEST(PbWeb, OneBallotPerVoterEvenWhenSubmissionsRace) {
  TestServer s;
  auto m = make_process(s, s.alpha, "approval", "voting", 1000,
                        {{"A", 100}, {"B", 200}, {"C", 300}, {"D", 400}, {"E", 500}, {"F", 600}});
  s.add_user(s.alpha, "racer@example.org", kPassword, auth::Role::person);
  constexpr int kThreads = 4;
  std::vector<Client> clients;
  std::vector<std::string> tokens;
  for (int i = 0; i < kThreads; ++i) {
    clients.emplace_back(s.port, "alpha.test");
    ASSERT_EQ(clients.back().sign_in("racer@example.org", kPassword).status, 303);
    tokens.push_back(Client::csrf_in(clients.back().get(path(m.id, "/vote")).body));
    ASSERT_FALSE(tokens.back().empty());
  }
  std::atomic<int> ready{0};
  std::vector<int> status(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&, i] {
      Fields f = vote_fields({m.proposals[static_cast<std::size_t>(i)]});
      f.emplace_back("csrf_token", tokens[static_cast<std::size_t>(i)]);
      ++ready;
      while (ready < kThreads) std::this_thread::yield();
      status[static_cast<std::size_t>(i)] = clients[static_cast<std::size_t>(i)].post_form(path(m.id, "/vote"), f).status;
    });
  for (auto& t : threads) t.join();
  for (int st : status) EXPECT_EQ(st, 303);
  // Exactly one ballot, holding exactly one of the submissions (not a mixture).
  auto rows = read_rows(s, s.alpha, "SELECT choices FROM pb_ballots WHERE partnership_id = $1 AND process_id = $2", {m.id});
  ASSERT_EQ(rows.rows.size(), 1u);
  std::set<std::string> submitted;
  for (auto id : m.proposals) submitted.insert(std::to_string(id) + ":1");
  EXPECT_TRUE(submitted.count(rows.rows[0].text(0))) << rows.rows[0].text(0);
  // The rule is the database's, not the handler's: a second plain insert for the same voter fails.
  auto key = read_rows(s, s.alpha, "SELECT voter_key FROM pb_ballots WHERE partnership_id = $1", {}).one().text(0);
  auto w = s.app->work(s.alpha.id, test_ctx());
  try {
    w->write({"test", "pb_ballot", std::nullopt, ""},
             "INSERT INTO pb_ballots (partnership_id, process_id, area_id, voter_key, choices, created_at, updated_at)"
             " VALUES ($1, $2, $3, $4, '', 0, 0)",
             {m.id, m.area, key});
    FAIL() << "a second ballot for the same voter was stored";
  } catch (const store::DbError& e) {
    EXPECT_EQ(e.kind, store::DbError::Kind::unique);
  }
}

TEST(PbWeb, KnapsackOverBudgetIsRefusedWithTheErrorSummary) {
  TestServer s;
  auto m = make_process(s, s.alpha, "knapsack", "voting", 1000, {{"Park", 600}, {"Lights", 500}, {"Bench", 100}});
  auto c = signed_in_as(s, auth::Role::person, "voter@example.org");
  auto page = c.get(path(m.id, "/vote"));
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "data-cost=\"600\""));
  // "Check my total" without JavaScript: the total, nothing saved.
  auto fields = vote_fields({m.proposals[0], m.proposals[1]});
  auto check = fields;
  check.emplace_back("action", "check");
  auto checked = c.submit(path(m.id, "/vote"), path(m.id, "/vote"), check);
  EXPECT_EQ(checked.status, 200);
  EXPECT_TRUE(contains(checked.body, "\u00a31,100")) << checked.body;
  EXPECT_TRUE(contains(checked.body, "data-pb-over>"));  // the over-budget warning is showing
  EXPECT_EQ(ballots_in(s, s.alpha, m.id), 0);
  // Sending it: refused, with the summary linking to the choices and the boxes still ticked.
  auto r = c.submit(path(m.id, "/vote"), path(m.id, "/vote"), fields);
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(summary_links_to(r.body, "choices"));
  EXPECT_TRUE(contains(error_summary(r.body), "cost \u00a31,100, which is \u00a3100 over the budget of \u00a31,000"))
      << error_summary(r.body);
  EXPECT_TRUE(contains(r.body, "value=\"" + std::to_string(m.proposals[1]) + "\" data-cost=\"500\" checked"));
  EXPECT_EQ(ballots_in(s, s.alpha, m.id), 0);
  // Within the budget it is counted.
  auto ok = c.submit(path(m.id, "/vote"), path(m.id, "/vote"), vote_fields({m.proposals[0], m.proposals[2]}));
  EXPECT_EQ(ok.status, 303);
  EXPECT_EQ(ballots_in(s, s.alpha, m.id), 1);
  // Nothing at all, or a project from nowhere, is refused too.
  EXPECT_EQ(c.submit(path(m.id, "/vote"), path(m.id, "/vote"), {}).status, 400);
  EXPECT_EQ(c.submit(path(m.id, "/vote"), path(m.id, "/vote"), vote_fields({999999})).status, 400);
}

TEST(PbWeb, ApprovalLimitAndCumulativePointsAreChecked) {
  TestServer s;
  auto a = make_process(s, s.alpha, "approval", "voting", 1000, {{"A", 100}, {"B", 100}, {"C", 100}}, 0, 2);
  auto c = signed_in_as(s, auth::Role::person, "voter@example.org");
  auto many = c.submit(path(a.id, "/vote"), path(a.id, "/vote"), vote_fields(a.proposals));
  EXPECT_EQ(many.status, 400);
  EXPECT_TRUE(contains(error_summary(many.body), "Choose up to 2 projects. You chose 3"));
  auto q = make_process(s, s.alpha, "cumulative", "voting", 1000, {{"A", 100}, {"B", 100}}, 10);
  Fields f{{"points_" + std::to_string(q.proposals[0]), "6"}, {"points_" + std::to_string(q.proposals[1]), "3"}};
  auto short_by_one = c.submit(path(q.id, "/vote"), path(q.id, "/vote"), f);
  EXPECT_EQ(short_by_one.status, 400);
  EXPECT_TRUE(contains(error_summary(short_by_one.body), "Give 10 points in total. You have given 9"));
  EXPECT_TRUE(contains(short_by_one.body, "value=\"6\""));  // what was typed is kept
  f[1].second = "4";
  EXPECT_EQ(c.submit(path(q.id, "/vote"), path(q.id, "/vote"), f).status, 303);
  auto stored = read_rows(s, s.alpha, "SELECT choices FROM pb_ballots WHERE partnership_id = $1 AND process_id = $2", {q.id});
  EXPECT_EQ(stored.one().text(0), std::to_string(q.proposals[0]) + ":6 " + std::to_string(q.proposals[1]) + ":4");
}

TEST(PbWeb, ChangingAVoteReplacesIt) {
  TestServer s;
  auto m = make_process(s, s.alpha, "approval", "voting", 1000, {{"A", 100}, {"B", 200}, {"C", 300}});
  auto c = signed_in_as(s, auth::Role::person, "voter@example.org");
  auto first = c.submit(path(m.id, "/vote"), path(m.id, "/vote"), vote_fields({m.proposals[0], m.proposals[1]}));
  ASSERT_EQ(first.status, 303);
  auto done = c.get(first.header("location"));
  EXPECT_TRUE(contains(done.body, "govuk-panel--confirmation"));
  EXPECT_TRUE(contains(done.body, shown(s, "pb.flash_voted")));
  auto again = c.get(path(m.id, "/vote"));
  EXPECT_TRUE(contains(again.body, shown(s, "pb.vote_replacing")));
  auto second = c.submit(path(m.id, "/vote"), path(m.id, "/vote"), vote_fields({m.proposals[2]}));
  ASSERT_EQ(second.status, 303);
  EXPECT_TRUE(contains(c.get(second.header("location")).body, shown(s, "pb.flash_vote_changed")));
  auto rows = read_rows(s, s.alpha, "SELECT choices FROM pb_ballots WHERE partnership_id = $1 AND process_id = $2", {m.id});
  ASSERT_EQ(rows.rows.size(), 1u);
  EXPECT_EQ(rows.rows[0].text(0), std::to_string(m.proposals[2]) + ":1");
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'pb.ballot.replace'"), 1);
  // After voting closes it cannot change.
  set_phase(s, s.alpha, m.id, "results");
  EXPECT_EQ(c.submit(path(m.id), path(m.id, "/vote"), vote_fields({m.proposals[0]})).status, 409);
  EXPECT_EQ(read_rows(s, s.alpha, "SELECT choices FROM pb_ballots WHERE partnership_id = $1", {}).one().text(0),
            std::to_string(m.proposals[2]) + ":1");
}

TEST(PbWeb, AssistedPaperBallotsAreMarkedAuditedAndCountOnce) {
  TestServer s;
  auto m = make_process(s, s.alpha, "knapsack", "voting", 1000, {{"A", 400}, {"B", 500}});
  auto person = signed_in_as(s, auth::Role::person, "person@example.org");
  EXPECT_EQ(person.get(path(m.id, "/assisted")).status, 403);
  s.add_user(s.alpha, "worker@example.org", kPassword, auth::Role::worker);
  Client worker(s.port, "alpha.test");
  ASSERT_EQ(worker.sign_in("worker@example.org", kPassword).status, 303);
  auto worker_id = read_int(s, s.alpha, "SELECT id FROM users WHERE partnership_id = $1 AND email = 'worker@example.org'");
  Fields f = vote_fields({m.proposals[0]});
  f.emplace_back("voter_name", "Morag Stewart");
  f.emplace_back("paper_ref", "KS-0042");
  auto r = worker.submit(path(m.id, "/assisted"), path(m.id, "/assisted"), f);
  ASSERT_EQ(r.status, 303) << r.body;
  auto row = read_rows(s, s.alpha,
                       "SELECT assisted, voter_key, voter_name, entered_by, user_id FROM pb_ballots WHERE partnership_id = $1",
                       {})
                 .one();
  EXPECT_EQ(row.i64(0), 1);
  EXPECT_EQ(row.text(1), "paper:ks-0042");
  EXPECT_EQ(row.text(2), "Morag Stewart");
  EXPECT_EQ(row.i64(3), worker_id);
  EXPECT_TRUE(row.null(4));
  EXPECT_EQ(read_int(s, s.alpha,
                     "SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'pb.ballot.cast'"
                     " AND actor_user_id = $2 AND detail LIKE 'assisted paper ballot%'",
                     {worker_id}),
            1);
  // The same paper again (in any case) is refused and nothing changes.
  f[2].second = "ks-0042";
  f[0].second = std::to_string(m.proposals[1]);
  auto again = worker.submit(path(m.id, "/assisted"), path(m.id, "/assisted"), f);
  EXPECT_EQ(again.status, 400);
  EXPECT_TRUE(summary_links_to(again.body, "paper_ref"));
  EXPECT_EQ(ballots_in(s, s.alpha, m.id), 1);
  // Missing name and reference are named.
  auto empty = worker.submit(path(m.id, "/assisted"), path(m.id, "/assisted"), vote_fields({m.proposals[0]}));
  EXPECT_EQ(empty.status, 400);
  EXPECT_TRUE(summary_links_to(empty.body, "voter_name"));
  EXPECT_TRUE(summary_links_to(empty.body, "paper_ref"));
}

TEST(PbWeb, PhasesDecideWhatIsOpen) {
  TestServer s;
  auto m = make_process(s, s.alpha, "approval", "supports", 1000, {{"A", 100}});
  auto c = signed_in_as(s, auth::Role::person, "person@example.org");
  // No voting before the voting stage.
  EXPECT_EQ(c.get(path(m.id, "/vote")).status, 409);
  EXPECT_EQ(c.submit(path(m.id), path(m.id, "/vote"), vote_fields({m.proposals[0]})).status, 409);
  EXPECT_EQ(ballots_in(s, s.alpha, m.id), 0);
  // No new ideas after the ideas stage.
  Fields idea{{"title", "Bench"}, {"description", "A bench."}, {"cost", "50"}, {"area", std::to_string(m.area)}};
  auto late = c.submit(path(m.id), path(m.id, "/proposals"), idea);
  EXPECT_EQ(late.status, 409);
  EXPECT_TRUE(contains(late.body, shown(s, "pb.closed_proposals")));
  auto count = [&] { return read_int(s, s.alpha, "SELECT COUNT(*) FROM pb_proposals WHERE partnership_id = $1"); };
  EXPECT_EQ(count(), 1);
  // In the ideas stage the same idea goes in, waiting for a check; backing it works once.
  set_phase(s, s.alpha, m.id, "proposals");
  auto ok = c.submit(path(m.id, "/proposals/new"), path(m.id, "/proposals"), idea);
  ASSERT_EQ(ok.status, 303) << ok.body;
  EXPECT_EQ(count(), 2);
  auto pid = id_from_location(ok.header("location"));
  EXPECT_EQ(c.submit(ok.header("location"), ok.header("location") + "/support", {}).status, 303);
  EXPECT_EQ(c.submit(ok.header("location"), ok.header("location") + "/support", {}).status, 303);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT supports FROM pb_proposals WHERE partnership_id = $1 AND id = $2", {pid}), 1);
  // An admin rejects it with a public reason; a comment is hidden with a reason.
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  auto no_reason = admin.submit(ok.header("location"), ok.header("location") + "/review", {{"decision", "reject"}});
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_TRUE(summary_links_to(no_reason.body, "reason"));
  EXPECT_EQ(admin.submit(ok.header("location"), ok.header("location") + "/review",
                         {{"decision", "reject"}, {"reason", "The land is not owned by the council."}})
                .status,
            303);
  EXPECT_TRUE(contains(c.get(ok.header("location")).body, "The land is not owned by the council."));
  ASSERT_EQ(c.submit(ok.header("location"), ok.header("location") + "/comments", {{"body", "Rude words"}}).status, 303);
  auto cid = read_int(s, s.alpha, "SELECT id FROM pb_comments WHERE partnership_id = $1");
  EXPECT_EQ(c.submit(ok.header("location"), ok.header("location") + "/comments/" + std::to_string(cid) + "/hide",
                     {{"reason", "x"}})
                .status,
            403);
  EXPECT_EQ(admin.submit(ok.header("location"), ok.header("location") + "/comments/" + std::to_string(cid) + "/hide",
                         {{"reason", "Unkind to a neighbour."}})
                .status,
            303);
  auto page = c.get(ok.header("location"));
  EXPECT_FALSE(contains(page.body, "Rude words"));
  EXPECT_TRUE(contains(page.body, "Unkind to a neighbour."));
  // Phases do not go back once voting has opened.
  set_phase(s, s.alpha, m.id, "voting");
  EXPECT_EQ(admin.submit(path(m.id), path(m.id, "/phase"), {{"phase", "proposals"}}).status, 303);
  EXPECT_EQ(read_rows(s, s.alpha, "SELECT phase FROM pb_processes WHERE partnership_id = $1 AND id = $2", {m.id}).one().text(0),
            "voting");
  EXPECT_EQ(c.get(path(m.id, "/results")).status, 409);
}

TEST(PbWeb, ResultsExplainEachProjectAndCompareTheTwoCounts) {
  TestServer s;
  // Six voters back A (60) and B (30); four back C (40). Budget 100.
  auto m = make_process(s, s.alpha, "approval", "voting", 100, {{"Alpha hall", 60}, {"Bravo bus", 30}, {"Cairn cafe", 40}});
  std::vector<PbChoices> ballots;
  for (int i = 0; i < 6; ++i) ballots.push_back({{m.proposals[0], 1}, {m.proposals[1], 1}});
  for (int i = 0; i < 4; ++i) ballots.push_back({{m.proposals[2], 1}});
  cast(s, s.alpha, m, ballots);
  set_phase(s, s.alpha, m.id, "results");
  Client c(s.port, "alpha.test");
  auto r = c.get(path(m.id, "/results"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(contains(r.body, "Chosen because 6 people backed it and together they could pay for it."));
  EXPECT_TRUE(contains(r.body, "Chosen because 4 people backed it and together they could pay for it."));
  EXPECT_TRUE(contains(r.body, "Not chosen: its supporters had already spent their share on Alpha hall."));
  EXPECT_TRUE(contains(r.body, "\u00a3100 spent out of \u00a3100."));
  EXPECT_TRUE(contains(r.body, "10 of 10 voters got at least one project they backed."));
  auto cmp = c.get(path(m.id, "/compare"));
  ASSERT_EQ(cmp.status, 200);
  EXPECT_TRUE(contains(cmp.body, "The two ways differ on 2 projects."));
  EXPECT_TRUE(contains(cmp.body, "6 of 10 voters (60%) got at least one project they backed."));
  EXPECT_TRUE(contains(cmp.body, "10 of 10 voters (100%) got at least one project they backed."));
  auto api = json_object(c.get("/api/v1/pb/" + std::to_string(m.id) + "/results"));
  const auto& area = api.at("areas").as_array().at(0).as_object();
  EXPECT_EQ(strings(area.at("equal_shares").at("selected")),
            (std::vector<std::string>{std::to_string(m.proposals[0]), std::to_string(m.proposals[2])}));
  EXPECT_EQ(strings(area.at("greedy").at("selected")),
            (std::vector<std::string>{std::to_string(m.proposals[0]), std::to_string(m.proposals[1])}));
  // Greedy's own words: what was left when Cairn cafe's turn came.
  const auto& greedy_projects = area.at("greedy").at("projects").as_array();
  EXPECT_EQ(greedy_projects.back().at("budget_left").as_int64(), 10);
  // Stored once: the second view reads the stored count, and a new ballot (were it allowed) would
  // change the generation and be counted again.
  auto stored_at = read_int(s, s.alpha, "SELECT generation FROM pb_results WHERE partnership_id = $1 AND process_id = $2", {m.id});
  EXPECT_EQ(stored_at, read_int(s, s.alpha, "SELECT ballot_generation FROM pb_processes WHERE partnership_id = $1 AND id = $2", {m.id}));
  cast(s, s.alpha, m, {{{m.proposals[1], 1}}});  // replaces voter t:1's ballot
  auto recount = json_object(c.get("/api/v1/pb/" + std::to_string(m.id) + "/results"));
  EXPECT_GT(recount.at("generation").as_int64(), stored_at);
  // Before results, the API says so as a problem document.
  auto early = make_process(s, s.alpha, "approval", "voting", 100, {{"X", 10}});
  expect_problem(c.get("/api/v1/pb/" + std::to_string(early.id) + "/results"), 409);
}

TEST(PbWeb, WebResultsEqualTheCliCountOfTheExportedFile) {
  TestServer s;
  std::vector<std::pair<std::string, std::int64_t>> projects;
  for (int i = 0; i < 9; ++i) projects.emplace_back("Project " + std::to_string(i), 1000 + 700 * ((i * 7) % 5));
  auto m = make_process(s, s.alpha, "approval", "voting", 8000, projects);
  std::vector<PbChoices> ballots;
  std::uint64_t x = 12345;
  for (int v = 0; v < 80; ++v) {
    PbChoices b;
    for (std::size_t i = 0; i < m.proposals.size(); ++i) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      if ((x >> 33) % 100 < (i < 3 ? 55u : 25u)) b.emplace_back(m.proposals[i], 1);
    }
    if (b.empty()) b.emplace_back(m.proposals[v % 9], 1);
    ballots.push_back(b);
  }
  cast(s, s.alpha, m, ballots);
  set_phase(s, s.alpha, m.id, "results");
  Client c(s.port, "alpha.test");
  auto api = json_object(c.get("/api/v1/pb/" + std::to_string(m.id) + "/results"));
  const auto& area = api.at("areas").as_array().at(0).as_object();
  // The same ballots through the command line: export, then count the file.
  TempPath file("export.pb");
  auto ex = run_cli({"pb", "export", "--db", s.db.url(), "--partnership", "alpha", "--process", std::to_string(m.id),
                     file.path});
  ASSERT_EQ(ex.exit_code, 0) << ex.err;
  for (auto [rule, key] : {std::pair{"greedy", "greedy"}, std::pair{"mes_cost_add1", "equal_shares"}}) {
    auto t = run_cli({"pb", "tally", "--rule", rule, file.path});
    ASSERT_EQ(t.exit_code, 0) << t.err;
    auto cli = json::parse(t.out).as_object();
    EXPECT_EQ(chosen_keys(area, key), strings(cli.at("selected"))) << rule;
    EXPECT_EQ(area.at(key).at("cost").as_int64(), cli.at("cost").as_int64()) << rule;
  }
  // The file names no account: voters are numbered.
  std::ifstream in(file.path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_FALSE(contains(text, "t:1"));
  EXPECT_TRUE(contains(text, "\n80;"));
}

TEST(PbWeb, ImportedReferenceElectionCountsToTheReferenceOutcome) {
  TestServer s;
  std::string file = std::string(COPRODUCE_SHARE) + "/data/pabulib/Worldwide_Mechanical_Turk_Utilities_3.pb";
  auto r = run_cli({"pb", "import", "--db", s.db.url(), "--partnership", "alpha", file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "10 projects and 74 ballots")) << r.out;
  auto id = read_int(s, s.alpha, "SELECT id FROM pb_processes WHERE partnership_id = $1");
  // Importing the same file again is refused by name, and adds nothing.
  auto again = run_cli({"pb", "import", "--db", s.db.url(), "--partnership", "alpha", file});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_TRUE(contains(again.err, "imported before, as community budget " + std::to_string(id))) << again.err;
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM pb_processes WHERE partnership_id = $1"), 1);
  EXPECT_EQ(ballots_in(s, s.alpha, id), 74);
  // Counted through the web, the winners are the reference's (pabutools, data/pabulib/expected.json).
  Client c(s.port, "alpha.test");
  auto api = json_object(c.get("/api/v1/pb/" + std::to_string(id) + "/results"));
  const auto& area = api.at("areas").as_array().at(0).as_object();
  EXPECT_EQ(chosen_keys(area, "equal_shares"), (std::vector<std::string>{"3", "13", "25", "7", "51", "40"}));
  EXPECT_EQ(chosen_keys(area, "greedy"), (std::vector<std::string>{"25", "3", "51", "34", "13"}));
  EXPECT_EQ(json_string(api, "equal_shares_rule"), "mes_add_add1");
  EXPECT_EQ(c.get(path(id, "/results")).status, 200);
  // An approval election too (2,553 voters), counted with cost utilities.
  std::int64_t sid = 0;
  {
    auto e = pb::read_pabulib_file(std::string(COPRODUCE_SHARE) + "/data/pabulib/Poland_Swiecie_2023.pb");
    auto w = s.app->work(s.alpha.id, test_ctx());
    sid = db::import_election(w.scope(), e, "swiecie", "Swiecie 2023").process_id;
    w.commit();
  }
  auto sapi = json_object(c.get("/api/v1/pb/" + std::to_string(sid) + "/results"));
  const auto& sarea = sapi.at("areas").as_array().at(0).as_object();
  EXPECT_EQ(chosen_keys(sarea, "equal_shares"),
            (std::vector<std::string>{"c12", "c10", "c20", "c21", "c2", "c13", "c3", "c1", "c9", "c11", "c4", "c7", "c19",
                                      "c5", "c17", "c18", "c14"}));
  EXPECT_EQ(chosen_keys(sarea, "greedy"), (std::vector<std::string>{"c12", "c8", "c10", "c20", "c21", "c2", "c3", "c9", "c11"}));
  // A file the web cannot hold (ordinal ballots, decimal budget) is refused and nothing is added.
  auto before = read_int(s, s.alpha, "SELECT COUNT(*) FROM pb_processes WHERE partnership_id = $1");
  auto ordinal = run_cli({"pb", "import", "--db", s.db.url(), "--partnership", "alpha",
                          std::string(COPRODUCE_SHARE) + "/data/pabulib/Poland_Krakow_2025_Stare_Miasto.pb"});
  EXPECT_EQ(ordinal.exit_code, 1);
  EXPECT_TRUE(contains(ordinal.err, "Nothing was imported")) << ordinal.err;
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM pb_processes WHERE partnership_id = $1"), before);
}

TEST(PbWeb, AnotherPartnershipSeesNothing) {
  TestServer s;
  auto m = make_process(s, s.alpha, "approval", "voting", 1000, {{"Secret garden", 100}});
  cast(s, s.alpha, m, {{{m.proposals[0], 1}}});
  auto beta = signed_in_as(s, auth::Role::admin, "admin@beta.example.org", "beta.test");
  EXPECT_FALSE(contains(beta.get("/pb").body, "Fund approval"));
  for (const auto& p : {path(m.id), path(m.id, "/proposals"), path(m.id, "/vote"), path(m.id, "/results"),
                        path(m.id, "/compare"), path(m.id, "/proposals/" + std::to_string(m.proposals[0])),
                        "/api/v1/pb/" + std::to_string(m.id) + "/results"})
    EXPECT_EQ(beta.get(p).status, 404) << p;
  auto token = session_csrf(beta);
  Fields f = vote_fields({m.proposals[0]});
  f.emplace_back("csrf_token", token);
  EXPECT_EQ(beta.post_form(path(m.id, "/vote"), f).status, 404);
  EXPECT_EQ(beta.post_form(path(m.id, "/phase"), {{"phase", "results"}, {"csrf_token", token}}).status, 404);
  EXPECT_EQ(ballots_in(s, s.alpha, m.id), 1);
  EXPECT_EQ(read_rows(s, s.alpha, "SELECT phase FROM pb_processes WHERE partnership_id = $1", {}).one().text(0), "voting");
}

TEST(PbWeb, PrioritiesAreRatedAndTheBiggestGapComesFirst) {
  TestServer s;
  auto m = make_process(s, s.alpha, "approval", "information", 1000, {{"A", 100}});
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  auto page = path(m.id, "/priorities");
  EXPECT_EQ(admin.submit(page, path(m.id, "/priorities/new"), {{"title", ""}}).status, 400);
  ASSERT_EQ(admin.submit(page, path(m.id, "/priorities/new"), {{"title", "Help with forms"}}).status, 303);
  ASSERT_EQ(admin.submit(page, path(m.id, "/priorities/new"), {{"title", "Childcare that fits shift work"}}).status, 303);
  auto forms = read_int(s, s.alpha, "SELECT MIN(id) FROM pb_priorities WHERE partnership_id = $1");
  auto childcare = read_int(s, s.alpha, "SELECT MAX(id) FROM pb_priorities WHERE partnership_id = $1");
  auto field = [](const char* what, std::int64_t id) { return std::string(what) + "_" + std::to_string(id); };
  auto one = signed_in_as(s, auth::Role::person, "one@example.org");
  auto two = signed_in_as(s, auth::Role::person, "two@example.org");
  // Half an answer is refused by name; nothing is stored.
  auto half = one.submit(page, page, {{field("importance", childcare), "5"}});
  EXPECT_EQ(half.status, 400);
  EXPECT_TRUE(summary_links_to(half.body, field("importance", childcare)));
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM pb_priority_ratings WHERE partnership_id = $1"), 0);
  ASSERT_EQ(one.submit(page, page, {{field("importance", childcare), "3"}, {field("satisfaction", childcare), "3"},
                                    {field("importance", forms), "3"}, {field("satisfaction", forms), "3"}})
                .status,
            303);
  // A change of mind replaces the earlier answer.
  ASSERT_EQ(one.submit(page, page, {{field("importance", childcare), "5"}, {field("satisfaction", childcare), "1"}}).status, 303);
  ASSERT_EQ(two.submit(page, page, {{field("importance", childcare), "4"}, {field("satisfaction", childcare), "2"}}).status, 303);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM pb_priority_ratings WHERE partnership_id = $1"), 3);
  auto r = Client(s.port, "alpha.test").get(page);
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "Matters: 4.5 out of 5. Met now: 1.5 out of 5. Gap: 3.0. From 2 people."));
  EXPECT_TRUE(contains(r.body, "Matters: 3.0 out of 5. Met now: 3.0 out of 5. Gap: 0.0. From 1 person."));
  EXPECT_LT(r.body.find("<strong>Childcare that fits shift work</strong>"), r.body.find("<strong>Help with forms</strong>"));
  EXPECT_EQ(occurrences(r.body, "<circle "), 2u);
  EXPECT_TRUE(contains(r.body, "fill=\"#d4351c\""));  // the big gap is marked
  // Once voting opens, rating is closed.
  set_phase(s, s.alpha, m.id, "voting");
  EXPECT_EQ(one.submit(page, page, {{field("importance", forms), "1"}, {field("satisfaction", forms), "1"}}).status, 409);
}

TEST(PbWeb, Add1StepGuardStopsALongCount) {
  // Two voters and a budget of 100: each starts with 50. p2 (10) is bought at once; p1 (90, backed
  // by one voter) needs the share raised 40 times.
  auto e = pb::parse_pabulib(
      "META\nkey;value\nnum_projects;2\nnum_votes;2\nbudget;100\nvote_type;approval\n"
      "PROJECTS\nproject_id;cost\np1;90\np2;10\nVOTES\nvoter_id;vote\nv1;p1\nv2;p2\n");
  auto full = pb::tally(e, "mes_cost_add1");
  EXPECT_EQ(full.selected.size(), 2u);
  EXPECT_EQ(full.add1_steps, 40);
  EXPECT_FALSE(full.add1_stopped_by_step_limit);
  pb::TallyOptions opts;
  opts.max_add1_steps = 5;
  auto guarded = pb::tally(e, "mes_cost_add1", opts);
  EXPECT_TRUE(guarded.add1_stopped_by_step_limit);
  EXPECT_EQ(guarded.add1_steps, 5);
  ASSERT_EQ(guarded.selected.size(), 1u);
  EXPECT_EQ(e.projects[guarded.selected[0]].id, "p2");
  EXPECT_LE(guarded.cost, e.budget);
}

// Delivery tracking: only funded projects (equal shares' winners) can be tracked, by admins; progress
// and dates are checked with the error summary keeping what was typed; the public page shows it all.
TEST(PbWeb, DeliveryOfFundedProjectsIsTrackedAndShown) {
  TestServer s;
  // Six back A and B, four back C; equal shares funds A and C, not B.
  auto m = make_process(s, s.alpha, "approval", "voting", 100, {{"Alpha hall", 60}, {"Bravo bus", 30}, {"Cairn cafe", 40}});
  std::vector<PbChoices> ballots;
  for (int i = 0; i < 6; ++i) ballots.push_back({{m.proposals[0], 1}, {m.proposals[1], 1}});
  for (int i = 0; i < 4; ++i) ballots.push_back({{m.proposals[2], 1}});
  cast(s, s.alpha, m, ballots);
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  auto hall = path(m.id, "/delivery/" + std::to_string(m.proposals[0]));
  // Before results there is nothing to track yet.
  Client anon(s.port, "alpha.test");
  auto early = anon.get(path(m.id, "/delivery"));
  EXPECT_EQ(early.status, 409);
  EXPECT_TRUE(contains(early.body, "starts after the results"));
  EXPECT_EQ(admin.get(hall).status, 409);
  set_phase(s, s.alpha, m.id, "results");

  // Progress must be a whole number from 0 to 100; the typed value is kept and nothing is stored.
  for (const char* bad : {"101", "-1", "forty"}) {
    auto r = admin.submit(hall, hall, {{"form", "progress"}, {"progress", bad}});
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_TRUE(summary_links_to(r.body, "progress")) << bad;
    EXPECT_TRUE(contains(r.body, std::string("value=\"") + bad + "\"")) << bad;
  }
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM pb_delivery WHERE partnership_id = $1"), 0);
  ASSERT_EQ(admin.submit(hall, hall, {{"form", "progress"}, {"progress", "40"}}).status, 303);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT progress FROM pb_delivery WHERE partnership_id = $1 AND proposal_id = $2",
                     {m.proposals[0]}),
            40);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'pb.delivery.progress'"), 1);

  // Dates must be real; both bad fields are named and the typed step is kept.
  auto bad = admin.submit(hall, hall, {{"form", "milestone"}, {"title", "Open the doors"}, {"due", "2026-02-30"},
                                       {"done", "soon"}, {"note", ""}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(summary_links_to(bad.body, "due"));
  EXPECT_TRUE(summary_links_to(bad.body, "done"));
  EXPECT_TRUE(contains(bad.body, "value=\"Open the doors\""));
  EXPECT_TRUE(contains(bad.body, "value=\"2026-02-30\""));
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM pb_milestones WHERE partnership_id = $1"), 0);
  ASSERT_EQ(admin.submit(hall, hall, {{"form", "milestone"}, {"title", "Open the doors"}, {"due", "2026-09-30"},
                                      {"done", ""}, {"note", "Paint first"}})
                .status,
            303);
  auto step = read_int(s, s.alpha, "SELECT MAX(id) FROM pb_milestones WHERE partnership_id = $1");
  // Editing the step marks it done.
  ASSERT_EQ(admin.submit(hall, hall, {{"form", "milestone"}, {"milestone", std::to_string(step)}, {"title", "Open the doors"},
                                      {"due", "2026-09-30"}, {"done", "2026-09-28"}, {"note", "Paint first"}})
                .status,
            303);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM pb_milestones WHERE partnership_id = $1 AND done_date = '2026-09-28'"), 1);

  // Only funded projects: Bravo bus lost, so it cannot be tracked.
  auto bus = path(m.id, "/delivery/" + std::to_string(m.proposals[1]));
  EXPECT_EQ(admin.get(bus).status, 404);
  EXPECT_EQ(admin.post_form(bus, {{"form", "progress"}, {"progress", "10"}, {"csrf_token", session_csrf(admin)}}).status, 404);

  // A person cannot change delivery, and nothing changes.
  auto person = signed_in_as(s, auth::Role::person, "person@example.org");
  EXPECT_EQ(person.get(hall).status, 403);
  EXPECT_EQ(person.post_form(hall, {{"form", "progress"}, {"progress", "90"}, {"csrf_token", session_csrf(person)}}).status, 403);
  // Another partnership's admin does not even see it.
  auto beta = signed_in_as(s, auth::Role::admin, "admin@beta.example.org", "beta.test");
  EXPECT_EQ(beta.get(path(m.id, "/delivery")).status, 404);
  EXPECT_EQ(beta.get(hall).status, 404);
  EXPECT_EQ(beta.post_form(hall, {{"form", "progress"}, {"progress", "90"}, {"csrf_token", session_csrf(beta)}}).status, 404);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT progress FROM pb_delivery WHERE partnership_id = $1 AND proposal_id = $2",
                     {m.proposals[0]}),
            40);

  // The public page lists both funded projects with their progress and steps, and not the loser.
  auto r = anon.get(path(m.id, "/delivery"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(contains(r.body, "Alpha hall"));
  EXPECT_TRUE(contains(r.body, "Cairn cafe"));
  EXPECT_FALSE(contains(r.body, "Bravo bus"));
  EXPECT_TRUE(contains(r.body, "40% done"));
  EXPECT_TRUE(contains(r.body, "0% done"));
  EXPECT_TRUE(contains(r.body, "width=\"40\""));
  EXPECT_TRUE(contains(r.body, "Open the doors"));
  EXPECT_TRUE(contains(r.body, "Due by 2026-09-30"));
  EXPECT_TRUE(contains(r.body, "Done on 2026-09-28"));
  EXPECT_FALSE(contains(r.body, "Update progress"));  // the public does not get the admin's link
  EXPECT_TRUE(contains(admin.get(path(m.id, "/delivery")).body, "Update progress"));
}
