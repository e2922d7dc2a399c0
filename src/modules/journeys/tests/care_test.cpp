// The manager's team page lists every key worker of the organisation, even with nobody on their
// caseload; and erasure redacts the person's rows in the append-only plan and consent history
// without opening those tables to any other change.
#include <gtest/gtest.h>

#include <algorithm>

#include "modules/demo/demo.hpp"
#include "modules/directory/directory.hpp"
#include "modules/journeys/journeys.hpp"
#include "support/harness.hpp"

using namespace cp;

namespace {

const std::string kPassword = "journeys care test password";

struct JourneysCare : ::testing::Test {
  test::TestServer s;
  std::int64_t org = 0, person_user = 0, worker_user = 0;
  test::Client person{s.port}, worker{s.port};

  void SetUp() override {
    org = s.add_organisation(s.alpha, "Fife Works");
    person_user = s.add_user(s.alpha, "jo@example.org", kPassword, auth::Role::person);
    worker_user = s.add_user(s.alpha, "sam@example.org", kPassword, auth::Role::worker, org);
    ASSERT_EQ(person.sign_in("jo@example.org", kPassword).status, 303);
    ASSERT_EQ(worker.sign_in("sam@example.org", kPassword).status, 303);
  }
  std::int64_t count(const std::string& sql, store::Params p = {}) {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    return w->read(sql, std::move(p)).one().i64(0);
  }
  // Runs a statement straight against the table, as a buggy or hostile caller would; true if refused.
  bool refused(const std::string& sql, store::Params p = {}) {
    try {
      auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
      w->write({"test.tamper", "test", std::nullopt, ""}, sql, std::move(p));
      w.commit();
      return false;
    } catch (const std::exception&) {
      return true;
    }
  }
};

}  // namespace

TEST_F(JourneysCare, TeamPageShowsWorkersWithEmptyCaseloads) {
  s.add_user(s.alpha, "kim@example.org", kPassword, auth::Role::worker, org);
  auto other = s.add_organisation(s.alpha, "Other Org");
  s.add_user(s.alpha, "lee@example.org", kPassword, auth::Role::worker, other);
  s.add_user(s.alpha, "boss@example.org", kPassword, auth::Role::manager, org);
  test::Client manager(s.port);
  ASSERT_EQ(manager.sign_in("boss@example.org", kPassword).status, 303);
  ASSERT_EQ(worker.submit("/people/new", "/people/new", {{"name", "Jo"}, {"email", "jo@example.org"}}).status, 303);

  auto team = manager.get("/caseload/team");
  ASSERT_EQ(team.status, 200);
  // Sam has one person; Kim has none and is still listed, with 0, after Sam.
  auto sam = team.body.find("User sam");
  auto kim = team.body.find("User kim");
  ASSERT_NE(sam, std::string::npos);
  ASSERT_NE(kim, std::string::npos);
  EXPECT_LT(sam, kim);
  EXPECT_NE(team.body.find("govuk-table__cell--numeric\">0<", kim), std::string::npos);
  EXPECT_NE(team.body.find("govuk-table__cell--numeric\">1<", sam), std::string::npos);
  // A worker of another organisation is not.
  EXPECT_EQ(team.body.find("User lee"), std::string::npos);
}

