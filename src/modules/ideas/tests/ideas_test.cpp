// Idea boards over real HTTP on both databases: one support per person (the primary key holds even
// when the handler is bypassed), script in comments escaped, the status rules (a reason for "not
// adopted"), an adopted idea becoming a tracker action, moderation hiding, and blocked accounts.
#include <gtest/gtest.h>

#include "http/http_support.hpp"
#include "modules/events/events.hpp"
#include "modules/ideas/ideas.hpp"
#include "modules/moderation/queue.hpp"
#include "modules/tracker/tracker.hpp"

using namespace cp;
using namespace cp::test;
namespace ideas = cp::modules::ideas;
namespace ev = cp::modules::events;

namespace {

store::AuditContext ctx() { return {std::nullopt, "test", "", ""}; }

std::int64_t make_lab(TestApp& t, std::int64_t organiser) {
  auto w = t.app->work(t.alpha.id, ctx());
  ev::EventInput in;
  in.title = "Lab";
  in.date = ev::utc_to_london(now_seconds() + 5 * 86400, "%Y-%m-%d");
  in.start_time = "10:00";
  in.end_time = "11:00";
  in.place = "Hall";
  in.capacity = "10";
  auto id = ev::store_fn::create(w.scope(), in, organiser, "Hall");
  w.commit();
  return id;
}

std::int64_t user_id(TestApp& t, const std::string& email) {
  return read_int(t, t.alpha, "SELECT id FROM users WHERE partnership_id = $1 AND email = $2", {email});
}

std::int64_t post_idea(Client& c, std::int64_t lab, const std::string& title) {
  auto r = c.submit("/ideas/new?event=" + std::to_string(lab), "/ideas",
                    {{"board_kind", "event"}, {"board_ref", std::to_string(lab)}, {"title", title}, {"body", "Because."}});
  EXPECT_EQ(r.status, 303) << r.body;
  auto loc = r.header("location");
  return parse_int(loc.substr(loc.rfind('/') + 1)).value_or(0);
}

}  // namespace

TEST(Ideas, SupportsAreOnePerPersonAndCommentsAreEscaped) {
  TestServer s;
  auto staff = signed_in_as(s, auth::Role::worker, "w@example.org");
  auto lab = make_lab(s, user_id(s, "w@example.org"));
  auto p = signed_in_as(s, auth::Role::person, "p@example.org");
  auto id = post_idea(p, lab, "Evening meetings");
  ASSERT_GT(id, 0);
  std::string page = "/ideas/" + std::to_string(id);
  EXPECT_EQ(p.submit(page, page + "/support", {}).status, 303);
  EXPECT_EQ(p.submit(page, page + "/support", {}).status, 303);
  EXPECT_EQ(staff.submit(page, page + "/support", {}).status, 303);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM idea_supports WHERE partnership_id = $1 AND idea_id = $2", {id}), 2);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT supports FROM ideas WHERE partnership_id = $1 AND id = $2", {id}), 2);
  {
    // Storage itself refuses a second support row, whatever the handler does.
    auto w = s.app->work(s.alpha.id, ctx());
    EXPECT_FALSE(ideas::store_fn::support(w.scope(), id, user_id(s, "p@example.org")));
  }
  auto rc = p.submit(page, page + "/comments", {{"body", "<script>alert('x')</script> nice"}});
  EXPECT_EQ(rc.status, 303);
  auto shown_page = Client(s.port).get(page).body;
  EXPECT_FALSE(contains(shown_page, "<script>alert"));
  EXPECT_TRUE(contains(shown_page, "&lt;script&gt;alert"));
  EXPECT_TRUE(contains(shown_page, "/report/comment/"));
  auto empty = p.submit(page, page + "/comments", {{"body", "  "}});
  EXPECT_EQ(empty.status, 400);
  EXPECT_TRUE(contains(error_summary(empty.body), shown(s, "ideas.error_comment")));
}

