// Moderation through real HTTP: reporting, the queue, hiding with a reason, restoring, blocking,
// the author's notice and the audit trail, on both databases.
#include <gtest/gtest.h>

#include "core/util.hpp"
#include "http/message.hpp"
#include "modules/moderation/moderation.hpp"
#include "modules/moderation/tests/note_kind.hpp"
#include "modules/notifications/notifications.hpp"
#include "support/harness.hpp"

using namespace cp;
using cp::test::Client;
using cp::test::TestServer;

namespace {

const std::string kPw = "moderation test password";

struct Fixture {
  TestServer s;
  std::int64_t author, reporter, manager, worker;
  Fixture() {
    author = s.add_user(s.alpha, "author@example.org", kPw, auth::Role::person);
    reporter = s.add_user(s.alpha, "reporter@example.org", kPw, auth::Role::person);
    manager = s.add_user(s.alpha, "manager@example.org", kPw, auth::Role::manager, s.add_organisation(s.alpha, "Org"));
    worker = s.add_user(s.alpha, "worker@example.org", kPw, auth::Role::worker, s.add_organisation(s.alpha, "Org 2"));
  }
  Client as(const std::string& who) { return signed_in(s, who + "@example.org", kPw); }
  std::int64_t audit_count(const std::string& action) {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
    return w->read("SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = $2", {action}).one().i64(0);
  }
};

std::string note_path(const std::string& prefix, std::int64_t id, const std::string& rest = "") {
  return prefix + "/note/" + std::to_string(id) + rest;
}

}  // namespace

