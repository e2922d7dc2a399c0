// Data rights over real HTTP: a person downloads everything held about them (JSON and a printable
// page), asks for a correction that an admin resolves, and erases their data: their own words go,
// the ledger still adds up, the account is closed, and one erasure record names no erased data.
// A worker acts for a person only through the journeys gate. And a schema test: every table with a
// column about a person or account is answered for by some holder.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "modules/capabilities/capabilities.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/rights/rights.hpp"
#include "modules/timebank/timebank.hpp"
#include "support/harness.hpp"

using namespace cp;

namespace {

const std::string kPassword = "rights test password";

struct Rights : ::testing::Test {
  test::TestServer s;
  std::int64_t org = 0, jo = 0, friend_member = 0, jo_member = 0;
  test::Client person{s.port}, worker{s.port}, admin{s.port};

  void SetUp() override {
    org = s.add_organisation(s.alpha, "Fife Works");
    jo = s.add_user(s.alpha, "jo@example.org", kPassword, auth::Role::person);
    auto pal = s.add_user(s.alpha, "pal@example.org", kPassword, auth::Role::person);
    s.add_user(s.alpha, "sam@example.org", kPassword, auth::Role::worker, org);
    s.add_user(s.alpha, "ad@example.org", kPassword, auth::Role::admin);
    ASSERT_EQ(person.sign_in("jo@example.org", kPassword).status, 303);
    ASSERT_EQ(worker.sign_in("sam@example.org", kPassword).status, 303);
    ASSERT_EQ(admin.sign_in("ad@example.org", kPassword).status, 303);
    // Jo's life across several modules.
    ASSERT_EQ(person.submit("/me/record", "/me/record", {{"what_matters", "My two girls"}, {"language", "en"}}).status, 303);
    ASSERT_EQ(person.submit("/me/plan", "/me/plan/goals", {{"goal", "Learn to drive"}}).status, 303);
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
    modules::OfferInput offer;
    offer.topic = modules::kOtherTopic;
    offer.title = "Jo's baking lessons";
    modules::capabilities_store::create(w.scope(), jo, jo, offer, std::nullopt);
    namespace tb = modules::timebank;
    jo_member = tb::join(w.scope(), {"person", jo, std::nullopt, "Jo Bloggs", "Baking", "KY1"});
    friend_member = tb::join(w.scope(), {"person", pal, std::nullopt, "Pal", "", "KY2"});
    std::int64_t ex = 0;
    tb::record_confirmed(w.scope(), {jo_member, friend_member, 8, "Jo baked a cake for Pal", std::nullopt}, 0, ex);
    w.commit();
  }

  std::int64_t count(const std::string& sql, store::Params p = {}) {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    return w->read(sql, std::move(p)).one().i64(0);
  }
  std::int64_t person_id() {
    return count("SELECT id FROM journey_people WHERE partnership_id = $1 AND user_id = $2", {jo});
  }
};

}  // namespace

TEST_F(Rights, DownloadHoldsEverythingAsJsonAndAsAPrintablePage) {
  auto r = person.get("/me/data/export.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.header("content-disposition").find("attachment"), std::string::npos);
  auto v = boost::json::parse(r.body).as_object();
  auto& held = v["held"].as_object();
  EXPECT_EQ(held["journeys"].as_object()["what_matters"].as_string(), "My two girls");
  EXPECT_EQ(held["journeys"].as_object()["goals"].as_array().size(), 1u);
  EXPECT_EQ(held["capabilities"].as_array().at(0).as_object()["title"].as_string(), "Jo's baking lessons");
  EXPECT_EQ(held["timebank"].as_object()["exchanges"].as_array().size(), 1u);
  EXPECT_EQ(held["accounts"].as_object()["email"].as_string(), "jo@example.org");
  for (const auto* h : {"selfassess", "peer", "rights"}) EXPECT_TRUE(held.contains(h)) << h;

  auto page = person.get("/me/data/export");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("My two girls"), std::string::npos);
  EXPECT_NE(page.body.find("s baking lessons"), std::string::npos);
  EXPECT_NE(page.body.find("Learn to drive"), std::string::npos);
  // Downloads are audited.
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'rights.export'"), 2);
}

