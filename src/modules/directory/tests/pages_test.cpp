// The directory's public pages and freshness, through real HTTP: search by words, topic and kind;
// "near" a postcode or outcode ordered by distance; a clear message for a postcode we do not know;
// a service page in plain words that never shows a private place or a staff-only contact; and
// "Mark as checked" for the service's organisation's managers and admins only, audited.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "support/harness.hpp"

using namespace cp;

namespace {

const std::string kPassword = "a long enough passphrase 1";
const std::string kAdvice = "33333333-3333-4333-8333-333333333333";
const std::string kWalk = "77777777-7777-4777-8777-777777777777";
const std::string kLunch = "12121212-1212-4212-8212-121212121212";
const std::string kWalkingTerm = "22222222-2222-4222-8222-222222222223";

// Three places around Kirkcaldy and Dunfermline. The advice service was last checked long ago, so it
// is overdue whatever day the test runs; the other two carry no dates and so count from their import.
const std::string kFeed = R"({
  "taxonomies": [{"id": "11111111-1111-4111-8111-111111111111", "name": "Topics", "description": "Topics",
    "taxonomy_terms": [
      {"id": "22222222-2222-4222-8222-222222222222", "name": "Money", "description": "Money"},
      {"id": "22222222-2222-4222-8222-222222222223", "name": "Walking", "description": "Walking"}]}],
  "services": [
    {"id": "33333333-3333-4333-8333-333333333333", "name": "Kirkcaldy Money Advice", "status": "active",
     "description": "Help with debt and benefits.", "minimum_age": 16,
     "assured_date": "2020-03-03", "last_modified": "2020-01-10T09:00:00Z",
     "organization": {"id": "44444444-4444-4444-8444-444444444444", "name": "Fife Advice Centre", "description": "Free advice."},
     "attributes": [{"id": "99999999-9999-4999-8999-999999999990", "taxonomy_term_id": "22222222-2222-4222-8222-222222222222"}],
     "schedules": [{"id": "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaa1", "freq": "WEEKLY", "byday": "TU", "opens_at": "10:00", "closes_at": "14:00"},
                   {"id": "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaa2", "freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "09:30", "closes_at": "12:00"}],
     "cost_options": [{"id": "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbb1", "option": "Free", "amount": 0}],
     "languages": [{"id": "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbb2", "name": "Polish", "code": "pl"}],
     "service_at_locations": [
       {"id": "cccccccc-cccc-4ccc-8ccc-ccccccccccc1", "location": {"id": "dddddddd-dddd-4ddd-8ddd-ddddddddddd1",
        "location_type": "physical", "name": "Advice Shop", "latitude": 56.116, "longitude": -3.161,
        "addresses": [{"id": "eeeeeeee-eeee-4eee-8eee-eeeeeeeeeee1", "address_1": "12 High Street", "city": "Kirkcaldy",
          "state_province": "Fife", "postal_code": "KY1 1AA", "country": "GB", "address_type": "physical"}],
        "accessibility": [{"id": "eeeeeeee-eeee-4eee-8eee-eeeeeeeeeee2", "description": "Step-free entrance"}]}},
       {"id": "cccccccc-cccc-4ccc-8ccc-ccccccccccc2", "location": {"id": "dddddddd-dddd-4ddd-8ddd-ddddddddddd2",
        "location_type": "physical", "name": "Safe House Refuge", "private": true, "latitude": 56.2, "longitude": -3.2,
        "addresses": [{"id": "eeeeeeee-eeee-4eee-8eee-eeeeeeeeeee3", "address_1": "1 Secret Lane", "city": "Kirkcaldy",
          "state_province": "Fife", "postal_code": "KY2 5ZZ", "country": "GB", "address_type": "physical"}]}}],
     "contacts": [
       {"id": "55555555-5555-4555-8555-555555555555", "name": "Front Desk", "phones": [{"id": "55555555-5555-4555-8555-555555555556", "number": "01592 000111"}]},
       {"id": "66666666-6666-4666-8666-666666666666", "name": "Staffmember Hidden", "private": true,
        "phones": [{"id": "66666666-6666-4666-8666-666666666667", "number": "07700 900999"}]}]},
    {"id": "77777777-7777-4777-8777-777777777777", "name": "Beveridge Park Walking Group", "status": "active",
     "asset_kind": "walking_group", "description": "A gentle walk round the park.",
     "organization": {"id": "88888888-8888-4888-8888-888888888888", "name": "Friends of Beveridge Park", "description": "Volunteers."},
     "attributes": [{"id": "99999999-9999-4999-8999-999999999999", "taxonomy_term_id": "22222222-2222-4222-8222-222222222223"}],
     "service_at_locations": [{"id": "cccccccc-cccc-4ccc-8ccc-ccccccccccc3", "location": {"id": "dddddddd-dddd-4ddd-8ddd-ddddddddddd3",
        "location_type": "physical", "name": "Park gates", "latitude": 56.105, "longitude": -3.175}}]},
    {"id": "12121212-1212-4212-8212-121212121212", "name": "Dunfermline Lunch Club", "status": "active",
     "asset_kind": "community_group", "description": "Soup, a roll and a chat.",
     "service_at_locations": [{"id": "cccccccc-cccc-4ccc-8ccc-ccccccccccc4", "location": {"id": "dddddddd-dddd-4ddd-8ddd-ddddddddddd4",
        "location_type": "physical", "name": "Church hall", "latitude": 56.071, "longitude": -3.452}}]}
  ]})";

struct Pages : ::testing::Test {
  test::TestServer s;
  std::int64_t advice_org = 0, walk_org = 0;
  int serial = 0;

