// The tenant guard and the isolation it protects: a statement on a partnership's table must be
// constrained by `partnership_id = $1`, and one partnership's Scope never sees another's rows.
#include <gtest/gtest.h>

#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/organisations/organisations.hpp"
#include "support/harness.hpp"

using namespace cp;
using store::check_scoped_sql;
using store::ScopeViolation;

namespace {

// The guard's verdicts are cached per statement text, so every statement in this file is unique to
// the test that uses it: a statement accepted in one test cannot hide a refusal in another.
const std::set<std::string>& tenant_tables() {
  static const std::set<std::string> t = {"users", "user_roles", "sessions", "organisations", "audit_events"};
  return t;
}

store::AuditContext cli_actor() { return {std::nullopt, "test", "", ""}; }

}  // namespace

TEST(ScopeGuard, AcceptsConstrainedStatements) {
  const auto& t = tenant_tables();
  EXPECT_NO_THROW(check_scoped_sql("SELECT id FROM organisations WHERE partnership_id = $1 AND id = $2", t));
  EXPECT_NO_THROW(check_scoped_sql("select o.id from organisations o where o.partnership_id=$1 and o.slug = $2", t));
  EXPECT_NO_THROW(check_scoped_sql("UPDATE users SET name = $2 WHERE partnership_id = $1 AND id = $3", t));
  EXPECT_NO_THROW(check_scoped_sql("DELETE FROM sessions WHERE partnership_id = $1 AND id = $2", t));
  EXPECT_NO_THROW(check_scoped_sql(
      "INSERT INTO organisations (partnership_id, slug, name) VALUES ($1, $2, $3) RETURNING id", t));
  EXPECT_NO_THROW(check_scoped_sql(
      "SELECT s.id, u.name FROM sessions s LEFT JOIN users u ON u.partnership_id = $1 AND u.id = s.user_id"
      " WHERE s.partnership_id = $1 AND s.token_hash = $2",
      t));
  // Tables outside the partnership set need no constraint.
  EXPECT_NO_THROW(check_scoped_sql("SELECT id, slug FROM partnerships WHERE slug = $2", t));
  // A column that merely shares a table's name (users.email as a qualified prefix) is no table reference.
  EXPECT_NO_THROW(check_scoped_sql(
      "SELECT users.email FROM users WHERE users.partnership_id = $1 AND users.id = $2", t));
}

TEST(ScopeGuard, RefusesUnconstrainedStatements) {
  const auto& t = tenant_tables();
  EXPECT_THROW(check_scoped_sql("SELECT id, name FROM organisations WHERE id = $2", t), ScopeViolation);
  EXPECT_THROW(check_scoped_sql("SELECT COUNT(*) FROM users", t), ScopeViolation);
  EXPECT_THROW(check_scoped_sql("UPDATE organisations SET name = $2 WHERE id = $3", t), ScopeViolation);
  EXPECT_THROW(check_scoped_sql("DELETE FROM sessions WHERE id = $2", t), ScopeViolation);
  EXPECT_THROW(check_scoped_sql("insert into users (email, partnership_id) values ($2, $1)", t), ScopeViolation);
}

TEST(ScopeGuard, RefusesAJoinConstrainedOnOneSideOnly) {
  const auto& t = tenant_tables();
  EXPECT_THROW(check_scoped_sql("SELECT s.id, u.name FROM sessions s JOIN users u ON u.id = s.user_id"
                                " WHERE s.partnership_id = $1",
                                t),
               ScopeViolation);
  EXPECT_THROW(check_scoped_sql("SELECT u.id FROM users u WHERE u.partnership_id = $1 AND u.id IN"
                                " (SELECT user_id FROM user_roles WHERE role = $2)",
                                t),
               ScopeViolation);
}

TEST(ScopeGuard, OtherParameterNumbersDoNotCount) {
  const auto& t = tenant_tables();
  // $10 and $2 are not the partnership: only $1 is bound to it.
  EXPECT_THROW(check_scoped_sql("SELECT id FROM organisations WHERE partnership_id = $10", t), ScopeViolation);
  EXPECT_THROW(check_scoped_sql("SELECT id FROM organisations WHERE partnership_id = $2", t), ScopeViolation);
  EXPECT_THROW(check_scoped_sql("SELECT id FROM organisations WHERE other_partnership_id = $1", t), ScopeViolation);
}