TEST_F(Rights, CorrectionIsResolvedByAnAdminAndThePersonSeesTheStatus) {
  auto r = person.submit("/me/data/correction", "/me/data/correction", {{"what_wrong", "My name is spelled wrong"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("href=\"#should_say\""), std::string::npos);
  EXPECT_NE(r.body.find(">My name is spelled wrong</textarea>"), std::string::npos);
  r = person.submit("/me/data/correction", "/me/data/correction",
                    {{"what_wrong", "My name is spelled wrong"}, {"should_say", "Joanne"}});
  ASSERT_EQ(r.status, 303);
  EXPECT_NE(person.get("/me/data").body.find("Waiting"), std::string::npos);
  auto id = count("SELECT id FROM rights_requests WHERE partnership_id = $1");
  auto list = admin.get("/admin/data-requests");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("My name is spelled wrong"), std::string::npos);
  EXPECT_EQ(person.get("/admin/data-requests").status, 403);
  auto action = "/admin/data-requests/" + std::to_string(id);
  r = admin.submit("/admin/data-requests", action, {{"status", "corrected"}});
  EXPECT_EQ(r.status, 400);
  r = admin.submit("/admin/data-requests", action, {{"status", "corrected"}, {"note", "Fixed on your record"}});
  ASSERT_EQ(r.status, 303);
  r = admin.submit("/admin/data-requests", action, {{"status", "declined"}, {"note", "Again"}});
  EXPECT_EQ(r.status, 409);
  auto mine = person.get("/me/data");
  EXPECT_NE(mine.body.find("Put right"), std::string::npos);
  EXPECT_NE(mine.body.find("Fixed on your record"), std::string::npos);
}

TEST_F(Rights, ErasureRemovesTheirWordsKeepsTheLedgerAndClosesTheAccount) {
  namespace tb = modules::timebank;
  std::int64_t pal_balance = 0;
  {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    pal_balance = tb::ledger_balance(w.scope(), friend_member);
  }
  auto movements = count("SELECT COUNT(*) FROM timebank_movements WHERE partnership_id = $1");
  auto pid = person_id();
  auto r = person.submit("/me/data/erase", "/me/data/erase", {});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("Tick the box"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_goals WHERE partnership_id = $1"), 1);

  r = person.submit("/me/data/erase", "/me/data/erase", {{"confirm", "yes"}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("location"), "/");
  // Their words are gone.
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_goals WHERE partnership_id = $1"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM capability_offers WHERE partnership_id = $1"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_people WHERE partnership_id = $1 AND id = $2"
                  " AND name = 'Erased person' AND what_matters = '' AND user_id IS NULL",
                  {pid}),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM timebank_exchanges WHERE partnership_id = $1 AND description <> ''"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM users WHERE partnership_id = $1 AND (email LIKE '%jo@%' OR name LIKE 'Jo%')"), 0);
  // The ledger still adds up: the other member's balance and every movement are untouched.
  EXPECT_EQ(count("SELECT COUNT(*) FROM timebank_movements WHERE partnership_id = $1"), movements);
  {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    EXPECT_EQ(tb::ledger_balance(w.scope(), friend_member), pal_balance);
    EXPECT_EQ(tb::balance(w.scope(), jo_member), tb::ledger_balance(w.scope(), jo_member));
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM timebank_members WHERE partnership_id = $1 AND id = $2 AND name = 'Former member'",
                  {jo_member}),
            1);
  // Signed out, and the account cannot sign in again.
  EXPECT_EQ(person.get("/me/data").status, 303);
  test::Client again(s.port);
  EXPECT_NE(again.sign_in("jo@example.org", kPassword).status, 303);
  // One record that it happened, with no erased data in it.
  EXPECT_EQ(count("SELECT COUNT(*) FROM rights_erasures WHERE partnership_id = $1 AND by_role = 'self'"
                  " AND holders LIKE '%journeys%' AND holders LIKE '%timebank%'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM rights_erasures WHERE partnership_id = $1 AND (counts LIKE '%example.org%'"
                  " OR counts LIKE '%girls%' OR counts LIKE '%baking%' OR counts LIKE '%cake%'"
                  " OR holders LIKE '%example.org%')"),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'rights.erasure'"), 1);
  auto list = admin.get("/admin/data-requests");
  EXPECT_NE(list.body.find("The person"), std::string::npos);
}