TEST_F(JourneysCare, ErasureRedactsAppendOnlyHistoryAndNothingElseCanChangeIt) {
  ASSERT_EQ(person.submit("/me/plan", "/me/plan/goals", {{"goal", "Get my forklift licence"}}).status, 303);
  ASSERT_EQ(person.submit("/me/consents", "/me/consents", {{"organisation", std::to_string(org)}, {"parts", "plan"}}).status,
            303);
  auto history = count("SELECT COUNT(*) FROM journey_plan_history WHERE partnership_id = $1");
  auto consents = count("SELECT COUNT(*) FROM journey_consent_events WHERE partnership_id = $1");
  ASSERT_GE(history, 1);
  ASSERT_GE(consents, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_plan_history WHERE partnership_id = $1 AND summary LIKE '%forklift%'"), history);

  // Before any erasure the tables refuse every change, redaction-shaped or not.
  EXPECT_TRUE(refused("UPDATE journey_plan_history SET summary = 'changed' WHERE partnership_id = $1"));
  EXPECT_TRUE(refused("UPDATE journey_plan_history SET version = version + 1, summary = '', by_name = '', redacted_at = 1"
                      " WHERE partnership_id = $1"));
  EXPECT_TRUE(refused("UPDATE journey_consent_events SET action = 'withdraw', by_name = '', redacted_at = 1"
                      " WHERE partnership_id = $1"));
  EXPECT_TRUE(refused("DELETE FROM journey_plan_history WHERE partnership_id = $1"));
  EXPECT_TRUE(refused("DELETE FROM journey_consent_events WHERE partnership_id = $1"));

  ASSERT_EQ(person.submit("/me/data/erase", "/me/data/erase", {{"confirm", "yes"}}).status, 303);
  // Every row is still there, with its version and date; the words and names are gone.
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_plan_history WHERE partnership_id = $1"), history);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_plan_history WHERE partnership_id = $1 AND summary = '' AND by_name = ''"
                  " AND redacted_at IS NOT NULL AND version >= 1 AND at > 0"),
            history);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_consent_events WHERE partnership_id = $1"), consents);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_consent_events WHERE partnership_id = $1 AND by_name = ''"
                  " AND redacted_at IS NOT NULL AND organisation_id = $2 AND part = 'plan'",
                  {org}),
            consents);
  // The erasure is on record, with counts and no words.
  EXPECT_EQ(count("SELECT COUNT(*) FROM rights_erasures WHERE partnership_id = $1 AND counts LIKE '%journey_plan_history%'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM rights_erasures WHERE partnership_id = $1 AND counts LIKE '%forklift%'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'journey_plan_history.redact'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND detail LIKE '%forklift%'"), 0);
  // A redacted row cannot be redacted again, written back, or deleted.
  EXPECT_TRUE(refused("UPDATE journey_plan_history SET summary = 'back', redacted_at = NULL WHERE partnership_id = $1"));
  EXPECT_TRUE(refused("UPDATE journey_plan_history SET redacted_at = redacted_at + 1 WHERE partnership_id = $1"));
  EXPECT_TRUE(refused("UPDATE journey_consent_events SET by_name = 'Jo' WHERE partnership_id = $1"));
  EXPECT_TRUE(refused("DELETE FROM journey_plan_history WHERE partnership_id = $1"));
}

// The demo directory states which pipeline stages its services serve, so the choice step can
// filter by the person's stage; loading the demo twice adds nothing.
TEST(JourneysCareDemo, DemoServicesStateTheirPipelineStages) {
  test::TestApp t;
  auto demo = t.app->create_partnership("demo", "Demo", "demo.test", "");
  modules::load_demo(*t.app);
  modules::load_demo(*t.app);
  auto w = t.app->work(demo.id, {}, store::Transaction::Mode::read);
  auto stages = [&](const std::string& uuid) {
    auto b = modules::directory_store::brief_by_uuid(w.scope(), uuid);
    EXPECT_TRUE(b.has_value()) << uuid;
    auto ref = b ? modules::directory_store::service_ref(w.scope(), b->id) : std::nullopt;
    auto v = ref ? ref->stages : std::vector<int>{};
    std::sort(v.begin(), v.end());
    return v;
  };
  EXPECT_EQ(stages("521b55ad-a989-48e5-9645-f8997a98714f"), (std::vector<int>{1, 2, 3, 4, 5}));  // council key workers
  EXPECT_EQ(stages("82bdfa90-64fb-4c0b-bdd2-09d8492662d3"), (std::vector<int>{4}));              // meet the employers
  EXPECT_TRUE(stages("43de9b07-db62-48b6-8bf3-3533bd481866").empty());                           // a warm space: any stage
}
