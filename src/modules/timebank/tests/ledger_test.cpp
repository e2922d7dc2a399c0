// The timebank ledger through its C++ interface: hours parsing, the double-entry invariant, the
// lowest-balance rule, append-only movements, reversing corrections, milestones, the partnership
// boundary, and concurrent writers on real threads.
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

#include "core/util.hpp"
#include "modules/timebank/timebank.hpp"
#include "support/harness.hpp"

using namespace cp;
namespace tb = modules::timebank;

namespace {

store::AuditContext ctx() { return {std::nullopt, "test", "", ""}; }

std::int64_t offline(store::Scope& s, const std::string& name) {
  return tb::join(s, {"person", std::nullopt, std::nullopt, name, "", "", true});
}

tb::TransferRequest pay(std::int64_t from, std::int64_t to, std::int64_t quarters, const std::string& kind = "exchange") {
  tb::TransferRequest t;
  t.from_member = from;
  t.to_member = to;
  t.quarters = quarters;
  t.kind = kind;
  t.counts_as_given = kind == "exchange";
  return t;
}

std::int64_t count(store::Scope& s, const std::string& sql) { return s.read(sql).one().i64(0); }

}  // namespace

TEST(TimebankHours, QuarterHoursAreReadAndEverythingElseIsRefusedWithAReason) {
  std::string err;
  EXPECT_EQ(tb::parse_hours("1", err), 4);
  EXPECT_EQ(tb::parse_hours("1.5", err), 6);
  EXPECT_EQ(tb::parse_hours(" 0.25 ", err), 1);
  EXPECT_EQ(tb::parse_hours("2,75", err), 11);
  EXPECT_EQ(tb::parse_hours("24", err), 96);
  EXPECT_EQ(tb::parse_hours("1.500", err), 6);
  EXPECT_EQ(tb::parse_hours(".5", err), 2);
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"", "timebank.error_hours_missing"},     {"0", "timebank.error_hours_zero"},
      {"0.00", "timebank.error_hours_zero"},    {"-1", "timebank.error_hours_negative"},
      {"abc", "timebank.error_hours_number"},   {"1e2", "timebank.error_hours_number"},
      {"1.3", "timebank.error_hours_quarter"},  {"0.125", "timebank.error_hours_quarter"},
      {"24.25", "timebank.error_hours_too_many"}, {"100000000000000000000", "timebank.error_hours_too_many"},
      {".", "timebank.error_hours_number"},     {"1.2.3", "timebank.error_hours_number"}};
  for (const auto& [text, key] : refused) {
    err.clear();
    EXPECT_FALSE(tb::parse_hours(text, err)) << text;
    EXPECT_EQ(err, key) << text;
  }
  EXPECT_EQ(tb::format_hours(6), "1.5");
  EXPECT_EQ(tb::format_hours(-1), "-0.25");
  EXPECT_EQ(tb::format_hours(0), "0");
}

TEST(TimebankLedger, ManyTransfersSumToZeroAndEveryBalanceEqualsItsMovements) {
  test::TestApp t;
  auto w = t.app->work(t.alpha.id, ctx());
  auto& s = w.scope();
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 8; ++i) ids.push_back(offline(s, "Member " + std::to_string(i)));
  std::mt19937 rng(7);
  int done = 0, refused = 0;
  for (int i = 0; i < 300; ++i) {
    auto from = ids[rng() % ids.size()], to = ids[rng() % ids.size()];
    auto r = tb::transfer(s, pay(from, to, 1 + rng() % 16));
    if (r.ok()) ++done;
    else {
      ++refused;
      EXPECT_TRUE(r.refusal == tb::Refusal::same_member || r.refusal == tb::Refusal::below_limit);
    }
  }
  ASSERT_GT(done, 100);
  auto totals = tb::totals(s);
  EXPECT_EQ(totals.sum, 0);
  EXPECT_EQ(totals.transfers, done);
  EXPECT_EQ(totals.movements, 2 * done);
  // No transfer has anything but one minus and one plus of the same size.
  EXPECT_EQ(count(s, "SELECT COUNT(*) FROM (SELECT transfer_id FROM timebank_movements WHERE partnership_id = $1"
                     " GROUP BY transfer_id HAVING SUM(quarters) <> 0 OR COUNT(*) <> 2) x"),
            0);
  for (auto id : ids) {
    EXPECT_EQ(tb::balance(s, id), tb::ledger_balance(s, id)) << id;
    EXPECT_GE(tb::balance(s, id), -40) << id;
  }
  EXPECT_GT(refused, 0);
}