TEST_F(Rights, AWorkerActsForAPersonOnlyThroughTheGate) {
  ASSERT_EQ(worker.submit("/people/new", "/people/new", {{"name", "Jo"}, {"email", "jo@example.org"}}).status, 303);
  auto base = "/people/" + std::to_string(person_id()) + "/data";
  EXPECT_EQ(worker.get(base + "/export.json?reason=follow_up").status, 403);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_access_log WHERE partnership_id = $1 AND outcome = 'refused'"), 1);
  ASSERT_EQ(person.submit("/me/consents", "/me/consents", {{"organisation", std::to_string(org)}, {"parts", "profile"}}).status,
            303);
  auto r = worker.get(base + "/export.json?reason=follow_up");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(boost::json::parse(r.body).at("held").at("journeys").at("what_matters").as_string(), "My two girls");
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_access_log WHERE partnership_id = $1 AND outcome = 'opened'"), 1);
  // A worker's correction on the person's behalf shows on the person's page.
  ASSERT_EQ(worker.submit(base + "/correction?reason=follow_up", base + "/correction",
                          {{"reason", "follow_up"}, {"what_wrong", "Old phone number"}, {"should_say", "New one"}})
                .status,
            303);
  EXPECT_NE(person.get("/me/data").body.find("Old phone number"), std::string::npos);
  // Another worker without the person on their caseload cannot.
  s.add_user(s.alpha, "other@example.org", kPassword, auth::Role::worker, org);
  test::Client other(s.port);
  ASSERT_EQ(other.sign_in("other@example.org", kPassword).status, 303);
  EXPECT_EQ(other.get(base + "?reason=follow_up").status, 403);
  test::Client beta(s.port, "beta.test");
  EXPECT_EQ(beta.get(base).status, 404);
}

// Reads the live schema, so a table added by any module on either database is checked.
TEST(RightsCoverage, EveryTableAboutAPersonHasAHolderOrIsKeptOnPurpose) {
  test::TestApp t;
  auto* m = t.app->module<modules::RightsModule>();
  ASSERT_NE(m, nullptr);
  auto lease = t.app->db->lease();
  std::string sql = lease->dialect() == store::Dialect::sqlite
                        ? "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'"
                        : "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()";
  std::set<std::string> tables, uncovered;
  for (const auto& row : lease->run(sql, {}).rows) {
    tables.insert(row.text(0));
    if (modules::rights::is_person_column(row.text(1)) && !m->registry().rule_for(row.text(0)))
      uncovered.insert(row.text(0) + "." + row.text(1));
  }
  // The check itself must see the tables it is about.
  EXPECT_TRUE(tables.count("journey_people"));
  EXPECT_TRUE(tables.count("timebank_movements"));
  std::string list;
  for (const auto& u : uncovered) list += "\n  " + u;
  EXPECT_TRUE(uncovered.empty()) << "tables with a person column and no data-rights holder (add one in rights.hpp's "
                                    "registry, or keep() it with a reason):"
                                 << list;
  // Holders name only tables that exist.
  for (const auto& h : m->registry().holders())
    for (const auto& r : h.tables) EXPECT_TRUE(tables.count(r.table)) << h.name << " names " << r.table;
}

TEST(RightsCoverage, PersonColumnNamesAreRecognised) {
  using modules::rights::is_person_column;
  for (const auto* c : {"user_id", "person_id", "member_id", "created_by", "by_user", "author_id", "from_member",
                        "provider_id", "actor_user_id", "volunteer_member"})
    EXPECT_TRUE(is_person_column(c)) << c;
  for (const auto* c : {"id", "partnership_id", "organisation_id", "name", "status", "scale_id", "group_id"})
    EXPECT_FALSE(is_person_column(c)) << c;
}
