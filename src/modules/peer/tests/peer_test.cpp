// Peer groups over real HTTP: starting a group makes you its organiser, people join and leave (and
// get a clear 409 for joining twice or leaving a group they are not in), members' names show only
// to members, organisers add meetings (never in the past), and a member puts the group in their plan
// as a step for a peer.
#include <gtest/gtest.h>

#include "modules/journeys/journeys.hpp"
#include "modules/peer/peer.hpp"
#include "support/harness.hpp"

using namespace cp;

namespace {

const std::string kPassword = "peer test password";

struct Peer : ::testing::Test {
  test::TestServer s;
  std::int64_t org = 0;
  test::Client ann{s.port}, bob{s.port}, worker{s.port};
  std::string group;  // "/groups/<id>"

  void SetUp() override {
    org = s.add_organisation(s.alpha, "Fife Works");
    s.add_user(s.alpha, "ann@example.org", kPassword, auth::Role::person);
    s.add_user(s.alpha, "bob@example.org", kPassword, auth::Role::person);
    s.add_user(s.alpha, "wes@example.org", kPassword, auth::Role::worker, org);
    ASSERT_EQ(ann.sign_in("ann@example.org", kPassword).status, 303);
    ASSERT_EQ(bob.sign_in("bob@example.org", kPassword).status, 303);
    ASSERT_EQ(worker.sign_in("wes@example.org", kPassword).status, 303);
    auto r = ann.submit("/groups/new", "/groups/new",
                        {{"name", "Walk and talk"}, {"description", "A walk, then tea."}, {"where", "Park gates"},
                         {"when", "Fridays 1pm"}});
    ASSERT_EQ(r.status, 303) << r.body;
    group = r.header("location");
    ASSERT_EQ(group.rfind("/groups/", 0), 0u);
  }

  std::int64_t count(const std::string& sql, store::Params p = {}) {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    return w->read(sql, std::move(p)).one().i64(0);
  }

  static std::string date_in(int days) {
    auto t = static_cast<std::time_t>(std::time(nullptr) + days * 86400);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%d %m %Y", &tm);
    return buf;
  }
};

}  // namespace

TEST_F(Peer, StartingNeedsANameAndKeepsWhatWasTyped) {
  auto r = ann.submit("/groups/new", "/groups/new", {{"description", "No name"}, {"where", "Hall"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("href=\"#name\""), std::string::npos);
  EXPECT_NE(r.body.find(">No name</textarea>"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM peer_groups WHERE partnership_id = $1"), 1);
  // A worker may run it for their organisation.
  r = worker.submit("/groups/new", "/groups/new", {{"name", "Job club"}, {"run_by", "organisation"}});
  ASSERT_EQ(r.status, 303);
  EXPECT_NE(worker.get(r.header("location")).body.find("Run by Fife Works"), std::string::npos);
}

TEST_F(Peer, JoinLeaveAndTheirClearRefusals) {
  auto page = bob.get(group);
  ASSERT_EQ(page.status, 200);
  // Not a member: the organiser's name is not shown.
  EXPECT_EQ(page.body.find("Who is in this group"), std::string::npos);
  auto r = bob.submit(group, group + "/leave", {});
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.body.find("You are not in this group"), std::string::npos);
  ASSERT_EQ(bob.submit(group, group + "/join", {}).status, 303);
  r = bob.submit(group, group + "/join", {});
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.body.find("You are already in this group"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM peer_members WHERE partnership_id = $1"), 2);
  // Members see each other.
  page = bob.get(group);
  EXPECT_NE(page.body.find("Who is in this group"), std::string::npos);
  EXPECT_NE(bob.get("/me/groups").body.find("Walk and talk"), std::string::npos);
  // The only organiser cannot walk away from a group that still has members.
  r = ann.submit(group, group + "/leave", {});
  EXPECT_EQ(r.status, 409);
  ASSERT_EQ(bob.submit(group, group + "/leave", {}).status, 303);
  EXPECT_EQ(bob.get("/me/groups").body.find("Walk and talk"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM peer_members WHERE partnership_id = $1"), 1);
}

TEST_F(Peer, OrganisersAddMeetingsButNotInThePast) {
  auto r = ann.submit(group, group + "/meetings", {{"day", "1"}, {"month", "1"}, {"year", "2001"}, {"time", "10:00"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("today or later"), std::string::npos);
  EXPECT_NE(r.body.find("value=\"2001\""), std::string::npos);
  r = ann.submit(group, group + "/meetings", {{"day", "31"}, {"month", "2"}, {"year", "2030"}});
  EXPECT_EQ(r.status, 400);
  auto d = date_in(3);
  r = ann.submit(group, group + "/meetings",
                 {{"day", d.substr(0, 2)}, {"month", d.substr(3, 2)}, {"year", d.substr(6)}, {"time", "25:00"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("14:30"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM peer_meetings WHERE partnership_id = $1"), 0);
  r = ann.submit(group, group + "/meetings",
                 {{"day", d.substr(0, 2)}, {"month", d.substr(3, 2)}, {"year", d.substr(6)}, {"time", "13:00"}});
  ASSERT_EQ(r.status, 303) << r.body;
  auto page = bob.get(group);
  EXPECT_NE(page.body.find("13:00"), std::string::npos);
  EXPECT_EQ(page.body.find("No date yet"), std::string::npos);
  // Members who do not organise cannot add meetings.
  ASSERT_EQ(bob.submit(group, group + "/join", {}).status, 303);
  EXPECT_EQ(bob.submit(group, group + "/meetings", {{"day", "1"}, {"month", "1"}, {"year", "2090"}}).status, 403);
}

TEST_F(Peer, AMemberPutsTheGroupInTheirPlanAsAPeerStep) {
  auto r = bob.submit(group, group + "/plan", {{"new_goal", "Meet people"}});
  EXPECT_EQ(r.status, 409);
  ASSERT_EQ(bob.submit(group, group + "/join", {}).status, 303);
  r = bob.submit(group, group + "/plan", {});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("Choose a goal or write a new one"), std::string::npos);
  r = bob.submit(group, group + "/plan", {{"new_goal", "Meet people"}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("location"), "/me/plan");
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_steps WHERE partnership_id = $1 AND who = 'peer'"
                  " AND who_detail = 'Walk and talk'"),
            1);
  auto plan = bob.get("/me/plan");
  EXPECT_NE(plan.body.find("Go to Walk and talk"), std::string::npos);
  // An existing goal can be chosen too; someone else's goal cannot.
  auto goal = count("SELECT MAX(id) FROM journey_goals WHERE partnership_id = $1");
  ASSERT_EQ(bob.submit(group, group + "/plan", {{"goal_id", std::to_string(goal)}}).status, 303);
  ASSERT_EQ(ann.submit(group, group + "/plan", {{"goal_id", std::to_string(goal)}}).status, 400);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_steps WHERE partnership_id = $1 AND who = 'peer'"), 2);
}
