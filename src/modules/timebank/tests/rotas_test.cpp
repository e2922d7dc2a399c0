// Volunteer rotas through real HTTP: a broker sets one up (bad input refused, nothing written), slots
// fall on the right weekday, one volunteer per slot even when many sign up at once, both sides confirm
// after the day and the hours move once (also when both confirm at the same moment), a broker confirms
// for someone offline, and a refused transfer leaves the confirmation unwritten.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/util.hpp"
#include "http/http_support.hpp"
#include "modules/timebank/extras.hpp"

using namespace cp;
using namespace cp::test;
namespace tb = modules::timebank;

namespace {

struct Member {
  Client client;
  std::int64_t id = 0;
};

Member joined(TestServer& s, const std::string& email, const std::string& name) {
  Member m{Client(s.port, "alpha.test")};
  auto user = s.add_user(s.alpha, email, kPassword, auth::Role::person);
  EXPECT_EQ(m.client.sign_in(email, kPassword).status, 303);
  auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
  m.id = tb::join(w.scope(), {"person", user, std::nullopt, name, "", "KY1", false});
  w.commit();
  return m;
}

std::string day_text(std::int64_t days) {
  std::int64_t y;
  unsigned m, d;
  tb::civil_from_days(days, y, m, d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

int weekday(std::int64_t days) { return static_cast<int>((days + 3) % 7); }

Fields rota_fields(std::int64_t helped, std::int64_t first_day, const std::string& weeks = "4",
                   const std::string& payer = "helped", const std::string& time = "00:00") {
  return {{"title", "Weekly shopping"}, {"details", "Bring the list back."}, {"helped", std::to_string(helped)},
          {"weekday", std::to_string(weekday(first_day))}, {"time", time}, {"first_date", day_text(first_day)},
          {"hours", "1.5"}, {"weeks", weeks}, {"payer", payer}};
}

std::int64_t create(Client& broker, Fields f) {
  auto r = broker.submit("/timebank/rotas/new", "/timebank/rotas", std::move(f));
  EXPECT_EQ(r.status, 303) << r.body;
  return id_from_location(r.header("location"));
}

std::vector<std::int64_t> slot_ids(TestServer& s, std::int64_t rota) {
  std::vector<std::int64_t> out;
  for (const auto& r : read_rows(s, s.alpha,
                                 "SELECT id FROM timebank_rota_slots WHERE partnership_id = $1 AND rota_id = $2 ORDER BY starts_at",
                                 {rota})
                           .rows)
    out.push_back(r.i64(0));
  return out;
}

HttpResult slot_post(Client& c, std::int64_t slot, const std::string& action, Fields f = {}) {
  f.emplace_back("csrf_token", session_csrf(c));
  return c.post_form("/timebank/rotas/slots/" + std::to_string(slot) + "/" + action, f);
}

std::int64_t volunteer_of(TestServer& s, std::int64_t slot) {
  return read_int(s, s.alpha, "SELECT COALESCE(volunteer_member, 0) FROM timebank_rota_slots WHERE partnership_id = $1 AND id = $2",
                  {slot});
}

std::int64_t rota_transfers(TestServer& s) {
  return read_int(s, s.alpha, "SELECT COUNT(*) FROM timebank_transfers WHERE partnership_id = $1 AND kind = 'rota'");
}

std::int64_t balance(TestServer& s, std::int64_t member) {
  auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
  return tb::balance(w.scope(), member);
}

}  // namespace

TEST(TimebankRotas, BadInputIsRefusedAndNothingIsWritten) {
  TestServer s;
  auto helped = joined(s, "helped@example.org", "Hana Helped");
  auto broker = signed_in_as(s, auth::Role::worker, "worker@example.org");
  auto today = now_seconds() / 86400;
  auto f = rota_fields(helped.id, today);
  for (auto& [k, v] : f) {
    if (k == "time") v = "25:00";
    if (k == "first_date") v = "2026-02-31";
    if (k == "weeks") v = "30";
    if (k == "title") v = "";
  }
  auto r = broker.submit("/timebank/rotas/new", "/timebank/rotas", f);
  EXPECT_EQ(r.status, 400);
  for (const char* field : {"title", "time", "first_date", "weeks"}) EXPECT_TRUE(summary_links_to(r.body, field)) << field;
  EXPECT_TRUE(contains(r.body, "value=\"25:00\""));  // what was typed is kept
  auto pot = broker.submit("/timebank/rotas/new", "/timebank/rotas", rota_fields(999999, today));
  EXPECT_EQ(pot.status, 400);
  EXPECT_TRUE(summary_links_to(pot.body, "helped"));
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM timebank_rotas WHERE partnership_id = $1"), 0);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM timebank_rota_slots WHERE partnership_id = $1"), 0);
  // People cannot set rotas up.
  EXPECT_EQ(helped.client.get("/timebank/rotas/new").status, 403);
}

