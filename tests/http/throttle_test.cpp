// Sign-in throttling: too many failures lock an account (and an address) for a while, with the
// same neutral message, so that guessing passwords is slow and says nothing about who has an account.
#include <gtest/gtest.h>

#include "http_support.hpp"

using namespace cp;
using namespace cp::test;

namespace {

// Each attempt uses a fresh client, as a guessing script would, so no session carries over.
HttpResult attempt(TestServer& s, const std::string& email, const std::string& password) {
  Client c(s.port);
  return c.sign_in(email, password);
}

// Moves every recorded attempt back past the 15-minute window.
void age_attempts(TestServer& s) {
  auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
  w->bookkeeping("UPDATE login_attempts SET at = at - 3600 WHERE partnership_id = $1");
  w.commit();
}

}  // namespace

TEST(HttpThrottle, FiveFailuresLockTheAccountEvenForTheRightPassword) {
  TestServer s;
  s.add_user(s.alpha, "ana@example.org", kPassword, auth::Role::person);
  std::string neutral;
  for (int i = 0; i < 5; ++i) {
    auto r = attempt(s, "ana@example.org", "wrong passphrase number " + std::to_string(i));
    ASSERT_EQ(r.status, 400) << "attempt " << i;
    neutral = error_summary(r.body);
  }
  ASSERT_FALSE(neutral.empty());

  Client c(s.port);
  auto locked = c.sign_in("ana@example.org", kPassword);
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(error_summary(locked.body), neutral) << "a locked account must look like a wrong password";
  EXPECT_EQ(c.get("/account").status, 303);

  // Other accounts from the same address are not locked by this one.
  s.add_user(s.alpha, "bo@example.org", kPassword, auth::Role::person);
  EXPECT_EQ(attempt(s, "bo@example.org", kPassword).status, 303);

  // Once the window has passed, the right password works again.
  age_attempts(s);
  EXPECT_EQ(attempt(s, "ana@example.org", kPassword).status, 303);
}

TEST(HttpThrottle, TwentyFailuresFromOneAddressLockEveryAccount) {
  TestServer s;
  s.add_user(s.alpha, "ana@example.org", kPassword, auth::Role::person);
  std::string neutral;
  for (int i = 0; i < 20; ++i) {
    auto r = attempt(s, "guess" + std::to_string(i) + "@example.org", "some guessed passphrase");
    ASSERT_EQ(r.status, 400) << "attempt " << i;
    neutral = error_summary(r.body);
  }
  auto locked = attempt(s, "ana@example.org", kPassword);
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(error_summary(locked.body), neutral);

  age_attempts(s);
  EXPECT_EQ(attempt(s, "ana@example.org", kPassword).status, 303);
}

TEST(HttpThrottle, SigningInClearsTheAccountCount) {
  TestServer s;
  s.add_user(s.alpha, "ana@example.org", kPassword, auth::Role::person);
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 4; ++i)
      ASSERT_EQ(attempt(s, "ana@example.org", "wrong passphrase " + std::to_string(i)).status, 400)
          << "round " << round << " attempt " << i;
    // Eight failures in all, but never five since the last success.
    EXPECT_EQ(attempt(s, "ana@example.org", kPassword).status, 303) << "round " << round;
  }
}
