// Timebank reports: the SQL aggregates count help given and received (not donations, grants, the pot
// or reversed transfers) in the right month; the page shows names only to brokers and audits that;
// the CSV has a header and hours with two decimals.
#include <gtest/gtest.h>

#include "core/util.hpp"
#include "http/http_support.hpp"
#include "modules/timebank/extras.hpp"

using namespace cp;
using namespace cp::test;
namespace tb = modules::timebank;

namespace {

std::int64_t offline(store::Scope& s, const std::string& name) {
  return tb::join(s, {"person", std::nullopt, std::nullopt, name, "", "", true});
}

// Ann and Cal help Bea; Dev donates to the pot; Eve pays Fay but that is reversed; the pot grants Gus.
void seed(TestApp& t) {
  auto w = t.app->work(t.alpha.id, {std::nullopt, "test", "", ""});
  auto& s = w.scope();
  auto pot = tb::ensure_settings(s).pot_member_id;
  auto ann = offline(s, "Ann Giver"), bea = offline(s, "Bea Getter"), cal = offline(s, "Cal Giver");
  auto dev = offline(s, "Dev Donor"), eve = offline(s, "Eve Payer"), fay = offline(s, "Fay Earner");
  auto gus = offline(s, "Gus Grantee");
  std::int64_t id = 0;
  ASSERT_TRUE(tb::record_confirmed(s, {ann, bea, 8, "Gardening", std::nullopt}, 1, id).ok());
  tb::TransferRequest rota{bea, cal, 6, "rota", "Shopping", std::nullopt, std::nullopt, std::nullopt, true};
  ASSERT_TRUE(tb::transfer(s, rota).ok());
  ASSERT_TRUE(tb::transfer(s, {dev, pot, 4, "donation", "", std::nullopt, std::nullopt, std::nullopt, false}).ok());
  ASSERT_TRUE(tb::transfer(s, {pot, gus, 2, "grant", "", std::nullopt, std::nullopt, std::nullopt, false}).ok());
  auto wrong = tb::transfer(s, {eve, fay, 4, "exchange", "", std::nullopt, std::nullopt, std::nullopt, true});
  ASSERT_TRUE(wrong.ok());
  ASSERT_TRUE(tb::reverse(s, wrong.transfer_id, "Mistake").ok());
  w.commit();
}

tb::Report report_at(TestApp& t, std::int64_t now_ms, bool names) {
  auto w = t.app->work(t.alpha.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
  return tb::report(w.scope(), now_ms, names);
}

}  // namespace

TEST(TimebankReports, CountsHelpNotDonationsGrantsOrReversals) {
  TestApp t;
  seed(t);
  auto r = report_at(t, now_millis(), true);
  ASSERT_EQ(r.months.size(), 12u);
  const auto& now = r.months.back();
  EXPECT_EQ(now.quarters, 14);  // 2 hours from Ann and 1.5 from Cal
  EXPECT_EQ(now.active, 3);
  EXPECT_EQ(now.only_gave, 2);
  EXPECT_EQ(now.only_received, 1);
  for (std::size_t i = 0; i + 1 < r.months.size(); ++i) EXPECT_EQ(r.months[i].quarters, 0) << r.months[i].month;
  EXPECT_EQ(r.active, 3);
  ASSERT_EQ(r.givers.size(), 2u);
  EXPECT_EQ(r.givers[0].name, "Ann Giver");
  EXPECT_EQ(r.givers[1].name, "Cal Giver");
  ASSERT_EQ(r.receivers.size(), 1u);
  EXPECT_EQ(r.receivers[0].name, "Bea Getter");
  EXPECT_EQ(r.receivers[0].quarters, 14);
  // Without names the lists stay empty.
  EXPECT_TRUE(report_at(t, now_millis(), false).givers.empty());
}

TEST(TimebankReports, MonthsRollAndCsvHasTwoDecimals) {
  TestApp t;
  seed(t);
  auto now = now_millis();
  auto this_month = report_at(t, now, false).months.back().month;
  // Seen from three months on, this month's help is the ninth of twelve rows and the window still holds it.
  auto later = report_at(t, now + 92LL * 86400 * 1000, false);
  EXPECT_EQ(later.months[8].month, this_month);
  EXPECT_EQ(later.months[8].quarters, 14);
  EXPECT_EQ(later.months.back().quarters, 0);
  // A year and more on, it has left the window.
  auto year = report_at(t, now + 400LL * 86400 * 1000, false);
  for (const auto& m : year.months) EXPECT_EQ(m.quarters, 0);
  EXPECT_EQ(year.active, 0);

  auto csv = tb::report_csv(report_at(t, now, false));
  EXPECT_EQ(csv.substr(0, csv.find("\r\n")), "month,hours_exchanged,active_members,members_only_gave,members_only_received");
  EXPECT_TRUE(contains(csv, this_month + ",3.50,3,2,1\r\n")) << csv;
  EXPECT_EQ(occurrences(csv, "\r\n"), 13u);
  EXPECT_EQ(tb::hours_2dp(1), "0.25");
  EXPECT_EQ(tb::hours_2dp(-6), "-1.50");
}

TEST(TimebankReports, PageAndCsvOverHttp) {
  TestServer s;
  seed(s);
  auto worker = signed_in_as(s, auth::Role::worker, "worker@example.org");
  auto page = worker.get("/timebank/reports");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(contains(page.body, "<svg"));
  EXPECT_TRUE(contains(page.body, "id=\"report-table\""));
  EXPECT_TRUE(contains(page.body, ">3.50<"));
  EXPECT_TRUE(contains(page.body, "Ann Giver"));
  EXPECT_TRUE(contains(page.body, "Bea Getter"));
  EXPECT_FALSE(contains(page.body, "Dev Donor"));
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'timebank.report_view'"), 1);

  // Commissioners see the figures but not who.
  auto commissioner = signed_in_as(s, auth::Role::commissioner, "commissioner@example.org");
  auto cpage = commissioner.get("/timebank/reports");
  ASSERT_EQ(cpage.status, 200);
  EXPECT_TRUE(contains(cpage.body, ">3.50<"));
  EXPECT_FALSE(contains(cpage.body, "Ann Giver"));

  auto csv = commissioner.get("/timebank/reports.csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_TRUE(starts_with(csv.header("content-type"), "text/csv"));
  EXPECT_TRUE(starts_with(csv.body, "month,hours_exchanged,"));
  EXPECT_TRUE(contains(csv.body, ",3.50,3,2,1\r\n"));

  auto person = signed_in_as(s, auth::Role::person, "person@example.org");
  EXPECT_EQ(person.get("/timebank/reports").status, 403);
  EXPECT_EQ(person.get("/timebank/reports.csv").status, 403);
  // The other partnership's figures are its own.
  auto beta = signed_in_as(s, auth::Role::worker, "bworker@example.org", "beta.test");
  auto bpage = beta.get("/timebank/reports");
  ASSERT_EQ(bpage.status, 200);
  EXPECT_FALSE(contains(bpage.body, ">3.50<"));
}
