// Shared by the priority-matrix tests: hand-made initiatives and ratings, finding one initiative's
// place on the chart, and a server with a manager, a person and a worker to sign in as.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "modules/priorities/priorities.hpp"
#include "support/harness.hpp"

namespace cp::test::priorities {

inline modules::priorities::Initiative ini(std::int64_t id, std::int64_t number) {
  modules::priorities::Initiative i;
  i.id = id;
  i.number = number;
  i.title = "Idea " + std::to_string(number);
  return i;
}

// `second`: the effort or the feasibility rating, whichever the exercise asks for.
inline modules::priorities::Rating rate(std::int64_t initiative, std::int64_t user, std::optional<int> impact,
                                        std::optional<int> second) {
  return {initiative, user, impact, second};
}

inline const modules::priorities::Placed& find(const std::vector<modules::priorities::Placed>& v, std::int64_t id) {
  for (const auto& p : v)
    if (p.initiative.id == id) return p;
  throw std::runtime_error("not placed");
}

struct Fixture {
  static constexpr const char* kPw = "priorities test password";
  TestServer s;
  std::int64_t staff, person, worker;
  Fixture() {
    auto org = s.add_organisation(s.alpha, "Org");
    staff = s.add_user(s.alpha, "staff@example.org", kPw, auth::Role::manager, org);
    person = s.add_user(s.alpha, "person@example.org", kPw, auth::Role::person);
    worker = s.add_user(s.alpha, "worker@example.org", kPw, auth::Role::worker, org);
  }
  Client as(const std::string& who) { return signed_in(s, who + "@example.org", kPw); }
  store::Work work() { return s.app->work(s.alpha.id, {std::nullopt, "test", "", ""}); }
};

// The record's id from the address a form redirected to ("/toolkit/priorities/7#rate").
inline std::int64_t id_from(const std::string& location) {
  auto path = location.substr(0, location.find('#'));
  return std::stoll(path.substr(path.rfind('/') + 1));
}

}  // namespace cp::test::priorities
