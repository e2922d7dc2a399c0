// The permission matrix: every route x every role x own or other partnership, through real HTTP.
//
// The foundation's rows are here; each module registers its own (see support/matrix.hpp). The table
// is written out by hand from the policy we intend, not derived from the code, so a change in a
// policy class that widens or narrows access fails here. A second test makes sure every registered
// route has a row, so a new route cannot skip the matrix.
#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "core/util.hpp"
#include "http/multipart.hpp"
#include "modules/directory/directory.hpp"
#include "modules/organisations/organisations.hpp"
#include "support/harness.hpp"
#include "support/matrix.hpp"

using namespace cp;

namespace {

using namespace cp::test::matrix;

std::string org_form(const std::string& name) {
  return "name=" + http::url_encode(name) + "&kind=third_sector&summary=Helps+people.";
}

std::string org_json(const std::string& name) {
  return R"({"name":")" + name + R"(","kind":"council","summary":"Runs local services."})";
}

//                          anon person worker manager other_mgr commissioner councillor admin
std::vector<Row> foundation_rows() {
  return {
      {"GET", "/", "OOOOOOOOO", [](auto&, int) { return page("GET", "/"); }},
      {"GET", "/accessibility", "OOOOOOOOO", [](auto&, int) { return page("GET", "/accessibility"); }},
      {"GET", "/privacy", "OOOOOOOOO", [](auto&, int) { return page("GET", "/privacy"); }},
      {"GET", "/healthz", "OOOOOOOOO", [](auto&, int) { return page("GET", "/healthz"); }},
      {"GET", "/metrics", "OOOOOOOOO", [](auto&, int) { return page("GET", "/metrics"); }},
      {"GET", "/partnership", "OOOOOOOOO", [](auto&, int) { return page("GET", "/partnership"); }},
      {"GET", "/sign-up", "OOOOOOOOO", [](auto&, int) { return page("GET", "/sign-up"); }},
      {"POST", "/sign-up", "OOOOOOOOO",
       [](auto&, int n) {
         return page("POST", "/sign-up", 0,
                     "name=New+Person&email=new" + std::to_string(n) + "%40example.org&password=" +
                         http::url_encode(kPassword) + "&password_confirm=" + http::url_encode(kPassword));
       }},
      {"GET", "/sign-in", "OOOOOOOOO", [](auto&, int) { return page("GET", "/sign-in"); }},
      {"POST", "/sign-in", "OOOOOOOOO",
       [](auto&, int n) {
         return page("POST", "/sign-in", 0, "email=signin" + std::to_string(n) + "%40example.org&password=" +
                                                http::url_encode(kPassword));
       }},
      {"POST", "/sign-out", "OOOOOOOOO", [](auto&, int) { return page("POST", "/sign-out"); }},
      {"GET", "/account", "DOOOOOOOD", [](auto&, int) { return page("GET", "/account"); }},
      {"GET", "/account/password", "DOOOOOOOD", [](auto&, int) { return page("GET", "/account/password"); }},
      {"POST", "/account/password", "DOOOOOOOD",
       [](auto&, int) {
         return page("POST", "/account/password", 0,
                     "current_password=" + http::url_encode(kPassword) +
                         "&new_password=another+long+passphrase+77&new_password_confirm=another+long+passphrase+77");
       }},
      {"GET", "/admin/users", "DDDDDDDOD", [](auto&, int) { return page("GET", "/admin/users"); }},
      {"GET", "/admin/users/{id}", "DDDDDDDOD", [](const Target& t, int) { return page("GET", "/admin/users/{id}", t.user); }},
      {"POST", "/admin/users/{id}/reset-password", "DDDDDDDOD",
       [](const Target& t, int) { return page("POST", "/admin/users/{id}/reset-password", t.user); }},
      {"POST", "/admin/users/{id}/roles", "DDDDDDDOD",
       [](const Target& t, int) { return page("POST", "/admin/users/{id}/roles", t.user, "role=commissioner"); }},
      {"POST", "/admin/users/{id}/roles/remove", "DDDDDDDOD",
       [](const Target& t, int) { return page("POST", "/admin/users/{id}/roles/remove", t.user, "role=person"); }},
      {"GET", "/organisations", "OOOOOOOOO", [](auto&, int) { return page("GET", "/organisations"); }},
      {"GET", "/organisations/new", "DDDDDDDOD", [](auto&, int) { return page("GET", "/organisations/new"); }},
      {"POST", "/organisations", "DDDDDDDOD",
       [](auto&, int n) { return page("POST", "/organisations", 0, org_form("Created " + std::to_string(n))); }},
      {"GET", "/organisations/{id}", "OOOOOOOOO",
       [](const Target& t, int) { return page("GET", "/organisations/{id}", t.org); }},
      {"GET", "/organisations/{id}/edit", "DDDODDDOD",
       [](const Target& t, int) { return page("GET", "/organisations/{id}/edit", t.org); }},
      {"POST", "/organisations/{id}", "DDDODDDOD",
       [](const Target& t, int) { return page("POST", "/organisations/{id}", t.org, org_form("Renamed")); }},
      {"POST", "/organisations/{id}/archive", "DDDODDDOD",
       [](const Target& t, int) { return page("POST", "/organisations/{id}/archive", t.org); }},
      {"GET", "/api/v1/openapi.json", "OOOOOOOOO", [](auto&, int) { return api("GET", "/api/v1/openapi.json"); }},
      {"GET", "/api/v1/organisations", "OOOOOOOOO", [](auto&, int) { return api("GET", "/api/v1/organisations"); }},
      {"POST", "/api/v1/organisations", "DDDDDDDOD",
       [](auto&, int n) { return api("POST", "/api/v1/organisations", 0, org_json("Api " + std::to_string(n))); }},
      {"GET", "/api/v1/organisations/{id}", "OOOOOOOOO",
       [](const Target& t, int) { return api("GET", "/api/v1/organisations/{id}", t.org); }},
      {"PUT", "/api/v1/organisations/{id}", "DDDODDDOD",
       [](const Target& t, int) { return api("PUT", "/api/v1/organisations/{id}", t.org, org_json("Replaced")); }},
      {"PATCH", "/api/v1/organisations/{id}", "DDDODDDOD",
       [](const Target& t, int) { return api("PATCH", "/api/v1/organisations/{id}", t.org, R"({"summary":"Patched."})"); }},
      {"POST", "/api/v1/organisations/{id}/archive", "DDDODDDOD",
       [](const Target& t, int) { return api("POST", "/api/v1/organisations/{id}/archive", t.org); }},
      {"GET", "/openreferral/", "OOOOOOOOO", [](auto&, int) { return api("GET", "/openreferral/"); }},
      {"GET", "/openreferral/services", "OOOOOOOOO", [](auto&, int) { return api("GET", "/openreferral/services"); }},
      {"GET", "/openreferral/services/{id}", "OOOOOOOOO",
       [](const Target& t, int) { return api("GET", "/openreferral/services/" + t.service); }},
      {"GET", "/openreferral/organizations", "OOOOOOOOO",
       [](auto&, int) { return api("GET", "/openreferral/organizations"); }},
      {"GET", "/openreferral/organizations/{id}", "OOOOOOOOO",
       [](const Target& t, int) { return api("GET", "/openreferral/organizations/" + t.directory_org); }},
      {"GET", "/openreferral/taxonomies", "OOOOOOOOO", [](auto&, int) { return api("GET", "/openreferral/taxonomies"); }},
      {"GET", "/openreferral/service_at_locations", "OOOOOOOOO",
       [](auto&, int) { return api("GET", "/openreferral/service_at_locations"); }},
      {"GET", "/openreferral/taxonomy_terms", "OOOOOOOOO",
       [](auto&, int) { return api("GET", "/openreferral/taxonomy_terms"); }},
  };
}

const Register foundation(foundation_rows);

const std::vector<Row>& rows() {
  static const std::vector<Row> r = all_rows();
  return r;
}

char classify(const test::HttpResult& r) {
  if (r.status == 404) return 'N';
  if (r.status == 401 || r.status == 403) return 'D';
  if (r.status == 303 && starts_with(r.header("location"), "/sign-in")) return 'D';
  if (r.status >= 200 && r.status < 400) return 'O';
  return '?';
}

struct Matrix : ::testing::Test {
  test::TestServer s;
  int serial = 0;