  void SetUp() override {
    {
      auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
      modules::directory_store::import_feed(w.scope(), boost::json::parse(kFeed));
      advice_org = w->read("SELECT organisation_id FROM directory_organisations WHERE partnership_id = $1 AND uuid = $2",
                           {"44444444-4444-4444-8444-444444444444"}).one().i64(0);
      walk_org = w->read("SELECT organisation_id FROM directory_organisations WHERE partnership_id = $1 AND uuid = $2",
                         {"88888888-8888-4888-8888-888888888888"}).one().i64(0);
      w.commit();
    }
    auto lease = s.app->db->lease();
    lease->run("INSERT INTO postcode_outcodes (outcode, latitude, longitude) VALUES ('KY1', 56.115, -3.160)", {});
    lease->run("INSERT INTO postcodes (postcode, latitude, longitude) VALUES ('KY12 7AA', 56.072, -3.450)", {});
  }

  test::Client as(auth::Role role, std::optional<std::int64_t> org = std::nullopt) {
    test::Client c(s.port, "alpha.test");
    std::string email = "pages" + std::to_string(++serial) + "@example.org";
    s.add_user(s.alpha, email, kPassword, role, org);
    EXPECT_EQ(c.sign_in(email, kPassword).status, 303);
    return c;
  }

  std::int64_t audit_count(const std::string& action) {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    return w->read("SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = $2", {action}).one().i64(0);
  }
};

bool has(const std::string& body, const std::string& text) { return body.find(text) != std::string::npos; }

}  // namespace

TEST_F(Pages, SearchByWordsTopicAndKind) {
  test::Client c(s.port, "alpha.test");
  auto r = c.get("/services?q=debt");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(has(r.body, "Kirkcaldy Money Advice"));
  EXPECT_FALSE(has(r.body, "Beveridge Park"));
  // Every word must match, in any order.
  r = c.get("/services?q=park+walk");
  EXPECT_TRUE(has(r.body, "Beveridge Park Walking Group"));
  EXPECT_FALSE(has(r.body, "Money Advice"));
  EXPECT_FALSE(has(c.get("/services?q=park+debt").body, "/services/" + kWalk));
  r = c.get("/services?category=" + kWalkingTerm);
  EXPECT_TRUE(has(r.body, "/services/" + kWalk));
  EXPECT_FALSE(has(r.body, "/services/" + kAdvice));
  r = c.get("/services?kind=service");
  EXPECT_TRUE(has(r.body, "/services/" + kAdvice));
  EXPECT_FALSE(has(r.body, "/services/" + kWalk));
  r = c.get("/services?kind=asset");
  EXPECT_FALSE(has(r.body, "/services/" + kAdvice));
  EXPECT_TRUE(has(r.body, "/services/" + kWalk));
  EXPECT_TRUE(has(r.body, "/services/" + kLunch));
  r = c.get("/services?kind=community_group");
  EXPECT_TRUE(has(r.body, "/services/" + kLunch));
  EXPECT_FALSE(has(r.body, "/services/" + kWalk));
  // Without "near", results are in name order.
  r = c.get("/services");
  EXPECT_LT(r.body.find("/services/" + kWalk), r.body.find("/services/" + kLunch));
  EXPECT_LT(r.body.find("/services/" + kLunch), r.body.find("/services/" + kAdvice));
  EXPECT_TRUE(has(r.body, "3 results"));
}