TEST(TimebankRotas, CheckMyWritingShowsPlainWordsAndMakesNoRota) {
  TestServer s;
  auto helped = joined(s, "helped@example.org", "Hana Helped");
  auto broker = signed_in_as(s, auth::Role::worker, "worker@example.org");
  auto rotas = [&] { return read_int(s, s.alpha, "SELECT COUNT(*) FROM timebank_rotas WHERE partnership_id = $1"); };
  // "in order to" is on the shipped jargon list.
  const std::string details = "Ring the bell twice in order to wake Hana.";
  auto f = rota_fields(helped.id, now_seconds() / 86400 + 1, "6");
  for (auto& [k, v] : f)
    if (k == "details") v = details;
  auto checking = f;
  checking.emplace_back("action", "check");
  auto r = broker.submit("/timebank/rotas/new", "/timebank/rotas", checking);
  ASSERT_EQ(r.status, 200) << r.body;
  auto at = r.body.find("id=\"plain-check\"");
  ASSERT_NE(at, std::string::npos) << r.body;
  EXPECT_TRUE(contains(r.body.substr(at), "in order to</mark>: try “to”"));
  EXPECT_TRUE(contains(r.body, ">" + details + "</textarea>"));
  EXPECT_TRUE(contains(r.body, "value=\"Weekly shopping\""));
  EXPECT_TRUE(contains(r.body, "value=\"" + std::to_string(helped.id) + "\" selected"));
  EXPECT_EQ(rotas(), 0);
  create(broker, f);
  EXPECT_EQ(rotas(), 1);
}

