// Answers about the protocol itself and the upkeep of sign-in data: what a 405 allows, what HEAD
// says, a second archive, the sign-up limit, and expired sessions being cleared away.
#include "http/http_support.hpp"

using namespace cp;
using namespace cp::test;

TEST(HttpProtocol, MethodNotAllowedListsTheMethodsThePathTakes) {
  TestServer s;
  Client c(s.port);
  auto id = s.add_organisation(s.alpha, "Lowhaven Larder");
  auto api_path = c.request("DELETE", "/api/v1/organisations/" + std::to_string(id), "", "");
  EXPECT_EQ(api_path.status, 405);
  EXPECT_EQ(api_path.header("allow"), "GET, HEAD, PATCH, PUT");
  auto page_path = c.request("DELETE", "/organisations", "", "");
  EXPECT_EQ(page_path.status, 405);
  EXPECT_EQ(page_path.header("allow"), "GET, HEAD, POST");
}

TEST(HttpProtocol, HeadGivesTheLengthAGetWouldAndNoBody) {
  TestServer s;
  Client c(s.port);
  auto get = c.get("/accessibility");
  auto head = c.request("HEAD", "/accessibility", "", "");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.header("content-length"), std::to_string(get.body.size()));
}

TEST(HttpApiArchive, ArchivingTwiceIsAConflictAndChangesNothing) {
  TestServer s;
  auto c = signed_in_as(s, auth::Role::admin, "admin@example.org");
  auto id = s.add_organisation(s.alpha, "Anstrane Walking Group");
  auto path = "/api/v1/organisations/" + std::to_string(id) + "/archive";
  auto csrf = session_csrf(c);
  EXPECT_EQ(api(c, "POST", path, "", csrf).status, 200);
  auto version = read_int(s, s.alpha, "SELECT version FROM organisations WHERE partnership_id = $1 AND id = $2", {id});
  expect_problem(api(c, "POST", path, "", csrf), 409);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT version FROM organisations WHERE partnership_id = $1 AND id = $2", {id}), version);
}

TEST(HttpSignUpLimit, OneAddressCanOnlyMakeSoManyAccountsAnHour) {
  TestServer s;
  auto sign_up = [&](int n) {
    Client c(s.port);
    std::string email = "person" + std::to_string(n) + "@example.org";
    return c.submit("/sign-up", "/sign-up",
                    {{"name", "Person " + std::to_string(n)}, {"email", email}, {"password", kPassword},
                     {"password_confirm", kPassword}});
  };
  for (int n = 1; n <= 30; ++n) ASSERT_EQ(sign_up(n).status, 303) << n;
  auto refused = sign_up(31);
  EXPECT_EQ(refused.status, 429);
  EXPECT_TRUE(summary_links_to(refused.body, "email"));
  EXPECT_EQ(user_count(s, s.alpha, "person31@example.org"), 0);
  // Once the hour has passed the address may make accounts again.
  auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
  w->bookkeeping("UPDATE login_attempts SET at = at - 3601 WHERE partnership_id = $1");
  w.commit();
  EXPECT_EQ(sign_up(32).status, 303);
}

TEST(HttpSessions, ExpiredSessionsAreClearedWhenNewOnesAreMade) {
  TestServer s;
  Client first(s.port);
  first.get("/sign-in");  // an anonymous session for the form
  ASSERT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM sessions WHERE partnership_id = $1"), 1);
  {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
    w->bookkeeping("UPDATE sessions SET expires_at = 1 WHERE partnership_id = $1");
    w.commit();
  }
  Client second(s.port);
  second.get("/sign-in");
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM sessions WHERE partnership_id = $1"), 1);
  // The expired one is gone and no longer signs anything in.
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM sessions WHERE partnership_id = $1 AND expires_at = 1"), 0);
}
