// The permission matrix's vocabulary, shared so each module can state its own routes' rows in its
// own tests folder (src/modules/<m>/tests/permissions_rows.cpp) and register them with
// `static matrix::Register reg(rows);`. tests/http/permissions_test.cpp runs every registered row for
// every role, checks no route is missing a row, and checks the other partnership's records are out of
// reach.
//
// Each row states, per role, what must happen: O (allowed: a 2xx or 3xx that is not "sign in first"),
// D (denied: anonymous gets sent to sign in or 401; signed in gets 403) or N (404). Write the letters
// from the policy you intend, by hand, not from the code.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "support/harness.hpp"

namespace cp::test::matrix {

// Column order of the expectation strings. "beta_admin" is an admin of the other partnership whose
// session cookie is sent to this partnership's host: it must count for nothing here.
inline const std::vector<std::string> kRoles = {"anon",         "person",     "worker", "manager", "other_manager",
                                                "commissioner", "councillor", "admin",  "beta_admin"};
inline const std::string kPassword = "matrix password for tests";

struct Target {
  test::TestServer* s = nullptr;
  // Where a row's own records go: alpha for the matrix, beta when the cross-partnership test asks
  // for a record the alpha admin must not reach. Rows that make records make them here.
  const app::Partnership* p = nullptr;
  std::int64_t actor = 0;      // the signed-in account's id in alpha (0 for anon and beta_admin)
  std::string role;            // its column name
  std::int64_t org = 0;        // an organisation in `p`; the "manager" and "worker" roles belong to it (in alpha)
  std::int64_t other_org = 0;  // the organisation "other_manager" manages
  std::int64_t user = 0;       // an account in `p` for the admin pages
  std::string service;         // the ORUK id of a directory service in `p`
  std::string directory_org;   // the ORUK id of that service's organisation
};

struct Request {
  std::string method, path, body, content_type;
  bool api = false;
};

struct Row {
  std::string method, pattern;
  std::string expect;  // one letter per role, in kRoles order (beta_admin is checked against anon's letter)
  std::function<Request(Target&, int serial)> make;
};

inline std::string id_path(std::string pattern, std::int64_t id) {
  auto pos = pattern.find("{id}");
  return pos == std::string::npos ? pattern : pattern.replace(pos, 4, std::to_string(id));
}

// A form post (or a GET when body is empty) with {id} filled in.
inline Request page(const std::string& method, const std::string& pattern, std::int64_t id = 0, std::string body = "") {
  std::string type = body.empty() ? "" : "application/x-www-form-urlencoded";
  return {method, id_path(pattern, id), std::move(body), std::move(type), false};
}

// A JSON API request with {id} filled in.
inline Request api(const std::string& method, const std::string& pattern, std::int64_t id = 0, std::string body = "") {
  return {method, id_path(pattern, id), body, body.empty() ? "" : "application/json", true};
}

inline std::vector<std::vector<Row> (*)()>& sources() {
  static std::vector<std::vector<Row> (*)()> s;
  return s;
}

struct Register {
  explicit Register(std::vector<Row> (*f)()) { sources().push_back(f); }
};

inline std::vector<Row> all_rows() {
  std::vector<Row> out;
  for (auto f : sources())
    for (auto& r : f()) out.push_back(std::move(r));
  return out;
}

}  // namespace cp::test::matrix
