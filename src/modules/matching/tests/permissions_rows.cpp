// The permission matrix rows for matching (see tests/support/matrix.hpp): a tool for the staff who
// support people (worker, manager, admin); people and planners are refused.
#include "support/matrix.hpp"

namespace {

using namespace cp::test::matrix;

//                         anon person worker manager other_mgr commissioner councillor admin beta_admin
std::vector<Row> rows() {
  return {
      {"GET", "/match", "DDOOODDOD", [](Target&, int) { return page("GET", "/match?q=cv"); }},
      {"GET", "/api/v1/match", "DDOOODDOD", [](Target&, int) { return api("GET", "/api/v1/match?q=cv"); }},
  };
}

const Register reg(rows);

}  // namespace