TEST(ScopeGuard, TextInsideQuotesOrCommentsIsNoConstraint) {
  const auto& t = tenant_tables();
  EXPECT_THROW(check_scoped_sql("SELECT id FROM organisations WHERE name = 'partnership_id = $1'", t), ScopeViolation);
  EXPECT_THROW(check_scoped_sql("SELECT id FROM users WHERE id = $2 -- AND partnership_id = $1", t), ScopeViolation);
  EXPECT_THROW(check_scoped_sql("SELECT id FROM sessions /* partnership_id = $1 */ WHERE id = $2", t), ScopeViolation);
}

TEST(ScopeGuard, ARefusalIsNotRememberedAsAnAcceptance) {
  const auto& t = tenant_tables();
  const char* sql = "UPDATE user_roles SET role = $2 WHERE user_id = $3";
  EXPECT_THROW(check_scoped_sql(sql, t), ScopeViolation);
  EXPECT_THROW(check_scoped_sql(sql, t), ScopeViolation);
}

TEST(ScopeGuard, ScopeRunsTheGuardBeforeTheDatabase) {
  test::TestApp a;
  auto w = a.app->work(a.alpha.id, cli_actor());
  EXPECT_THROW(w->read("SELECT name FROM organisations WHERE slug = $2", {std::string("x")}), ScopeViolation);
  EXPECT_THROW(w->write({"organisation.rename", "organisation", std::nullopt, ""},
                        "UPDATE organisations SET name = $2", {std::string("everyone")}),
               ScopeViolation);
  EXPECT_THROW(w->bookkeeping("DELETE FROM login_attempts WHERE at < $2", {std::int64_t{0}}), ScopeViolation);
}

TEST(ScopeGuard, ReadRefusesStatementsThatAreNotQueries) {
  test::TestApp a;
  auto id = a.add_organisation(a.alpha, "Read Only Trust");
  auto w = a.app->work(a.alpha.id, cli_actor());
  EXPECT_THROW(w->read("UPDATE organisations SET name = $2 WHERE partnership_id = $1 AND id = $3",
                       {std::string("Renamed"), id}),
               ScopeViolation);
  EXPECT_THROW(w->read("DELETE FROM organisations WHERE partnership_id = $1 AND id = $2", {id}), ScopeViolation);
  EXPECT_THROW(w->read("INSERT INTO login_attempts (partnership_id, throttle_key, at) VALUES ($1, $2, $3)",
                       {std::string("k"), std::int64_t{1}}),
               ScopeViolation);
  // Nothing reached the database.
  auto o = modules::organisations_store::get(w.scope(), id);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->name, "Read Only Trust");
  EXPECT_NO_THROW(w->read("WITH x AS (SELECT id FROM organisations WHERE partnership_id = $1) SELECT COUNT(*) FROM x"));
}

TEST(ScopeIsolation, OrganisationsAreInvisibleToAnotherPartnership) {
  test::TestApp a;
  auto id = a.add_organisation(a.alpha, "Alpha Food Bank");
  {
    auto w = a.app->work(a.alpha.id, cli_actor());
    EXPECT_EQ(modules::organisations_store::list(w.scope(), "", 1, 50).total, 1);
    EXPECT_TRUE(modules::organisations_store::get(w.scope(), id));
    EXPECT_TRUE(modules::organisations_store::find_by_slug(w.scope(), "alpha-food-bank"));
  }
  {
    auto w = a.app->work(a.beta.id, cli_actor());
    EXPECT_EQ(modules::organisations_store::list(w.scope(), "", 1, 50).total, 0);
    EXPECT_EQ(modules::organisations_store::list(w.scope(), "food", 1, 50).total, 0);
    EXPECT_FALSE(modules::organisations_store::get(w.scope(), id));
    EXPECT_FALSE(modules::organisations_store::find_by_slug(w.scope(), "alpha-food-bank"));
    EXPECT_TRUE(modules::organisations_store::count_by_kind(w.scope()).empty());
    // Changing alpha's row through beta touches nothing.
    EXPECT_FALSE(modules::organisations_store::archive(w.scope(), id));
    modules::OrganisationInput in;
    in.name = "Taken Over";
    in.kind = "other";
    in.summary = "Should never land.";
    EXPECT_EQ(modules::organisations_store::update(w.scope(), id, in, std::nullopt),
              modules::organisations_store::UpdateResult::not_found);
    w.commit();
  }
  {
    auto w = a.app->work(a.alpha.id, cli_actor(), store::Transaction::Mode::read);
    auto o = modules::organisations_store::get(w.scope(), id);
    ASSERT_TRUE(o);
    EXPECT_EQ(o->name, "Alpha Food Bank");
    EXPECT_FALSE(o->archived);
    EXPECT_EQ(o->version, 1);
  }
  // The same slug is free in beta: slugs are unique per partnership, not across them.
  auto wb = a.app->work(a.beta.id, cli_actor());
  modules::OrganisationInput in;
  in.name = "Alpha Food Bank";
  in.kind = "third_sector";
  in.summary = "A namesake in another place.";
  auto beta_id = modules::organisations_store::create(wb.scope(), in);
  EXPECT_NE(beta_id, id);
  EXPECT_EQ(*modules::organisations_store::find_by_slug(wb.scope(), "alpha-food-bank"), beta_id);
}

