// The Community Asset Survey through real HTTP: a suggestion waits in the queue, a moderator
// publishes it (then it is on /services and in the open feed) or turns it down with a reason the
// suggester can read; a form with mistakes keeps what was typed and saves nothing; and another
// partnership can neither see nor decide it.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "support/harness.hpp"

using namespace cp;

namespace {

const std::string kPassword = "a long enough passphrase 2";

using Fields = std::vector<std::pair<std::string, std::string>>;

Fields good_suggestion(const std::string& name) {
  return {{"name", name},
          {"asset_kind", "community_group"},
          {"what", "Soup, sandwiches and a chat for anyone on their own."},
          {"place_name", "St Bryce Kirk hall"},
          {"address", "St Brycedale Avenue"},
          {"town", "Kirkcaldy"},
          {"postcode", "ky1 1aa"},
          {"when_text", "Tuesdays 12 to 2"},
          {"who_for", "Anyone over 50"},
          {"contact_name", "Margaret"},
          {"contact_phone", "01592 123456"},
          {"contact_email", "lunch@example.org"},
          {"website", ""},
          {"told_by", "Mrs Brown at the chemist"}};
}

struct Survey : ::testing::Test {
  test::TestServer s;
  int serial = 0;

  void SetUp() override {
    auto lease = s.app->db->lease();
    lease->run("INSERT INTO postcode_outcodes (outcode, latitude, longitude) VALUES ('KY1', 56.115, -3.160)", {});
    lease->run("INSERT INTO postcodes (postcode, latitude, longitude) VALUES ('KY1 1AA', 56.1117, -3.1607)", {});
  }

  test::Client as(const app::Partnership& p, auth::Role role, std::optional<std::int64_t> org = std::nullopt) {
    test::Client c(s.port, p.host);
    std::string email = "survey" + std::to_string(++serial) + "@example.org";
    s.add_user(p, email, kPassword, role, org);
    EXPECT_EQ(c.sign_in(email, kPassword).status, 303);
    return c;
  }

  std::int64_t count(const std::string& sql) {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    return w->read(sql).one().i64(0);
  }

  std::int64_t only_suggestion() {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    return w->read("SELECT MAX(id) FROM directory_asset_suggestions WHERE partnership_id = $1").one().i64(0);
  }
};

bool has(const std::string& body, const std::string& text) { return body.find(text) != std::string::npos; }

}  // namespace

