// The organisation directory's pages: add, find, page through, change, and archive, as a
// partnership admin would with a browser.
#include <gtest/gtest.h>

#include <cstdio>

#include "http_support.hpp"

using namespace cp;
using namespace cp::test;

namespace {

// Links to organisation pages in the result list (pagination links look different).
std::size_t result_links(const std::string& html) { return occurrences(html, "class=\"govuk-link\" href=\"/organisations/"); }

}  // namespace

TEST(HttpOrganisations, CreateThroughTheFormShowsAFlashOnce) {
  TestServer s;
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  auto fields = org_form("Kirkbeath Credit Union", "Helps with money, savings and debt.");
  fields.emplace_back("website", "https://credit.example.org");
  fields.emplace_back("services", "Savings accounts\nSmall loans");
  auto r = admin.submit("/organisations/new", "/organisations", fields);
  ASSERT_EQ(r.status, 303) << r.body;
  auto id = id_from_location(r.header("location"));
  ASSERT_GT(id, 0);
  EXPECT_EQ(r.header("location"), "/organisations/" + std::to_string(id));

  auto page = admin.get(r.header("location"));
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "govuk-notification-banner"));
  EXPECT_TRUE(contains(page.body, html_escape(s.app->catalogue.t("en", "organisations.flash_created"))));
  EXPECT_TRUE(contains(page.body, "Kirkbeath Credit Union"));
  EXPECT_TRUE(contains(page.body, "<li>Small loans</li>"));
  EXPECT_TRUE(contains(page.body, "href=\"https://credit.example.org\""));
  EXPECT_FALSE(contains(admin.get(r.header("location")).body, "govuk-notification-banner"));
}

TEST(HttpOrganisations, SearchFindsByNameAndByWhatTheyDo) {
  TestServer s;
  s.add_organisation(s.alpha, "Kirkbeath Credit Union");
  s.add_organisation(s.alpha, "Glenmore Youth Club");
  Client c(s.port);
  auto by_name = c.get("/organisations?q=credit");
  EXPECT_TRUE(contains(by_name.body, "Kirkbeath Credit Union"));
  EXPECT_FALSE(contains(by_name.body, "Glenmore Youth Club"));
  EXPECT_TRUE(contains(by_name.body, "value=\"credit\""));
  auto by_case = c.get("/organisations?q=YOUTH");
  EXPECT_TRUE(contains(by_case.body, "Glenmore Youth Club"));
  auto none = c.get("/organisations?q=zebra");
  EXPECT_EQ(result_links(none.body), 0u);
  EXPECT_TRUE(contains(none.body, shown(s, "organisations.none_search")));
}

TEST(HttpOrganisations, TwentyFiveOrganisationsMakeTwoPages) {
  TestServer s;
  for (int i = 1; i <= 25; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "Org %02d", i);
    s.add_organisation(s.alpha, name);
  }
  Client c(s.port);
  auto first = c.get("/organisations");
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(result_links(first.body), 20u);
  EXPECT_TRUE(contains(first.body, "class=\"govuk-pagination\""));
  EXPECT_TRUE(contains(first.body, "href=\"/organisations?page=2\" rel=\"next\""));
  EXPECT_FALSE(contains(first.body, "rel=\"prev\""));
  EXPECT_TRUE(contains(first.body, "Org 01"));
  EXPECT_TRUE(contains(first.body, "Org 20"));
  EXPECT_FALSE(contains(first.body, "Org 21"));

  auto second = c.get("/organisations?page=2");
  ASSERT_EQ(second.status, 200);
  EXPECT_EQ(result_links(second.body), 5u);
  for (const char* name : {"Org 21", "Org 22", "Org 23", "Org 24", "Org 25"}) EXPECT_TRUE(contains(second.body, name));
  EXPECT_FALSE(contains(second.body, "Org 20"));
  EXPECT_TRUE(contains(second.body, "href=\"/organisations?page=1\" rel=\"prev\""));
  EXPECT_FALSE(contains(second.body, "rel=\"next\""));
  EXPECT_TRUE(contains(second.body, "aria-current=\"page\">2</a>"));

  // Paging a search keeps the search.
  auto searched = c.get("/organisations?q=org");
  EXPECT_TRUE(contains(searched.body, "href=\"/organisations?q=org&amp;page=2\""));
  // A page past the end is empty, not an error.
  EXPECT_EQ(result_links(c.get("/organisations?page=9").body), 0u);
}

