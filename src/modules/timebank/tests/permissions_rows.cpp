// The timebank's rows in the permission matrix (see tests/support/matrix.hpp). Each row builds its
// own members, exchanges and transfers in the target partnership.
#include <cstdio>

#include "core/util.hpp"
#include "modules/timebank/extras.hpp"
#include "support/matrix.hpp"

using namespace cp;
using namespace cp::test::matrix;
namespace tb = cp::modules::timebank;

namespace {

store::Work work_in(const Target& t) { return t.s->app->work(t.p->id, {std::nullopt, "matrix", "", ""}); }

std::int64_t offline_member(store::Scope& s, const std::string& name) {
  return tb::join(s, {"person", std::nullopt, std::nullopt, name, "", "", true});
}

// The signed-in account's own member, when it is in the target partnership.
std::optional<std::int64_t> actor_member(const Target& t, store::Scope& s) {
  if (!t.actor || t.p->id != t.s->alpha.id) return std::nullopt;
  return tb::join(s, {"person", t.actor, std::nullopt, "Matrix " + t.role, "", "", false});
}

// Two members who are not the actor, and a pending exchange between them recorded by the first.
std::int64_t third_party_exchange(const Target& t, int n) {
  auto w = work_in(t);
  auto a = offline_member(w.scope(), "Giver " + std::to_string(n));
  auto b = offline_member(w.scope(), "Getter " + std::to_string(n));
  std::int64_t id = 0;
  tb::record(w.scope(), {a, b, 4, "Help", std::nullopt}, a, std::nullopt, id);
  w.commit();
  return id;
}

std::int64_t confirmed_transfer(const Target& t, int n) {
  auto w = work_in(t);
  auto a = offline_member(w.scope(), "Helper " + std::to_string(n));
  auto b = offline_member(w.scope(), "Helped " + std::to_string(n));
  std::int64_t id = 0;
  auto r = tb::record_confirmed(w.scope(), {a, b, 4, "Help", std::nullopt}, t.user, id);
  w.commit();
  return r.transfer_id;
}

std::int64_t user_member(const Target& t) {
  auto w = work_in(t);
  auto id = tb::join(w.scope(), {"person", t.user, std::nullopt, "Target person", "I can garden.", "KY1", false});
  w.commit();
  return id;
}

std::int64_t listing_of_user(const Target& t) {
  auto id = user_member(t);
  auto w = work_in(t);
  tb::ListingInput in{"offer", "Gardening", "", "gardening", "", "1"};
  std::int64_t q = 0;
  tb::validate_listing(in, q);
  auto l = tb::create_listing(w.scope(), id, in, q);
  w.commit();
  return l;
}

// Makes the actor a member (so the form is really processed) and returns another member's id.
std::int64_t actor_and_other(const Target& t, int n) {
  auto w = work_in(t);
  actor_member(t, w.scope());
  auto other = offline_member(w.scope(), "Other " + std::to_string(n));
  w.commit();
  return other;
}

// A rota for an offline member, its slots starting a week ago (so the first is over) or tomorrow.
std::int64_t rota_in(const Target& t, int n, bool past) {
  auto w = work_in(t);
  auto& s = w.scope();
  auto helped = offline_member(s, "Rota helped " + std::to_string(n));
  auto day = now_seconds() / 86400 + (past ? -7 : 1);
  std::int64_t y;
  unsigned m, d;
  tb::civil_from_days(day, y, m, d);
  char date[16];
  std::snprintf(date, sizeof date, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  tb::RotaInput in{"Shopping", "", helped, "helped", static_cast<int>((day + 3) % 7), "00:00", date, "1", "2"};
  std::int64_t q = 0, weeks = 0;
  if (!tb::validate_rota(s, in, q, weeks).empty()) throw std::logic_error("matrix rota input refused");
  auto id = tb::create_rota(s, in, q, weeks, t.user);
  w.commit();
  return id;
}

std::int64_t first_slot(const Target& t, std::int64_t rota) {
  auto w = work_in(t);
  return tb::slots_of(w.scope(), rota).at(0).id;
}

// A slot that is over, taken by an offline volunteer who is not the actor.
std::int64_t past_taken_slot(const Target& t, int n) {
  auto slot = first_slot(t, rota_in(t, n, true));
  auto w = work_in(t);
  auto vol = offline_member(w.scope(), "Rota volunteer " + std::to_string(n));
  tb::sign_up(w.scope(), slot, vol);
  w.commit();
  return slot;
}

std::int64_t nomination(const Target& t, int n) {
  auto w = work_in(t);
  auto a = offline_member(w.scope(), "Nominator " + std::to_string(n));
  auto b = offline_member(w.scope(), "Nominee " + std::to_string(n));
  std::int64_t id = 0;
  tb::nominate(w.scope(), a, b, "good_neighbour", "Always helps.", id);
  w.commit();
  return id;
}

//                                        anon person worker manager other_mgr commissioner councillor admin beta_admin
std::vector<Row> timebank_rows() {
  return {
      {"GET", "/timebank", "DOOOOOOOD", [](auto&, int) { return page("GET", "/timebank"); }},
      {"GET", "/timebank/offers", "DOOOOOOOD", [](auto&, int) { return page("GET", "/timebank/offers?q=garden"); }},
      {"GET", "/timebank/requests", "DOOOOOOOD", [](auto&, int) { return page("GET", "/timebank/requests"); }},
      {"GET", "/timebank/join", "DOOOOOOOD", [](auto&, int) { return page("GET", "/timebank/join"); }},
      {"POST", "/timebank/join", "DOOOOOOOD",
       [](auto&, int) { return page("POST", "/timebank/join", 0, "can_do=I+can+cook&outcode=KY1"); }},
      {"GET", "/timebank/me", "DOOOOOOOD", [](auto&, int) { return page("GET", "/timebank/me"); }},
      {"POST", "/timebank/me/profile", "DOOOOOOOD",
       [](const Target& t, int n) {
         actor_and_other(t, n);
         return page("POST", "/timebank/me/profile", 0, "can_do=I+can+drive&outcode=KY2");
       }},
      {"POST", "/timebank/me/donate", "DOOOOOOOD",
       [](const Target& t, int n) {
         actor_and_other(t, n);
         return page("POST", "/timebank/me/donate", 0, "hours=1");
       }},
      {"GET", "/timebank/members/{id}", "DOOOOOOOD",
       [](const Target& t, int) { return page("GET", "/timebank/members/{id}", user_member(t)); }},
      {"GET", "/timebank/listings/new", "DOOOOOOOD", [](auto&, int) { return page("GET", "/timebank/listings/new"); }},
      {"POST", "/timebank/listings", "DOOOOOOOD",
       [](const Target& t, int n) {
         actor_and_other(t, n);
         return page("POST", "/timebank/listings", 0, "kind=request&title=A+lift&category=transport&hours=1");
       }},
      {"POST", "/timebank/listings/{id}/close", "DDOOODDOD",
       [](const Target& t, int) { return page("POST", "/timebank/listings/{id}/close", listing_of_user(t)); }},
      {"GET", "/timebank/exchanges/new", "DOOOOOOOD", [](auto&, int) { return page("GET", "/timebank/exchanges/new"); }},
      {"POST", "/timebank/exchanges", "DOOOOOOOD",
       [](const Target& t, int n) {
         auto other = actor_and_other(t, n);
         return page("POST", "/timebank/exchanges", 0,
                     "other=" + std::to_string(other) + "&direction=i_helped&hours=1.5&description=Gardening");
       }},
      // Someone else's exchange: only brokers may look; only its two sides may decide on it.
      {"GET", "/timebank/exchanges/{id}", "DNOOONNOD",
       [](const Target& t, int n) { return page("GET", "/timebank/exchanges/{id}", third_party_exchange(t, n)); }},
      {"POST", "/timebank/exchanges/{id}/confirm", "DNDDDNNDD",
       [](const Target& t, int n) { return page("POST", "/timebank/exchanges/{id}/confirm", third_party_exchange(t, n)); }},
      {"POST", "/timebank/exchanges/{id}/dispute", "DNDDDNNDD",
       [](const Target& t, int n) { return page("POST", "/timebank/exchanges/{id}/dispute", third_party_exchange(t, n)); }},
      {"POST", "/timebank/exchanges/{id}/cancel", "DNDDDNNDD",
       [](const Target& t, int n) { return page("POST", "/timebank/exchanges/{id}/cancel", third_party_exchange(t, n)); }},
      {"POST", "/timebank/exchanges/{id}/thanks", "DNDDDNNDD",
       [](const Target& t, int n) {
         return page("POST", "/timebank/exchanges/{id}/thanks", third_party_exchange(t, n), "message=Thanks");
       }},
      {"GET", "/timebank/broker", "DDOOODDOD", [](auto&, int) { return page("GET", "/timebank/broker"); }},
      {"POST", "/timebank/broker/exchanges", "DDOOODDOD",
       [](const Target& t, int n) {
         auto w = work_in(t);
         auto a = offline_member(w.scope(), "Broker giver " + std::to_string(n));
         auto b = offline_member(w.scope(), "Broker getter " + std::to_string(n));
         w.commit();
         return page("POST", "/timebank/broker/exchanges", 0,
                     "provider=" + std::to_string(a) + "&receiver=" + std::to_string(b) + "&hours=2&description=Lift");
       }},
      {"POST", "/timebank/broker/grants", "DDOOODDOD",
       [](const Target& t, int n) {
         auto w = work_in(t);
         auto pot = tb::ensure_settings(w.scope()).pot_member_id;
         auto giver = offline_member(w.scope(), "Donor " + std::to_string(n));
         tb::transfer(w.scope(), {giver, pot, 4, "donation", "", std::nullopt, std::nullopt, std::nullopt, false});
         auto m = offline_member(w.scope(), "Grantee " + std::to_string(n));
         w.commit();
         return page("POST", "/timebank/broker/grants", 0,
                     "grant_member=" + std::to_string(m) + "&grant_hours=1&grant_reason=Starter");
       }},
      {"POST", "/timebank/broker/members", "DDOOODDOD",
       [](auto&, int n) {
         return page("POST", "/timebank/broker/members", 0, "enrol_name=Enrolled+" + std::to_string(n) + "&enrol_offline=yes");
       }},
      {"POST", "/timebank/settings", "DDDDDDDOD",
       [](auto&, int) { return page("POST", "/timebank/settings", 0, "min_balance=5"); }},
      {"POST", "/timebank/transfers/{id}/reverse", "DDDDDDDOD",
       [](const Target& t, int n) { return page("POST", "/timebank/transfers/{id}/reverse", confirmed_transfer(t, n), "reason=Mistake"); }},
      {"GET", "/api/v1/timebank/members/{id}/balance", "DDOOODDOD",
       [](const Target& t, int) { return api("GET", "/api/v1/timebank/members/{id}/balance", user_member(t)); }},
      // Reports: staff who run or fund the timebank; commissioners see counts only.
      {"GET", "/timebank/reports", "DDOOOODOD", [](auto&, int) { return page("GET", "/timebank/reports"); }},
      {"GET", "/timebank/reports.csv", "DDOOOODOD", [](auto&, int) { return page("GET", "/timebank/reports.csv"); }},
      // Awards: any member nominates; admins decide.
      {"GET", "/timebank/awards", "DOOOOOOOD", [](auto&, int) { return page("GET", "/timebank/awards"); }},
      {"GET", "/timebank/awards/nominate", "DOOOOOOOD", [](auto&, int) { return page("GET", "/timebank/awards/nominate"); }},
      {"POST", "/timebank/awards/nominate", "DOOOOOOOD",
       [](const Target& t, int n) {
         auto other = actor_and_other(t, n);
         return page("POST", "/timebank/awards/nominate", 0,
                     "nominee=" + std::to_string(other) + "&kind=good_neighbour&reason=Always+kind");
       }},
      {"GET", "/timebank/awards/queue", "DDDDDDDOD", [](auto&, int) { return page("GET", "/timebank/awards/queue"); }},
      {"POST", "/timebank/awards/{id}/confirm", "DDDDDDDOD",
       [](const Target& t, int n) { return page("POST", "/timebank/awards/{id}/confirm", nomination(t, n)); }},
      {"POST", "/timebank/awards/{id}/decline", "DDDDDDDOD",
       [](const Target& t, int n) { return page("POST", "/timebank/awards/{id}/decline", nomination(t, n)); }},
      // Rotas: members browse and volunteer; brokers set them up and confirm for people offline.
      {"GET", "/timebank/rotas", "DOOOOOOOD", [](auto&, int) { return page("GET", "/timebank/rotas"); }},
      {"GET", "/timebank/rotas/new", "DDOOODDOD", [](auto&, int) { return page("GET", "/timebank/rotas/new"); }},
      {"POST", "/timebank/rotas", "DDOOODDOD",
       [](const Target& t, int n) {
         auto w = work_in(t);
         auto helped = offline_member(w.scope(), "New rota helped " + std::to_string(n));
         w.commit();
         return page("POST", "/timebank/rotas", 0,
                     "title=Shopping&helped=" + std::to_string(helped) +
                         "&payer=helped&weekday=2&time=10%3A00&first_date=" + [] {
                           std::int64_t y;
                           unsigned m, d;
                           tb::civil_from_days(now_seconds() / 86400 + 1, y, m, d);
                           char b[16];
                           std::snprintf(b, sizeof b, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
                           return std::string(b);
                         }() + "&hours=1&weeks=4");
       }},
      {"GET", "/timebank/rotas/mine", "DOOOOOOOD", [](auto&, int) { return page("GET", "/timebank/rotas/mine"); }},
      {"GET", "/timebank/rotas/{id}", "DOOOOOOOD",
       [](const Target& t, int n) { return page("GET", "/timebank/rotas/{id}", rota_in(t, n, false)); }},
      {"POST", "/timebank/rotas/slots/{id}/signup", "DOOOOOOOD",
       [](const Target& t, int n) {
         auto slot = first_slot(t, rota_in(t, n, false));
         auto w = work_in(t);
         actor_member(t, w.scope());
         w.commit();
         return page("POST", "/timebank/rotas/slots/{id}/signup", slot);
       }},
      {"POST", "/timebank/rotas/slots/{id}/withdraw", "DOOOOOOOD",
       [](const Target& t, int n) {
         auto slot = first_slot(t, rota_in(t, n, false));
         auto w = work_in(t);
         if (auto me = actor_member(t, w.scope())) tb::sign_up(w.scope(), slot, *me);
         w.commit();
         return page("POST", "/timebank/rotas/slots/{id}/withdraw", slot);
       }},
      // Someone else's slot: only brokers may confirm it (for a person offline).
      {"POST", "/timebank/rotas/slots/{id}/confirm", "DDOOODDOD",
       [](const Target& t, int n) {
         return page("POST", "/timebank/rotas/slots/{id}/confirm", past_taken_slot(t, n), "side=volunteer");
       }},
  };
}

const Register reg(timebank_rows);

}  // namespace