TEST(TimebankRotas, SlotsFallOnTheWeekdayAndOneVolunteerEach) {
  TestServer s;
  auto helped = joined(s, "helped@example.org", "Hana Helped");
  auto vic = joined(s, "vic@example.org", "Vic Volunteer");
  auto wyn = joined(s, "wyn@example.org", "Wyn Volunteer");
  auto broker = signed_in_as(s, auth::Role::worker, "worker@example.org");
  auto start = now_seconds() / 86400 + 2;
  auto rota = create(broker, rota_fields(helped.id, start, "5", "helped", "10:30"));
  auto slots = slot_ids(s, rota);
  ASSERT_EQ(slots.size(), 5u);
  auto dates = read_rows(s, s.alpha, "SELECT slot_date, starts_at FROM timebank_rota_slots WHERE partnership_id = $1 ORDER BY starts_at");
  for (std::size_t i = 0; i < dates.rows.size(); ++i) {
    EXPECT_EQ(dates.rows[i].text(0), day_text(start + 7 * static_cast<std::int64_t>(i)));
    EXPECT_EQ(dates.rows[i].i64(1), (start + 7 * static_cast<std::int64_t>(i)) * 86400 + 10 * 3600 + 30 * 60);
  }
  auto page = vic.client.get("/timebank/rotas/" + std::to_string(rota));
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(occurrences(page.body, "/signup\""), 5u);

  EXPECT_EQ(slot_post(vic.client, slots[0], "signup", {{"back", "/timebank/rotas/mine"}}).header("location"), "/timebank/rotas/mine");
  EXPECT_EQ(volunteer_of(s, slots[0]), vic.id);
  // A second volunteer, and the person helped, are refused.
  EXPECT_EQ(slot_post(wyn.client, slots[0], "signup").status, 303);
  EXPECT_EQ(volunteer_of(s, slots[0]), vic.id);
  slot_post(helped.client, slots[1], "signup");
  EXPECT_EQ(volunteer_of(s, slots[1]), 0);
  // My slots lists it; withdrawing frees it; Wyn may then take it.
  EXPECT_TRUE(contains(vic.client.get("/timebank/rotas/mine").body, "id=\"slot-" + std::to_string(slots[0]) + "\""));
  EXPECT_TRUE(contains(helped.client.get("/timebank/rotas/mine").body, "id=\"my-helped\""));
  slot_post(wyn.client, slots[0], "withdraw");
  EXPECT_EQ(volunteer_of(s, slots[0]), vic.id);  // only the volunteer can withdraw
  slot_post(vic.client, slots[0], "withdraw");
  EXPECT_EQ(volunteer_of(s, slots[0]), 0);
  slot_post(wyn.client, slots[0], "signup");
  EXPECT_EQ(volunteer_of(s, slots[0]), wyn.id);
  // Confirming before the day is refused.
  slot_post(wyn.client, slots[0], "confirm");
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM timebank_rota_slots WHERE partnership_id = $1 AND volunteer_confirmed_at IS NOT NULL"), 0);
}

TEST(TimebankRotas, ManyVolunteersSigningUpAtOnceGetOneSlotHolder) {
  TestServer s;
  auto helped = joined(s, "helped@example.org", "Hana Helped");
  auto broker = signed_in_as(s, auth::Role::worker, "worker@example.org");
  auto rota = create(broker, rota_fields(helped.id, now_seconds() / 86400 + 1, "1"));
  auto slot = slot_ids(s, rota).at(0);
  const int n = 6;
  std::vector<Member> people;
  std::vector<std::string> tokens;
  for (int i = 0; i < n; ++i) {
    people.push_back(joined(s, "v" + std::to_string(i) + "@example.org", "Volunteer " + std::to_string(i)));
    tokens.push_back(session_csrf(people.back().client));
  }
  std::atomic<bool> go{false};
  std::atomic<int> redirects{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      while (!go) std::this_thread::yield();
      auto r = people[i].client.post_form("/timebank/rotas/slots/" + std::to_string(slot) + "/signup", {{"csrf_token", tokens[i]}});
      if (r.status == 303) ++redirects;
    });
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(redirects.load(), n);
  auto holder = volunteer_of(s, slot);
  EXPECT_NE(holder, 0);
  EXPECT_EQ(read_int(s, s.alpha,
                     "SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'timebank.rota_sign_up' AND record_id = $2",
                     {slot}),
            1);
}

