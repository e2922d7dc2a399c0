// The storage layer below the Scope: values in and out, placeholders, error kinds, transactions,
// the connection pool and migrations, on whichever backend the run is for.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "support/harness.hpp"

using namespace cp;
using store::DbError;

namespace {

// Throws unless `fn` throws a DbError; returns its kind so the test can name the one it expects.
template <class F>
DbError::Kind kind_of_failure(F&& fn) {
  try {
    fn();
  } catch (const DbError& e) {
    return e.kind;
  }
  throw std::logic_error("the statement was expected to fail but succeeded");
}

// A scratch table outside the schema, so these tests do not depend on any module's tables.
void make_scratch(store::Connection& c) {
  c.run_script("CREATE TABLE scratch (a BIGINT, b BIGINT, t TEXT)");
}

}  // namespace

TEST(StoreRow, NullIntegersAndText) {
  test::TempDb db;
  auto c = store::connect(db.url());
  make_scratch(*c);
  const std::int64_t big = 9007199254740993;  // 2^53 + 1: lost if anything goes through a double
  c->run("INSERT INTO scratch (a, b, t) VALUES ($1, $2, $3)", {big, std::int64_t{-42}, std::string("Café 'quoted' ✓")});
  c->run("INSERT INTO scratch (a, b, t) VALUES ($1, $2, $3)", {nullptr, std::int64_t{0}, nullptr});

  auto r = c->run("SELECT a, b, t FROM scratch ORDER BY b", {});
  ASSERT_EQ(r.rows.size(), 2u);
  const auto& full = r.rows[0];  // b = -42 sorts first
  EXPECT_EQ(full.size(), 3u);
  EXPECT_FALSE(full.null(0));
  EXPECT_EQ(full.i64(0), big);
  EXPECT_EQ(full.opt_i64(0), big);
  EXPECT_EQ(full.i64(1), -42);
  EXPECT_EQ(full.text(2), "Café 'quoted' ✓");
  EXPECT_EQ(full.opt_text(2), std::optional<std::string>("Café 'quoted' ✓"));

  const auto& empty = r.rows[1];
  EXPECT_TRUE(empty.null(0));
  EXPECT_EQ(empty.i64(0), 0);
  EXPECT_EQ(empty.opt_i64(0), std::nullopt);
  EXPECT_FALSE(empty.null(1));
  EXPECT_EQ(empty.i64(1), 0);
  EXPECT_TRUE(empty.null(2));
  EXPECT_EQ(empty.text(2), "");
  EXPECT_EQ(empty.opt_text(2), std::nullopt);
  EXPECT_THROW(empty.text(3), std::out_of_range);
}

TEST(StoreRow, BooleansAggregatesAndOne) {
  test::TempDb db;
  auto c = store::connect(db.url());
  make_scratch(*c);
  // A comparison comes back as t/f from PostgreSQL and as 1/0 from SQLite; both read the same.
  auto b = c->run("SELECT 1 = 1, 1 = 2", {}).one();
  EXPECT_TRUE(b.boolean(0));
  EXPECT_FALSE(b.boolean(1));
  EXPECT_EQ(b.i64(0), 1);

  for (std::int64_t v : {3, 4, 5}) c->run("INSERT INTO scratch (a) VALUES ($1)", {v});
  auto agg = c->run("SELECT SUM(a), COUNT(*), AVG(a) FROM scratch", {}).one();
  EXPECT_EQ(agg.i64(0), 12);
  EXPECT_EQ(agg.i64(1), 3);
  EXPECT_DOUBLE_EQ(agg.f64(2), 4.0);

  auto none = c->run("SELECT a FROM scratch WHERE a > $1", {std::int64_t{100}});
  EXPECT_TRUE(none.empty());
  EXPECT_THROW(none.one(), DbError);
}

TEST(StoreRow, AffectedCountsRows) {
  test::TempDb db;
  auto c = store::connect(db.url());
  make_scratch(*c);
  for (std::int64_t v : {1, 2, 3}) c->run("INSERT INTO scratch (a) VALUES ($1)", {v});
  EXPECT_EQ(c->run("UPDATE scratch SET b = $1 WHERE a >= $2", {std::int64_t{9}, std::int64_t{2}}).affected, 2);
  EXPECT_EQ(c->run("DELETE FROM scratch WHERE a = $1", {std::int64_t{99}}).affected, 0);
}

