// The timebank through real HTTP: joining, offers and requests, recording and confirming exchanges
// (with the refusals), brokers, the balance API, the other partnership, and many browsers
// confirming the same exchange at once.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "http/http_support.hpp"
#include "modules/timebank/timebank.hpp"

using namespace cp;
using namespace cp::test;
namespace tb = modules::timebank;

namespace {

struct Person {
  Client client;
  std::int64_t user = 0;
  std::int64_t member = 0;
};

// A signed-in account that has joined the timebank through the join form.
Person joined(TestServer& s, const std::string& email, auth::Role role = auth::Role::person,
              const std::string& host = "alpha.test") {
  auto& p = host == "beta.test" ? s.beta : s.alpha;
  Person out{Client(s.port, host)};
  out.user = s.add_user(p, email, kPassword, role);
  EXPECT_EQ(out.client.sign_in(email, kPassword).status, 303);
  auto r = out.client.submit("/timebank/join", "/timebank/join", {{"can_do", "I can help with gardens."}, {"outcode", "ky1 1aa"}});
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("location"), "/timebank/me");
  auto w = s.app->work(p.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
  out.member = tb::member_for_user(w.scope(), out.user)->id;
  return out;
}

std::int64_t quarters_of(TestServer& s, std::int64_t member, const app::Partnership* p = nullptr) {
  auto w = s.app->work((p ? *p : s.alpha).id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
  return tb::balance(w.scope(), member);
}

std::int64_t movement_count(TestServer& s) {
  return read_int(s, s.alpha, "SELECT COUNT(*) FROM timebank_movements WHERE partnership_id = $1");
}

std::string status_of(TestServer& s, std::int64_t exchange) {
  return read_rows(s, s.alpha, "SELECT status FROM timebank_exchanges WHERE partnership_id = $1 AND id = $2", {exchange})
      .one()
      .text(0);
}

// Records "I helped them" from `from` to `to`; returns the new exchange's id.
std::int64_t record(Person& from, const Person& to, const std::string& hours, const std::string& what = "Lift to the shops") {
  auto r = from.client.submit("/timebank/exchanges/new", "/timebank/exchanges",
                              {{"other", std::to_string(to.member)}, {"direction", "i_helped"}, {"hours", hours},
                               {"description", what}});
  EXPECT_EQ(r.status, 303) << r.body;
  return id_from_location(r.header("location"));
}

HttpResult post(Person& p, const std::string& page, const std::string& action, Fields fields = {}) {
  return p.client.submit(page, action, std::move(fields));
}

}  // namespace

TEST(HttpTimebank, JoiningKeepsOnlyTheOutcodeAndShowsTheProfile) {
  TestServer s;
  auto jo = joined(s, "jo@example.org");
  auto row = read_rows(s, s.alpha, "SELECT outcode, can_do, kind FROM timebank_members WHERE partnership_id = $1 AND id = $2",
                       {jo.member});
  EXPECT_EQ(row.one().text(0), "KY1");
  EXPECT_EQ(row.one().text(1), "I can help with gardens.");
  EXPECT_EQ(row.one().text(2), "person");
  auto me = jo.client.get("/timebank/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_TRUE(contains(me.body, "id=\"balance\">0 hours<"));
  // Joining twice changes nothing.
  auto again = jo.client.submit("/timebank/me", "/timebank/join", {{"can_do", "x"}});
  EXPECT_EQ(again.status, 303);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM timebank_members WHERE partnership_id = $1 AND kind = 'person'"), 1);
  // A bad outcode is refused with the error summary, and what was typed is kept.
  Client c(s.port);
  s.add_user(s.alpha, "new@example.org", kPassword, auth::Role::person);
  c.sign_in("new@example.org", kPassword);
  auto bad = c.submit("/timebank/join", "/timebank/join", {{"can_do", "Baking"}, {"outcode", "not a postcode"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(summary_links_to(bad.body, "outcode"));
  EXPECT_TRUE(contains(bad.body, "value=\"Baking\""));
}

TEST(HttpTimebank, OffersAndRequestsArePostedSearchedAndClosed) {
  TestServer s;
  auto jo = joined(s, "jo@example.org");
  auto bad = post(jo, "/timebank/listings/new?kind=offer", "/timebank/listings",
                  {{"kind", "offer"}, {"title", ""}, {"category", "gardening"}, {"hours", "1.3"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(summary_links_to(bad.body, "title"));
  EXPECT_TRUE(summary_links_to(bad.body, "hours"));
  EXPECT_TRUE(contains(bad.body, shown(s, "timebank.error_hours_quarter")));
  auto ok = post(jo, "/timebank/listings/new?kind=offer", "/timebank/listings",
                 {{"kind", "offer"}, {"title", "I can help with gardening"}, {"category", "gardening"}, {"hours", "2"}});
  ASSERT_EQ(ok.status, 303) << ok.body;
  post(jo, "/timebank/listings/new?kind=request", "/timebank/listings",
       {{"kind", "request"}, {"title", "I need a lift to the shops"}, {"category", "transport"}, {"outcode", "KY2"}});
  auto offers = jo.client.get("/timebank/offers?q=GARDEN");
  EXPECT_TRUE(contains(offers.body, "I can help with gardening"));
  EXPECT_FALSE(contains(offers.body, "I need a lift"));
  auto requests = jo.client.get("/timebank/requests?category=transport");
  EXPECT_TRUE(contains(requests.body, "I need a lift to the shops"));
  EXPECT_FALSE(contains(jo.client.get("/timebank/requests?category=gardening").body, "I need a lift"));
  EXPECT_TRUE(contains(jo.client.get("/timebank").body, "I can help with gardening"));
  auto id = read_int(s, s.alpha, "SELECT id FROM timebank_listings WHERE partnership_id = $1 AND kind = 'offer'");
  // Someone else cannot close it; the owner can.
  auto other = joined(s, "other@example.org");
  EXPECT_EQ(post(other, "/timebank", "/timebank/listings/" + std::to_string(id) + "/close").status, 403);
  EXPECT_EQ(post(jo, "/timebank", "/timebank/listings/" + std::to_string(id) + "/close").status, 303);
  EXPECT_FALSE(contains(jo.client.get("/timebank/offers").body, "I can help with gardening"));
  // Signed-out visitors see none of it.
  Client anon(s.port);
  EXPECT_EQ(anon.get("/timebank/offers").status, 303);
}

TEST(HttpTimebank, CheckMyWritingOnAListingShowsPlainWordsAndPostsNothing) {
  TestServer s;
  auto jo = joined(s, "jo@example.org");
  auto listings = [&] { return read_int(s, s.alpha, "SELECT COUNT(*) FROM timebank_listings WHERE partnership_id = $1"); };
  // "in order to" and "utilise" are on the shipped jargon list.
  const std::string details = "I will utilise my van in order to move furniture.";
  Fields fields{{"kind", "request"}, {"title", "Help moving a sofa"}, {"category", "transport"},
                {"details", details}, {"hours", "1.5"}, {"outcode", "KY2"}};
  auto checking = fields;
  checking.emplace_back("action", "check");
  auto r = post(jo, "/timebank/listings/new?kind=request", "/timebank/listings", checking);
  ASSERT_EQ(r.status, 200) << r.body;
  auto at = r.body.find("id=\"plain-check\"");
  ASSERT_NE(at, std::string::npos) << r.body;
  EXPECT_TRUE(contains(r.body.substr(at), "in order to</mark>: try “to”"));
  EXPECT_TRUE(contains(r.body, ">" + details + "</textarea>"));
  EXPECT_TRUE(contains(r.body, "value=\"Help moving a sofa\""));
  EXPECT_TRUE(contains(r.body, "value=\"1.5\""));
  EXPECT_TRUE(contains(r.body, "value=\"KY2\""));
  EXPECT_TRUE(contains(r.body, "value=\"transport\" selected"));
  EXPECT_TRUE(contains(r.body, "name=\"kind\" value=\"request\""));
  EXPECT_EQ(listings(), 0);
  // Posting it afterwards is not blocked by the warning.
  auto ok = post(jo, "/timebank/listings/new?kind=request", "/timebank/listings", fields);
  ASSERT_EQ(ok.status, 303) << ok.body;
  EXPECT_EQ(listings(), 1);
}

TEST(HttpTimebank, RecordThenTheOtherSideConfirmsAndHoursMove) {
  TestServer s;
  auto jo = joined(s, "jo@example.org");
  auto sam = joined(s, "sam@example.org");
  // Validation first: nothing is written and what was typed stays.
  for (const auto& [hours, key] : std::vector<std::pair<std::string, std::string>>{
           {"abc", "timebank.error_hours_number"}, {"0", "timebank.error_hours_zero"},
           {"-2", "timebank.error_hours_negative"}, {"25", "timebank.error_hours_too_many"},
           {"1.1", "timebank.error_hours_quarter"}}) {
    auto r = jo.client.submit("/timebank/exchanges/new", "/timebank/exchanges",
                              {{"other", std::to_string(sam.member)}, {"direction", "i_helped"}, {"hours", hours},
                               {"description", "Lift"}});
    EXPECT_EQ(r.status, 400) << hours;
    EXPECT_TRUE(summary_links_to(r.body, "hours")) << hours;
    EXPECT_TRUE(contains(r.body, shown(s, key))) << hours;
    EXPECT_TRUE(contains(r.body, "value=\"" + html_escape(hours) + "\"")) << hours;
  }
  auto none = jo.client.submit("/timebank/exchanges/new", "/timebank/exchanges", {{"hours", "1"}});
  EXPECT_EQ(none.status, 400);
  EXPECT_TRUE(summary_links_to(none.body, "other"));
  EXPECT_TRUE(summary_links_to(none.body, "direction"));
  EXPECT_TRUE(summary_links_to(none.body, "description"));
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM timebank_exchanges WHERE partnership_id = $1"), 0);

  auto id = record(jo, sam, "1.5");
  ASSERT_GT(id, 0);
  EXPECT_EQ(status_of(s, id), "pending");
  EXPECT_EQ(movement_count(s), 0);
  // Sam sees it waiting; Jo cannot confirm her own record.
  EXPECT_TRUE(contains(sam.client.get("/timebank/me").body, "/timebank/exchanges/" + std::to_string(id)));
  auto own = post(jo, "/timebank/exchanges/" + std::to_string(id), "/timebank/exchanges/" + std::to_string(id) + "/confirm");
  EXPECT_EQ(own.status, 303);
  EXPECT_TRUE(contains(own.header("location"), "error=error_confirm_own"));
  EXPECT_TRUE(contains(jo.client.get(own.header("location")).body, shown(s, "timebank.error_confirm_own")));
  EXPECT_EQ(status_of(s, id), "pending");
  EXPECT_EQ(movement_count(s), 0);

  auto ok = post(sam, "/timebank/exchanges/" + std::to_string(id), "/timebank/exchanges/" + std::to_string(id) + "/confirm");
  EXPECT_EQ(ok.status, 303);
  EXPECT_EQ(ok.header("location"), "/timebank/exchanges/" + std::to_string(id));
  EXPECT_EQ(status_of(s, id), "confirmed");
  EXPECT_EQ(quarters_of(s, jo.member), 6);
  EXPECT_EQ(quarters_of(s, sam.member), -6);
  EXPECT_TRUE(contains(jo.client.get("/timebank/me").body, "id=\"balance\">1.5 hours<"));
  // A second confirmation, and a late dispute, change nothing.
  auto twice = post(sam, "/timebank/exchanges/" + std::to_string(id), "/timebank/exchanges/" + std::to_string(id) + "/confirm");
  EXPECT_TRUE(contains(twice.header("location"), "error=error_not_pending"));
  auto late = post(sam, "/timebank/exchanges/" + std::to_string(id), "/timebank/exchanges/" + std::to_string(id) + "/dispute");
  EXPECT_TRUE(contains(late.header("location"), "error=error_not_pending"));
  EXPECT_EQ(movement_count(s), 2);
  EXPECT_EQ(status_of(s, id), "confirmed");

  // Thanks once, from a side of the exchange.
  auto thanks = post(sam, "/timebank/exchanges/" + std::to_string(id), "/timebank/exchanges/" + std::to_string(id) + "/thanks",
                     {{"message", "Thank you for the lift!"}});
  EXPECT_EQ(thanks.status, 303);
  post(sam, "/timebank/exchanges/" + std::to_string(id), "/timebank/exchanges/" + std::to_string(id) + "/thanks",
       {{"message", "Thanks again"}});
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM timebank_thanks WHERE partnership_id = $1"), 1);
  EXPECT_TRUE(contains(jo.client.get("/timebank/members/" + std::to_string(jo.member)).body, "Thank you for the lift!"));
}

TEST(HttpTimebank, DisputedAndCancelledExchangesMoveNoHours) {
  TestServer s;
  auto jo = joined(s, "jo@example.org");
  auto sam = joined(s, "sam@example.org");
  auto a = record(jo, sam, "1");
  auto b = record(jo, sam, "2");
  auto d = post(sam, "/timebank/exchanges/" + std::to_string(a), "/timebank/exchanges/" + std::to_string(a) + "/dispute");
  EXPECT_EQ(d.header("location"), "/timebank/exchanges/" + std::to_string(a));
  auto c = post(jo, "/timebank/exchanges/" + std::to_string(b), "/timebank/exchanges/" + std::to_string(b) + "/cancel");
  EXPECT_EQ(c.header("location"), "/timebank/exchanges/" + std::to_string(b));
  EXPECT_EQ(status_of(s, a), "disputed");
  EXPECT_EQ(status_of(s, b), "cancelled");
  auto after = post(sam, "/timebank/exchanges/" + std::to_string(a), "/timebank/exchanges/" + std::to_string(a) + "/confirm");
  EXPECT_TRUE(contains(after.header("location"), "error=error_not_pending"));
  EXPECT_EQ(movement_count(s), 0);
  // Someone who is neither side cannot see or decide on it.
  auto eve = joined(s, "eve@example.org");
  EXPECT_EQ(eve.client.get("/timebank/exchanges/" + std::to_string(a)).status, 404);
  auto ba = record(jo, sam, "1");
  EXPECT_EQ(post(eve, "/timebank", "/timebank/exchanges/" + std::to_string(ba) + "/confirm").status, 404);
  EXPECT_EQ(status_of(s, ba), "pending");
}

TEST(HttpTimebank, AConfirmationThatWouldBreakTheLimitIsRefusedAndWritesNothing) {
  TestServer s;
  auto jo = joined(s, "jo@example.org");
  auto sam = joined(s, "sam@example.org");
  {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
    tb::set_min_balance(w.scope(), -8);
    w.commit();
  }
  auto first = record(jo, sam, "2");
  post(sam, "/timebank/me", "/timebank/exchanges/" + std::to_string(first) + "/confirm");
  EXPECT_EQ(quarters_of(s, sam.member), -8);
  auto second = record(jo, sam, "0.25");
  auto audits = read_int(s, s.alpha, "SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1");
  auto r = post(sam, "/timebank/me", "/timebank/exchanges/" + std::to_string(second) + "/confirm");
  EXPECT_TRUE(contains(r.header("location"), "error=error_below_limit")) << r.header("location");
  EXPECT_TRUE(contains(sam.client.get(r.header("location")).body, shown(s, "timebank.error_below_limit")));
  EXPECT_EQ(status_of(s, second), "pending");
  EXPECT_EQ(quarters_of(s, sam.member), -8);
  EXPECT_EQ(movement_count(s), 2);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1"), audits);
}

TEST(HttpTimebank, ManyBrowsersConfirmingTheSameExchangeAtOnceMoveTheHoursOnce) {
  TestServer s;
  auto jo = joined(s, "jo@example.org");
  auto sam = joined(s, "sam@example.org");
  auto id = record(jo, sam, "3");
  const int n = 8;
  // Eight sessions of Sam's, each with a CSRF token, all posting at the same moment.
  std::vector<Client> clients;
  std::vector<std::string> tokens;
  for (int i = 0; i < n; ++i) {
    clients.emplace_back(s.port, "alpha.test");
    clients.back().sign_in("sam@example.org", kPassword);
    tokens.push_back(session_csrf(clients.back()));
  }
  std::atomic<bool> go{false};
  std::atomic<int> confirmed{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      while (!go) std::this_thread::yield();
      auto r = clients[i].post_form("/timebank/exchanges/" + std::to_string(id) + "/confirm", {{"csrf_token", tokens[i]}});
      if (r.status == 303 && r.header("location") == "/timebank/exchanges/" + std::to_string(id)) ++confirmed;
      else if (r.status == 303 && contains(r.header("location"), "error=error_not_pending")) ++refused;
      else ++other;
    });
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(confirmed.load(), 1);
  EXPECT_EQ(refused.load(), n - 1);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(movement_count(s), 2);
  EXPECT_EQ(quarters_of(s, jo.member), 12);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM timebank_transfers WHERE partnership_id = $1 AND exchange_id = $2", {id}), 1);
}

TEST(HttpTimebank, ABrokerRecordsForAnOfflineMemberAndGrantsFromThePot) {
  TestServer s;
  auto jo = joined(s, "jo@example.org");
  auto worker = joined(s, "worker@example.org", auth::Role::worker);
  // A person cannot use the broker page.
  EXPECT_EQ(jo.client.get("/timebank/broker").status, 403);
  auto enrol = post(worker, "/timebank/broker", "/timebank/broker/members",
                    {{"enrol_name", "Aileen Cowan"}, {"enrol_offline", "yes"}, {"enrol_can_do", "Gardens"}});
  ASSERT_EQ(enrol.status, 303) << enrol.body;
  auto aileen = read_int(s, s.alpha, "SELECT id FROM timebank_members WHERE partnership_id = $1 AND name = 'Aileen Cowan'");
  auto bad = post(worker, "/timebank/broker", "/timebank/broker/exchanges",
                  {{"provider", std::to_string(aileen)}, {"receiver", std::to_string(aileen)}, {"hours", "x"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(summary_links_to(bad.body, "receiver"));
  EXPECT_TRUE(summary_links_to(bad.body, "hours"));
  EXPECT_TRUE(summary_links_to(bad.body, "description"));
  auto r = post(worker, "/timebank/broker", "/timebank/broker/exchanges",
                {{"provider", std::to_string(aileen)}, {"receiver", std::to_string(jo.member)}, {"hours", "2"},
                 {"description", "Cleared the garden"}});
  ASSERT_EQ(r.status, 303) << r.body;
  auto id = id_from_location(r.header("location"));
  EXPECT_EQ(status_of(s, id), "confirmed");
  EXPECT_EQ(quarters_of(s, aileen), 8);
  EXPECT_EQ(quarters_of(s, jo.member), -8);
  // Audited with the broker's id, on the exchange and on its transfer.
  auto audited = read_int(s, s.alpha,
                          "SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND actor_user_id = $2 AND"
                          " action IN ('timebank.transfer', 'timebank.exchange_confirmed') AND detail LIKE $3",
                          {worker.user, "%broker:" + std::to_string(worker.user) + "%"});
  EXPECT_EQ(audited, 2);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT broker_user_id FROM timebank_transfers WHERE partnership_id = $1"), worker.user);
  // The pot is empty: a grant is refused until someone donates.
  auto short_pot = post(worker, "/timebank/broker", "/timebank/broker/grants",
                        {{"grant_member", std::to_string(jo.member)}, {"grant_hours", "1"}, {"grant_reason", "Start"}});
  EXPECT_EQ(short_pot.status, 400);
  EXPECT_TRUE(contains(short_pot.body, shown(s, "timebank.error_pot_short")));
  auto donate = post(worker, "/timebank/me", "/timebank/me/donate", {{"hours", "1.5"}});
  EXPECT_EQ(donate.status, 303);
  auto grant = post(worker, "/timebank/broker", "/timebank/broker/grants",
                    {{"grant_member", std::to_string(jo.member)}, {"grant_hours", "1"}, {"grant_reason", "Start"}});
  EXPECT_EQ(grant.status, 303);
  EXPECT_EQ(quarters_of(s, jo.member), -4);
  EXPECT_TRUE(contains(worker.client.get("/timebank/broker").body, "id=\"pot-balance\">0.5 hours<"));
}

TEST(HttpTimebank, TheBalanceApiIsForTheMemberAndBrokersAndIsAuditedForStaff) {
  TestServer s;
  auto jo = joined(s, "jo@example.org");
  auto sam = joined(s, "sam@example.org");
  auto worker = joined(s, "worker@example.org", auth::Role::worker);
  auto id = record(jo, sam, "1.25");
  post(sam, "/timebank/me", "/timebank/exchanges/" + std::to_string(id) + "/confirm");
  std::string path = "/api/v1/timebank/members/" + std::to_string(jo.member) + "/balance";
  auto own = jo.client.get(path);
  ASSERT_EQ(own.status, 200) << own.body;
  auto o = json_object(own);
  EXPECT_EQ(json_string(o, "balance_hours"), "1.25");
  EXPECT_EQ(o.at("balance_quarters").as_int64(), 5);
  EXPECT_EQ(json_string(o, "lowest_allowed_hours"), "-10");
  expect_problem(sam.client.get(path), 403);
  Client anon(s.port);
  expect_problem(anon.get(path), 401);
  auto views = [&] {
    return read_int(s, s.alpha, "SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'timebank.balance_view'");
  };
  EXPECT_EQ(views(), 0);
  EXPECT_EQ(worker.client.get(path).status, 200);
  EXPECT_EQ(views(), 1);
  // The member page shows the balance to the member and to brokers, and only a broker's look is audited.
  std::string page = "/timebank/members/" + std::to_string(jo.member);
  EXPECT_TRUE(contains(jo.client.get(page).body, "id=\"balance\">1.25 hours<"));
  EXPECT_EQ(views(), 1);
  EXPECT_TRUE(contains(worker.client.get(page).body, "id=\"balance\">1.25 hours<"));
  EXPECT_EQ(views(), 2);
  auto other = sam.client.get(page);
  EXPECT_EQ(other.status, 200);
  EXPECT_FALSE(contains(other.body, "id=\"balance\""));
  EXPECT_EQ(views(), 2);
  expect_problem(jo.client.get("/api/v1/timebank/members/999999/balance"), 404);
}

TEST(HttpTimebank, TheOtherPartnershipCannotSeeOrTouchAnything) {
  TestServer s;
  auto jo = joined(s, "jo@example.org");
  auto sam = joined(s, "sam@example.org");
  auto id = record(jo, sam, "1");
  auto beta_admin = joined(s, "admin@beta.example.org", auth::Role::admin, "beta.test");
  EXPECT_EQ(beta_admin.client.get("/timebank/exchanges/" + std::to_string(id)).status, 404);
  EXPECT_EQ(beta_admin.client.get("/timebank/members/" + std::to_string(jo.member)).status, 404);
  EXPECT_EQ(beta_admin.client.get("/api/v1/timebank/members/" + std::to_string(jo.member) + "/balance").status, 404);
  EXPECT_EQ(post(beta_admin, "/timebank", "/timebank/exchanges/" + std::to_string(id) + "/confirm").status, 404);
  // A beta member cannot record time with an alpha member by id.
  auto r = beta_admin.client.submit("/timebank/exchanges/new", "/timebank/exchanges",
                                    {{"other", std::to_string(jo.member)}, {"direction", "they_helped"}, {"hours", "1"},
                                     {"description", "x"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(summary_links_to(r.body, "other"));
  auto broker = beta_admin.client.get("/timebank/broker");
  EXPECT_EQ(broker.status, 200);
  EXPECT_TRUE(contains(broker.body, "/timebank/members/" + std::to_string(beta_admin.member) + "\""));
  EXPECT_FALSE(contains(broker.body, "/timebank/members/" + std::to_string(jo.member) + "\""));
  EXPECT_EQ(status_of(s, id), "pending");
  EXPECT_EQ(movement_count(s), 0);
}

TEST(HttpTimebank, AnAdminReversesAMistakeAndTheHistoryShowsBoth) {
  TestServer s;
  auto jo = joined(s, "jo@example.org");
  auto sam = joined(s, "sam@example.org");
  auto admin = joined(s, "admin@example.org", auth::Role::admin);
  auto id = record(jo, sam, "2");
  post(sam, "/timebank/me", "/timebank/exchanges/" + std::to_string(id) + "/confirm");
  auto transfer = read_int(s, s.alpha, "SELECT transfer_id FROM timebank_exchanges WHERE partnership_id = $1 AND id = $2", {id});
  EXPECT_EQ(post(jo, "/timebank/me", "/timebank/transfers/" + std::to_string(transfer) + "/reverse").status, 403);
  auto page = admin.client.get("/timebank/exchanges/" + std::to_string(id));
  EXPECT_TRUE(contains(page.body, "/timebank/transfers/" + std::to_string(transfer) + "/reverse"));
  auto r = post(admin, "/timebank/exchanges/" + std::to_string(id), "/timebank/transfers/" + std::to_string(transfer) + "/reverse",
                {{"reason", "Wrong person"}});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(quarters_of(s, jo.member), 0);
  EXPECT_EQ(quarters_of(s, sam.member), 0);
  EXPECT_EQ(movement_count(s), 4);
  auto me = jo.client.get("/timebank/me");
  EXPECT_TRUE(contains(me.body, "Wrong person"));
  EXPECT_TRUE(contains(me.body, "+2"));
  EXPECT_TRUE(contains(me.body, "-2"));
  // Only once.
  post(admin, "/timebank/exchanges/" + std::to_string(id), "/timebank/transfers/" + std::to_string(transfer) + "/reverse");
  EXPECT_EQ(movement_count(s), 4);
  // The admin can change the lowest balance; a worker cannot.
  auto worker = joined(s, "worker@example.org", auth::Role::worker);
  EXPECT_EQ(post(worker, "/timebank/broker", "/timebank/settings", {{"min_balance", "3"}}).status, 403);
  EXPECT_EQ(post(admin, "/timebank/broker", "/timebank/settings", {{"min_balance", "3"}}).status, 303);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT min_balance FROM timebank_settings WHERE partnership_id = $1"), -12);
  auto bad = post(admin, "/timebank/broker", "/timebank/settings", {{"min_balance", "500"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(summary_links_to(bad.body, "min_balance"));
}
