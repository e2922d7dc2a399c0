// Notices on the page and by email, through real HTTP and a real SMTP server on loopback
// (tests/support/smtp_sink.hpp), on both databases.
#include <gtest/gtest.h>

#include "core/util.hpp"
#include "modules/notifications/notifications.hpp"
#include "modules/notifications/smtp.hpp"
#include "support/harness.hpp"
#include "support/smtp_sink.hpp"

using namespace cp;
using cp::test::Client;
using cp::test::TestServer;
namespace n = cp::modules::notifications;

namespace {

const std::string kPw = "notifications test password";

std::string b64decode(const std::string& in) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  int bits = 0, acc = 0;
  for (char c : in) {
    int v = val(c);
    if (v < 0) continue;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

// The decoded text of every base64 part, and the decoded subject, of a message as the sink got it.
struct Parsed {
  std::string subject, text, html, language;
};

Parsed parse(const std::string& data) {
  Parsed p;
  auto header_end = data.find("\r\n\r\n");
  std::string headers = data.substr(0, header_end);
  auto s = headers.find("Subject: ");
  auto e = headers.find("\r\nDate:", s);
  std::string subj = headers.substr(s + 9, e - s - 9);
  if (subj.rfind("=?UTF-8?B?", 0) == 0) {
    std::size_t pos = 0;
    while ((pos = subj.find("=?UTF-8?B?", pos)) != std::string::npos) {
      auto end = subj.find("?=", pos + 10);
      p.subject += b64decode(subj.substr(pos + 10, end - pos - 10));
      pos = end + 2;
    }
  } else {
    p.subject = subj;
  }
  auto lang = headers.find("Content-Language: ");
  if (lang != std::string::npos) p.language = headers.substr(lang + 18, 2);
  auto part = [&](const std::string& type) {
    auto at = data.find("Content-Type: " + type);
    auto body = data.find("\r\n\r\n", at) + 4;
    auto end = data.find("--=_cp_", body);
    return b64decode(data.substr(body, end - body));
  };
  p.text = part("text/plain");
  p.html = part("text/html");
  return p;
}

Config mail_config(int port) {
  Config c;
  c.smtp_host = "127.0.0.1";
  c.smtp_port = port;
  c.smtp_from = "noreply@alpha.test";
  c.mail_interval_seconds = 0;  // the test runs the sender itself
  return c;
}

void notify(TestServer& s, std::int64_t user, const std::string& key,
            const std::vector<std::pair<std::string, std::string>>& args, const std::string& link) {
  auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
  n::notify(w.scope(), user, key, args, link);
  w.commit();
}

std::string state_of(TestServer& s, std::int64_t user) {
  auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
  std::string out;
  for (const auto& r : w->read("SELECT email_state FROM notices WHERE partnership_id = $1 AND user_id = $2 ORDER BY id",
                               {user})
                           .rows)
    out += r.text(0) + ";";
  return out;
}

}  // namespace

TEST(Notifications, PageListsNewestFirstAndMarksRead) {
  TestServer s;
  auto me = s.add_user(s.alpha, "me@example.org", kPw, auth::Role::person);
  auto other = s.add_user(s.alpha, "other@example.org", kPw, auth::Role::person);
  for (int i = 1; i <= 23; ++i)
    notify(s, me, "moderation.notice_hidden", {{"reason", "Reason [" + std::to_string(i) + "]"}}, "/we-did-together");
  notify(s, other, "moderation.notice_hidden", {{"reason", "Someone else's"}}, "");

  Client anon(s.port);
  EXPECT_EQ(anon.get("/notifications").status, 303);

  Client c(s.port);
  ASSERT_EQ(c.sign_in("me@example.org", kPw).status, 303);
  auto page = c.get("/notifications");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Messages (23 new)"), std::string::npos);  // the header count
  EXPECT_NE(page.body.find("You have 23 new messages."), std::string::npos);
  auto newest = page.body.find("Reason [23]");
  auto older = page.body.find("Reason [22]");
  ASSERT_NE(newest, std::string::npos);
  ASSERT_NE(older, std::string::npos);
  EXPECT_LT(newest, older);
  EXPECT_NE(page.body.find("Reason [4]"), std::string::npos);
  EXPECT_EQ(page.body.find("Reason [3]"), std::string::npos);  // on page 2
  EXPECT_EQ(page.body.find("Someone else"), std::string::npos);
  auto p2 = c.get("/notifications?show=all&page=2");
  EXPECT_NE(p2.body.find("Reason [3]"), std::string::npos);
  EXPECT_NE(p2.body.find("Reason [1]"), std::string::npos);

  std::int64_t first_id, others_id;
  {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
    first_id = w->read("SELECT MIN(id) FROM notices WHERE partnership_id = $1 AND user_id = $2", {me}).one().i64(0);
    others_id = w->read("SELECT MIN(id) FROM notices WHERE partnership_id = $1 AND user_id = $2", {other}).one().i64(0);
  }
  // "Open" marks it read and follows its link; someone else's notice is not found.
  auto open = c.submit("/notifications", "/notifications/" + std::to_string(first_id) + "/read", {{"go", "1"}});
  EXPECT_EQ(open.status, 303);
  EXPECT_EQ(open.header("location"), "/we-did-together");
  EXPECT_EQ(c.submit("/notifications", "/notifications/" + std::to_string(others_id) + "/read", {}).status, 404);
  EXPECT_NE(c.get("/notifications").body.find("Messages (22 new)"), std::string::npos);
  auto unread = c.get("/notifications?show=unread&page=2");
  EXPECT_NE(unread.body.find("Reason [2]"), std::string::npos);
  EXPECT_EQ(unread.body.find("Reason [1]"), std::string::npos);

  EXPECT_EQ(c.submit("/notifications", "/notifications/read-all", {}).status, 303);
  auto after = c.get("/notifications?show=unread");
  EXPECT_NE(after.body.find("You have no new messages."), std::string::npos);
  EXPECT_NE(after.body.find(">Messages<"), std::string::npos);
  // The other person's notice is still unread.
  auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
  EXPECT_EQ(n::unread_count(w.scope(), other), 1);
}

TEST(Notifications, ImmediateEmailArrivesInTheRecipientsLanguage) {
  test::SmtpSink sink;
  TestServer s(mail_config(sink.port()));
  auto en = s.add_user(s.alpha, "en@example.org", kPw, auth::Role::person);
  auto cy = s.add_user(s.alpha, "cy@example.org", kPw, auth::Role::person);
  {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
    w->bookkeeping("UPDATE users SET language = 'cy' WHERE partnership_id = $1 AND id = $2", {cy});
    w.commit();
  }
  notify(s, en, "moderation.notice_hidden", {{"reason", "Private detail about Ann"}}, "/we-did-together/4");
  notify(s, cy, "moderation.notice_hidden", {{"reason", "Rheswm preifat"}}, "/we-did-together/5");

  EXPECT_EQ(n::send_due(*s.app, now_seconds()), 2);
  auto mails = sink.mails();
  ASSERT_EQ(mails.size(), 2u);
  auto to_en = mails[0].to[0].find("en@") != std::string::npos ? mails[0] : mails[1];
  auto to_cy = mails[0].to[0].find("cy@") != std::string::npos ? mails[0] : mails[1];
  auto pe = parse(to_en.data), pc = parse(to_cy.data);
  EXPECT_EQ(pe.subject, "You have a new message from Alpha Partnership");
  EXPECT_EQ(pe.subject.find("Ann"), std::string::npos);  // nothing private in the subject
  EXPECT_NE(pe.text.find("A moderator hid something you wrote. The reason: Private detail about Ann"), std::string::npos);
  EXPECT_NE(pe.text.find("http://alpha.test/we-did-together/4"), std::string::npos);
  EXPECT_NE(pe.html.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_EQ(pe.language, "en");
  EXPECT_EQ(pc.subject, "Mae gennych chi neges newydd gan Alpha Partnership");
  EXPECT_NE(pc.text.find("Mae cymedrolwr wedi cuddio rhywbeth ysgrifennoch chi. Y rheswm: Rheswm preifat"),
            std::string::npos);
  EXPECT_NE(pc.html.find("<html lang=\"cy\">"), std::string::npos);
  EXPECT_EQ(pc.language, "cy");
  // Sent once: a second pass finds nothing due.
  EXPECT_EQ(n::send_due(*s.app, now_seconds()), 0);
  EXPECT_EQ(sink.mails().size(), 2u);
  EXPECT_EQ(state_of(s, en), "sent;");
}

TEST(Notifications, FailedSendsAreRetriedWithBackoff) {
  test::SmtpSink sink;
  TestServer s(mail_config(sink.port()));
  auto me = s.add_user(s.alpha, "me@example.org", kPw, auth::Role::person);
  notify(s, me, "moderation.notice_unblocked", {}, "");
  sink.refuse(true);
  auto now = now_seconds();
  EXPECT_EQ(n::send_due(*s.app, now), 0);
  EXPECT_EQ(state_of(s, me), "pending;");
  sink.refuse(false);
  EXPECT_EQ(n::send_due(*s.app, now + 10), 0);  // not yet: it waits before trying again
  EXPECT_EQ(sink.mails().size(), 0u);
  EXPECT_EQ(n::send_due(*s.app, now + 200), 1);
  EXPECT_EQ(sink.mails().size(), 1u);
  EXPECT_EQ(state_of(s, me), "sent;");
}

TEST(Notifications, WeeklyDigestGathersTheWeeksNotices) {
  test::SmtpSink sink;
  TestServer s(mail_config(sink.port()));
  auto me = s.add_user(s.alpha, "me@example.org", kPw, auth::Role::person);
  auto quiet = s.add_user(s.alpha, "quiet@example.org", kPw, auth::Role::person);
  Client c(s.port);
  ASSERT_EQ(c.sign_in("me@example.org", kPw).status, 303);
  auto bad = c.submit("/notifications/settings", "/notifications/settings", {{"delivery", "hourly"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("href=\"#delivery\""), std::string::npos);
  ASSERT_EQ(c.submit("/notifications/settings", "/notifications/settings", {{"delivery", "digest"}}).status, 303);
  Client q(s.port);
  ASSERT_EQ(q.sign_in("quiet@example.org", kPw).status, 303);
  ASSERT_EQ(q.submit("/notifications/settings", "/notifications/settings", {{"delivery", "none"}}).status, 303);

  notify(s, me, "moderation.notice_hidden", {{"reason", "First reason"}}, "/a");
  notify(s, me, "moderation.notice_restored", {}, "/b");
  notify(s, me, "moderation.notice_hidden", {{"reason", "Third reason"}}, "/c");
  notify(s, quiet, "moderation.notice_unblocked", {}, "");

  auto now = now_seconds();
  EXPECT_EQ(n::send_due(*s.app, now), 0);  // nothing before the weekly send
  EXPECT_EQ(sink.mails().size(), 0u);
  EXPECT_EQ(n::send_due(*s.app, now + 8 * 86400), 1);
  auto mails = sink.mails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_NE(mails[0].to[0].find("me@example.org"), std::string::npos);
  auto p = parse(mails[0].data);
  EXPECT_EQ(p.subject, "Your messages this week from Alpha Partnership");
  EXPECT_NE(p.text.find("Here are 3 messages from this week:"), std::string::npos);
  EXPECT_NE(p.text.find("First reason"), std::string::npos);
  EXPECT_NE(p.text.find("Something you wrote is shown again."), std::string::npos);
  EXPECT_NE(p.text.find("Third reason"), std::string::npos);
  EXPECT_NE(p.html.find("http://alpha.test/c"), std::string::npos);
  EXPECT_EQ(n::send_due(*s.app, now + 8 * 86400 + 60), 0);  // once
  EXPECT_EQ(state_of(s, me), "digested;digested;digested;");
  EXPECT_EQ(state_of(s, quiet), "none;");
}

TEST(Notifications, WithoutAMailServerNoticesStayOnThePage) {
  TestServer s;
  auto me = s.add_user(s.alpha, "me@example.org", kPw, auth::Role::person);
  notify(s, me, "moderation.notice_unblocked", {}, "https://evil.example/");
  EXPECT_EQ(n::send_due(*s.app, now_seconds()), 0);
  Client c(s.port);
  ASSERT_EQ(c.sign_in("me@example.org", kPw).status, 303);
  auto page = c.get("/notifications");
  EXPECT_NE(page.body.find("You can post again."), std::string::npos);
  EXPECT_EQ(page.body.find("evil.example"), std::string::npos);  // links only inside the site
  EXPECT_NE(c.get("/notifications/settings").body.find("does not send emails yet"), std::string::npos);
}

TEST(Notifications, ComposeEncodesWelshSubjectsAndRefusesHeaderInjection) {
  n::Mail m{"from@example.org", "to@example.org", "Neges newydd: ŵyr a ŷd", "Testun", "<p>Testun</p>", "cy"};
  auto wire = n::compose(m, "abc", 0);
  EXPECT_NE(wire.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_EQ(parse(wire).subject, "Neges newydd: ŵyr a ŷd");
  m.subject = "Hello\r\nBcc: victim@example.org";
  EXPECT_THROW(n::compose(m, "abc", 0), n::SmtpError);
}
