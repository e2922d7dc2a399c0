// Matching, through its C++ interface and over HTTP: nearer, on-topic, open-on-the-day services rank
// first; age ranges and closed days leave things out; every result explains itself from the
// catalogue; people's offers appear only when the viewer may see them; bad input is a clear problem.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "modules/capabilities/tests/people_fixture.hpp"
#include "modules/directory/directory.hpp"
#include "modules/matching/matching.hpp"
#include "support/harness.hpp"

using namespace cp;
namespace json = boost::json;
namespace matching = modules::matching;
namespace people = test::people;

namespace {

const std::string kPassword = "matching test password";
const std::string kWork = "11111111-0000-4000-8000-000000000001";
const std::string kGroups = "11111111-0000-4000-8000-000000000002";

// A service at (lat, lon) open on `days`, with optional ages and an asset kind.
std::string service(int n, const std::string& name, const std::string& description, const std::string& term, double lat,
                    double lon, const std::string& days, const std::string& ages = "", const std::string& kind = "") {
  char id[64];
  std::snprintf(id, sizeof id, "22222222-0000-4000-8000-%012d", n);
  auto sub = [&](int k) {
    char b[64];
    std::snprintf(b, sizeof b, "3333333%d-0000-4000-8000-%012d", k, n);
    return std::string(b);
  };
  return std::string("{\"id\":\"") + id + "\",\"name\":\"" + name + "\",\"description\":\"" + description +
         "\",\"status\":\"active\"" + ages + (kind.empty() ? "" : ",\"asset_kind\":\"" + kind + "\"") +
         ",\"service_at_locations\":[{\"id\":\"" + sub(1) + "\",\"location\":{\"id\":\"" + sub(2) +
         "\",\"location_type\":\"physical\",\"latitude\":" + std::to_string(lat) + ",\"longitude\":" + std::to_string(lon) +
         "}}],\"schedules\":[{\"id\":\"" + sub(3) + "\",\"freq\":\"WEEKLY\",\"byday\":\"" + days +
         "\",\"opens_at\":\"10:00\",\"closes_at\":\"12:00\"}],\"cost_options\":[{\"id\":\"" + sub(4) +
         "\",\"option\":\"Free\",\"amount\":0}],\"attributes\":[{\"id\":\"" + sub(5) + "\",\"taxonomy_term_id\":\"" + term +
         "\"}]}";
}

// Near is about 100 m from KY1 1AB; far is about 12 km away.
void import_directory(test::TestApp& t, const app::Partnership& p) {
  std::string feed = R"({"taxonomies":[{"id":"11111111-0000-4000-8000-000000000000","name":"Topics","description":"Test topics.",
    "taxonomy_terms":[{"id":")" + kWork + R"(","name":"Work and skills","description":"Jobs."},
                      {"id":")" + kGroups + R"(","name":"Community groups","description":"Groups."}]}],"services":[)" +
                     service(1, "Near CV club", "We help you write a CV.", kWork, 56.0997, -3.1660, "TU", ",\"minimum_age\":16") + "," +
                     service(2, "Far CV club", "We help you write a CV.", kWork, 56.1772, -3.0282, "TU") + "," +
                     service(3, "Monday CV club", "We help you write a CV.", kWork, 56.0990, -3.1665, "MO") + "," +
                     service(4, "Over 60s job club", "CV help for older people.", kWork, 56.0991, -3.1661, "TU",
                             ",\"minimum_age\":60") + "," +
                     service(5, "Shore walkers", "A gentle walk each week.", kGroups, 56.0995, -3.1650, "WE", "",
                             "walking_group") + "]}";
  auto w = t.app->work(p.id, {std::nullopt, "test", "", ""});
  modules::directory_store::import_feed(w.scope(), json::parse(feed));
  w.commit();
}

std::vector<std::string> names(const std::vector<matching::Match>& ms) {
  std::vector<std::string> out;
  for (const auto& m : ms) out.push_back(m.name);
  return out;
}

std::vector<matching::Match> run(test::TestApp& t, matching::Need need, const matching::Viewer& v = {1, true, {}}) {
  auto problems = matching::check(*t.app, need);
  EXPECT_TRUE(problems.empty()) << (problems.empty() ? "" : problems.front().key);
  auto w = t.app->work(t.alpha.id, {}, store::Transaction::Mode::read);
  return matching::match(w.scope(), need, v);
}