TEST(TimebankRotas, BothConfirmAndTheHoursMoveOnce) {
  TestServer s;
  auto helped = joined(s, "helped@example.org", "Hana Helped");
  auto vic = joined(s, "vic@example.org", "Vic Volunteer");
  auto other = joined(s, "other@example.org", "Olly Other");
  auto broker = signed_in_as(s, auth::Role::worker, "worker@example.org");
  // Started three weeks ago, at midnight: the first three slots are over, the last is today.
  auto rota = create(broker, rota_fields(helped.id, now_seconds() / 86400 - 21));
  auto slots = slot_ids(s, rota);
  ASSERT_EQ(slots.size(), 4u);
  for (auto sl : slots) slot_post(vic.client, sl, "signup");

  // Someone not on the slot may not confirm it.
  EXPECT_EQ(slot_post(other.client, slots[0], "confirm", {{"side", "volunteer"}}).status, 403);
  slot_post(vic.client, slots[0], "confirm");
  EXPECT_EQ(rota_transfers(s), 0);
  slot_post(vic.client, slots[0], "confirm");  // twice changes nothing
  slot_post(helped.client, slots[0], "confirm");
  EXPECT_EQ(rota_transfers(s), 1);
  EXPECT_EQ(balance(s, vic.id), 6);
  EXPECT_EQ(balance(s, helped.id), -6);
  auto given = read_int(s, s.alpha, "SELECT given FROM timebank_members WHERE partnership_id = $1 AND id = $2", {vic.id});
  EXPECT_EQ(given, 6);
  // A broker confirming again does not pay again.
  slot_post(broker, slots[0], "confirm", {{"side", "helped"}});
  EXPECT_EQ(rota_transfers(s), 1);
  EXPECT_NE(read_int(s, s.alpha, "SELECT COALESCE(transfer_id, 0) FROM timebank_rota_slots WHERE partnership_id = $1 AND id = $2",
                     {slots[0]}),
            0);

  // Both sides at the same moment, several times over: each slot is paid exactly once.
  for (int k = 1; k < 3; ++k) {
    auto tv = session_csrf(vic.client), th = session_csrf(helped.client);
    std::atomic<bool> go{false};
    std::thread a([&] {
      while (!go) std::this_thread::yield();
      vic.client.post_form("/timebank/rotas/slots/" + std::to_string(slots[k]) + "/confirm", {{"csrf_token", tv}});
    });
    std::thread b([&] {
      while (!go) std::this_thread::yield();
      helped.client.post_form("/timebank/rotas/slots/" + std::to_string(slots[k]) + "/confirm", {{"csrf_token", th}});
    });
    go = true;
    a.join();
    b.join();
    EXPECT_EQ(rota_transfers(s), 1 + k) << "slot " << k;
  }
  EXPECT_EQ(balance(s, vic.id), 18);
  // The ledger still sums to zero.
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COALESCE(SUM(quarters), 0) FROM timebank_movements WHERE partnership_id = $1"), 0);
  // The rota page shows the finished slots.
  auto page = helped.client.get("/timebank/rotas/" + std::to_string(rota));
  EXPECT_EQ(occurrences(page.body, shown(s, "timebank.slot_done")), 3u);
}

TEST(TimebankRotas, ABrokerConfirmsForSomeoneOfflineAndARefusedTransferWritesNothing) {
  TestServer s;
  auto vic = joined(s, "vic@example.org", "Vic Volunteer");
  std::int64_t offline = 0;
  {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
    offline = tb::join(w.scope(), {"person", std::nullopt, std::nullopt, "Olive Offline", "", "", true});
    w.commit();
  }
  auto broker = signed_in_as(s, auth::Role::worker, "worker@example.org");
  auto helped_pays = create(broker, rota_fields(offline, now_seconds() / 86400 - 7, "1"));
  auto slot = slot_ids(s, helped_pays).at(0);
  slot_post(vic.client, slot, "signup");
  slot_post(vic.client, slot, "confirm");
  slot_post(broker, slot, "confirm", {{"side", "helped"}});
  EXPECT_EQ(rota_transfers(s), 1);
  EXPECT_EQ(balance(s, vic.id), 6);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM timebank_transfers WHERE partnership_id = $1 AND kind = 'rota' AND broker_user_id IS NOT NULL"), 1);

  // Paid from the community pot, which is empty: the confirmation is refused and not kept.
  auto from_pot = create(broker, rota_fields(offline, now_seconds() / 86400 - 7, "1", "pot"));
  auto slot2 = slot_ids(s, from_pot).at(0);
  slot_post(vic.client, slot2, "signup");
  slot_post(vic.client, slot2, "confirm");
  auto r = slot_post(broker, slot2, "confirm", {{"side", "helped"}});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(rota_transfers(s), 1);
  EXPECT_EQ(read_int(s, s.alpha,
                     "SELECT COUNT(*) FROM timebank_rota_slots WHERE partnership_id = $1 AND id = $2 AND helped_confirmed_at IS NULL",
                     {slot2}),
            1);
}
