// Recognition awards through real HTTP: nominating (with the refusals: yourself, twice while open, no
// reason), the admin's queue, confirming and declining once, the wall and the member's page.
#include <gtest/gtest.h>

#include "http/http_support.hpp"
#include "modules/timebank/extras.hpp"

using namespace cp;
using namespace cp::test;
namespace tb = modules::timebank;

namespace {

struct Member {
  Client client;
  std::int64_t id = 0;
};

Member joined(TestServer& s, const std::string& email, const std::string& name) {
  Member m{Client(s.port, "alpha.test")};
  auto user = s.add_user(s.alpha, email, kPassword, auth::Role::person);
  EXPECT_EQ(m.client.sign_in(email, kPassword).status, 303);
  auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
  m.id = tb::join(w.scope(), {"person", user, std::nullopt, name, "", "KY1", false});
  w.commit();
  return m;
}

HttpResult nominate(Member& from, std::int64_t nominee, const std::string& kind, const std::string& reason) {
  return from.client.submit("/timebank/awards/nominate", "/timebank/awards/nominate",
                            {{"nominee", std::to_string(nominee)}, {"kind", kind}, {"reason", reason}});
}

std::int64_t awards_count(TestServer& s, const std::string& status) {
  return read_int(s, s.alpha, "SELECT COUNT(*) FROM timebank_awards WHERE partnership_id = $1 AND status = $2", {status});
}

}  // namespace

TEST(TimebankAwards, NominateConfirmAndShowOnTheWallAndMemberPage) {
  TestServer s;
  auto ann = joined(s, "ann@example.org", "Ann Nominator");
  auto bob = joined(s, "bob@example.org", "Bob Helper");
  auto form = ann.client.get("/timebank/awards/nominate?member=" + std::to_string(bob.id));
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(contains(form.body, "value=\"" + std::to_string(bob.id) + "\" selected"));
  EXPECT_FALSE(contains(form.body, "value=\"" + std::to_string(ann.id) + "\""));  // not yourself

  auto r = nominate(ann, bob.id, "good_neighbour", "Fixed my fence in the rain.");
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("location"), "/timebank/awards");
  EXPECT_EQ(awards_count(s, "pending"), 1);
  // Not on the wall until an admin confirms it.
  EXPECT_FALSE(contains(bob.client.get("/timebank/awards").body, "Fixed my fence"));

  // One open nomination per nominator per member.
  auto again = nominate(ann, bob.id, "kind_heart", "And again.");
  EXPECT_EQ(again.status, 400);
  EXPECT_TRUE(contains(error_summary(again.body), shown(s, "timebank.error_nomination_open")));
  EXPECT_TRUE(contains(again.body, "And again."));  // what was typed is kept
  EXPECT_EQ(awards_count(s, "pending"), 1);

  // People cannot decide on awards.
  auto queue_for_person = bob.client.get("/timebank/awards/queue");
  EXPECT_EQ(queue_for_person.status, 403);
  auto id = read_int(s, s.alpha, "SELECT id FROM timebank_awards WHERE partnership_id = $1");
  EXPECT_EQ(bob.client.post_form("/timebank/awards/" + std::to_string(id) + "/confirm", {{"csrf_token", session_csrf(bob.client)}}).status,
            403);

  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  auto queue = admin.get("/timebank/awards/queue");
  ASSERT_EQ(queue.status, 200);
  EXPECT_TRUE(contains(queue.body, "Fixed my fence in the rain."));
  auto ok = admin.submit("/timebank/awards/queue", "/timebank/awards/" + std::to_string(id) + "/confirm", {});
  EXPECT_EQ(ok.status, 303);
  EXPECT_EQ(awards_count(s, "confirmed"), 1);
  // Deciding twice changes nothing.
  admin.submit("/timebank/awards/queue", "/timebank/awards/" + std::to_string(id) + "/decline", {});
  EXPECT_EQ(awards_count(s, "confirmed"), 1);
  EXPECT_EQ(awards_count(s, "declined"), 0);
  EXPECT_EQ(admin.post_form("/timebank/awards/999999/confirm", {{"csrf_token", session_csrf(admin)}}).status, 404);

  auto wall = ann.client.get("/timebank/awards");
  EXPECT_TRUE(contains(wall.body, "Fixed my fence in the rain."));
  EXPECT_TRUE(contains(wall.body, "Bob Helper"));
  auto page = ann.client.get("/timebank/members/" + std::to_string(bob.id));
  EXPECT_TRUE(contains(page.body, "id=\"member-awards\""));
  EXPECT_TRUE(contains(page.body, "Fixed my fence in the rain."));

  // Once decided, a new nomination may be made.
  EXPECT_EQ(nominate(ann, bob.id, "always_there", "Every single week.").status, 303);
  EXPECT_EQ(awards_count(s, "pending"), 1);
}

TEST(TimebankAwards, RefusalsWriteNothingAndDeclinedStayOffTheWall) {
  TestServer s;
  auto ann = joined(s, "ann@example.org", "Ann Nominator");
  auto bob = joined(s, "bob@example.org", "Bob Helper");
  auto self = nominate(ann, ann.id, "good_neighbour", "Me!");
  EXPECT_EQ(self.status, 400);
  EXPECT_TRUE(contains(error_summary(self.body), shown(s, "timebank.error_nominate_self")));
  auto empty = nominate(ann, bob.id, "good_neighbour", "   ");
  EXPECT_EQ(empty.status, 400);
  EXPECT_TRUE(summary_links_to(empty.body, "reason"));
  auto kind = nominate(ann, bob.id, "best_ever", "Great.");
  EXPECT_EQ(kind.status, 400);
  EXPECT_TRUE(summary_links_to(kind.body, "kind"));
  EXPECT_EQ(nominate(ann, bob.id, "good_neighbour", std::string(601, 'x')).status, 400);
  EXPECT_EQ(nominate(ann, 999999, "good_neighbour", "Who?").status, 400);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM timebank_awards WHERE partnership_id = $1"), 0);

  ASSERT_EQ(nominate(ann, bob.id, "kind_heart", "Declined one.").status, 303);
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  auto id = read_int(s, s.alpha, "SELECT id FROM timebank_awards WHERE partnership_id = $1");
  EXPECT_EQ(admin.submit("/timebank/awards/queue", "/timebank/awards/" + std::to_string(id) + "/decline", {}).status, 303);
  EXPECT_EQ(awards_count(s, "declined"), 1);
  EXPECT_FALSE(contains(ann.client.get("/timebank/awards").body, "Declined one."));
  EXPECT_FALSE(contains(ann.client.get("/timebank/members/" + std::to_string(bob.id)).body, "Declined one."));

  // The model refuses a second open nomination even when called directly.
  auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
  std::int64_t first = 0, second = 0;
  EXPECT_EQ(tb::nominate(w.scope(), bob.id, ann.id, "new_skills", "Taught me to knit.", first), tb::NominateResult::ok);
  EXPECT_EQ(tb::nominate(w.scope(), bob.id, ann.id, "new_skills", "Again.", second), tb::NominateResult::already_open);
  EXPECT_EQ(second, 0);
}