TEST_F(Survey, ASuggestionWaitsThenIsPublishedIntoTheDirectory) {
  auto person = as(s.alpha, auth::Role::person);
  auto r = person.submit("/assets/new", "/assets/new", good_suggestion("Tuesday Lunch Club"));
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("location"), "/assets/mine");
  r = person.get("/assets/mine");
  EXPECT_TRUE(has(r.body, "Tuesday Lunch Club"));
  EXPECT_TRUE(has(r.body, "Waiting to be checked"));
  // Not published yet, and the suggester cannot moderate.
  test::Client anon(s.port, "alpha.test");
  EXPECT_FALSE(has(anon.get("/services?q=lunch").body, "Tuesday Lunch Club"));
  EXPECT_EQ(person.get("/assets/queue").status, 403);

  auto manager = as(s.alpha, auth::Role::manager, s.add_organisation(s.alpha, "Kirk Outreach"));
  r = manager.get("/assets/queue");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(has(r.body, "Tuesday Lunch Club"));
  EXPECT_TRUE(has(r.body, "Mrs Brown at the chemist"));
  std::int64_t id = only_suggestion();
  r = manager.submit("/assets/queue", "/assets/suggestions/" + std::to_string(id) + "/approve", {});
  ASSERT_EQ(r.status, 303);
  EXPECT_EQ(r.header("location"), "/assets/queue");

  // On /services, near KY1, and a community group.
  r = anon.get("/services?q=lunch&near=KY1&kind=community_group");
  ASSERT_TRUE(has(r.body, "Tuesday Lunch Club")) << r.body;
  EXPECT_TRUE(has(r.body, "km away"));
  // In the open feed, as an asset with its place, times and public contact; "who told us" stays here.
  auto feed = boost::json::parse(anon.get("/openreferral/services?search=tuesday+lunch").body).as_object();
  ASSERT_EQ(feed["total_items"].as_int64(), 1);
  std::string uuid(feed["contents"].as_array()[0].as_object()["id"].as_string());
  auto full = boost::json::parse(anon.get("/openreferral/services/" + uuid).body).as_object();
  EXPECT_EQ(std::string(full["asset_kind"].as_string()), "community_group");
  EXPECT_EQ(std::string(full["email"].as_string()), "lunch@example.org");
  auto& place = full["service_at_locations"].as_array()[0].as_object()["location"].as_object();
  EXPECT_EQ(std::string(place["addresses"].as_array()[0].as_object()["postal_code"].as_string()), "KY1 1AA");
  EXPECT_NEAR(place["latitude"].to_number<double>(), 56.1117, 1e-6);
  EXPECT_EQ(std::string(full["schedules"].as_array()[0].as_object()["description"].as_string()), "Tuesdays 12 to 2");
  EXPECT_EQ(std::string(full["contacts"].as_array()[0].as_object()["phones"].as_array()[0].as_object()["number"].as_string()),
            "01592 123456");
  EXPECT_TRUE(has(std::string(full["description"].as_string()), "Anyone over 50"));
  EXPECT_FALSE(has(boost::json::serialize(full), "Mrs Brown"));
  // The service page says it was checked today.
  EXPECT_TRUE(has(anon.get("/services/" + uuid).body, "Last checked: " + format_date(now_seconds())));
  // The suggester sees it was added, with a link to it.
  r = person.get("/assets/mine");
  EXPECT_TRUE(has(r.body, "Added to the list"));
  EXPECT_TRUE(has(r.body, "/services/" + uuid));
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'directory.asset_approve'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'directory.asset_suggest'"), 1);
  // A second decision changes nothing.
  r = manager.submit("/assets/queue", "/assets/suggestions/" + std::to_string(id) + "/approve", {});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(count("SELECT COUNT(*) FROM directory_services WHERE partnership_id = $1"), 1);
  EXPECT_FALSE(has(manager.get("/assets/queue").body, "Tuesday Lunch Club"));
}

