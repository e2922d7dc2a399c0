// The timebank's later parts, built on the ledger's public interface (timebank.hpp): reports, peer
// recognition awards and Food Train style volunteer rotas. Each lives in its own file with its routes;
// the module's install() and migrations() call in here.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "modules/timebank/timebank.hpp"

namespace cp::modules::timebank {

// ------------------------------------------------------------------ reports (reports.cpp)

// Days since 1970-01-01 for a proleptic Gregorian date, and back.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d);

struct MonthRow {
  std::string month;                 // "2026-11"
  std::int64_t quarters = 0;         // hours of help exchanged that month (each transfer counted once)
  std::int64_t active = 0;           // members who gave or received help that month
  std::int64_t only_gave = 0, only_received = 0;
};

struct ReportMember {
  std::int64_t id = 0;
  std::string name;
  std::int64_t quarters = 0;  // hours given (for givers) or received (for receivers) in the window
};

struct Report {
  std::vector<MonthRow> months;  // the last 12 calendar months, oldest first, zeros included
  std::int64_t from_ms = 0;      // the window's start (first day of the oldest month, UTC)
  std::int64_t active = 0, only_gave = 0, only_received = 0;  // across the whole window
  std::vector<ReportMember> givers, receivers;                // filled only when asked (brokers)
};

// Help given and received (transfers that count as given: exchanges and rota slots), not reversed,
// in the 12 calendar months up to and including the one holding `now_ms`. Aggregated in SQL.
Report report(store::Scope& s, std::int64_t now_ms, bool with_names);
std::string hours_2dp(std::int64_t quarters);  // "1.50"
std::string report_csv(const Report& r);

// ------------------------------------------------------------------ awards (awards.cpp)

inline const std::vector<std::string> kAwardKinds = {"good_neighbour", "always_there", "kind_heart", "new_skills",
                                                     "community_champion"};

struct Award {
  std::int64_t id = 0, nominee_id = 0, nominator_id = 0;
  std::string kind, reason, status;  // pending, confirmed, declined
  std::string nominee_name, nominator_name;
  std::int64_t created_at = 0, decided_at = 0;
};

enum class NominateResult { ok, self, no_member, bad_kind, empty_reason, too_long, already_open };
std::string nominate_key(NominateResult r);
NominateResult nominate(store::Scope& s, std::int64_t nominator, std::int64_t nominee, const std::string& kind,
                        const std::string& reason, std::int64_t& id);
// Only a pending nomination can be decided; returns false otherwise (already decided, or not found).
bool decide_award(store::Scope& s, std::int64_t id, bool confirm, std::int64_t admin_user);
std::optional<Award> award(store::Scope& s, std::int64_t id);
std::vector<Award> awards_with_status(store::Scope& s, const std::string& status, std::int64_t limit);
std::vector<Award> awards_for(store::Scope& s, std::int64_t member_id);  // confirmed only

// ------------------------------------------------------------------ rotas (rotas.cpp)

struct RotaInput {
  std::string title, details;
  std::int64_t helped_member = 0;
  std::string payer;        // "helped" (the person helped pays, as in any exchange) or "pot"
  int weekday = 0;          // 0 Monday .. 6 Sunday
  std::string time;         // "10:30"
  std::string first_date;   // "2026-11-23": slots start on the first matching weekday from here
  std::string hours;        // as typed
  std::string weeks;        // as typed, 1..26
};

struct Rota {
  std::int64_t id = 0, helped_member = 0, quarters = 0, weeks = 0;
  std::string title, details, payer, time, helped_name;
  int weekday = 0;
  std::int64_t created_at = 0;
};

struct Slot {
  std::int64_t id = 0, rota_id = 0;
  std::string date;       // "2026-11-23"
  std::int64_t starts_at = 0;  // seconds
  std::optional<std::int64_t> volunteer;
  std::string volunteer_name, rota_title, helped_name;
  std::int64_t helped_member = 0, quarters = 0;
  bool volunteer_confirmed = false, helped_confirmed = false;
  std::optional<std::int64_t> transfer_id;
};

// Checks and creates a rota and its slots in one go. Problems are (field, catalogue key).
std::vector<std::pair<std::string, std::string>> validate_rota(store::Scope& s, const RotaInput& in,
                                                               std::int64_t& quarters, std::int64_t& weeks);
std::int64_t create_rota(store::Scope& s, const RotaInput& in, std::int64_t quarters, std::int64_t weeks,
                         std::int64_t broker_user);
std::optional<Rota> rota(store::Scope& s, std::int64_t id);
std::vector<Rota> rotas(store::Scope& s);
std::vector<Slot> slots_of(store::Scope& s, std::int64_t rota_id);
std::optional<Slot> slot(store::Scope& s, std::int64_t id);
// Slots a member volunteers for, or is helped in, soonest first.
std::vector<Slot> slots_for_member(store::Scope& s, std::int64_t member_id);

enum class SlotResult { ok, not_found, taken, own_rota, not_yet, not_party, already, refused };
std::string slot_key(SlotResult r);
// One volunteer per slot: the claim is a single conditional UPDATE, so two at once cannot both win.
SlotResult sign_up(store::Scope& s, std::int64_t slot_id, std::int64_t member_id);
SlotResult withdraw(store::Scope& s, std::int64_t slot_id, std::int64_t member_id);
// `side` is "volunteer" or "helped". When both sides have confirmed, credits the hours once through
// transfer() (kind "rota", counts as given). A refused transfer rolls back with the caller's transaction.
struct SlotConfirmation {
  SlotResult result = SlotResult::ok;
  TransferResult transfer;
  bool credited = false;
};
SlotConfirmation confirm_slot(store::Scope& s, std::int64_t slot_id, const std::string& side, std::int64_t now_s,
                              std::optional<std::int64_t> broker_user);

// Demo data for these parts (idempotent); called from seed_demo's caller.
void seed_demo_extras(store::Scope& s);

// Wiring.
void add_extra_migrations(store::Migrations& m);
void install_reports(app::App& a);
void install_awards(app::App& a);
void install_rotas(app::App& a);

}  // namespace cp::modules::timebank

namespace cp::modules::timebank_policy {
// Reports: staff who run or fund the timebank (workers, managers, admins, commissioners).
bool can_see_reports(const std::optional<auth::Actor>& a);
// Confirming or declining recognition awards: the partnership's admins.
bool can_decide_awards(const std::optional<auth::Actor>& a);
// Setting up rotas and confirming a slot for someone offline: brokers.
bool can_manage_rotas(const std::optional<auth::Actor>& a);
}  // namespace cp::modules::timebank_policy
