// The audit trail: every change made through a Scope is recorded with who, where and which request,
// in the same transaction as the change, and the trail itself can only grow.
#include <gtest/gtest.h>

#include "core/util.hpp"
#include "modules/organisations/organisations.hpp"
#include "support/harness.hpp"

using namespace cp;

namespace {

store::AuditContext staff(std::int64_t user_id) {
  return {user_id, "user:" + std::to_string(user_id), "203.0.113.9", "req-4f2a"};
}

modules::OrganisationInput org(const std::string& name) {
  modules::OrganisationInput in;
  in.name = name;
  in.kind = "community_group";
  in.summary = "Meets on Tuesdays.";
  return in;
}

std::int64_t audit_count(test::TestApp& a, const app::Partnership& p) {
  auto w = a.app->work(p.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
  return w->read("SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1").one().i64(0);
}

}  // namespace

TEST(Audit, InsertRecordsTheChangeAndItsContext) {
  test::TestApp a;
  auto user = a.add_user(a.alpha, "max@example.org", "a long enough passphrase", auth::Role::admin);
  auto before_ms = now_millis();
  std::int64_t id = 0;
  {
    auto w = a.app->work(a.alpha.id, staff(user));
    id = modules::organisations_store::create(w.scope(), org("Tuesday Club"));
    w.commit();
  }
  auto after_ms = now_millis();
  auto w = a.app->work(a.alpha.id, staff(user), store::Transaction::Mode::read);
  auto r = w->read(
      "SELECT action, record_type, record_id, actor_user_id, actor, ip, request_id, at_ms FROM audit_events"
      " WHERE partnership_id = $1 AND record_type = $2",
      {std::string("organisation")});
  ASSERT_EQ(r.rows.size(), 1u);
  const auto& row = r.one();
  EXPECT_EQ(row.text(0), "organisation.create");
  EXPECT_EQ(row.text(1), "organisation");
  EXPECT_EQ(row.i64(2), id);
  EXPECT_EQ(row.opt_i64(3), user);
  EXPECT_EQ(row.text(4), "user:" + std::to_string(user));
  EXPECT_EQ(row.text(5), "203.0.113.9");
  EXPECT_EQ(row.text(6), "req-4f2a");
  EXPECT_GE(row.i64(7), before_ms);
  EXPECT_LE(row.i64(7), after_ms);
  // Recorded in alpha only.
  EXPECT_EQ(audit_count(a, a.beta), 0);
}

TEST(Audit, WriteRecordsOnlyWhenARowChanged) {
  test::TestApp a;
  auto id = a.add_organisation(a.alpha, "Harbour Trust");
  auto base = audit_count(a, a.alpha);
  const char* rename = "UPDATE organisations SET name = $2 WHERE partnership_id = $1 AND id = $3";
  {
    auto w = a.app->work(a.alpha.id, staff(31));
    EXPECT_EQ(w->write({"organisation.update", "organisation", id + 1000, "name"}, rename,
                       {std::string("Nobody"), id + 1000}),
              0);
    w.commit();
  }
  EXPECT_EQ(audit_count(a, a.alpha), base);
  {
    auto w = a.app->work(a.alpha.id, staff(31));
    EXPECT_EQ(w->write({"organisation.update", "organisation", id, "name"}, rename, {std::string("Harbour Trust Ltd"), id}),
              1);
    w.commit();
  }
  EXPECT_EQ(audit_count(a, a.alpha), base + 1);
  auto w = a.app->work(a.alpha.id, staff(31), store::Transaction::Mode::read);
  auto last = w->read("SELECT action, record_id, detail, actor_user_id, actor FROM audit_events WHERE partnership_id = $1"
                      " ORDER BY id DESC LIMIT 1")
                  .one();
  EXPECT_EQ(last.text(0), "organisation.update");
  EXPECT_EQ(last.i64(1), id);
  EXPECT_EQ(last.text(2), "name");
  EXPECT_EQ(last.i64(3), 31);
  EXPECT_EQ(last.text(4), "user:31");
}

TEST(Audit, RolledBackWriteLeavesNoTrail) {
  test::TestApp a;
  auto base = audit_count(a, a.alpha);
  std::int64_t id = 0;
  {
    auto w = a.app->work(a.alpha.id, staff(5));
    id = modules::organisations_store::create(w.scope(), org("Never Saved"));
    EXPECT_GT(id, 0);
    // Inside the transaction both the row and its audit entry are there ...
    EXPECT_EQ(w->read("SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND record_id = $2", {id}).one().i64(0),
              1);
  }  // ... and without commit() both go.
  EXPECT_EQ(audit_count(a, a.alpha), base);
  auto w = a.app->work(a.alpha.id, staff(5), store::Transaction::Mode::read);
  EXPECT_FALSE(modules::organisations_store::get(w.scope(), id));
}

TEST(Audit, AuditWithoutAChangeRecordsAView) {
  test::TestApp a;
  auto id = a.add_organisation(a.alpha, "Quiet House");
  auto base = audit_count(a, a.alpha);
  {
    auto w = a.app->work(a.alpha.id, staff(8));
    w->audit({"organisation.view", "organisation", id, ""});
    w.commit();
  }
  EXPECT_EQ(audit_count(a, a.alpha), base + 1);
}

TEST(Audit, TrailIsAppendOnly) {
  test::TestApp a;
  a.add_organisation(a.alpha, "Fixed Record");
  auto lease = a.app->db->lease();
  auto& c = *lease;
  auto before = c.run("SELECT id, action, actor FROM audit_events ORDER BY id", {});
  ASSERT_FALSE(before.empty());
  try {
    c.run("UPDATE audit_events SET actor = $1", {std::string("someone else")});
    FAIL() << "audit_events accepted an UPDATE";
  } catch (const store::DbError& e) {
    EXPECT_EQ(e.kind, store::DbError::Kind::check) << e.what();
    EXPECT_NE(std::string(e.what()).find("append-only"), std::string::npos) << e.what();
  }
  try {
    c.run("DELETE FROM audit_events WHERE id = $1", {before.one().i64(0)});
    FAIL() << "audit_events accepted a DELETE";
  } catch (const store::DbError& e) {
    EXPECT_EQ(e.kind, store::DbError::Kind::check) << e.what();
  }
  // Through a Scope as well: the database refuses, not only the application.
  {
    auto w = a.app->work(a.alpha.id, staff(1));
    EXPECT_THROW(w->write({"audit.purge", "audit_event", std::nullopt, ""},
                          "DELETE FROM audit_events WHERE partnership_id = $1", {}),
                 store::DbError);
  }
  auto after = c.run("SELECT id, action, actor FROM audit_events ORDER BY id", {});
  ASSERT_EQ(after.rows.size(), before.rows.size());
  for (std::size_t i = 0; i < after.rows.size(); ++i) {
    EXPECT_EQ(after.rows[i].i64(0), before.rows[i].i64(0));
    EXPECT_EQ(after.rows[i].text(1), before.rows[i].text(1));
    EXPECT_EQ(after.rows[i].text(2), before.rows[i].text(2));
  }
  // Appending still works.
  auto w = a.app->work(a.alpha.id, staff(1));
  EXPECT_NO_THROW(w->audit({"organisation.view", "organisation", std::nullopt, ""}));
  w.commit();
}