TEST(TimebankLedger, APaymentBelowTheLowestBalanceIsRefusedAndWritesNothing) {
  test::TestApp t;
  auto w = t.app->work(t.alpha.id, ctx());
  auto& s = w.scope();
  auto a = offline(s, "Ann"), b = offline(s, "Bob");
  ASSERT_TRUE(tb::set_min_balance(s, -8));
  EXPECT_FALSE(tb::set_min_balance(s, 4));  // above zero makes no sense
  ASSERT_TRUE(tb::transfer(s, pay(a, b, 8)).ok());
  auto audits = count(s, "SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1");
  auto before = tb::totals(s);
  auto r = tb::transfer(s, pay(a, b, 1));
  EXPECT_EQ(r.refusal, tb::Refusal::below_limit);
  EXPECT_EQ(r.transfer_id, 0);
  auto after = tb::totals(s);
  EXPECT_EQ(after.transfers, before.transfers);
  EXPECT_EQ(after.movements, before.movements);
  EXPECT_EQ(count(s, "SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1"), audits);
  EXPECT_EQ(tb::balance(s, a), -8);
  // The pot can never go below zero, whatever the members' limit.
  auto pot = tb::ensure_settings(s).pot_member_id;
  EXPECT_EQ(tb::transfer(s, pay(pot, a, 1, "grant")).refusal, tb::Refusal::pot_short);
  ASSERT_TRUE(tb::transfer(s, pay(b, pot, 2, "donation")).ok());
  EXPECT_TRUE(tb::transfer(s, pay(pot, a, 2, "grant")).ok());
  EXPECT_EQ(tb::balance(s, pot), 0);
  EXPECT_EQ(tb::transfer(s, pay(a, a, 1)).refusal, tb::Refusal::same_member);
  EXPECT_EQ(tb::transfer(s, pay(a, b, 0)).refusal, tb::Refusal::bad_amount);
  EXPECT_EQ(tb::transfer(s, pay(a, b, -4)).refusal, tb::Refusal::bad_amount);
}

TEST(TimebankLedger, MovementsAndTransfersCannotBeChangedOrDeleted) {
  test::TestApp t;
  {
    auto w = t.app->work(t.alpha.id, ctx());
    auto a = offline(w.scope(), "Ann"), b = offline(w.scope(), "Bob");
    ASSERT_TRUE(tb::transfer(w.scope(), pay(a, b, 4)).ok());
    w.commit();
  }
  for (const char* sql : {"UPDATE timebank_movements SET quarters = 400 WHERE partnership_id = $1",
                          "DELETE FROM timebank_movements WHERE partnership_id = $1",
                          "UPDATE timebank_transfers SET quarters = 400 WHERE partnership_id = $1",
                          "DELETE FROM timebank_transfers WHERE partnership_id = $1"}) {
    auto w = t.app->work(t.alpha.id, ctx());
    EXPECT_THROW(w->bookkeeping(sql), store::DbError) << sql;
  }
  auto w = t.app->work(t.alpha.id, ctx(), store::Transaction::Mode::read);
  EXPECT_EQ(tb::totals(w.scope()).movements, 2);
  EXPECT_EQ(count(w.scope(), "SELECT MAX(quarters) FROM timebank_movements WHERE partnership_id = $1"), 4);
}

