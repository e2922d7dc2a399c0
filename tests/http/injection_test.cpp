// Hostile text is data: stored exactly as typed, shown escaped, matched literally in searches, and
// never turned into a link that runs script.
#include <gtest/gtest.h>

#include "http_support.hpp"

using namespace cp;
using namespace cp::test;

namespace {

const std::string kScriptName = R"(<script>alert("x")</script>)";
const std::string kSqlName = "Robert'); DROP TABLE organisations;--";

std::int64_t create_through_form(Client& admin, const std::string& name) {
  auto r = admin.submit("/organisations/new", "/organisations", org_form(name));
  EXPECT_EQ(r.status, 303) << r.body;
  return id_from_location(r.header("location"));
}

std::int64_t api_total(Client& c, const std::string& q) {
  auto r = c.get("/api/v1/organisations?q=" + http::url_encode(q));
  EXPECT_EQ(r.status, 200) << "q=" << q << ": " << r.body;
  return json_object(r)["total"].as_int64();
}

}  // namespace

TEST(HttpInjection, HostileNamesAreStoredVerbatimAndShownEscaped) {
  TestServer s;
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  auto script_id = create_through_form(admin, kScriptName);
  auto sql_id = create_through_form(admin, kSqlName);
  ASSERT_GT(script_id, 0);
  ASSERT_GT(sql_id, 0);

  Client anon(s.port);
  EXPECT_EQ(json_string(json_object(anon.get("/api/v1/organisations/" + std::to_string(script_id))), "name"), kScriptName);
  EXPECT_EQ(json_string(json_object(anon.get("/api/v1/organisations/" + std::to_string(sql_id))), "name"), kSqlName);
  // The table is still there and holds both.
  EXPECT_EQ(organisation_count(s, s.alpha), 2);

  const std::string escaped_script = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;";
  for (const std::string path : {std::string("/organisations"), "/organisations/" + std::to_string(script_id),
                                 "/organisations/" + std::to_string(script_id) + "/edit"}) {
    SCOPED_TRACE(path);
    auto page = admin.get(path);
    ASSERT_EQ(page.status, 200);
    EXPECT_FALSE(contains(page.body, "<script>"));
    EXPECT_FALSE(contains(page.body, "alert(\"x\")"));
    EXPECT_TRUE(contains(page.body, escaped_script));
  }
  auto list = anon.get("/organisations");
  EXPECT_TRUE(contains(list.body, "Robert&apos;); DROP TABLE organisations;--"));
  EXPECT_FALSE(contains(list.body, kSqlName));
}

TEST(HttpInjection, HostileInputEchoedInAFormWithErrorsIsEscaped) {
  TestServer s;
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  // The summary is missing, so the form comes back with the name typed in it.
  auto r = admin.submit("/organisations/new", "/organisations",
                        {{"name", R"("><script>alert(1)</script>)"}, {"kind", "council"}, {"summary", ""}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(summary_links_to(r.body, "summary"));
  EXPECT_FALSE(contains(r.body, "<script>alert(1)"));
  EXPECT_FALSE(contains(r.body, "\"><script>"));
  EXPECT_TRUE(contains(r.body, "value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""));

  // A search term is echoed into the search box and the result count.
  Client anon(s.port);
  auto search = anon.get("/organisations?q=" + http::url_encode(R"("><script>alert(2)</script>)"));
  EXPECT_EQ(search.status, 200);
  EXPECT_FALSE(contains(search.body, "<script>alert(2)"));
}

TEST(HttpInjection, SearchMatchesWildcardsAndQuotesLiterally) {
  TestServer s;
  for (const char* name : {"100% Club", "1000 Club", "Save_The_Date", "SaveXTheXDate", "O'Brien Trust", "OBrien Trust",
                           R"(The "Quoted" Cafe)", "The Quoted Cafe"})
    s.add_organisation(s.alpha, name);
  Client c(s.port);
  EXPECT_EQ(api_total(c, "%"), 1);
  EXPECT_EQ(api_total(c, "0%"), 1);
  EXPECT_EQ(api_total(c, "_"), 1);
  EXPECT_EQ(api_total(c, "e_t"), 1);
  EXPECT_EQ(api_total(c, "o'b"), 1);
  EXPECT_EQ(api_total(c, "'"), 1);
  EXPECT_EQ(api_total(c, R"("quoted")"), 1);
  EXPECT_EQ(api_total(c, "\\"), 0);
  EXPECT_EQ(api_total(c, "'; --"), 0);
  EXPECT_EQ(api_total(c, "club"), 2);

  auto page = c.get("/organisations?q=%25");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "100% Club"));
  EXPECT_FALSE(contains(page.body, "1000 Club"));
  auto apostrophe = c.get("/organisations?q=" + http::url_encode("O'Brien"));
  EXPECT_TRUE(contains(apostrophe.body, "O&apos;Brien Trust"));
  EXPECT_FALSE(contains(apostrophe.body, "OBrien Trust"));
}

TEST(HttpInjection, JavascriptWebsiteIsRefused) {
  TestServer s;
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  for (const std::string site : {"javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<b>x</b>", " javascript:x"}) {
    SCOPED_TRACE(site);
    auto fields = org_form("Link Trust");
    fields.emplace_back("website", site);
    auto r = admin.submit("/organisations/new", "/organisations", fields);
    EXPECT_EQ(r.status, 400);
    EXPECT_TRUE(summary_links_to(r.body, "website"));
    EXPECT_TRUE(contains(r.body, "id=\"website-error\""));
  }
  EXPECT_EQ(organisation_count(s, s.alpha), 0);

  std::string csrf = session_csrf(admin);
  auto created = api(admin, "POST", "/api/v1/organisations",
                     R"j({"name":"Link Trust","kind":"council","summary":"Has a link.","website":"javascript:alert(1)"})j", csrf);
  auto problem = expect_problem(created, 422);
  EXPECT_EQ(error_fields(problem), (std::vector<std::string>{"website"}));
  EXPECT_EQ(organisation_count(s, s.alpha), 0);

  auto id = s.add_organisation(s.alpha, "Link Trust");
  auto patched = api(admin, "PATCH", "/api/v1/organisations/" + std::to_string(id), R"j({"website":"javascript:alert(1)"})j", csrf);
  expect_problem(patched, 422);
  EXPECT_FALSE(contains(admin.get("/organisations/" + std::to_string(id)).body, "javascript:"));
}