using Strings = std::vector<std::string>;

struct Matching : ::testing::Test {
  test::TestServer s;
  void SetUp() override {
    people::load_postcodes(*s.app);
    import_directory(s, s.alpha);
  }
};

}  // namespace

TEST_F(Matching, NearerOnTopicOpenOnTheDayRanksFirstAndEligibilityLeavesOut) {
  matching::Need need;
  need.text = "help with CV";
  need.topic = kWork;
  need.postcode = "KY1 1AB";
  need.within_km = 25;
  need.days = {"TU"};
  need.age = 25;
  auto found = run(s, need);
  // Monday's club is closed on Tuesday and the over-60s club is not for a 25-year-old.
  EXPECT_EQ(names(found), (Strings{"Near CV club", "Far CV club"}));
  ASSERT_EQ(found.size(), 2u);
  EXPECT_GT(found[0].score, found[1].score);
  EXPECT_LT(*found[0].distance_m, 200);
  EXPECT_GT(*found[1].distance_m, 10000);

  // Without the age and the day, both come back, still nearest first among equals.
  need.age.reset();
  need.days.clear();
  auto all = names(run(s, need));
  EXPECT_EQ(all.size(), 4u);
  EXPECT_EQ(all.back(), "Far CV club");

  // A 5 km limit leaves the far one out altogether.
  need.within_km = 5;
  for (const auto& n : names(run(s, need))) EXPECT_NE(n, "Far CV club");
}

TEST_F(Matching, EachResultExplainsItselfInPlainWords) {
  matching::Need need;
  need.text = "help with CV";
  need.topic = kWork;
  need.days = {"TU"};
  need.age = 25;
  auto found = run(s, need);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0].name, "Near CV club");
  EXPECT_EQ(matching::explain(s.app->catalogue, "en", found[0]),
            "Open Tuesdays, free, for ages 16 and over, about Work and skills, mentions cv");
  EXPECT_EQ(matching::explain(s.app->catalogue, "cy", found[0]),
            "Ar agor ar ddydd Mawrth, am ddim, i bobl 16 oed a hŷn, am Work and skills, yn sôn am cv");
  int sum = 0;
  for (const auto& r : found[0].reasons) sum += r.points;
  EXPECT_EQ(sum, found[0].score);  // the score is exactly the sum of what is said

  need.postcode = "KY1 1AB";
  need.within_km = 25;
  found = run(s, need);
  auto text = matching::explain(s.app->catalogue, "en", found[0]);
  EXPECT_TRUE(text.rfind("100 m away, open Tuesdays", 0) == 0 || text.rfind("90 m away, open Tuesdays", 0) == 0) << text;
  auto far = std::find_if(found.begin(), found.end(), [](auto& m) { return m.name == "Far CV club"; });
  ASSERT_NE(far, found.end());
  EXPECT_EQ(matching::explain(s.app->catalogue, "en", *far).substr(0, 12), "12.2 km away");
}

TEST_F(Matching, TiesAreBrokenByNameThenIdEveryTime) {
  // Two groups that score the same: by name; asked twice: the same order.
  auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
  std::string feed = "[" + service(10, "Zebra walk", "Walk.", kGroups, 56.0995, -3.1650, "WE", "", "walking_group") + "," +
                     service(11, "Apple walk", "Walk.", kGroups, 56.0995, -3.1650, "WE", "", "walking_group") + "]";
  modules::directory_store::import_feed(w.scope(), json::parse(feed));
  w.commit();
  matching::Need need;
  need.text = "walk";
  auto first = names(run(s, need));
  EXPECT_EQ(first, (Strings{"Apple walk", "Shore walkers", "Zebra walk"}));
  EXPECT_EQ(names(run(s, need)), first);
  EXPECT_EQ(run(s, need)[0].kind, matching::Kind::group);
}