TEST_F(Survey, ARejectionNeedsAReasonTheSuggesterCanRead) {
  auto worker = as(s.alpha, auth::Role::worker, s.add_organisation(s.alpha, "Steps"));
  ASSERT_EQ(worker.submit("/assets/new", "/assets/new", good_suggestion("Closed Cafe Club")).status, 303);
  std::int64_t id = only_suggestion();
  auto admin = as(s.alpha, auth::Role::admin);
  std::string action = "/assets/suggestions/" + std::to_string(id) + "/reject";
  auto r = admin.submit("/assets/queue", action, {{"reason", ""}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(has(r.body, "Say why you are not adding it"));
  EXPECT_TRUE(has(r.body, "href=\"#reason-" + std::to_string(id) + "\""));
  r = admin.submit("/assets/queue", action, {{"reason", "It closed in the spring."}});
  ASSERT_EQ(r.status, 303);
  r = worker.get("/assets/mine");
  EXPECT_TRUE(has(r.body, "Not added"));
  EXPECT_TRUE(has(r.body, "It closed in the spring."));
  EXPECT_EQ(count("SELECT COUNT(*) FROM directory_services WHERE partnership_id = $1"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'directory.asset_reject'"), 1);
  // Once decided, it cannot be approved after all.
  EXPECT_EQ(admin.submit("/assets/queue", "/assets/suggestions/" + std::to_string(id) + "/approve", {}).status, 303);
  EXPECT_EQ(count("SELECT COUNT(*) FROM directory_services WHERE partnership_id = $1"), 0);
}

TEST_F(Survey, MistakesAreShownAndWhatWasTypedIsKept) {
  auto person = as(s.alpha, auth::Role::person);
  auto fields = good_suggestion("");
  for (auto& [k, v] : fields) {
    if (k == "contact_email") v = "not an email";
    if (k == "postcode") v = "XYZ";
    if (k == "asset_kind") v = "castle";
    if (k == "website") v = "example.org";
  }
  auto r = person.submit("/assets/new", "/assets/new", fields);
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(has(r.body, "govuk-error-summary"));
  for (const char* f : {"#name", "#asset_kind", "#contact_email", "#postcode", "#website"})
    EXPECT_TRUE(has(r.body, std::string("href=\"") + f + "\"")) << f;
  EXPECT_TRUE(has(r.body, "Soup, sandwiches and a chat for anyone on their own."));
  EXPECT_TRUE(has(r.body, "value=\"not an email\""));
  EXPECT_TRUE(has(r.body, "Mrs Brown at the chemist"));
  EXPECT_TRUE(has(r.body, "<title>Error:"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM directory_asset_suggestions WHERE partnership_id = $1"), 0);
  // Where it is must be given somehow.
  fields = {{"name", "Somewhere club"}, {"asset_kind", "other"}, {"what", "Things."}};
  r = person.submit("/assets/new", "/assets/new", fields);
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(has(r.body, "href=\"#address\""));
  // Signed out, the form is out of reach.
  test::Client anon(s.port, "alpha.test");
  EXPECT_EQ(anon.get("/assets/new").status, 303);
}

TEST_F(Survey, CheckMyWritingShowsPlainWordsKeepsTypingAndSendsNothing) {
  auto person = as(s.alpha, auth::Role::person);
  auto fields = good_suggestion("Tuesday Lunch Club");
  // "in order to" and "stakeholders" are on the shipped jargon list.
  const std::string what = "We meet in order to share soup with local stakeholders.";
  for (auto& [k, v] : fields)
    if (k == "what") v = what;
  auto checking = fields;
  checking.emplace_back("action", "check");
  auto r = person.submit("/assets/new", "/assets/new", checking);
  ASSERT_EQ(r.status, 200) << r.body;
  auto results = r.body.find("id=\"plain-check\"");
  ASSERT_NE(results, std::string::npos) << r.body;
  EXPECT_TRUE(has(r.body.substr(results), "in order to</mark>: try “to”"));
  // Everything typed comes back, not just the checked fields.
  EXPECT_TRUE(has(r.body, ">" + what + "</textarea>"));
  EXPECT_TRUE(has(r.body, ">Anyone over 50</textarea>"));
  EXPECT_TRUE(has(r.body, "value=\"Tuesday Lunch Club\""));
  EXPECT_TRUE(has(r.body, "value=\"Mrs Brown at the chemist\""));
  EXPECT_TRUE(has(r.body, "value=\"community_group\" selected"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM directory_asset_suggestions WHERE partnership_id = $1"), 0);
  // Sending it afterwards is not blocked by the warning.
  r = person.submit("/assets/new", "/assets/new", fields);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(count("SELECT COUNT(*) FROM directory_asset_suggestions WHERE partnership_id = $1"), 1);
  // Once published, its description is in the hardest-to-read report.
  auto manager = as(s.alpha, auth::Role::manager, s.add_organisation(s.alpha, "Kirk Outreach"));
  ASSERT_EQ(manager.submit("/assets/queue", "/assets/suggestions/" + std::to_string(only_suggestion()) + "/approve", {}).status,
            303);
  auto admin = as(s.alpha, auth::Role::admin);
  r = admin.get("/admin/plain/report");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(has(r.body, ">Tuesday Lunch Club</a>")) << r.body;
}

TEST_F(Survey, AnotherPartnershipCanNeitherSeeNorDecide) {
  auto person = as(s.alpha, auth::Role::person);
  ASSERT_EQ(person.submit("/assets/new", "/assets/new", good_suggestion("Alpha Knit and Natter")).status, 303);
  std::int64_t id = only_suggestion();
  auto beta_admin = as(s.beta, auth::Role::admin);
  EXPECT_FALSE(has(beta_admin.get("/assets/queue").body, "Alpha Knit and Natter"));
  EXPECT_EQ(beta_admin.submit("/assets/queue", "/assets/suggestions/" + std::to_string(id) + "/approve", {}).status, 404);
  EXPECT_EQ(beta_admin.submit("/assets/queue", "/assets/suggestions/" + std::to_string(id) + "/reject", {{"reason", "x"}}).status,
            404);
  EXPECT_EQ(count("SELECT COUNT(*) FROM directory_asset_suggestions WHERE partnership_id = $1 AND status = 'waiting'"), 1);
  // And a manager in this partnership sees it.
  auto manager = as(s.alpha, auth::Role::manager, s.add_organisation(s.alpha, "Natter Trust"));
  EXPECT_TRUE(has(manager.get("/assets/queue").body, "Alpha Knit and Natter"));
}