TEST(StorePlaceholders, SameNumberTwiceAndOutOfOrder) {
  test::TempDb db;
  auto c = store::connect(db.url());
  make_scratch(*c);
  // $1 twice: both columns get the one value.
  c->run("INSERT INTO scratch (a, b, t) VALUES ($1, $1, $2)", {std::int64_t{7}, std::string("seven")});
  // Numbers out of textual order: each binds by its number, not its position.
  c->run("INSERT INTO scratch (a, b, t) VALUES ($2, $1, $3)", {std::int64_t{1}, std::int64_t{2}, std::string("two")});

  auto same = c->run("SELECT t FROM scratch WHERE a = $1 AND b = $1", {std::int64_t{7}});
  ASSERT_EQ(same.rows.size(), 1u);
  EXPECT_EQ(same.one().text(0), "seven");

  auto swapped = c->run("SELECT a, b FROM scratch WHERE t = $1", {std::string("two")}).one();
  EXPECT_EQ(swapped.i64(0), 2);
  EXPECT_EQ(swapped.i64(1), 1);

  // The same number used in a later clause as well as an earlier one.
  auto r = c->run("SELECT COUNT(*) FROM scratch WHERE a = $1 OR b = $1", {std::int64_t{2}});
  EXPECT_EQ(r.one().i64(0), 1);
}

TEST(StoreErrors, ConstraintKinds) {
  test::TestApp t;
  auto lease = t.app->db->lease();
  auto& c = *lease;
  auto now = std::int64_t{1700000000};

  EXPECT_EQ(kind_of_failure([&] {
              c.run("INSERT INTO partnerships (slug, name, created_at) VALUES ($1, $2, $3)",
                    {std::string("alpha"), std::string("Another Alpha"), now});
            }),
            DbError::Kind::unique);

  EXPECT_EQ(kind_of_failure([&] {
              c.run("INSERT INTO users (partnership_id, email, name, password_hash, created_at, password_changed_at)"
                    " VALUES ($1, $2, $3, $4, $5, $5)",
                    {std::int64_t{987654}, std::string("nobody@example.org"), std::string("Nobody"),
                     std::string("x"), now});
            }),
            DbError::Kind::foreign_key);

  auto user = t.add_user(t.alpha, "kim@example.org", "a long enough passphrase", auth::Role::person);
  EXPECT_EQ(kind_of_failure([&] {
              c.run("INSERT INTO user_roles (partnership_id, user_id, role, granted_at) VALUES ($1, $2, $3, $4)",
                    {t.alpha.id, user, std::string("emperor"), now});
            }),
            DbError::Kind::check);

  EXPECT_EQ(kind_of_failure([&] { c.run("SELECT no_such_column FROM partnerships", {}); }), DbError::Kind::other);
}

TEST(StoreTransaction, RollsBackUnlessCommitted) {
  test::TempDb db;
  auto c = store::connect(db.url());
  make_scratch(*c);
  {
    store::Transaction tx(*c);
    c->run("INSERT INTO scratch (a) VALUES ($1)", {std::int64_t{1}});
    EXPECT_EQ(c->run("SELECT COUNT(*) FROM scratch", {}).one().i64(0), 1);
  }
  EXPECT_EQ(c->run("SELECT COUNT(*) FROM scratch", {}).one().i64(0), 0);
  {
    store::Transaction tx(*c);
    c->run("INSERT INTO scratch (a) VALUES ($1)", {std::int64_t{2}});
    tx.commit();
  }
  // Another connection sees the committed row, so it reached the database, not just this session.
  auto other = store::connect(db.url());
  EXPECT_EQ(other->run("SELECT a FROM scratch", {}).one().i64(0), 2);
}

TEST(StoreTransaction, FailedStatementThenRollbackLeavesConnectionUsable) {
  test::TempDb db;
  auto c = store::connect(db.url());
  make_scratch(*c);
  {
    store::Transaction tx(*c);
    c->run("INSERT INTO scratch (a) VALUES ($1)", {std::int64_t{1}});
    EXPECT_THROW(c->run("INSERT INTO no_such_table (a) VALUES ($1)", {std::int64_t{1}}), DbError);
  }
  EXPECT_EQ(c->run("SELECT COUNT(*) FROM scratch", {}).one().i64(0), 0);
  store::Transaction tx(*c);
  c->run("INSERT INTO scratch (a) VALUES ($1)", {std::int64_t{3}});
  tx.commit();
  EXPECT_EQ(c->run("SELECT COUNT(*) FROM scratch", {}).one().i64(0), 1);
}

TEST(StorePool, WaitsThenReportsBusy) {
  test::TempDb db;
  store::Database pool(db.url(), 1, std::chrono::milliseconds(150));
  auto held = pool.lease();
  auto start = std::chrono::steady_clock::now();
  try {
    auto second = pool.lease();
    FAIL() << "a second lease from a pool of one should not be granted while the first is held";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind, DbError::Kind::busy);
  }
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, std::chrono::milliseconds(140));
  EXPECT_LT(waited, std::chrono::seconds(3));
  auto s = pool.stats();
  EXPECT_EQ(s.size, 1u);
  EXPECT_EQ(s.in_use, 1u);
  EXPECT_EQ(s.waited, 1u);
  EXPECT_EQ(s.timeouts, 1u);
}

