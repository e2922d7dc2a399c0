// The plain-language check on the organisation form: "Check my writing" shows the results and saves
// nothing; saving hard text still works and its editors are warned on the page; visitors never
// see the warning.
#include <gtest/gtest.h>

#include "http_support.hpp"

using namespace cp;
using namespace cp::test;

namespace {

// "in order to", "facilitate" and "stakeholders" are all on the built-in jargon list.
const std::string kJargon = "We work with stakeholders in order to facilitate better services.";
// One sentence of 30 words, most of them long.
const std::string kHard =
    "Our organisation provides comprehensive multidisciplinary interventions addressing the "
    "interconnected socioeconomic determinants affecting vulnerable individuals, families and "
    "communities throughout the region, delivering sustainable improvements in wellbeing, "
    "resilience and opportunity for everyone.";
const std::string kEasy = "We help people with money. We are open every day. Come and see us.";

// The plain-language results on a page, from where they start to the end of the page ("" if none).
std::string plain_section(const std::string& html) {
  auto at = html.find("id=\"plain-check\"");
  return at == std::string::npos ? std::string() : html.substr(at);
}

std::string stored_summary(TestServer& s, std::int64_t id) {
  return read_rows(s, s.alpha, "SELECT summary FROM organisations WHERE partnership_id = $1 AND id = $2", {id})
      .one()
      .text(0);
}

}  // namespace

TEST(HttpPlainForm, CheckMyWritingShowsResultsAndSavesNothing) {
  TestServer s;
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  auto fields = org_form("Kirkbeath Forum", kJargon);
  fields.emplace_back("action", "check");
  auto r = admin.submit("/organisations/new", "/organisations", fields);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(organisation_count(s, s.alpha), 0);
  auto found = plain_section(r.body);
  ASSERT_FALSE(found.empty()) << r.body;
  EXPECT_TRUE(contains(found, "Reading age: ")) << found;
  // The suggestion for "in order to" is "to".
  EXPECT_TRUE(contains(found, "in order to</mark>: try “to”")) << found;
  EXPECT_TRUE(contains(found, "facilitate</mark>")) << found;
  // The form comes back with what was typed, ready to save.
  EXPECT_TRUE(contains(r.body, ">" + kJargon + "</textarea>"));
  EXPECT_TRUE(contains(r.body, "value=\"Kirkbeath Forum\""));
  EXPECT_TRUE(contains(r.body, shown(s, "plain.web_not_saved")));
  EXPECT_TRUE(contains(r.body, "name=\"action\" value=\"check\""));
}

TEST(HttpPlainForm, CheckOnAnExistingOrganisationChangesNothing) {
  TestServer s;
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  auto saved = admin.submit("/organisations/new", "/organisations", org_form("Kirkbeath Forum", kEasy));
  ASSERT_EQ(saved.status, 303) << saved.body;
  auto id = id_from_location(saved.header("location"));
  auto path = "/organisations/" + std::to_string(id);
  auto fields = org_form("Kirkbeath Forum", kJargon);
  fields.emplace_back("action", "check");
  auto r = admin.submit(path + "/edit", path, fields);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(contains(plain_section(r.body), "in order to</mark>: try “to”"));
  EXPECT_EQ(stored_summary(s, id), kEasy);
  // The check is a form post like any other: without the CSRF token it is refused.
  Client anon(s.port, "alpha.test");
  EXPECT_EQ(anon.post_form(path, {{"name", "X"}, {"kind", "other"}, {"summary", kJargon}, {"action", "check"}}).status,
            403);
}

TEST(HttpPlainForm, HardTextIsSavedAndOnlyItsEditorsAreWarned) {
  TestServer s;
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  auto fields = org_form("Kirkbeath Forum", kHard);
  fields.emplace_back("expertise", kJargon);
  auto r = admin.submit("/organisations/new", "/organisations", fields);
  ASSERT_EQ(r.status, 303) << r.body;
  auto id = id_from_location(r.header("location"));
  EXPECT_EQ(stored_summary(s, id), kHard);

  auto page = admin.get(r.header("location"));
  ASSERT_EQ(page.status, 200);
  auto warning = plain_section(page.body);
  ASSERT_FALSE(warning.empty()) << page.body;
  EXPECT_TRUE(contains(warning, "govuk-warning-text"));
  EXPECT_TRUE(contains(warning, shown(s, "plain.web_hard_title")));
  EXPECT_TRUE(contains(warning, shown(s, "plain.web_over_target")));
  EXPECT_TRUE(contains(warning, "30 words:</strong> <span class=\"cp-plain-sentence\" lang=\"en\">Our organisation provides")) << warning;
  EXPECT_TRUE(contains(warning, "in order to</mark>: try “to”"));

  Client visitor(s.port, "alpha.test");
  auto seen = visitor.get(r.header("location"));
  ASSERT_EQ(seen.status, 200);
  EXPECT_TRUE(contains(seen.body, "Our organisation provides"));
  EXPECT_FALSE(contains(seen.body, "plain-check"));
  EXPECT_FALSE(contains(seen.body, shown(s, "plain.web_hard_title")));
}

TEST(HttpPlainForm, EasyTextGetsNoWarning) {
  TestServer s;
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  auto r = admin.submit("/organisations/new", "/organisations", org_form("Kirkbeath Forum", kEasy));
  ASSERT_EQ(r.status, 303) << r.body;
  auto page = admin.get(r.header("location"));
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, kEasy));
  EXPECT_FALSE(contains(page.body, "plain-check"));

  auto fields = org_form("Kirkbeath Forum", kEasy);
  fields.emplace_back("action", "check");
  auto checked = admin.submit("/organisations/new", "/organisations", fields);
  ASSERT_EQ(checked.status, 200);
  auto found = plain_section(checked.body);
  EXPECT_FALSE(contains(found, "govuk-warning-text"));
  EXPECT_TRUE(contains(found, html_escape(s.app->catalogue.t("en", "plain.web_all_good", {{"target", "9"}}))));
}
