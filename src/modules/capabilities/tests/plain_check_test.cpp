// "Check my writing" on the offers and wishes form: plain alternatives are shown, everything typed
// comes back, nothing is written (new or edited), and saving afterwards still works.
#include <gtest/gtest.h>

#include "modules/capabilities/capabilities.hpp"
#include "modules/capabilities/tests/people_fixture.hpp"
#include "support/harness.hpp"

using namespace cp;
namespace people = test::people;

namespace {

const std::string kPassword = "capabilities check password";
// "in order to" and "utilise" are on the shipped jargon list.
const std::string kJargon = "I can utilise my sewing machine in order to mend clothes.";

std::int64_t offers(test::TestApp& t) {
  auto w = t.app->work(t.alpha.id, {}, store::Transaction::Mode::read);
  return w->read("SELECT COUNT(*) FROM capability_offers WHERE partnership_id = $1").one().i64(0);
}

std::string stored_details(test::TestApp& t, std::int64_t id) {
  auto w = t.app->work(t.alpha.id, {}, store::Transaction::Mode::read);
  return w->read("SELECT details FROM capability_offers WHERE partnership_id = $1 AND id = $2", {id}).one().text(0);
}

bool has(const std::string& body, const std::string& text) { return body.find(text) != std::string::npos; }

std::string results(const std::string& body) {
  auto at = body.find("id=\"plain-check\"");
  return at == std::string::npos ? std::string() : body.substr(at);
}

}  // namespace

TEST(CapabilitiesPlainCheck, CheckShowsPlainWordsKeepsTypingAndWritesNothing) {
  test::TestServer s;
  auto jo_id = s.add_user(s.alpha, "jo@example.org", kPassword, auth::Role::person);
  test::Client jo(s.port);
  ASSERT_EQ(jo.sign_in("jo@example.org", kPassword).status, 303);
  std::vector<std::pair<std::string, std::string>> fields{{"kind", "offer"}, {"topic", "other"}, {"title", "Mend clothes"}, {"details", kJargon},
                              {"languages", "English, Polish"}, {"visibility", "members"}, {"days", "TU"}};
  auto checking = fields;
  checking.emplace_back("action", "check");
  auto r = jo.submit("/me/offers/new", "/me/offers/new", checking);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(has(results(r.body), "in order to</mark>: try “to”")) << r.body;
  EXPECT_TRUE(has(r.body, ">" + kJargon + "</textarea>"));
  EXPECT_TRUE(has(r.body, "value=\"Mend clothes\""));
  EXPECT_TRUE(has(r.body, "value=\"English, Polish\""));
  EXPECT_TRUE(has(r.body, "value=\"TU\" checked"));
  EXPECT_EQ(offers(s), 0);

  // Saving the same words is not blocked by the warning.
  r = jo.submit("/me/offers/new", "/me/offers/new", fields);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(offers(s), 1);

  // Checking an edit changes nothing stored.
  auto in = people::offer("Walk dogs", "members");
  in.details = "Short walks.";
  auto id = people::add_offer(s, s.alpha, jo_id, in);
  auto path = "/me/offers/" + std::to_string(id) + "/edit";
  fields = {{"kind", "offer"}, {"topic", "other"}, {"title", "Walk dogs"}, {"details", kJargon},
            {"visibility", "members"}, {"action", "check"}};
  r = jo.submit(path, path, fields);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(has(results(r.body), "in order to</mark>: try “to”"));
  EXPECT_TRUE(has(r.body, ">" + kJargon + "</textarea>"));
  EXPECT_EQ(stored_details(s, id), "Short walks.");
  EXPECT_EQ(offers(s), 2);
}
