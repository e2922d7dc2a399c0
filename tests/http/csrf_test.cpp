// Cross-site request forgery: a state-changing request must carry the session's own token, or it
// is refused before it changes anything.
#include <gtest/gtest.h>

#include "http_support.hpp"

using namespace cp;
using namespace cp::test;

TEST(HttpCsrf, FormPostWithoutTheRightTokenChangesNothing) {
  TestServer s;
  auto c = signed_in_as(s, auth::Role::admin, "admin@example.org");
  auto other = signed_in_as(s, auth::Role::admin, "other@example.org");
  const auto before = organisation_count(s, s.alpha);

  auto none = c.post_form("/organisations", org_form("Forged Trust"));
  EXPECT_EQ(none.status, 403);
  EXPECT_TRUE(contains(none.body, shown(s, "site.csrf_title")));

  auto fields = org_form("Forged Trust");
  fields.emplace_back("csrf_token", "not-the-token");
  EXPECT_EQ(c.post_form("/organisations", fields).status, 403);

  // A real token, but from someone else's session.
  fields.back().second = session_csrf(other);
  EXPECT_EQ(c.post_form("/organisations", fields).status, 403);

  EXPECT_EQ(organisation_count(s, s.alpha), before);

  // The same request with this session's token works, so the refusals above were about the token.
  fields.back().second = session_csrf(c);
  EXPECT_EQ(c.post_form("/organisations", fields).status, 303);
  EXPECT_EQ(organisation_count(s, s.alpha), before + 1);
}

TEST(HttpCsrf, SignOutNeedsTheToken) {
  TestServer s;
  auto c = signed_in_as(s, auth::Role::person, "ana@example.org");
  EXPECT_EQ(c.post_form("/sign-out", {}).status, 403);
  EXPECT_EQ(c.get("/account").status, 200);
}

TEST(HttpCsrf, ArchiveWithoutTokenLeavesTheOrganisation) {
  TestServer s;
  auto id = s.add_organisation(s.alpha, "Kirkbeath Food Bank");
  auto c = signed_in_as(s, auth::Role::admin, "admin@example.org");
  auto r = c.post_form("/organisations/" + std::to_string(id) + "/archive", {{"csrf_token", "guess"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT archived FROM organisations WHERE partnership_id = $1 AND id = $2", {id}), 0);
}

TEST(HttpCsrf, ApiWriteWithCookieButNoHeaderIsRefused) {
  TestServer s;
  auto id = s.add_organisation(s.alpha, "Kirkbeath Food Bank");
  auto c = signed_in_as(s, auth::Role::admin, "admin@example.org");
  const auto before = organisation_count(s, s.alpha);
  const std::string body = R"({"name":"Forged Trust","kind":"council","summary":"Made by a forged request."})";

  expect_problem(api(c, "POST", "/api/v1/organisations", body, ""), 403);
  expect_problem(api(c, "POST", "/api/v1/organisations", body, "not-the-token"), 403);
  expect_problem(api(c, "PATCH", "/api/v1/organisations/" + std::to_string(id), R"({"name":"Renamed"})", ""), 403);
  expect_problem(api(c, "POST", "/api/v1/organisations/" + std::to_string(id) + "/archive", "", ""), 403);
  EXPECT_EQ(organisation_count(s, s.alpha), before);
  auto row = read_rows(s, s.alpha, "SELECT name, archived, version FROM organisations WHERE partnership_id = $1 AND id = $2", {id});
  EXPECT_EQ(row.one().text(0), "Kirkbeath Food Bank");
  EXPECT_EQ(row.one().i64(1), 0);
  EXPECT_EQ(row.one().i64(2), 1);

  EXPECT_EQ(api(c, "POST", "/api/v1/organisations", body, session_csrf(c)).status, 201);
  EXPECT_EQ(organisation_count(s, s.alpha), before + 1);
}