  // A client signed in as `role` on alpha's host (or holding beta's session, for beta_admin). Records
  // the account in t.actor and t.role.
  test::Client client_for(const std::string& role, Target& t) {
    test::Client c(s.port, "alpha.test");
    std::string email = role + std::to_string(++serial) + "@example.org";
    t.role = role;
    t.actor = 0;
    if (role == "anon") return c;
    if (role == "beta_admin") {
      s.add_user(s.beta, email, kPassword, auth::Role::admin);
      test::Client b(s.port, "beta.test");
      EXPECT_EQ(b.sign_in(email, kPassword).status, 303);
      c.set_cookie("cp_session", b.cookie("cp_session"));
      return c;
    }
    auth::Role r = auth::parse_role(role == "other_manager" ? "manager" : role).value();
    std::optional<std::int64_t> org;
    if (role == "worker" || role == "manager") org = t.org;
    if (role == "other_manager") org = t.other_org;
    t.actor = s.add_user(s.alpha, email, kPassword, r, org);
    EXPECT_EQ(c.sign_in(email, kPassword).status, 303) << role;
    return c;
  }

  // A published directory service with this ORUK id, of an organisation with `org` as its ORUK id
  // (added once; importing again changes nothing).
  std::string directory_service(const app::Partnership& p, const std::string& uuid, const std::string& org) {
    auto w = s.app->work(p.id, {std::nullopt, "test", "", ""});
    modules::directory_store::import_feed(
        w.scope(), boost::json::parse(R"([{"id": ")" + uuid + R"(", "name": "Matrix service", "status": "active",
          "organization": {"id": ")" + org + R"(", "name": "Matrix organisation", "description": "Runs a service."}}])"));
    w.commit();
    return uuid;
  }