TEST_F(Pages, NearAnOutcodeOrdersByDistance) {
  test::Client c(s.port, "alpha.test");
  auto r = c.get("/services?near=ky1");
  ASSERT_EQ(r.status, 200) << r.body;
  auto advice = r.body.find("/services/" + kAdvice), walk = r.body.find("/services/" + kWalk),
       lunch = r.body.find("/services/" + kLunch);
  ASSERT_NE(lunch, std::string::npos);
  EXPECT_LT(advice, walk);
  EXPECT_LT(walk, lunch);
  EXPECT_TRUE(has(r.body, "0.1 km away"));
  EXPECT_TRUE(has(r.body, "nearest to KY1 first"));
  // From a full postcode in Dunfermline the order turns round.
  r = c.get("/services?near=KY12+7AA");
  ASSERT_EQ(r.status, 200);
  EXPECT_LT(r.body.find("/services/" + kLunch), r.body.find("/services/" + kWalk));
  EXPECT_LT(r.body.find("/services/" + kWalk), r.body.find("/services/" + kAdvice));
  // Filters still apply when near is given.
  r = c.get("/services?near=KY1&kind=asset");
  EXPECT_FALSE(has(r.body, "/services/" + kAdvice));
}

TEST_F(Pages, APostcodeWeDoNotKnowGetsAPlainMessage) {
  test::Client c(s.port, "alpha.test");
  auto r = c.get("/services?near=KY99+9ZZ");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(has(r.body, "We could not find the postcode KY99 9ZZ")) << r.body;
  EXPECT_TRUE(has(r.body, "govuk-error-summary"));
  EXPECT_TRUE(has(r.body, "href=\"#near\""));
  EXPECT_TRUE(has(r.body, "value=\"KY99 9ZZ\""));
  r = c.get("/services?near=not+a+postcode");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(has(r.body, "Enter a real postcode"));
}

TEST_F(Pages, AServicePageInPlainWordsWithNothingPrivate) {
  test::Client c(s.port, "alpha.test");
  auto r = c.get("/services/" + kAdvice);
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(has(r.body, "Tuesdays 10am to 2pm"));
  EXPECT_TRUE(has(r.body, "Mondays to Fridays 9:30am to midday"));
  EXPECT_TRUE(has(r.body, "Free"));
  EXPECT_TRUE(has(r.body, "Ages 16 and over"));
  EXPECT_TRUE(has(r.body, "Polish"));
  EXPECT_TRUE(has(r.body, "12 High Street"));
  EXPECT_TRUE(has(r.body, "Step-free entrance"));
  EXPECT_TRUE(has(r.body, "Front Desk"));
  EXPECT_TRUE(has(r.body, "tel:01592000111"));
  EXPECT_TRUE(has(r.body, "Fife Advice Centre"));
  EXPECT_TRUE(has(r.body, "Last checked: 3 March 2020"));
  for (const char* secret : {"Staffmember Hidden", "07700 900999", "Secret Lane", "Safe House Refuge"})
    EXPECT_FALSE(has(r.body, secret)) << secret;
  // Freshness is a note for staff; the public see only the date, and no button.
  EXPECT_FALSE(has(r.body, "Needs checking"));
  EXPECT_FALSE(has(r.body, "/checked"));
  // In Welsh, the days and months are Welsh too.
  r = c.get("/services/" + kAdvice + "?lang=cy");
  EXPECT_TRUE(has(r.body, "Dyddiau Mawrth 10yb tan 2yh")) << r.body.substr(0, 200);
  EXPECT_TRUE(has(r.body, "3 Mawrth 2020"));
  EXPECT_EQ(c.get("/services/00000000-0000-4000-8000-000000000000").status, 404);
  EXPECT_EQ(c.get("/services/not-an-id").status, 404);
}

