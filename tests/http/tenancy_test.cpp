// Partnerships are walled off from each other: the Host header picks one, and nothing reached
// through one host (ids, sessions, lists) leads into another.
#include <gtest/gtest.h>

#include "http_support.hpp"

using namespace cp;
using namespace cp::test;

TEST(HttpTenancy, AdminOfBetaCannotSeeOrChangeAlphasOrganisation) {
  TestServer s;
  auto alpha_org = s.add_organisation(s.alpha, "Alpha Food Bank");
  s.add_organisation(s.beta, "Beta Youth Club");
  auto b = signed_in_as(s, auth::Role::admin, "bea@example.org", "beta.test");
  const std::string path = "/organisations/" + std::to_string(alpha_org);
  const std::string api_path = "/api/v1/organisations/" + std::to_string(alpha_org);
  std::string csrf = session_csrf(b);
  ASSERT_FALSE(csrf.empty());

  EXPECT_EQ(b.get(path).status, 404);
  EXPECT_EQ(b.get(path + "/edit").status, 404);
  auto fields = org_form("Taken Over");
  fields.emplace_back("version", "1");
  fields.emplace_back("csrf_token", csrf);
  EXPECT_EQ(b.post_form(path, fields).status, 404);
  EXPECT_EQ(b.post_form(path + "/archive", {{"csrf_token", csrf}}).status, 404);
  expect_problem(api(b, "GET", api_path, "", ""), 404);
  expect_problem(api(b, "PATCH", api_path, R"({"name":"Taken Over"})", csrf), 404);
  expect_problem(api(b, "PUT", api_path, R"({"name":"Taken Over","kind":"council","summary":"Ours now."})", csrf), 404);
  expect_problem(api(b, "POST", api_path + "/archive", "", csrf), 404);

  auto row = read_rows(s, s.alpha, "SELECT name, archived, version FROM organisations WHERE partnership_id = $1 AND id = $2",
                       {alpha_org});
  EXPECT_EQ(row.one().text(0), "Alpha Food Bank");
  EXPECT_EQ(row.one().i64(1), 0);
  EXPECT_EQ(row.one().i64(2), 1);
}

TEST(HttpTenancy, AdminOfBetaCannotReachAlphasAccounts) {
  TestServer s;
  auto alpha_user = s.add_user(s.alpha, "ana@example.org", kPassword, auth::Role::person);
  auto b = signed_in_as(s, auth::Role::admin, "bea@example.org", "beta.test");
  const std::string page = "/admin/users/" + std::to_string(alpha_user);
  EXPECT_EQ(b.get(page).status, 404);
  EXPECT_EQ(b.post_form(page + "/reset-password", {{"csrf_token", session_csrf(b)}}).status, 404);
  EXPECT_FALSE(contains(b.get("/admin/users").body, "ana@example.org"));
  Client ana(s.port);
  EXPECT_EQ(ana.sign_in("ana@example.org", kPassword).status, 303) << "the password must not have been reset";
}

TEST(HttpTenancy, AlphasSessionIsNoSessionOnBeta) {
  TestServer s;
  // The same email in both partnerships is two separate accounts.
  s.add_user(s.beta, "ana@example.org", "the beta passphrase here", auth::Role::admin);
  auto a = signed_in_as(s, auth::Role::admin, "ana@example.org");
  ASSERT_EQ(a.get("/account").status, 200);

  Client on_beta(s.port, "beta.test");
  on_beta.set_cookie("cp_session", a.cookie("cp_session"));
  auto r = on_beta.get("/account");
  EXPECT_EQ(r.status, 303);
  EXPECT_TRUE(starts_with(r.header("location"), "/sign-in"));
  EXPECT_EQ(on_beta.get("/admin/users").status, 303);
  expect_problem(api(on_beta, "POST", "/api/v1/organisations", R"({"name":"X","kind":"council","summary":"Y"})",
                     session_csrf(a)),
                 401);
  EXPECT_EQ(organisation_count(s, s.beta), 0);

  Client wrong(s.port, "beta.test");
  EXPECT_EQ(wrong.sign_in("ana@example.org", kPassword).status, 400) << "alpha's password must not open beta's account";
}

TEST(HttpTenancy, EachHostListsOnlyItsOwnOrganisations) {
  TestServer s;
  s.add_organisation(s.alpha, "Alpha Food Bank");
  s.add_organisation(s.beta, "Beta Youth Club");
  Client a(s.port, "alpha.test"), b(s.port, "beta.test");

  auto alpha_page = a.get("/organisations");
  EXPECT_TRUE(contains(alpha_page.body, "Alpha Food Bank"));
  EXPECT_FALSE(contains(alpha_page.body, "Beta Youth Club"));
  auto beta_page = b.get("/organisations");
  EXPECT_TRUE(contains(beta_page.body, "Beta Youth Club"));
  EXPECT_FALSE(contains(beta_page.body, "Alpha Food Bank"));

  auto alpha_api = json_object(a.get("/api/v1/organisations"));
  EXPECT_EQ(alpha_api["total"].as_int64(), 1);
  EXPECT_EQ(json_string(alpha_api["items"].as_array()[0].as_object(), "name"), "Alpha Food Bank");
  auto beta_search = json_object(b.get("/api/v1/organisations?q=alpha"));
  EXPECT_EQ(beta_search["total"].as_int64(), 0);
}