  // A new organisation pair, account and directory service in `p` (alpha unless the test says).
  Target fresh_target(const app::Partnership* p = nullptr) {
    if (!p) p = &s.alpha;
    bool alpha = p->id == s.alpha.id;
    Target t;
    t.s = &s;
    t.p = p;
    t.org = s.add_organisation(*p, "Target " + std::to_string(++serial));
    t.other_org = s.add_organisation(*p, "Other " + std::to_string(serial));
    t.user = s.add_user(*p, "target" + std::to_string(serial) + "@example.org", kPassword, auth::Role::person);
    t.directory_org = alpha ? "0a0a0a0a-0000-4000-8000-0000000000a0" : "0b0b0b0b-0000-4000-8000-0000000000b0";
    t.service = directory_service(*p, alpha ? "0a0a0a0a-0000-4000-8000-00000000000a" : "0b0b0b0b-0000-4000-8000-00000000000b",
                                  t.directory_org);
    return t;
  }

  test::HttpResult send(test::Client& c, const Request& rq) {
    // A real browser would hold a CSRF token from the page it came from: take it from a page.
    std::string token = test::Client::csrf_in(c.get(c.cookie("cp_session").empty() ? "/sign-in" : "/account").body);
    if (token.empty()) token = test::Client::csrf_in(c.get("/sign-in").body);
    std::string body = rq.body;
    std::vector<std::pair<std::string, std::string>> headers;
    if (rq.method != "GET") {
      std::string boundary = http::multipart_boundary(rq.content_type);
      if (rq.api) headers.emplace_back("X-CSRF-Token", token);
      // A file upload carries the token as one more part, as its form's hidden field would.
      else if (!boundary.empty())
        body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n" + token + "\r\n" + body;
      else body += std::string(body.empty() ? "" : "&") + "csrf_token=" + http::url_encode(token);
    }
    std::string ct = rq.content_type.empty() && rq.method != "GET" && !rq.api ? "application/x-www-form-urlencoded" : rq.content_type;
    if (rq.api && rq.method != "GET" && ct.empty()) ct = "application/json";
    return c.request(rq.method, rq.path, rq.api && rq.method != "GET" && body.empty() ? "{}" : body, ct, headers);
  }

  std::int64_t org_version(std::int64_t id) {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    return modules::organisations_store::get(w.scope(), id)->version;
  }
};

}  // namespace

TEST_F(Matrix, EveryRouteEveryRoleOwnPartnership) {
  for (const auto& row : rows()) {
    ASSERT_EQ(row.expect.size(), kRoles.size()) << row.method << " " << row.pattern;
    for (std::size_t i = 0; i < kRoles.size(); ++i) {
      const std::string& role = kRoles[i];
      Target t = fresh_target();
      // Accounts the sign-in row signs in with.
      s.add_user(s.alpha, "signin" + std::to_string(serial + 1) + "@example.org", kPassword, auth::Role::person);
      auto c = client_for(role, t);
      Request rq = row.make(t, serial);
      auto res = send(c, rq);
      char got = classify(res);
      EXPECT_EQ(got, row.expect[i]) << row.method << " " << row.pattern << " as " << role << ": status " << res.status
                                    << " location " << res.header("location");
      // A refused change must change nothing.
      if (got != 'O' && starts_with(row.pattern, "/organisations/{id}") && rq.method == "POST")
        EXPECT_EQ(org_version(t.org), 1) << row.pattern << " as " << role << " changed the organisation";
      if (got != 'O' && starts_with(row.pattern, "/api/v1/organisations/{id}") && rq.method != "GET")
        EXPECT_EQ(org_version(t.org), 1) << row.pattern << " as " << role << " changed the organisation";
    }
  }
}

// The most powerful account of one partnership reaches nothing of another's by id: every {id} route
// answers 404 for the other partnership's records, and nothing there changes.
TEST_F(Matrix, AdminCannotReachAnotherPartnershipsRecords) {
  Target t = fresh_target();
  auto c = client_for("admin", t);
  Target cross = fresh_target(&s.beta);
  cross.actor = t.actor;
  cross.role = t.role;
  for (const auto& row : rows()) {
    if (row.pattern.find("{id}") == std::string::npos) continue;
    auto res = send(c, row.make(cross, ++serial));
    EXPECT_EQ(res.status, 404) << row.method << " " << row.pattern;
  }
  auto w = s.app->work(s.beta.id, {}, store::Transaction::Mode::read);
  auto o = modules::organisations_store::get(w.scope(), cross.org);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->version, 1);
  EXPECT_FALSE(o->archived);
  auto roles = w->read("SELECT COUNT(*) FROM user_roles WHERE partnership_id = $1 AND user_id = $2", {cross.user});
  EXPECT_EQ(roles.one().i64(0), 1);
}

TEST_F(Matrix, EveryRegisteredRouteHasARow) {
  std::set<std::string> in_table;
  for (const auto& row : rows()) in_table.insert(row.method + " " + row.pattern);
  for (const auto& route : s.app->router.routes())
    EXPECT_TRUE(in_table.count(route.method + " " + route.pattern))
        << "route " << route.name << " (" << route.method << " " << route.pattern << ") has no row in the permission matrix";
}
