// The partnership's timebank: people and organisations give each other time and keep count in
// hours. Pages at /timebank, JSON at /api/v1/timebank.
//
// Hours live on a double-entry ledger. Every transfer is one row in timebank_transfers and two rows
// in timebank_movements (one minus, one plus, summing to zero), written in one transaction; both
// tables are append-only, so a mistake is put right by a reversing transfer, never an edit. Amounts
// are whole quarter hours ("quarters") everywhere inside the module; only pages and JSON show hours.
//
// Other modules (rotas, awards, reports) credit hours with timebank::transfer() and read the ledger
// with timebank::movements(); they never touch the tables.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"

namespace cp::modules {

namespace timebank {

inline constexpr std::int64_t kQuartersPerHour = 4;
inline constexpr std::int64_t kMaxExchangeQuarters = 24 * kQuartersPerHour;
inline constexpr std::int64_t kMilestoneHours[] = {10, 50, 100};

inline const std::vector<std::string> kCategories = {"gardening", "transport", "shopping", "company", "diy",
                                                     "cooking",   "learning",  "digital",  "admin",   "other"};

// ------------------------------------------------------------------ members and settings

struct Member {
  std::int64_t id = 0;
  std::string kind;  // "person", "organisation" or "pot" (the community pot)
  std::optional<std::int64_t> user_id, organisation_id;
  std::string name, can_do, outcode;
  bool offline = false;                 // has no phone or email: a broker records for them
  std::int64_t balance = 0;             // quarters; kept in step with the ledger (see transfer())
  std::int64_t given = 0;               // quarters earned by helping others (for milestones)
  std::int64_t joined_at = 0;
};

struct Settings {
  std::int64_t min_balance = -40;  // quarters: -10 hours
  std::int64_t pot_member_id = 0;
};

// Creates the settings row and the community pot on first use (idempotent, in the caller's transaction).
Settings ensure_settings(store::Scope& s);
Settings settings(store::Scope& s);  // defaults (pot 0) when there are none yet
// Sets the lowest balance allowed. Returns false when `min_balance` is above zero or below -100 hours.
bool set_min_balance(store::Scope& s, std::int64_t min_balance);

struct JoinInput {
  std::string kind;  // "person" or "organisation"
  std::optional<std::int64_t> user_id, organisation_id;
  std::string name, can_do, outcode;
  bool offline = false;
};
// Catalogue keys of what is wrong, by field.
std::vector<std::pair<std::string, std::string>> validate_join(const JoinInput& in);
// Joins; returns the member id, or the existing one when that account or organisation is already a member.
std::int64_t join(store::Scope& s, const JoinInput& in);
bool update_profile(store::Scope& s, std::int64_t member_id, const std::string& can_do, const std::string& outcode);

std::optional<Member> member(store::Scope& s, std::int64_t id);
std::optional<Member> member_for_user(store::Scope& s, std::int64_t user_id);
std::optional<Member> member_for_organisation(store::Scope& s, std::int64_t organisation_id);
// Everyone but the pot, by name.
std::vector<Member> members(store::Scope& s);

// ------------------------------------------------------------------ the ledger

// Parses hours as typed ("1", "1.5", "0.25", "2,75") into quarters. On failure returns nothing and
// sets `error` to the catalogue key that says why.
std::optional<std::int64_t> parse_hours(const std::string& text, std::string& error);
// "1.5" for 6 quarters; "-0.25" for -1.
std::string format_hours(std::int64_t quarters);

enum class Refusal {
  none,
  bad_amount,      // not positive, or more than 24 hours where that limit applies
  same_member,
  no_member,       // either side is not a member of this partnership's timebank
  below_limit,     // the payer would go below the lowest balance allowed
  pot_short,       // the community pot has not got that many hours
  already_done,    // the exchange was already confirmed, or the transfer already reversed
};
std::string refusal_key(Refusal r);  // catalogue key

struct TransferRequest {
  std::int64_t from_member = 0;  // pays: its balance goes down
  std::int64_t to_member = 0;    // earns: its balance goes up
  std::int64_t quarters = 0;
  // "exchange", "donation", "grant", "reversal", or a later module's own word ("rota", "award").
  std::string kind = "exchange";
  std::string memo;
  std::optional<std::int64_t> exchange_id, reverses_id;
  std::optional<std::int64_t> broker_user_id;  // a worker who recorded it for someone offline
  // Helping time counts towards the earner's milestones; donations and grants do not.
  bool counts_as_given = false;
};

struct TransferResult {
  Refusal refusal = Refusal::none;
  std::int64_t transfer_id = 0;
  std::vector<std::int64_t> milestones;  // hours newly reached by the earner
  bool ok() const { return refusal == Refusal::none; }
};

// Moves hours inside the caller's write transaction: locks both members (FOR UPDATE on PostgreSQL;
// SQLite's BEGIN IMMEDIATE already serialises writers), checks the payer stays at or above the lowest
// balance (the pot at or above zero), writes the transfer and its two movements, updates the cached
// balances and records any milestone reached. On a refusal nothing has been written.
TransferResult transfer(store::Scope& s, const TransferRequest& t);
// A correction: moves the same hours back the other way, once per transfer.
TransferResult reverse(store::Scope& s, std::int64_t transfer_id, const std::string& memo);

// The cached balance, and the same figure summed from the ledger (they are always equal).
std::int64_t balance(store::Scope& s, std::int64_t member_id);
std::int64_t ledger_balance(store::Scope& s, std::int64_t member_id);

struct Movement {
  std::int64_t id = 0, transfer_id = 0, member_id = 0, quarters = 0, at_ms = 0;
  std::string kind, memo;
  std::int64_t other_member = 0;  // the other side of the transfer
  std::optional<std::int64_t> exchange_id, reverses_id, broker_user_id;
};

struct MovementQuery {
  std::optional<std::int64_t> member_id;
  std::optional<std::int64_t> from_ms, to_ms;  // [from, to)
  std::optional<std::string> kind;
  std::int64_t after_id = 0;  // paging: movements with a larger id
  std::int64_t limit = 100;
  bool newest_first = false;  // for a history page; reports page oldest first with after_id
};
// Movements oldest first (or newest first), for reports and history.
std::vector<Movement> movements(store::Scope& s, const MovementQuery& q);

struct LedgerTotals {
  std::int64_t sum = 0, movements = 0, transfers = 0;
};
LedgerTotals totals(store::Scope& s);

// ------------------------------------------------------------------ exchanges

struct Exchange {
  std::int64_t id = 0;
  std::int64_t provider_id = 0;  // gave the help: earns the hours
  std::int64_t receiver_id = 0;  // got the help: pays the hours
  std::int64_t quarters = 0;
  std::string description, status;  // pending, confirmed, disputed, cancelled
  std::int64_t recorded_by_member = 0;
  std::optional<std::int64_t> recorded_by_user, broker_user_id, transfer_id, listing_id;
  std::int64_t created_at = 0, decided_at = 0;
  std::string provider_name, receiver_name;
};

struct ExchangeInput {
  std::int64_t provider_id = 0, receiver_id = 0, quarters = 0;
  std::string description;
  std::optional<std::int64_t> listing_id;
};

// Records a pending exchange by `recorder` (one of the two sides). Refusals: same_member, no_member, bad_amount.
Refusal record(store::Scope& s, const ExchangeInput& in, std::int64_t recorder, std::optional<std::int64_t> user,
               std::int64_t& id);
// A broker records an exchange that is confirmed at once (the member is offline); audited with the broker's id.
TransferResult record_confirmed(store::Scope& s, const ExchangeInput& in, std::int64_t broker_user_id, std::int64_t& id);

enum class Decision { ok, not_found, not_pending, own_record, not_party, refused };
struct DecisionResult {
  Decision decision = Decision::ok;
  TransferResult transfer;
};
// `acting` is the member the actor speaks for. Confirming writes the movements.
DecisionResult confirm(store::Scope& s, std::int64_t exchange_id, std::int64_t acting, std::optional<std::int64_t> user);
DecisionResult dispute(store::Scope& s, std::int64_t exchange_id, std::int64_t acting);
DecisionResult cancel(store::Scope& s, std::int64_t exchange_id, std::int64_t acting);

std::optional<Exchange> exchange(store::Scope& s, std::int64_t id);
std::vector<Exchange> exchanges_for(store::Scope& s, std::int64_t member_id, const std::string& status, std::int64_t limit);
std::vector<Exchange> recent_exchanges(store::Scope& s, std::int64_t limit);

// ------------------------------------------------------------------ recognition

struct Thanks {
  std::int64_t exchange_id = 0, from_member = 0;
  std::string message, from_name;
  std::int64_t created_at = 0;
};
enum class ThanksResult { ok, not_confirmed, not_party, already, empty, too_long };
ThanksResult thank(store::Scope& s, std::int64_t exchange_id, std::int64_t from_member, const std::string& message);
std::vector<Thanks> thanks_for_exchange(store::Scope& s, std::int64_t exchange_id);
std::vector<Thanks> thanks_received(store::Scope& s, std::int64_t member_id, std::int64_t limit);

struct Milestone {
  std::int64_t hours = 0, reached_at = 0;
};
std::vector<Milestone> milestones(store::Scope& s, std::int64_t member_id);

// ------------------------------------------------------------------ offers and requests

struct ListingInput {
  std::string kind;  // "offer" or "request"
  std::string title, details, category, outcode, hours;
};

struct Listing {
  std::int64_t id = 0, member_id = 0;
  std::string kind, title, details, category, outcode, status, member_name;
  std::int64_t quarters = 0, created_at = 0;
};

std::vector<std::pair<std::string, std::string>> validate_listing(const ListingInput& in, std::int64_t& quarters);
std::int64_t create_listing(store::Scope& s, std::int64_t member_id, const ListingInput& in, std::int64_t quarters);
std::optional<Listing> listing(store::Scope& s, std::int64_t id);
bool close_listing(store::Scope& s, std::int64_t id);

struct ListingQuery {
  std::string kind;  // "" for both
  std::string q, category;
  std::optional<std::int64_t> member_id;
  bool open_only = true;
  std::int64_t page = 1, per_page = 20;
};
struct ListingPage {
  std::vector<Listing> items;
  std::int64_t total = 0;
};
ListingPage listings(store::Scope& s, const ListingQuery& q);

// Loads the demo partnership's timebank (idempotent): a dozen members, offers, requests and exchanges.
void seed_demo(app::App& a, store::Scope& s);

// Quarter hours of every confirmed exchange (for contribution evidence; figures.cpp).
std::int64_t confirmed_exchange_quarters(store::Scope& s);

}  // namespace timebank

// Who may do what in the timebank. One place; handlers only ask.
namespace timebank_policy {
bool can_browse(const std::optional<auth::Actor>& a);
bool can_join(const std::optional<auth::Actor>& a);
// Brokers (workers, managers, admins) record for offline members, enrol members and grant from the pot.
bool can_broker(const std::optional<auth::Actor>& a);
bool can_change_settings(const std::optional<auth::Actor>& a);
bool can_reverse(const std::optional<auth::Actor>& a);
// A member's balance: the member (or a manager of the organisation that is the member) and brokers.
bool can_see_balance(const std::optional<auth::Actor>& a, const timebank::Member& m);
// Speaking for a member: the person themselves, or a manager of the organisation.
bool acts_for(const std::optional<auth::Actor>& a, const timebank::Member& m);
bool can_close_listing(const std::optional<auth::Actor>& a, const timebank::Member& owner);
}  // namespace timebank_policy

class TimebankModule : public app::Module {
 public:
  std::string name() const override { return "timebank"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
};

}  // namespace cp::modules