TEST(ScopeIsolation, UsersAreInvisibleToAnotherPartnership) {
  test::TestApp a;
  auto alpha_user = a.add_user(a.alpha, "sam@example.org", "a long enough passphrase", auth::Role::admin);
  {
    auto w = a.app->work(a.beta.id, cli_actor());
    EXPECT_FALSE(modules::AccountsModule::find_user(w.scope(), "sam@example.org"));
    EXPECT_TRUE(modules::AccountsModule::role_counts(w.scope()).empty());
    EXPECT_TRUE(w->read("SELECT id FROM users WHERE partnership_id = $1 AND id = $2", {alpha_user}).empty());
  }
  {
    auto w = a.app->work(a.alpha.id, cli_actor());
    EXPECT_EQ(modules::AccountsModule::find_user(w.scope(), "sam@example.org"), alpha_user);
  }
  // One email may hold separate accounts in separate partnerships.
  auto beta_user = a.add_user(a.beta, "sam@example.org", "another long passphrase", auth::Role::person);
  EXPECT_NE(beta_user, alpha_user);
}

TEST(ScopeIsolation, ARoleCannotPointAtAnotherPartnershipsUser) {
  test::TestApp a;
  auto alpha_user = a.add_user(a.alpha, "lee@example.org", "a long enough passphrase", auth::Role::person);
  const char* grant =
      "INSERT INTO user_roles (partnership_id, user_id, role, granted_at) VALUES ($1, $2, $3, $4)";
  {
    auto w = a.app->work(a.beta.id, cli_actor());
    try {
      w->write({"user.grant", "user", alpha_user, "admin"}, grant,
               {alpha_user, std::string("admin"), now_seconds()});
      FAIL() << "beta must not be able to grant a role to alpha's user";
    } catch (const store::DbError& e) {
      EXPECT_EQ(e.kind, store::DbError::Kind::foreign_key) << e.what();
    }
  }
  {
    // The same statement in the user's own partnership is accepted: the refusal above was the partnership.
    auto w = a.app->work(a.alpha.id, cli_actor());
    EXPECT_EQ(w->write({"user.grant", "user", alpha_user, "commissioner"}, grant,
                       {alpha_user, std::string("commissioner"), now_seconds()}),
              1);
    w.commit();
  }
  auto w = a.app->work(a.alpha.id, cli_actor());
  auto roles = w->read("SELECT role FROM user_roles WHERE partnership_id = $1 AND user_id = $2 ORDER BY role", {alpha_user});
  ASSERT_EQ(roles.rows.size(), 2u);
  EXPECT_EQ(roles.rows[0].text(0), "commissioner");
  EXPECT_EQ(roles.rows[1].text(0), "person");
}

TEST(ScopeIsolation, ASessionCannotPointAtAnotherPartnershipsUser) {
  test::TestApp a;
  auto alpha_user = a.add_user(a.alpha, "ali@example.org", "a long enough passphrase", auth::Role::person);
  auto w = a.app->work(a.beta.id, cli_actor());
  try {
    w->insert({"session.sign_in", "user", alpha_user, ""},
              "INSERT INTO sessions (partnership_id, token_hash, user_id, csrf_token, created_at, last_seen_at,"
              " expires_at) VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING id",
              {std::string("hash-of-planted-token"), alpha_user, std::string("csrf"), now_seconds(),
               now_seconds() + 3600});
    FAIL() << "a beta session must not be able to name alpha's user";
  } catch (const store::DbError& e) {
    EXPECT_EQ(e.kind, store::DbError::Kind::foreign_key) << e.what();
  }
}
