// The JSON API for organisations: the list envelope, reads, writes, validation, versions and the
// problem documents every error comes back as.
#include <gtest/gtest.h>

#include "http_support.hpp"

using namespace cp;
using namespace cp::test;
namespace json = boost::json;

namespace {

const std::string kValid = R"({"name":"Kirkbeath Credit Union","kind":"third_sector","summary":"Helps with money.",)"
                           R"("expertise":"Debt","contact":{"email":"hello@credit.example.org","phone":"01234 567890"}})";

std::string path_of(std::int64_t id) { return "/api/v1/organisations/" + std::to_string(id); }

}  // namespace

TEST(HttpApi, ListHasTheEnvelopeAndPages) {
  TestServer s;
  for (const char* name : {"Alder Trust", "Birch Group", "Cedar Centre"}) s.add_organisation(s.alpha, name);
  Client c(s.port);
  auto all = c.get("/api/v1/organisations");
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.header("content-type"), "application/json");
  auto o = json_object(all);
  ASSERT_TRUE(o["items"].is_array());
  EXPECT_EQ(o["items"].as_array().size(), 3u);
  EXPECT_EQ(o["page"].as_int64(), 1);
  EXPECT_EQ(o["per_page"].as_int64(), 20);
  EXPECT_EQ(o["total"].as_int64(), 3);
  EXPECT_EQ(o["total_pages"].as_int64(), 1);
  EXPECT_EQ(json_string(o["items"].as_array()[0].as_object(), "name"), "Alder Trust");

  auto second = json_object(c.get("/api/v1/organisations?per_page=2&page=2"));
  EXPECT_EQ(second["items"].as_array().size(), 1u);
  EXPECT_EQ(json_string(second["items"].as_array()[0].as_object(), "name"), "Cedar Centre");
  EXPECT_EQ(second["total_pages"].as_int64(), 2);

  for (const char* bad : {"page=0", "page=-1", "page=abc", "per_page=0", "per_page=101", "per_page=2x"}) {
    SCOPED_TRACE(bad);
    expect_problem(c.get(std::string("/api/v1/organisations?") + bad), 400);
  }
}

TEST(HttpApi, GetOneReturnsTheRecordAndItsVersion) {
  TestServer s;
  auto id = s.add_organisation(s.alpha, "Alder Trust");
  Client c(s.port);
  auto r = c.get(path_of(id));
  ASSERT_EQ(r.status, 200);
  auto o = json_object(r);
  EXPECT_EQ(o["id"].as_int64(), id);
  EXPECT_EQ(json_string(o, "name"), "Alder Trust");
  EXPECT_EQ(json_string(o, "kind"), "third_sector");
  EXPECT_TRUE(o["contact"].is_object());
  EXPECT_EQ(o["version"].as_int64(), 1);
  EXPECT_EQ(o["archived"].as_bool(), false);
  EXPECT_EQ(r.header("etag"), "\"1\"");
  expect_problem(c.get(path_of(id + 1000)), 404);
  expect_problem(c.get("/api/v1/organisations/not-a-number"), 404);
}

TEST(HttpApi, CreateAnswers201WithTheLocation) {
  TestServer s;
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  auto r = api(admin, "POST", "/api/v1/organisations", kValid, session_csrf(admin));
  ASSERT_EQ(r.status, 201) << r.body;
  auto created = json_object(r);
  auto id = created["id"].as_int64();
  EXPECT_EQ(r.header("location"), path_of(id));
  auto again = json_object(admin.get(r.header("location")));
  EXPECT_EQ(json_string(again, "name"), "Kirkbeath Credit Union");
  EXPECT_EQ(json_string(again, "expertise"), "Debt");
  EXPECT_EQ(json_string(again["contact"].as_object(), "email"), "hello@credit.example.org");
  EXPECT_EQ(json_string(again["contact"].as_object(), "phone"), "01234 567890");
}

TEST(HttpApi, BadBodiesAreRefusedWithProblems) {
  TestServer s;
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  std::string csrf = session_csrf(admin);
  auto post = [&](const std::string& body, const std::string& type = "application/json") {
    return admin.request("POST", "/api/v1/organisations", body, type, {{"X-CSRF-Token", csrf}});
  };

  auto unknown = expect_problem(post(R"({"name":"A","kind":"council","summary":"B","colour":"red"})"), 422);
  EXPECT_EQ(error_fields(unknown), std::vector<std::string>{"colour"});
  auto wrong_type = expect_problem(post(R"({"name":5,"kind":"council","summary":"B"})"), 422);
  EXPECT_EQ(error_fields(wrong_type), std::vector<std::string>{"name"});
  auto nested = expect_problem(post(R"({"name":"A","kind":"council","summary":"B","contact":{"fax":"1"}})"), 422);
  EXPECT_EQ(error_fields(nested), std::vector<std::string>{"contact.fax"});
  auto missing = expect_problem(post(R"({"name":"A","kind":"spaceship"})"), 422);
  EXPECT_EQ(error_fields(missing), (std::vector<std::string>{"kind", "summary"}));
  auto errors = missing["errors"].as_array();
  EXPECT_FALSE(json_string(errors[0].as_object(), "message").empty());

  expect_problem(post(kValid, "text/plain"), 415);
  expect_problem(post("name=A&kind=council", "application/x-www-form-urlencoded"), 415);
  expect_problem(post(R"({"name":"A",)"), 400);
  expect_problem(post("[]"), 400);
  expect_problem(post(""), 400);
  EXPECT_EQ(organisation_count(s, s.alpha), 0);
}