TEST(TimebankLedger, ACorrectionIsAReversingTransferMadeOnce) {
  test::TestApp t;
  auto w = t.app->work(t.alpha.id, ctx());
  auto& s = w.scope();
  auto a = offline(s, "Ann"), b = offline(s, "Bob");
  auto first = tb::transfer(s, pay(a, b, 6));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(tb::member(s, b)->given, 6);
  auto back = tb::reverse(s, first.transfer_id, "Typed the wrong person");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(tb::balance(s, a), 0);
  EXPECT_EQ(tb::balance(s, b), 0);
  EXPECT_EQ(tb::member(s, b)->given, 0);
  // The original is still there: history is kept, with the correction beside it.
  EXPECT_EQ(tb::totals(s).transfers, 2);
  EXPECT_EQ(tb::totals(s).sum, 0);
  EXPECT_EQ(tb::reverse(s, first.transfer_id, "again").refusal, tb::Refusal::already_done);
  EXPECT_EQ(tb::reverse(s, back.transfer_id, "undo the undo").refusal, tb::Refusal::already_done);
  auto moves = tb::movements(s, {b, std::nullopt, std::nullopt, std::nullopt, 0, 10});
  ASSERT_EQ(moves.size(), 2u);
  EXPECT_EQ(moves[0].quarters, 6);
  EXPECT_EQ(moves[1].quarters, -6);
  EXPECT_EQ(moves[1].kind, "reversal");
  EXPECT_EQ(moves[1].reverses_id, first.transfer_id);
  EXPECT_EQ(moves[1].other_member, a);
}

TEST(TimebankLedger, MilestonesAreRecordedOnceEvenWhenHoursAreReversedAndEarnedAgain) {
  test::TestApp t;
  auto w = t.app->work(t.alpha.id, ctx());
  auto& s = w.scope();
  auto helper = offline(s, "Helper");
  std::vector<std::int64_t> helped;
  for (int i = 0; i < 6; ++i) helped.push_back(offline(s, "Helped " + std::to_string(i)));
  std::vector<std::int64_t> reached;
  std::int64_t last = 0;
  for (int i = 0; i < 5; ++i) {  // 5 x 2.25 hours: passes 10 on the fifth
    auto r = tb::transfer(s, pay(helped[i], helper, 9));
    ASSERT_TRUE(r.ok());
    reached.insert(reached.end(), r.milestones.begin(), r.milestones.end());
    last = r.transfer_id;
  }
  EXPECT_EQ(reached, std::vector<std::int64_t>{10});
  ASSERT_TRUE(tb::reverse(s, last, "mistake").ok());
  auto again = tb::transfer(s, pay(helped[5], helper, 9));
  EXPECT_TRUE(again.milestones.empty());
  auto ms = tb::milestones(s, helper);
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].hours, 10);
  // Donations and grants are not help given.
  auto pot = tb::ensure_settings(s).pot_member_id;
  ASSERT_TRUE(tb::transfer(s, pay(helper, pot, 40, "donation")).ok());
  auto before = tb::member(s, helper)->given;
  ASSERT_TRUE(tb::transfer(s, pay(pot, helped[0], 40, "grant")).ok());
  EXPECT_EQ(tb::member(s, helper)->given, before);
}

TEST(TimebankLedger, TheOtherPartnershipsMembersCannotBeReached) {
  test::TestApp t;
  std::int64_t a = 0, b = 0, transfer = 0;
  {
    auto w = t.app->work(t.alpha.id, ctx());
    a = offline(w.scope(), "Ann");
    b = offline(w.scope(), "Bob");
    transfer = tb::transfer(w.scope(), pay(a, b, 4)).transfer_id;
    w.commit();
  }
  auto w = t.app->work(t.beta.id, ctx());
  auto& s = w.scope();
  auto c = offline(s, "Cat");
  EXPECT_FALSE(tb::member(s, a));
  EXPECT_EQ(tb::transfer(s, pay(a, b, 1)).refusal, tb::Refusal::no_member);
  EXPECT_EQ(tb::transfer(s, pay(c, a, 1)).refusal, tb::Refusal::no_member);
  EXPECT_EQ(tb::reverse(s, transfer, "not ours").refusal, tb::Refusal::no_member);
  EXPECT_TRUE(tb::movements(s, {a, std::nullopt, std::nullopt, std::nullopt, 0, 10}).empty());
  EXPECT_EQ(tb::totals(s).movements, 0);
  std::int64_t id = 0;
  EXPECT_EQ(tb::record(s, {a, c, 4, "x", std::nullopt}, c, std::nullopt, id), tb::Refusal::no_member);
}

