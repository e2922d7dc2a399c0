// Accounts over real HTTP: signing up, signing in and out, sessions, changing and resetting passwords.
#include <gtest/gtest.h>

#include <regex>

#include "http_support.hpp"

using namespace cp;
using namespace cp::test;

namespace {

HttpResult sign_up(Client& c, const std::string& name, const std::string& email, const std::string& password,
                   const std::string& confirm) {
  return c.submit("/sign-up", "/sign-up",
                  {{"name", name}, {"email", email}, {"password", password}, {"password_confirm", confirm}});
}

std::string temp_password_in(const std::string& html) {
  static const std::regex re(R"re(<span id="temp-password">([^<]+)</span>)re");
  std::smatch m;
  return std::regex_search(html, m, re) ? m[1].str() : std::string();
}

}  // namespace

TEST(HttpAuth, SignUpSignsInANewPerson) {
  TestServer s;
  Client c(s.port);
  auto r = sign_up(c, "Ana Smith", "ana@example.org", kPassword, kPassword);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("location"), "/account");

  auto account = c.get("/account");
  ASSERT_EQ(account.status, 200);
  EXPECT_TRUE(contains(account.body, "ana@example.org"));
  EXPECT_TRUE(contains(account.body, shown(s, "accounts.role_person")));
  EXPECT_TRUE(contains(account.body, "govuk-notification-banner"));

  auto roles = read_rows(s, s.alpha,
                         "SELECT r.role FROM user_roles r JOIN users u ON u.partnership_id = $1 AND u.id = r.user_id"
                         " WHERE r.partnership_id = $1 AND u.email = $2",
                         {std::string("ana@example.org")});
  ASSERT_EQ(roles.rows.size(), 1u);
  EXPECT_EQ(roles.rows[0].text(0), "person");
}

TEST(HttpAuth, MalformedSignUpShowsErrorsKeepsTypingAndCreatesNothing) {
  TestServer s;
  struct Case {
    const char* what;
    std::string name, email, password, confirm;
    std::vector<std::string> fields;
  };
  const std::vector<Case> cases = {
      {"empty name", "", "ana@example.org", kPassword, kPassword, {"name"}},
      {"bad email", "Ana Smith", "ana.example.org", kPassword, kPassword, {"email"}},
      {"short password", "Ana Smith", "ana@example.org", "short pw", "short pw", {"password"}},
      {"common password", "Ana Smith", "ana@example.org", "1qaz2wsx3edc", "1qaz2wsx3edc", {"password"}},
      {"confirmation differs", "Ana Smith", "ana@example.org", kPassword, kPassword + "!", {"password_confirm"}},
      {"everything wrong", "", "nobody", "tiny pw", "tiny pw", {"name", "email", "password"}},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(k.what);
    Client c(s.port);
    auto r = sign_up(c, k.name, k.email, k.password, k.confirm);
    EXPECT_EQ(r.status, 400);
    EXPECT_TRUE(contains(r.body, "class=\"govuk-error-summary\""));
    for (const auto& f : k.fields) {
      EXPECT_TRUE(summary_links_to(r.body, f)) << "no summary link to #" << f;
      EXPECT_TRUE(contains(r.body, "id=\"" + f + "-error\"")) << "no inline error for " << f;
    }
    EXPECT_TRUE(contains(r.body, "value=\"" + k.name + "\""));
    EXPECT_TRUE(contains(r.body, "value=\"" + k.email + "\""));
    // The password is never sent back into the page.
    EXPECT_FALSE(contains(r.body, k.password));
    EXPECT_EQ(c.get("/account").status, 303);
  }
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM users WHERE partnership_id = $1"), 0);
  Client check(s.port);
  EXPECT_EQ(check.sign_in("ana@example.org", kPassword).status, 400);
}

TEST(HttpAuth, SignUpWithATakenEmailIsRefused) {
  TestServer s;
  s.add_user(s.alpha, "ana@example.org", kPassword, auth::Role::person);
  Client c(s.port);
  const std::string other = "a different long passphrase";
  auto r = sign_up(c, "Someone Else", "ANA@Example.org", other, other);
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(summary_links_to(r.body, "email"));
  EXPECT_TRUE(contains(r.body, "value=\"Someone Else\""));
  EXPECT_EQ(user_count(s, s.alpha, "ana@example.org"), 1);
  Client check(s.port);
  EXPECT_EQ(check.sign_in("ana@example.org", other).status, 400);
  EXPECT_EQ(check.sign_in("ana@example.org", kPassword).status, 303);
}