TEST(HttpOrganisations, EditSavesTheChange) {
  TestServer s;
  auto id = s.add_organisation(s.alpha, "Kirkbeath Credit Union");
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  const std::string path = "/organisations/" + std::to_string(id);
  auto form = admin.get(path + "/edit");
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(contains(form.body, "value=\"Kirkbeath Credit Union\""));
  ASSERT_EQ(version_in(form.body), "1");

  auto fields = org_form("Kirkbeath Credit Union Ltd", "Now also gives advice about bills.");
  fields.emplace_back("version", "1");
  fields.emplace_back("csrf_token", Client::csrf_in(form.body));
  auto r = admin.post_form(path, fields);
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.header("location"), path);
  auto page = admin.get(path);
  EXPECT_TRUE(contains(page.body, "Kirkbeath Credit Union Ltd"));
  EXPECT_TRUE(contains(page.body, "Now also gives advice about bills."));
  EXPECT_TRUE(contains(page.body, html_escape(s.app->catalogue.t("en", "organisations.flash_updated"))));
  EXPECT_EQ(read_int(s, s.alpha, "SELECT version FROM organisations WHERE partnership_id = $1 AND id = $2", {id}), 2);

  // A change that breaks a rule comes back with the errors and changes nothing.
  auto bad = org_form("", "Still here.");
  bad.emplace_back("version", "2");
  bad.emplace_back("csrf_token", Client::csrf_in(form.body));
  auto refused = admin.post_form(path, bad);
  EXPECT_EQ(refused.status, 400);
  EXPECT_TRUE(summary_links_to(refused.body, "name"));
  EXPECT_EQ(read_int(s, s.alpha, "SELECT version FROM organisations WHERE partnership_id = $1 AND id = $2", {id}), 2);
}

TEST(HttpOrganisations, SecondTabGetsAConflictAndKeepsItsTyping) {
  TestServer s;
  auto id = s.add_organisation(s.alpha, "Kirkbeath Credit Union");
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  const std::string path = "/organisations/" + std::to_string(id);
  auto tab1 = admin.get(path + "/edit");
  auto tab2 = admin.get(path + "/edit");
  ASSERT_EQ(version_in(tab1.body), "1");
  ASSERT_EQ(version_in(tab2.body), "1");

  auto first = org_form("Name From Tab One", "Typed in tab one.");
  first.emplace_back("version", version_in(tab1.body));
  first.emplace_back("csrf_token", Client::csrf_in(tab1.body));
  ASSERT_EQ(admin.post_form(path, first).status, 303);

  auto second = org_form("Name From Tab Two", "Typed in tab two.");
  second.emplace_back("version", version_in(tab2.body));
  second.emplace_back("csrf_token", Client::csrf_in(tab2.body));
  auto clash = admin.post_form(path, second);
  EXPECT_EQ(clash.status, 409);
  EXPECT_TRUE(contains(clash.body, "class=\"govuk-error-summary\""));
  EXPECT_TRUE(summary_links_to(clash.body, "name"));
  EXPECT_TRUE(contains(clash.body, "value=\"Name From Tab Two\""));
  EXPECT_TRUE(contains(clash.body, "Typed in tab two."));
  auto stored = read_rows(s, s.alpha, "SELECT name, version FROM organisations WHERE partnership_id = $1 AND id = $2", {id});
  EXPECT_EQ(stored.one().text(0), "Name From Tab One");
  EXPECT_EQ(stored.one().i64(1), 2);

  // The form that came back carries the new version, so saving it again is a deliberate overwrite.
  ASSERT_EQ(version_in(clash.body), "2");
  second[3].second = "2";
  EXPECT_EQ(admin.post_form(path, second).status, 303);
  EXPECT_EQ(read_rows(s, s.alpha, "SELECT name FROM organisations WHERE partnership_id = $1 AND id = $2", {id}).one().text(0),
            "Name From Tab Two");
}

TEST(HttpOrganisations, ArchiveHidesButNeverDeletes) {
  TestServer s;
  auto id = s.add_organisation(s.alpha, "Kirkbeath Credit Union");
  s.add_organisation(s.alpha, "Glenmore Youth Club");
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  const std::string path = "/organisations/" + std::to_string(id);

  auto r = admin.submit(path, path + "/archive", {});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.header("location"), "/organisations");
  auto list = admin.get("/organisations");
  EXPECT_TRUE(contains(list.body, html_escape(s.app->catalogue.t("en", "organisations.flash_archived"))));
  EXPECT_FALSE(contains(list.body, "Kirkbeath Credit Union"));
  EXPECT_TRUE(contains(list.body, "Glenmore Youth Club"));
  EXPECT_EQ(result_links(admin.get("/organisations?q=kirkbeath").body), 0u);

  Client anon(s.port);
  EXPECT_EQ(anon.get(path).status, 404);
  EXPECT_EQ(anon.get("/api/v1/organisations/" + std::to_string(id)).status, 404);
  auto seen = admin.get(path);
  EXPECT_EQ(seen.status, 200);
  EXPECT_TRUE(contains(seen.body, shown(s, "organisations.archived_note")));
  EXPECT_FALSE(contains(seen.body, path + "/edit"));
  EXPECT_EQ(admin.get(path + "/edit").status, 403);

  auto row = read_rows(s, s.alpha, "SELECT name, archived FROM organisations WHERE partnership_id = $1 AND id = $2", {id});
  ASSERT_EQ(row.rows.size(), 1u);
  EXPECT_EQ(row.one().text(0), "Kirkbeath Credit Union");
  EXPECT_EQ(row.one().i64(1), 1);
  // There is no way to delete one.
  std::string csrf = session_csrf(admin);
  EXPECT_EQ(api(admin, "DELETE", "/api/v1/organisations/" + std::to_string(id), "", csrf).status, 405);
  EXPECT_EQ(organisation_count(s, s.alpha), 2);
}
