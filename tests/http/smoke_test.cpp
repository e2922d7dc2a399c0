// The whole path works: a real socket, the partnership from the Host header, a page, a sign-in.
#include <gtest/gtest.h>

#include "support/harness.hpp"

using namespace cp;

TEST(Smoke, StartPageAndSignIn) {
  test::TestServer s;
  s.add_user(s.alpha, "ana@example.org", "a long enough passphrase", auth::Role::admin);
  test::Client c(s.port);
  auto start = c.get("/");
  EXPECT_EQ(start.status, 200);
  EXPECT_NE(start.body.find("Alpha Partnership"), std::string::npos);
  auto r = c.sign_in("ana@example.org", "a long enough passphrase");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.header("location"), "/account");
  auto account = c.get("/account");
  EXPECT_EQ(account.status, 200);
  EXPECT_NE(account.body.find("ana@example.org"), std::string::npos);
}
