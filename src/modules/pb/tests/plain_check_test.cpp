// "Check my writing" on the participatory budgeting forms: a new proposal and a process's
// description. Checking shows plain alternatives, gives back everything typed and stores nothing;
// saving afterwards works as before.
#include <gtest/gtest.h>

#include "http/http_support.hpp"
#include "modules/pb/process.hpp"

using namespace cp;
using namespace cp::test;
namespace db = cp::modules::pb_store;

namespace {

// "in order to" and "facilitate" are both on the shipped jargon list.
const std::string kJargon = "A new bench by the bus stop in order to facilitate resting.";

struct Open {
  std::int64_t id = 0, area = 0;
};

Open open_for_ideas(TestServer& s) {
  auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
  cp::modules::PbProcessInput in;
  in.title = "Green spaces";
  in.description = "Ideas for the park.";
  in.ballot_kind = "approval";
  in.budget = 5000;
  Open o;
  o.id = db::create_process(w.scope(), in, "proposals");
  o.area = db::get_process(w.scope(), o.id)->area_list.front().id;
  w.commit();
  return o;
}

std::string plain_section(const std::string& html) {
  auto at = html.find("id=\"plain-check\"");
  return at == std::string::npos ? std::string() : html.substr(at);
}

}  // namespace

TEST(PbPlainCheck, ProposalCheckShowsPlainWordsKeepsTypingAndSavesNothing) {
  TestServer s;
  auto o = open_for_ideas(s);
  auto c = signed_in_as(s, auth::Role::person, "person@example.org");
  std::string base = "/pb/" + std::to_string(o.id);
  auto count = [&] { return read_int(s, s.alpha, "SELECT COUNT(*) FROM pb_proposals WHERE partnership_id = $1"); };
  auto audits = [&] { return read_int(s, s.alpha, "SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1"); };
  auto before = count();
  auto audited = audits();
  Fields idea{{"title", "Bench to facilitate rest"}, {"description", kJargon}, {"cost", "750"},
              {"area", std::to_string(o.area)}};
  auto checking = idea;
  checking.emplace_back("action", "check");
  auto r = c.submit(base + "/proposals/new", base + "/proposals", checking);
  ASSERT_EQ(r.status, 200) << r.body;
  auto found = plain_section(r.body);
  ASSERT_FALSE(found.empty()) << r.body;
  EXPECT_TRUE(contains(found, "in order to</mark>: try “to”")) << found;
  EXPECT_TRUE(contains(r.body, shown(s, "plain.web_not_saved")));
  EXPECT_TRUE(contains(r.body, "value=\"Bench to facilitate rest\""));
  EXPECT_TRUE(contains(r.body, ">" + kJargon + "</textarea>"));
  EXPECT_TRUE(contains(r.body, "value=\"750\""));
  EXPECT_EQ(count(), before);
  EXPECT_EQ(audits(), audited);

  // Saving the same text is not blocked by the warning.
  auto saved = c.submit(base + "/proposals/new", base + "/proposals", idea);
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(count(), before + 1);
  // The saved proposal is among the texts the hardest-to-read report checks.
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  auto report = admin.get("/admin/plain/report");
  ASSERT_EQ(report.status, 200);
  EXPECT_TRUE(contains(report.body, ">Bench to facilitate rest</a>")) << report.body;
}

TEST(PbPlainCheck, ProcessDescriptionCheckLeavesTheProcessAlone) {
  TestServer s;
  auto o = open_for_ideas(s);
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  std::string base = "/pb/" + std::to_string(o.id);
  auto description = [&] {
    return read_rows(s, s.alpha, "SELECT description FROM pb_processes WHERE partnership_id = $1 AND id = $2", {o.id})
        .one()
        .text(0);
  };
  Fields fields{{"title", "Green spaces 2027"}, {"description", kJargon}, {"budget", "6000"},
                {"ballot_kind", "approval"}, {"action", "check"}};
  auto r = admin.submit(base + "/edit", base, fields);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(contains(plain_section(r.body), "in order to</mark>: try “to”")) << r.body;
  EXPECT_TRUE(contains(r.body, "value=\"Green spaces 2027\""));
  EXPECT_TRUE(contains(r.body, ">" + kJargon + "</textarea>"));
  EXPECT_TRUE(contains(r.body, "value=\"6000\""));
  EXPECT_EQ(description(), "Ideas for the park.");

  // The new-process form checks too, and makes no process.
  auto processes = [&] { return read_int(s, s.alpha, "SELECT COUNT(*) FROM pb_processes WHERE partnership_id = $1"); };
  auto before = processes();
  auto fresh = admin.submit("/pb/new", "/pb", fields);
  ASSERT_EQ(fresh.status, 200) << fresh.body;
  EXPECT_TRUE(contains(plain_section(fresh.body), "in order to</mark>: try “to”"));
  EXPECT_EQ(processes(), before);
}