TEST(Moderation, ReportingNeedsAReasonAndCountsOncePerPerson) {
  Fixture f;
  auto id = test::notes::add(f.s.alpha.id, "Buy cheap watches <script>alert(1)</script>", f.author);
  Client anon(f.s.port);
  EXPECT_EQ(anon.get(note_path("/report", id)).status, 303);  // sign in first

  auto c = f.as("reporter");
  auto form = c.get(note_path("/report", id));
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(form.body.find("<script>alert(1)"), std::string::npos);

  // No reason: the error summary, what was typed kept, nothing queued.
  auto bad = c.submit(note_path("/report", id), note_path("/report", id), {{"details", "It is an advert"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("govuk-error-summary"), std::string::npos);
  EXPECT_NE(bad.body.find("href=\"#reason\""), std::string::npos);
  EXPECT_NE(bad.body.find("It is an advert"), std::string::npos);
  // "Something else" needs words.
  EXPECT_EQ(c.submit(note_path("/report", id), note_path("/report", id), {{"reason", "other"}}).status, 400);

  auto ok = c.submit(note_path("/report", id), note_path("/report", id), {{"reason", "spam"}, {"details", "Advert"}});
  EXPECT_EQ(ok.status, 303);
  EXPECT_EQ(ok.header("location"), "/notes/" + std::to_string(id));
  auto again = c.submit(note_path("/report", id), note_path("/report", id), {{"reason", "abuse"}});
  EXPECT_EQ(again.status, 303);
  EXPECT_EQ(f.audit_count("moderation.report"), 1);  // the second report by the same person is not counted

  // A second person's report counts.
  auto a = f.as("author");
  EXPECT_EQ(a.submit(note_path("/report", id), note_path("/report", id), {{"reason", "false"}}).status, 303);
  EXPECT_EQ(f.audit_count("moderation.report"), 2);

  // The queue: managers see it (escaped), people and workers may not.
  auto m = f.as("manager");
  auto q = m.get("/moderation");
  ASSERT_EQ(q.status, 200);
  EXPECT_NE(q.body.find("2 reports"), std::string::npos);
  EXPECT_NE(q.body.find("&lt;script&gt;"), std::string::npos);
  EXPECT_EQ(c.get("/moderation").status, 403);
  EXPECT_EQ(f.as("worker").get("/moderation").status, 403);

  // Unknown kinds and ids, and another partnership's item, are not found.
  EXPECT_EQ(c.get("/report/nosuchkind/1").status, 404);
  EXPECT_EQ(c.get(note_path("/report", 999999999)).status, 404);
  auto beta_item = test::notes::add(f.s.beta.id, "Beta text", 0);
  EXPECT_EQ(c.get(note_path("/report", beta_item)).status, 404);
  EXPECT_EQ(m.get(note_path("/moderation", beta_item)).status, 404);
}

TEST(Moderation, HideNeedsAReasonTellsTheAuthorAndRestoreShowsItAgain) {
  Fixture f;
  auto id = test::notes::add(f.s.alpha.id, "You are all idiots", f.author);
  auto c = f.as("reporter");
  ASSERT_EQ(c.submit(note_path("/report", id), note_path("/report", id), {{"reason", "abuse"}}).status, 303);

  auto m = f.as("manager");
  auto page = note_path("/moderation", id);
  auto bad = m.submit(page, note_path("/moderation", id, "/hide"), {{"reason", ""}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("href=\"#reason\""), std::string::npos);
  EXPECT_FALSE(test::notes::hidden(id));
  EXPECT_EQ(f.audit_count("moderation.hide"), 0);

  auto hid = m.submit(page, note_path("/moderation", id, "/hide"), {{"reason", "Name-calling breaks our house rules"}});
  EXPECT_EQ(hid.status, 303);
  EXPECT_TRUE(test::notes::hidden(id));
  EXPECT_EQ(f.audit_count("moderation.hide"), 1);
  EXPECT_EQ(m.get("/moderation?status=hidden").body.find("You are all idiots") != std::string::npos, true);
  EXPECT_EQ(m.get("/moderation?status=open").body.find("You are all idiots"), std::string::npos);

  // The author is told, with the reason, on their own messages page.
  auto a = f.as("author");
  auto notes = a.get("/notifications");
  ASSERT_EQ(notes.status, 200);
  EXPECT_NE(notes.body.find("Name-calling breaks our house rules"), std::string::npos);
  // Nobody else sees that notice.
  EXPECT_EQ(c.get("/notifications").body.find("Name-calling"), std::string::npos);

  auto back = m.submit(page, note_path("/moderation", id, "/restore"), {{"reason", "Author apologised"}});
  EXPECT_EQ(back.status, 303);
  EXPECT_FALSE(test::notes::hidden(id));
  auto item = m.get(page);
  EXPECT_NE(item.body.find("Author apologised"), std::string::npos);
  EXPECT_NE(item.body.find("Name-calling breaks our house rules"), std::string::npos);  // history keeps both
  EXPECT_EQ(f.audit_count("moderation.restore"), 1);

  // Only moderators act.
  EXPECT_EQ(c.submit(note_path("/report", id), note_path("/moderation", id, "/hide"), {{"reason", "x"}}).status, 403);
}

TEST(Moderation, BlockingNeedsAReasonAndStopsTheAuthor) {
  Fixture f;
  auto id = test::notes::add(f.s.alpha.id, "Spam spam spam", f.author);
  auto m = f.as("manager");
  auto page = note_path("/moderation", id);
  ASSERT_EQ(m.get(page).status, 200);  // a moderator may act on an item nobody has reported yet
  ASSERT_EQ(m.submit(page, note_path("/moderation", id, "/hide"), {{"reason", "Spam"}}).status, 303);

  auto block_path = "/moderation/people/" + std::to_string(f.author) + "/block";
  auto bad = m.submit(page, block_path, {{"reason", ""}, {"kind", "note"}, {"item_id", std::to_string(id)}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("href=\"#block_reason\""), std::string::npos);
  {
    auto w = f.s.app->work(f.s.alpha.id, {std::nullopt, "test", "", ""});
    EXPECT_FALSE(modules::moderation::is_blocked(w.scope(), f.author));
  }
  EXPECT_EQ(m.submit(page, block_path, {{"reason", "Posts adverts again and again"}, {"kind", "note"},
                                        {"item_id", std::to_string(id)}})
                .status,
            303);
  {
    auto w = f.s.app->work(f.s.alpha.id, {std::nullopt, "test", "", ""});
    EXPECT_TRUE(modules::moderation::is_blocked(w.scope(), f.author));
  }
  auto list = m.get("/moderation/blocked");
  EXPECT_NE(list.body.find("Posts adverts again and again"), std::string::npos);
  // Blocks are per partnership: beta does not see it.
  {
    auto w = f.s.app->work(f.s.beta.id, {std::nullopt, "test", "", ""});
    EXPECT_FALSE(modules::moderation::is_blocked(w.scope(), f.author));
  }
  // Unblocking needs a reason too (from the blocked list: the error points at that person's field).
  auto unblock_path = "/moderation/people/" + std::to_string(f.author) + "/unblock";
  auto bad2 = m.submit("/moderation/blocked", unblock_path, {{"reason", ""}});
  EXPECT_EQ(bad2.status, 400);
  EXPECT_NE(bad2.body.find("href=\"#block_reason-" + std::to_string(f.author) + "\""), std::string::npos);
  EXPECT_EQ(m.submit("/moderation/blocked", unblock_path, {{"reason", "Agreed to stop"}}).status, 303);
  {
    auto w = f.s.app->work(f.s.alpha.id, {std::nullopt, "test", "", ""});
    EXPECT_FALSE(modules::moderation::is_blocked(w.scope(), f.author));
  }
  EXPECT_EQ(f.audit_count("moderation.block"), 1);
  EXPECT_EQ(f.audit_count("moderation.unblock"), 1);
  // An account with nothing in the queue cannot be blocked from here.
  EXPECT_EQ(m.submit("/moderation/blocked", "/moderation/people/" + std::to_string(f.worker) + "/block",
                     {{"reason", "No reason"}})
                .status,
            404);
}

TEST(Moderation, ReportFromCodeQueuesTheItem) {
  Fixture f;
  auto id = test::notes::add(f.s.alpha.id, "Text to check", f.author);
  {
    auto w = f.s.app->work(f.s.alpha.id, {f.reporter, "user", "", ""});
    modules::moderation::report(w.scope(), "note", id, f.reporter, "personal");
    EXPECT_THROW(modules::moderation::report(w.scope(), "nosuchkind", 1, f.reporter, "spam"), std::invalid_argument);
    w.commit();
  }
  EXPECT_NE(f.as("manager").get("/moderation").body.find("Text to check"), std::string::npos);
  EXPECT_EQ(modules::moderation::report_link("idea", 12), "/report/idea/12");
}
