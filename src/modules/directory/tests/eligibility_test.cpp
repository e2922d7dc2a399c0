// Who a service is for (issue 3), on both databases: eligibility attributes (HSDS 3.0 attributes with
// link_type "eligibility") are kept on import, shown on the service page in the reader's language,
// served unchanged at /openreferral/, and used by matching: a match says "for parents", and a
// person's stated groups leave out places that are only for other groups.
#include <gtest/gtest.h>

#include "http/http_support.hpp"
#include "modules/directory/directory.hpp"

using namespace cp;
using namespace cp::test;
namespace json = boost::json;

namespace {

const std::string kParents = "5e0a0001-0000-4000-8000-000000000001";
const std::string kCarers = "5e0a0001-0000-4000-8000-000000000002";
const std::string kOpen = "5e0a0001-0000-4000-8000-000000000003";
const std::string kSanctuary = "5e0a0001-0000-4000-8000-000000000004";

std::string service(const std::string& id, const std::string& name, const std::string& attrs) {
  return R"({"id": ")" + id + R"(", "name": ")" + name + R"(", "description": "Friendly support each week.",
    "status": "active", "organization": {"id": "5e0a0002-0000-4000-8000-000000000001", "name": "Family trust",
    "description": "Runs groups."}, "attributes": [)" + attrs + "]}";
}

std::string attr(const std::string& n, const std::string& term, const std::string& link = "eligibility") {
  return R"({"id": "5e0a0004-0000-4000-8000-00000000000)" + n + R"(", "taxonomy_term_id": ")" + term +
         R"(", "link_type": ")" + link + R"("})";
}

const std::string kTermParents = "5e0a0003-0000-4000-8000-000000000001";
const std::string kTermCarers = "5e0a0003-0000-4000-8000-000000000002";
const std::string kTermSanctuary = "5e0a0003-0000-4000-8000-000000000003";

void import(TestApp& t) {
  std::string feed = R"({"taxonomies": [{"id": "5e0a0005-0000-4000-8000-000000000001", "name": "Who it is for",
    "description": "Groups.", "taxonomy_terms": [
      {"id": ")" + kTermParents + R"(", "name": "Parents", "description": "Parents.", "term": "parents"},
      {"id": ")" + kTermCarers + R"(", "name": "Carers", "description": "Carers.", "term": "Carers"},
      {"id": ")" + kTermSanctuary + R"(", "name": "People seeking sanctuary", "description": "New arrivals.",
       "term": "sanctuary"}]}],
    "services": [)" + service(kParents, "Parent knitting cafe", attr("1", kTermParents)) + "," +
                     service(kCarers, "Carers knitting group", attr("2", kTermCarers)) + "," +
                     service(kOpen, "Open knitting drop-in", "") + "," +
                     service(kSanctuary, "Welcome knitting club", attr("3", kTermSanctuary)) + "]}";
  auto w = t.app->work(t.alpha.id, {std::nullopt, "test", "", ""});
  modules::directory_store::import_feed(w.scope(), json::parse(feed));
  w.commit();
}

// The one-line reason given for a result, found by its name on the match page.
std::string reason_for(const std::string& page, const std::string& name) {
  auto at = page.find(name);
  if (at == std::string::npos) return "";
  auto end = page.find("</li>", at);
  // Lower case: a reason that comes first in the line starts with a capital.
  return to_lower(page.substr(at, end == std::string::npos ? 600 : end - at));
}

}  // namespace

TEST(DirectoryEligibility, KeptOnImportShownOnThePageAndServedAsOpenReferral) {
  TestServer s;
  import(s);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM directory_attributes WHERE partnership_id = $1 AND link_type = 'eligibility'"),
            3);
  {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
    auto id = modules::directory_store::brief_by_uuid(w.scope(), kCarers)->id;
    auto tags = modules::directory_store::eligibility(w.scope(), id);
    ASSERT_EQ(tags.size(), 1u);
    EXPECT_EQ(tags[0].code, "carers") << "a code in another case is still the same group";
  }
  Client anon(s.port);
  auto page = anon.get("/services/" + kParents);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "<li>For parents</li>")) << page.body;
  auto cy = anon.get("/services/" + kParents + "?lang=cy");
  EXPECT_TRUE(contains(cy.body, "<li>" + html_escape(s.app->catalogue.t("cy", "directory.for_group",
                                                                         {{"group", s.app->catalogue.t("cy", "directory.group_parents")}})) +
                                    "</li>"));
  // A group this directory does not know is shown in the feed's own words.
  auto sanctuary = anon.get("/services/" + kSanctuary + "?lang=en").body;
  EXPECT_TRUE(contains(sanctuary, "<li>For People seeking sanctuary</li>")) << sanctuary;
  EXPECT_FALSE(contains(anon.get("/services/" + kOpen + "?lang=en").body, "id=\"eligibility\""));

  auto api = anon.get("/openreferral/services/" + kParents);
  ASSERT_EQ(api.status, 200);
  auto attrs = json::parse(api.body).as_object().at("attributes").as_array();
  ASSERT_EQ(attrs.size(), 1u);
  EXPECT_EQ(attrs[0].as_object().at("link_type").as_string(), "eligibility");
  EXPECT_EQ(attrs[0].as_object().at("taxonomy_term").as_object().at("term").as_string(), "parents");
}

TEST(DirectoryEligibility, MatchingSaysWhoItIsForAndLeavesOutWhatIsOnlyForOthers) {
  TestServer s;
  import(s);
  auto worker = signed_in_as(s, auth::Role::worker, "w@example.org");
  auto all = worker.get("/match?q=knitting");
  ASSERT_EQ(all.status, 200) << error_summary(all.body);
  for (const auto* name : {"Parent knitting cafe", "Carers knitting group", "Open knitting drop-in", "Welcome knitting club"})
    EXPECT_TRUE(contains(all.body, name)) << name;
  EXPECT_TRUE(contains(reason_for(all.body, "Parent knitting cafe"), "for parents")) << reason_for(all.body, "Parent knitting cafe");
  EXPECT_TRUE(contains(reason_for(all.body, "Welcome knitting club"), "for people seeking sanctuary"));

  // A carer: the parents' cafe is left out; the carers' group says why it fits and comes first.
  auto carer = worker.get("/match?q=knitting&eligibility=carers");
  ASSERT_EQ(carer.status, 200);
  EXPECT_FALSE(contains(carer.body, "Parent knitting cafe"));
  EXPECT_TRUE(contains(reason_for(carer.body, "Carers knitting group"), "for carers"));
  EXPECT_TRUE(contains(carer.body, "Open knitting drop-in")) << "open to everyone";
  EXPECT_TRUE(contains(carer.body, "Welcome knitting club")) << "a group we cannot judge is not left out";
  EXPECT_LT(carer.body.find("Carers knitting group"), carer.body.find("Open knitting drop-in"));
  EXPECT_TRUE(contains(carer.body, "value=\"carers\" checked"));

  // In Welsh, the reason is in Welsh.
  auto welsh = worker.get("/match?q=knitting&eligibility=carers&lang=cy");
  EXPECT_TRUE(contains(reason_for(welsh.body, "Carers knitting group"),
                       html_escape(s.app->catalogue.t("cy", "directory.group_carers"))));

  // A group that is not on the list is refused, with the form's error summary.
  auto bad = worker.get("/match?q=knitting&eligibility=wizards");
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(summary_links_to(bad.body, "eligibility"));
}
