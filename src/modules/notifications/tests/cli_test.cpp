// `coproduce notifications send` against a real SMTP server on loopback (tests/support/smtp_sink.hpp),
// on both databases: it sends what is due once (a second run sends nothing), keeps to one partnership
// when asked, and when the mail server refuses it exits with 2 and marks nothing sent that was not.
#include <gtest/gtest.h>

#include "http/http_support.hpp"
#include "modules/notifications/notifications.hpp"
#include "support/smtp_sink.hpp"

using namespace cp;
using namespace cp::test;
namespace n = cp::modules::notifications;

namespace {

Config cli_config(TestApp& t, int port) {
  Config c = test_config(t.db.url());
  c.smtp_host = "127.0.0.1";
  c.smtp_port = port;
  c.smtp_from = "noreply@alpha.test";
  return c;
}

std::string states(TestApp& t, const app::Partnership& p) {
  std::string out;
  for (const auto& r : read_rows(t, p, "SELECT email_state FROM notices WHERE partnership_id = $1 ORDER BY id").rows)
    out += r.text(0) + ";";
  return out;
}

void notify(TestApp& t, const app::Partnership& p, std::int64_t user) {
  auto w = t.app->work(p.id, {std::nullopt, "test", "", ""});
  n::notify(w.scope(), user, "moderation.notice_unblocked", {}, "/notifications");
  w.commit();
}

}  // namespace

TEST(NotificationsCli, SendsWhatIsDueOnceAndOnlyForThePartnershipAsked) {
  SmtpSink sink;
  Config quiet;
  quiet.smtp_host = "127.0.0.1";
  quiet.smtp_port = sink.port();
  quiet.mail_interval_seconds = 0;  // only the command sends
  TestApp t(quiet);
  auto a1 = t.add_user(t.alpha, "a1@example.org", kPassword, auth::Role::person);
  auto a2 = t.add_user(t.alpha, "a2@example.org", kPassword, auth::Role::person);
  auto b1 = t.add_user(t.beta, "b1@example.org", kPassword, auth::Role::person);
  notify(t, t.alpha, a1);
  notify(t, t.alpha, a2);
  notify(t, t.beta, b1);

  EXPECT_EQ(n::send_command(cli_config(t, sink.port()), "alpha"), 0);
  EXPECT_EQ(sink.mails().size(), 2u);
  EXPECT_EQ(states(t, t.alpha), "sent;sent;");
  EXPECT_EQ(states(t, t.beta), "pending;") << "another partnership's mail waits for its own run";

  EXPECT_EQ(n::send_command(cli_config(t, sink.port()), "alpha"), 0);
  EXPECT_EQ(sink.mails().size(), 2u) << "each notice is sent once";

  EXPECT_EQ(n::send_command(cli_config(t, sink.port()), ""), 0);
  ASSERT_EQ(sink.mails().size(), 3u);
  EXPECT_NE(sink.mails()[2].to[0].find("b1@example.org"), std::string::npos);
  EXPECT_EQ(states(t, t.beta), "sent;");

  EXPECT_THROW(n::send_command(cli_config(t, sink.port()), "nowhere"), std::invalid_argument);
  Config no_mail = cli_config(t, sink.port());
  no_mail.smtp_host.clear();
  EXPECT_EQ(n::send_command(no_mail, ""), 1);
}

TEST(NotificationsCli, ARefusingMailServerExitsTwoAndMarksNothingSent) {
  SmtpSink sink;
  Config quiet;
  quiet.smtp_host = "127.0.0.1";
  quiet.smtp_port = sink.port();
  quiet.mail_interval_seconds = 0;
  TestApp t(quiet);
  auto a1 = t.add_user(t.alpha, "a1@example.org", kPassword, auth::Role::person);
  notify(t, t.alpha, a1);
  sink.refuse(true);
  EXPECT_EQ(n::send_command(cli_config(t, sink.port()), "alpha"), 2);
  EXPECT_EQ(sink.mails().size(), 0u);
  EXPECT_EQ(states(t, t.alpha), "pending;") << "queued for a retry, not sent and not lost";
  EXPECT_EQ(read_int(t, t.alpha, "SELECT email_attempts FROM notices WHERE partnership_id = $1"), 1);

  // Nothing reachable at all: the same.
  Config nobody = cli_config(t, sink.port());
  nobody.smtp_port = 1;
  {
    auto w = t.app->work(t.alpha.id, {std::nullopt, "test", "", ""});
    w->bookkeeping("UPDATE notices SET email_next_at = 0 WHERE partnership_id = $1");
    w.commit();
  }
  EXPECT_EQ(n::send_command(nobody, "alpha"), 2);
  EXPECT_EQ(states(t, t.alpha), "pending;");
}