TEST(HttpAuth, WrongPasswordAndUnknownEmailGetTheSameMessage) {
  TestServer s;
  s.add_user(s.alpha, "ana@example.org", kPassword, auth::Role::person);
  Client c(s.port);
  auto wrong = c.sign_in("ana@example.org", "not the right passphrase");
  auto unknown = c.sign_in("nobody@example.org", "not the right passphrase");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(unknown.status, 400);
  ASSERT_FALSE(error_summary(wrong.body).empty());
  EXPECT_EQ(error_summary(wrong.body), error_summary(unknown.body));
  EXPECT_TRUE(contains(error_summary(wrong.body), html_escape(s.app->catalogue.t("en", "accounts.error_sign_in_failed"))));
  EXPECT_TRUE(contains(unknown.body, "value=\"nobody@example.org\""));
  EXPECT_EQ(c.get("/account").status, 303);
}

TEST(HttpAuth, SignOutEndsTheSession) {
  TestServer s;
  auto c = signed_in_as(s, auth::Role::person, "ana@example.org");
  std::string old_cookie = c.cookie("cp_session");
  ASSERT_FALSE(old_cookie.empty());
  auto r = c.post_form("/sign-out", {{"csrf_token", session_csrf(c)}});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.header("location"), "/");
  EXPECT_EQ(c.get("/account").status, 303);

  // Someone who copied the cookie before sign-out gets nothing from it.
  Client copy(s.port);
  copy.set_cookie("cp_session", old_cookie);
  auto account = copy.get("/account");
  EXPECT_EQ(account.status, 303);
  EXPECT_TRUE(starts_with(account.header("location"), "/sign-in"));
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM sessions WHERE partnership_id = $1 AND user_id IS NOT NULL"), 0);
}

TEST(HttpAuth, SessionIdChangesAtSignIn) {
  TestServer s;
  s.add_user(s.alpha, "ana@example.org", kPassword, auth::Role::person);
  Client c(s.port);
  auto form = c.get("/sign-in");
  std::string before = c.cookie("cp_session");
  ASSERT_FALSE(before.empty()) << "the sign-in form should start an anonymous session for its CSRF token";
  auto r = c.post_form("/sign-in",
                       {{"email", "ana@example.org"}, {"password", kPassword}, {"csrf_token", Client::csrf_in(form.body)}});
  ASSERT_EQ(r.status, 303);
  std::string after = c.cookie("cp_session");
  EXPECT_FALSE(after.empty());
  EXPECT_NE(before, after);
  EXPECT_EQ(c.get("/account").status, 200);

  // A session id planted before sign-in must not become a signed-in session.
  Client planted(s.port);
  planted.set_cookie("cp_session", before);
  auto account = planted.get("/account");
  EXPECT_EQ(account.status, 303);
  EXPECT_TRUE(starts_with(account.header("location"), "/sign-in"));
}

TEST(HttpAuth, NextOnlyLeadsToLocalPaths) {
  TestServer s;
  s.add_user(s.alpha, "ana@example.org", kPassword, auth::Role::person);
  auto sign_in_then = [&](const std::string& next) {
    Client c(s.port);
    return c.submit("/sign-in?next=" + http::url_encode(next), "/sign-in",
                    {{"email", "ana@example.org"}, {"password", kPassword}, {"next", next}})
        .header("location");
  };
  EXPECT_EQ(sign_in_then("/organisations?q=food"), "/organisations?q=food");
  EXPECT_EQ(sign_in_then("https://evil.example/steal"), "/account");
  EXPECT_EQ(sign_in_then("//evil.example/steal"), "/account");
  EXPECT_EQ(sign_in_then("/\\evil.example"), "/account");
  EXPECT_EQ(sign_in_then("javascript:alert(1)"), "/account");

  // The form does not even carry a foreign address along.
  Client c(s.port);
  auto form = c.get("/sign-in?next=" + http::url_encode("https://evil.example/steal"));
  EXPECT_FALSE(contains(form.body, "evil.example"));
}