TEST_F(Matching, OffersAppearOnlyWhenTheViewerMaySeeThem) {
  auto jo = s.add_user(s.alpha, "jo@example.org", kPassword, auth::Role::person);
  auto worker = s.add_user(s.alpha, "wes@example.org", kPassword, auth::Role::worker);
  people::add_offer(s, s.alpha, jo, people::offer("CV checking by Jo", "staff", kWork, "KY1 2AA"), 0, {kWork});
  people::add_offer(s, s.alpha, jo, people::offer("Private CV help", "keyworker", kWork, "KY1 2AA"), 0, {kWork});
  matching::Need need;
  need.text = "cv";
  need.postcode = "KY1 1AB";
  auto as_worker = names(run(s, need, {worker, true, {}}));
  EXPECT_NE(std::find(as_worker.begin(), as_worker.end(), "CV checking by Jo"), as_worker.end());
  EXPECT_EQ(std::find(as_worker.begin(), as_worker.end(), "Private CV help"), as_worker.end());
  auto as_member = names(run(s, need, {worker + 100, false, {}}));
  EXPECT_EQ(std::find(as_member.begin(), as_member.end(), "CV checking by Jo"), as_member.end());
  auto offer = run(s, need, {worker, true, {}});
  auto it = std::find_if(offer.begin(), offer.end(), [](auto& m) { return m.kind == matching::Kind::offer; });
  ASSERT_NE(it, offer.end());
  EXPECT_NE(matching::explain(s.app->catalogue, "en", *it).find("offered by a member"), std::string::npos);
}

TEST_F(Matching, BadNeedsAreNamedAndCannotBeMatched) {
  matching::Need need;
  need.text = "with the and";  // only words that say nothing
  need.postcode = "KY9 9ZZ";
  need.age = 200;
  auto problems = matching::check(*s.app, need);
  std::vector<std::string> keys;
  for (const auto& p : problems) keys.push_back(p.field + ":" + p.key);
  EXPECT_EQ(keys, (Strings{"q:matching.error_nothing", "age:matching.error_age", "postcode:matching.error_postcode_unknown"}));
  auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
  EXPECT_THROW(matching::match(w.scope(), need, {}), std::invalid_argument);
}

TEST_F(Matching, ApiAndPageOverHttp) {
  s.add_user(s.alpha, "wes@example.org", kPassword, auth::Role::worker);
  s.add_user(s.alpha, "jo@example.org", kPassword, auth::Role::person);
  test::Client wes(s.port);
  ASSERT_EQ(wes.sign_in("wes@example.org", kPassword).status, 303);

  auto r = wes.get("/api/v1/match?q=help+with+CV&postcode=KY1+1AB&days=TU&age=25&within=25&topic=" + kWork);
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = json::parse(r.body).as_object();
  const auto& items = body.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("name").as_string(), "Near CV club");
  EXPECT_EQ(items[0].at("kind").as_string(), "service");
  EXPECT_EQ(items[0].at("service_id").as_string(), "22222222-0000-4000-8000-000000000001");
  EXPECT_EQ(items[0].at("href").as_string(), "/services/22222222-0000-4000-8000-000000000001");
  EXPECT_TRUE(std::string(items[0].at("explanation").as_string()).find("open Tuesdays, free") != std::string::npos);
  EXPECT_EQ(body.at("need").at("postcode").as_string(), "KY1 1AB");

  // A postcode that does not exist is a clear problem, not an empty list.
  r = wes.get("/api/v1/match?q=cv&postcode=KY9+9ZZ");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  auto problem = json::parse(r.body).as_object();
  EXPECT_EQ(problem.at("title").as_string(), "Unknown place");
  EXPECT_EQ(problem.at("errors").as_array()[0].at("field").as_string(), "postcode");
  r = wes.get("/api/v1/match?q=cv&age=old&days=XX");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body).at("errors").as_array().size(), 2u);

  // The page: results with their reasons, and the error summary for a bad postcode.
  r = wes.get("/match?q=help+with+CV&postcode=KY1&within=25&days=TU");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("href=\"/services/22222222-0000-4000-8000-000000000001\">Near CV club</a>"), std::string::npos);
  EXPECT_NE(r.body.find("open Tuesdays, free, for ages 16 and over"), std::string::npos);
  EXPECT_EQ(r.body.find("Monday CV club"), std::string::npos);
  r = wes.get("/match?q=cv&postcode=KY9+9ZZ");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("href=\"#postcode\""), std::string::npos);
  EXPECT_NE(r.body.find("value=\"KY9 9ZZ\""), std::string::npos);

  // People who use services do not use the matching tool.
  test::Client jo(s.port);
  ASSERT_EQ(jo.sign_in("jo@example.org", kPassword).status, 303);
  EXPECT_EQ(jo.get("/match").status, 403);
  EXPECT_EQ(jo.get("/api/v1/match?q=cv").status, 403);
}