TEST(TimebankLedger, MovementsCanBeReadForReportsByTimeKindAndPage) {
  test::TestApp t;
  auto w = t.app->work(t.alpha.id, ctx());
  auto& s = w.scope();
  auto a = offline(s, "Ann"), b = offline(s, "Bob");
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(tb::transfer(s, pay(a, b, 1)).ok());
  auto rota = pay(a, b, 2, "rota");
  ASSERT_TRUE(tb::transfer(s, rota).ok());
  tb::MovementQuery q;
  q.limit = 4;
  auto first = tb::movements(s, q);
  ASSERT_EQ(first.size(), 4u);
  q.after_id = first.back().id;
  q.limit = 100;
  auto rest = tb::movements(s, q);
  EXPECT_EQ(rest.size(), 8u);
  EXPECT_GT(rest.front().id, first.back().id);
  tb::MovementQuery kinds;
  kinds.kind = "rota";
  auto rotas = tb::movements(s, kinds);
  ASSERT_EQ(rotas.size(), 2u);
  EXPECT_EQ(rotas[0].quarters + rotas[1].quarters, 0);
  tb::MovementQuery future;
  future.from_ms = now_millis() + 60000;
  EXPECT_TRUE(tb::movements(s, future).empty());
}

// "Balance for a member" must not scan the ledger: the plan uses the covering index.
TEST(TimebankLedger, BalanceFromTheLedgerUsesTheMemberIndex) {
  test::TestApp t;
  auto lease = t.app->db->lease();
  const std::string sql =
      "SELECT COALESCE(SUM(quarters), 0) FROM timebank_movements WHERE partnership_id = 1 AND member_id = 2";
  std::string plan;
  if (lease->dialect() == store::Dialect::sqlite) {
    for (const auto& r : lease->run("EXPLAIN QUERY PLAN " + sql, {}).rows) plan += r.text(3) + "\n";
  } else {
    lease->run("SET enable_seqscan = off", {});
    for (const auto& r : lease->run("EXPLAIN " + sql, {}).rows) plan += r.text(0) + "\n";
    lease->run("RESET enable_seqscan", {});
  }
  EXPECT_NE(plan.find("timebank_movements_member"), std::string::npos) << plan;
}

// Many threads each try to take one hour from the same member at the same moment. The member may go
// down to -5 hours, so exactly five succeed, whichever database is underneath.
TEST(TimebankConcurrency, TransfersFromOneMemberAtOnceNeverBreakTheLimit) {
  test::TestApp t;
  std::int64_t payer = 0;
  std::vector<std::int64_t> payees;
  {
    auto w = t.app->work(t.alpha.id, ctx());
    ASSERT_TRUE(tb::set_min_balance(w.scope(), -20));
    payer = offline(w.scope(), "Payer");
    for (int i = 0; i < 10; ++i) payees.push_back(offline(w.scope(), "Payee " + std::to_string(i)));
    w.commit();
  }
  std::atomic<int> ok{0}, refused{0}, errors{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 10; ++i)
    threads.emplace_back([&, i] {
      try {
        auto w = t.app->work(t.alpha.id, ctx());
        auto r = tb::transfer(w.scope(), pay(payer, payees[i], 4));
        if (r.ok()) {
          w.commit();
          ++ok;
        } else {
          ++refused;
        }
      } catch (const std::exception& e) {
        ++errors;
        ADD_FAILURE() << e.what();
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(ok.load(), 5);
  EXPECT_EQ(refused.load(), 5);
  auto w = t.app->work(t.alpha.id, ctx(), store::Transaction::Mode::read);
  EXPECT_EQ(tb::balance(w.scope(), payer), -20);
  EXPECT_EQ(tb::ledger_balance(w.scope(), payer), -20);
  EXPECT_EQ(tb::totals(w.scope()).sum, 0);
}