TEST(StorePool, WaiterGetsTheConnectionWhenItIsReturned) {
  test::TempDb db;
  store::Database pool(db.url(), 1, std::chrono::seconds(5));
  std::optional<store::Database::Lease> held(pool.lease());
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    held.reset();
  });
  auto start = std::chrono::steady_clock::now();
  auto second = pool.lease();
  auto waited = std::chrono::steady_clock::now() - start;
  releaser.join();
  EXPECT_GE(waited, std::chrono::milliseconds(80));
  EXPECT_TRUE(second->ping());
  EXPECT_EQ(pool.stats().timeouts, 0u);
  EXPECT_EQ(pool.stats().size, 1u);
}

TEST(StorePool, DiscardedConnectionIsReplaced) {
  test::TempDb db;
  store::Database pool(db.url(), 1, std::chrono::milliseconds(200));
  {
    auto l = pool.lease();
    l.discard();
  }
  EXPECT_EQ(pool.stats().size, 0u);
  auto again = pool.lease();
  EXPECT_TRUE(again->ping());
  EXPECT_EQ(pool.stats().size, 1u);
}

TEST(StorePool, ConnectionLostToTheServerIsNotHandedOutAgain) {
  if (test::backend() != "postgres") GTEST_SKIP() << "an embedded SQLite connection cannot lose its server";
  test::TempDb db;
  store::Database pool(db.url(), 1, std::chrono::seconds(2));
  {
    auto l = pool.lease();
    auto pid = l->run("SELECT pg_backend_pid()", {}).one().i64(0);
    // The server ends this session, as it does when it restarts or an administrator intervenes.
    store::connect(db.url())->run("SELECT pg_terminate_backend($1::int)", {pid});
    try {
      l->run("SELECT 1", {});
      FAIL() << "a terminated session still answered";
    } catch (const DbError& e) {
      EXPECT_EQ(e.kind, DbError::Kind::unavailable) << e.what();
    }
  }  // returned without discard(): the pool itself must notice the connection is dead
  auto again = pool.lease();
  EXPECT_NO_THROW(again->run("SELECT 1", {}));
  EXPECT_TRUE(again->ping());
}

TEST(StoreMigrations, IdempotentAndRecorded) {
  test::TempDb db;
  auto cfg = test::test_config(db.url());
  std::size_t expected = 0;
  {
    app::App a(cfg);
    expected = a.migrations.all().size();
    ASSERT_GT(expected, 0u);
    EXPECT_EQ(a.migrate(), static_cast<int>(expected));
    EXPECT_EQ(a.migrate(), 0);
  }
  // A second process start (a new App on the same database) finds nothing to do either.
  app::App again(cfg);
  EXPECT_EQ(again.migrate(), 0);

  auto lease = again.db->lease();
  auto rows = lease->run("SELECT module, version, name, applied_at FROM schema_migrations ORDER BY module, version", {});
  ASSERT_EQ(rows.rows.size(), expected);
  for (const auto& m : again.migrations.all()) {
    auto r = lease->run("SELECT name, applied_at FROM schema_migrations WHERE module = $1 AND version = $2",
                        {m.module, std::int64_t{m.version}});
    ASSERT_EQ(r.rows.size(), 1u) << m.module << "/" << m.version;
    EXPECT_EQ(r.one().text(0), m.name);
    EXPECT_GT(r.one().i64(1), 1600000000);  // a real time, in seconds
  }
  auto core = lease->run("SELECT COUNT(*) FROM schema_migrations WHERE module = $1", {std::string("core")});
  EXPECT_GE(core.one().i64(0), 1);
}

TEST(StoreMigrations, FailedMigrationNamesItselfAndIsNotRecorded) {
  test::TempDb db;
  auto c = store::connect(db.url());
  store::Migrations m;
  m.add({"sample", 1, "good one", "CREATE TABLE sample_one (id {{id}});", {}});
  m.add({"sample", 2, "broken one", "CREATE TABLE sample_two (id {{id}}); CREATE TABLE sample_two (id {{id}});", {}});
  try {
    m.apply(*c);
    FAIL() << "the broken migration should have failed";
  } catch (const DbError& e) {
    EXPECT_NE(std::string(e.what()).find("sample/2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("broken one"), std::string::npos) << e.what();
  }
  auto versions = c->run("SELECT version FROM schema_migrations WHERE module = $1 ORDER BY version", {std::string("sample")});
  ASSERT_EQ(versions.rows.size(), 1u);
  EXPECT_EQ(versions.one().i64(0), 1);
  // The broken one ran in its own transaction, so its first table is gone with it.
  EXPECT_THROW(c->run("SELECT COUNT(*) FROM sample_two", {}), DbError);
}
