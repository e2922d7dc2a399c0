// Shared by the charter tests: a server with a commissioner (who writes and publishes charters) and
// a person (who reads and signs them) to sign in as.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "modules/charters/charters.hpp"
#include "support/harness.hpp"

namespace cp::test::charters {

struct Fixture {
  static constexpr const char* kPw = "charters test password";
  TestServer s;
  std::int64_t staff, person;
  Fixture() {
    staff = s.add_user(s.alpha, "staff@example.org", kPw, auth::Role::commissioner);
    person = s.add_user(s.alpha, "person@example.org", kPw, auth::Role::person);
  }
  Client as(const std::string& who) { return signed_in(s, who + "@example.org", kPw); }
  store::Work work() { return s.app->work(s.alpha.id, {std::nullopt, "test", "", ""}); }
  // The charters `user` has still to sign.
  std::vector<modules::charters::Pending> pending(std::int64_t user) {
    auto w = work();
    return modules::charters::needs_signature(w.scope(), user);
  }
};

}  // namespace cp::test::charters