TEST(HttpApi, PutReplacesAndPatchChangesOnlyWhatIsSent) {
  TestServer s;
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  std::string csrf = session_csrf(admin);
  auto id = json_object(api(admin, "POST", "/api/v1/organisations", kValid, csrf))["id"].as_int64();

  auto patched = api(admin, "PATCH", path_of(id), R"({"summary":"Helps with money and bills."})", csrf);
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto p = json_object(patched);
  EXPECT_EQ(json_string(p, "name"), "Kirkbeath Credit Union");
  EXPECT_EQ(json_string(p, "summary"), "Helps with money and bills.");
  EXPECT_EQ(json_string(p, "expertise"), "Debt");
  EXPECT_EQ(p["version"].as_int64(), 2);

  auto put = api(admin, "PUT", path_of(id), R"({"name":"Kirkbeath CU","kind":"council","summary":"Replaced."})", csrf);
  ASSERT_EQ(put.status, 200) << put.body;
  auto q = json_object(put);
  EXPECT_EQ(json_string(q, "name"), "Kirkbeath CU");
  EXPECT_EQ(json_string(q, "expertise"), "") << "PUT replaces the whole record";
  EXPECT_EQ(json_string(q["contact"].as_object(), "email"), "");
  EXPECT_EQ(q["version"].as_int64(), 3);

  expect_problem(api(admin, "PUT", path_of(id), R"({"name":"Only A Name"})", csrf), 422);
  expect_problem(api(admin, "PATCH", path_of(id), R"({"name":""})", csrf), 422);
  expect_problem(api(admin, "PATCH", path_of(id + 1000), R"({"name":"Nobody"})", csrf), 404);
  EXPECT_EQ(json_object(admin.get(path_of(id)))["version"].as_int64(), 3);
}

TEST(HttpApi, StaleVersionsAreConflicts) {
  TestServer s;
  auto id = s.add_organisation(s.alpha, "Alder Trust");
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  std::string csrf = session_csrf(admin);
  ASSERT_EQ(api(admin, "PATCH", path_of(id), R"({"summary":"First change.","version":1})", csrf).status, 200);

  expect_problem(api(admin, "PATCH", path_of(id), R"({"summary":"Stale change.","version":1})", csrf), 409);
  expect_problem(api(admin, "PUT", path_of(id), R"({"name":"A","kind":"council","summary":"B","version":1})", csrf), 409);
  expect_problem(api(admin, "PATCH", path_of(id), R"({"summary":"Stale change."})", csrf, {{"If-Match", "\"1\""}}), 409);
  auto now = json_object(admin.get(path_of(id)));
  EXPECT_EQ(json_string(now, "summary"), "First change.");

  auto etag = admin.get(path_of(id)).header("etag");
  auto fresh = api(admin, "PATCH", path_of(id), R"({"summary":"Second change."})", csrf, {{"If-Match", etag}});
  EXPECT_EQ(fresh.status, 200) << fresh.body;
  EXPECT_EQ(json_object(fresh)["version"].as_int64(), 3);
}

TEST(HttpApi, WritesNeedTheRightPerson) {
  TestServer s;
  auto id = s.add_organisation(s.alpha, "Alder Trust");
  Client anon(s.port);
  expect_problem(anon.request("POST", "/api/v1/organisations", kValid, "application/json"), 401);
  expect_problem(anon.request("PATCH", path_of(id), R"({"name":"Mine"})", "application/json"), 401);
  expect_problem(anon.request("POST", path_of(id) + "/archive", "", ""), 401);

  auto person = signed_in_as(s, auth::Role::person, "ana@example.org");
  std::string csrf = session_csrf(person);
  expect_problem(api(person, "POST", "/api/v1/organisations", kValid, csrf), 403);
  expect_problem(api(person, "PATCH", path_of(id), R"({"name":"Mine"})", csrf), 403);
  expect_problem(api(person, "POST", path_of(id) + "/archive", "", csrf), 403);

  auto row = read_rows(s, s.alpha, "SELECT name, archived, version FROM organisations WHERE partnership_id = $1", {});
  ASSERT_EQ(row.rows.size(), 1u);
  EXPECT_EQ(row.one().text(0), "Alder Trust");
  EXPECT_EQ(row.one().i64(1), 0);
  EXPECT_EQ(row.one().i64(2), 1);
}

TEST(HttpApi, ArchiveTakesItOutOfTheList) {
  TestServer s;
  auto id = s.add_organisation(s.alpha, "Alder Trust");
  s.add_organisation(s.alpha, "Birch Group");
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  auto r = api(admin, "POST", path_of(id) + "/archive", "", session_csrf(admin));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json_object(r)["archived"].as_bool(), true);

  Client anon(s.port);
  expect_problem(anon.get(path_of(id)), 404);
  auto list = json_object(anon.get("/api/v1/organisations"));
  EXPECT_EQ(list["total"].as_int64(), 1);
  EXPECT_EQ(json_string(list["items"].as_array()[0].as_object(), "name"), "Birch Group");
  // The admin can still read it; nothing was deleted.
  EXPECT_EQ(json_object(admin.get(path_of(id)))["archived"].as_bool(), true);
  EXPECT_EQ(organisation_count(s, s.alpha), 2);
}