TEST(HttpAuth, AskingForAPageSendsYouBackThereAfterSignIn) {
  TestServer s;
  s.add_user(s.alpha, "ana@example.org", kPassword, auth::Role::person);
  Client c(s.port);
  auto r = c.get("/account/password");
  ASSERT_EQ(r.status, 303);
  std::string to = r.header("location");
  ASSERT_TRUE(starts_with(to, "/sign-in?next="));
  auto form = c.get(to);
  EXPECT_TRUE(contains(form.body, "name=\"next\" value=\"/account/password\""));
  auto done = c.post_form("/sign-in", {{"email", "ana@example.org"},
                                       {"password", kPassword},
                                       {"next", "/account/password"},
                                       {"csrf_token", Client::csrf_in(form.body)}});
  EXPECT_EQ(done.header("location"), "/account/password");
}

TEST(HttpAuth, ChangePasswordChecksTheCurrentOneAndSignsOutOtherSessions) {
  TestServer s;
  s.add_user(s.alpha, "ana@example.org", kPassword, auth::Role::person);
  Client here(s.port), elsewhere(s.port);
  ASSERT_EQ(here.sign_in("ana@example.org", kPassword).status, 303);
  ASSERT_EQ(elsewhere.sign_in("ana@example.org", kPassword).status, 303);
  const std::string fresh = "a brand new passphrase";

  auto wrong = here.submit("/account/password", "/account/password",
                           {{"current_password", "not my passphrase at all"},
                            {"new_password", fresh},
                            {"new_password_confirm", fresh}});
  EXPECT_EQ(wrong.status, 400);
  EXPECT_TRUE(summary_links_to(wrong.body, "current_password"));
  EXPECT_EQ(elsewhere.get("/account").status, 200) << "a refused change must not sign anyone out";

  auto ok = here.submit("/account/password", "/account/password",
                        {{"current_password", kPassword}, {"new_password", fresh}, {"new_password_confirm", fresh}});
  EXPECT_EQ(ok.status, 303);
  EXPECT_EQ(ok.header("location"), "/account");
  EXPECT_EQ(here.get("/account").status, 200);
  EXPECT_EQ(elsewhere.get("/account").status, 303);

  Client later(s.port);
  EXPECT_EQ(later.sign_in("ana@example.org", kPassword).status, 400);
  EXPECT_EQ(later.sign_in("ana@example.org", fresh).status, 303);
}

TEST(HttpAuth, AdminResetGivesAOneTimePasswordThatMustBeChanged) {
  TestServer s;
  auto id = s.add_user(s.alpha, "pat@example.org", kPassword, auth::Role::person);
  Client pat(s.port);
  ASSERT_EQ(pat.sign_in("pat@example.org", kPassword).status, 303);
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");

  const std::string page = "/admin/users/" + std::to_string(id);
  auto r = admin.submit(page, page + "/reset-password", {});
  ASSERT_EQ(r.status, 200) << r.body;
  std::string temp = temp_password_in(r.body);
  ASSERT_GE(temp.size(), 8u);
  // Shown once: reloading the page does not show it again.
  EXPECT_FALSE(contains(admin.get(page).body, temp));
  // The reset signs the person out everywhere.
  EXPECT_EQ(pat.get("/account").status, 303);

  Client again(s.port);
  EXPECT_EQ(again.sign_in("pat@example.org", kPassword).status, 400);
  ASSERT_EQ(again.sign_in("pat@example.org", temp).status, 303);
  // Until a new password is chosen, the one-time password leads only to the change-password form.
  auto account = again.get("/account");
  EXPECT_EQ(account.status, 303);
  EXPECT_EQ(account.header("location"), "/account/password");
  auto form = again.get("/account/password");
  EXPECT_EQ(form.status, 200);
  EXPECT_TRUE(contains(form.body, shown(s, "accounts.must_change")));
  EXPECT_EQ(read_int(s, s.alpha, "SELECT must_change_password FROM users WHERE partnership_id = $1 AND id = $2", {id}), 1);

  const std::string mine = "my own new passphrase";
  auto changed = again.submit("/account/password", "/account/password",
                              {{"current_password", temp}, {"new_password", mine}, {"new_password_confirm", mine}});
  EXPECT_EQ(changed.status, 303);
  auto after = again.get("/account");
  EXPECT_EQ(after.status, 200);
  EXPECT_FALSE(contains(after.body, shown(s, "accounts.must_change")));
  EXPECT_EQ(read_int(s, s.alpha, "SELECT must_change_password FROM users WHERE partnership_id = $1 AND id = $2", {id}), 0);
}