TEST(Ideas, StatusNeedsAReasonWhenNotAdoptedAndAnAdoptedIdeaBecomesAnAction) {
  TestServer s;
  auto staff = signed_in_as(s, auth::Role::worker, "w@example.org");
  auto lab = make_lab(s, user_id(s, "w@example.org"));
  auto p = signed_in_as(s, auth::Role::person, "p@example.org");
  auto id = post_idea(p, lab, "Text reminders");
  std::string page = "/ideas/" + std::to_string(id);
  EXPECT_EQ(p.submit(page, page + "/status", {{"status", "adopted"}}).status, 403) << "people cannot set status";
  auto no_reason = staff.submit(page, page + "/status", {{"status", "not_adopted"}, {"reason", ""}});
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_TRUE(contains(error_summary(no_reason.body), shown(s, "ideas.error_reason")));
  EXPECT_EQ(read_rows(s, s.alpha, "SELECT status FROM ideas WHERE partnership_id = $1 AND id = $2", {id}).one().text(0), "new");
  // Agreeing an action before adoption is refused.
  auto early = staff.submit(page, page + "/action", {{"action_title", "Send texts"}, {"action_owner", "Team"}});
  EXPECT_EQ(early.status, 400);
  EXPECT_EQ(staff.submit(page, page + "/status", {{"status", "adopted"}, {"reason", "We will try it."}}).status, 303);
  auto bad_due = staff.submit(page, page + "/action", {{"action_title", "Send texts"}, {"action_owner", "Team"}, {"action_due", "soon"}});
  EXPECT_EQ(bad_due.status, 400);
  auto ok = staff.submit(page, page + "/action",
                         {{"action_title", "Send texts the day before"}, {"action_owner", "Booking team"}, {"action_due", "2027-06-30"}});
  EXPECT_EQ(ok.status, 303) << ok.body;
  auto w = s.app->work(s.alpha.id, ctx(), store::Transaction::Mode::read);
  auto actions = modules::tracker::for_origin(w.scope(), "idea", id);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].title, "Send texts the day before");
  EXPECT_EQ(actions[0].status, "agreed");
  EXPECT_TRUE(contains(p.get(page).body, "Send texts the day before"));
}

TEST(Ideas, HiddenIdeasAreNotShownAndBlockedAccountsCannotPost) {
  TestServer s;
  auto staff = signed_in_as(s, auth::Role::worker, "w@example.org");
  auto lab = make_lab(s, user_id(s, "w@example.org"));
  auto p = signed_in_as(s, auth::Role::person, "p@example.org");
  auto id = post_idea(p, lab, "Spam spam spam");
  auto keep = post_idea(p, lab, "A real idea");
  {
    auto w = s.app->work(s.alpha.id, ctx());
    auto kinds_ok = modules::moderation::has_kind("idea") && modules::moderation::has_kind("comment");
    EXPECT_TRUE(kinds_ok);
    ideas::store_fn::set_hidden(w.scope(), "ideas", id, true);
    modules::moderation::block(w.scope(), user_id(s, "p@example.org"), user_id(s, "w@example.org"), "Spam");
    w.commit();
  }
  auto board = Client(s.port).get("/ideas?event=" + std::to_string(lab)).body;
  EXPECT_FALSE(contains(board, "Spam spam spam"));
  EXPECT_TRUE(contains(board, "A real idea"));
  EXPECT_EQ(Client(s.port).get("/ideas/" + std::to_string(id)).status, 404);
  auto before = read_int(s, s.alpha, "SELECT COUNT(*) FROM ideas WHERE partnership_id = $1");
  std::string kp = "/ideas/" + std::to_string(keep);
  auto csrf = Client::csrf_in(p.get(kp).body);
  auto r = p.post_form("/ideas", {{"csrf_token", csrf}, {"board_kind", "event"}, {"board_ref", std::to_string(lab)}, {"title", "More"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(p.post_form(kp + "/comments", {{"csrf_token", csrf}, {"body", "hi"}}).status, 403);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM ideas WHERE partnership_id = $1"), before);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM idea_comments WHERE partnership_id = $1"), 0);
}