TEST_F(Pages, MarkAsCheckedIsForTheOrganisationsManagersAndAdmins) {
  auto worker = as(auth::Role::worker, advice_org);
  auto other = as(auth::Role::manager, walk_org);
  auto manager = as(auth::Role::manager, advice_org);
  auto admin = as(auth::Role::admin);
  auto page = manager.get("/services/" + kAdvice);
  EXPECT_TRUE(has(page.body, "Needs checking"));
  EXPECT_TRUE(has(page.body, "Mark as checked"));
  EXPECT_FALSE(has(other.get("/services/" + kAdvice).body, "Mark as checked"));
  // Refused for another organisation's manager and for a worker, and nothing is recorded.
  EXPECT_EQ(other.submit("/services/" + kAdvice, "/services/" + kAdvice + "/checked", {}).status, 403);
  EXPECT_EQ(worker.submit("/services/" + kAdvice, "/services/" + kAdvice + "/checked", {}).status, 403);
  test::Client anon(s.port, "alpha.test");
  auto refused = anon.submit("/services/" + kAdvice, "/services/" + kAdvice + "/checked", {});
  EXPECT_TRUE(refused.status == 403 || starts_with(refused.header("location"), "/sign-in")) << refused.status;
  EXPECT_EQ(audit_count("directory.service_checked"), 0);

  auto r = manager.submit("/services/" + kAdvice, "/services/" + kAdvice + "/checked", {});
  ASSERT_EQ(r.status, 303);
  EXPECT_EQ(r.header("location"), "/services/" + kAdvice);
  page = manager.get("/services/" + kAdvice);
  std::string today = format_date(now_seconds());
  EXPECT_TRUE(has(page.body, "Last checked: " + today)) << today;
  EXPECT_FALSE(has(page.body, "Needs checking"));
  EXPECT_EQ(audit_count("directory.service_checked"), 2);  // the check row and the service's new date
  {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    auto row = w->read("SELECT c.checked_by, e.actor_user_id FROM directory_service_checks c, audit_events e"
                       " WHERE c.partnership_id = $1 AND e.partnership_id = $1 AND e.action = 'directory.service_checked'");
    ASSERT_FALSE(row.empty());
    EXPECT_EQ(row.rows[0].i64(0), row.rows[0].i64(1));
  }
  // The open feed carries the new assured_date.
  auto feed = boost::json::parse(admin.get("/openreferral/services/" + kAdvice).body).as_object();
  EXPECT_EQ(std::string(feed["assured_date"].as_string()), format_iso8601(now_seconds()).substr(0, 10));
  // An admin may mark any service, and may go back to the review list.
  r = admin.submit("/services/" + kWalk, "/services/" + kWalk + "/checked", {{"return", "review"}});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.header("location"), "/services/review");
}

TEST_F(Pages, TheReviewListShowsOverdueServicesOfTheManagersOrganisations) {
  // Make the walking group overdue too, but more recently than the advice service.
  {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
    w->write({"test.setup", "directory_service", std::nullopt, ""},
             "UPDATE directory_services SET modified_at = $2 WHERE partnership_id = $1 AND uuid = $3",
             {now_seconds() - 200LL * 86400, kWalk});
    w.commit();
  }
  auto manager = as(auth::Role::manager, advice_org);
  auto r = manager.get("/services/review");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(has(r.body, "/services/" + kAdvice));
  EXPECT_FALSE(has(r.body, "/services/" + kWalk));
  EXPECT_TRUE(has(r.body, "1 service needs checking"));
  // The organisation's page tells its managers too, and links here; visitors are not told.
  EXPECT_TRUE(has(manager.get("/organisations/" + std::to_string(advice_org)).body, "1 service needs checking"));
  test::Client anon(s.port, "alpha.test");
  EXPECT_FALSE(has(anon.get("/organisations/" + std::to_string(advice_org)).body, "needs checking"));
  auto admin = as(auth::Role::admin);
  r = admin.get("/services/review");
  auto advice = r.body.find("/services/" + kAdvice), walk = r.body.find("/services/" + kWalk);
  ASSERT_NE(walk, std::string::npos);
  EXPECT_LT(advice, walk) << "oldest first";
  EXPECT_FALSE(has(r.body, "/services/" + kLunch));
  EXPECT_EQ(as(auth::Role::worker, advice_org).get("/services/review").status, 403);
  {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    EXPECT_EQ(modules::directory_store::stale_count_for_organisation(w.scope(), advice_org, now_seconds()), 1);
    EXPECT_EQ(modules::directory_store::stale_count_for_organisation(w.scope(), walk_org, now_seconds()), 1);
  }
  // Checked from the list, it leaves the list.
  r = manager.submit("/services/review", "/services/" + kAdvice + "/checked", {{"return", "review"}});
  EXPECT_EQ(r.header("location"), "/services/review");
  r = manager.get("/services/review");
  EXPECT_FALSE(has(r.body, "/services/" + kAdvice));
  EXPECT_TRUE(has(r.body, "All your services have been checked"));
}
