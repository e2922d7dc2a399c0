// Exchanges (recorded by one side, confirmed by the other), thanks, and offers and requests.
#include <algorithm>

#include "core/util.hpp"
#include "modules/postcodes/postcodes.hpp"
#include "modules/timebank/timebank.hpp"

namespace cp::modules::timebank {

namespace {

store::Value opt(const std::optional<std::int64_t>& v) { return v ? store::Value{*v} : store::Value{nullptr}; }

constexpr const char* kExchangeSelect =
    "SELECT e.id, e.provider_id, e.receiver_id, e.quarters, e.description, e.status, e.recorded_by_member,"
    " e.recorded_by_user, e.broker_user_id, e.transfer_id, e.listing_id, e.created_at, e.decided_at, p.name, r.name"
    " FROM timebank_exchanges e"
    " JOIN timebank_members p ON p.partnership_id = $1 AND p.id = e.provider_id"
    " JOIN timebank_members r ON r.partnership_id = $1 AND r.id = e.receiver_id"
    " WHERE e.partnership_id = $1";

Exchange exchange_from(const store::Row& r) {
  Exchange e;
  e.id = r.i64(0);
  e.provider_id = r.i64(1);
  e.receiver_id = r.i64(2);
  e.quarters = r.i64(3);
  e.description = r.text(4);
  e.status = r.text(5);
  e.recorded_by_member = r.i64(6);
  e.recorded_by_user = r.opt_i64(7);
  e.broker_user_id = r.opt_i64(8);
  e.transfer_id = r.opt_i64(9);
  e.listing_id = r.opt_i64(10);
  e.created_at = r.i64(11);
  e.decided_at = r.i64(12);
  e.provider_name = r.text(13);
  e.receiver_name = r.text(14);
  return e;
}

// Both sides must be members (not the pot) of this partnership's timebank.
Refusal check_sides(store::Scope& s, const ExchangeInput& in) {
  if (in.quarters <= 0 || in.quarters > kMaxExchangeQuarters) return Refusal::bad_amount;
  if (in.provider_id == in.receiver_id) return Refusal::same_member;
  auto r = s.read("SELECT COUNT(*) FROM timebank_members WHERE partnership_id = $1 AND id IN ($2, $3) AND kind <> 'pot'",
                  {in.provider_id, in.receiver_id});
  if (r.one().i64(0) != 2) return Refusal::no_member;
  return Refusal::none;
}

std::int64_t insert_exchange(store::Scope& s, const ExchangeInput& in, std::int64_t recorder,
                             std::optional<std::int64_t> user, std::optional<std::int64_t> broker) {
  return s.insert({"timebank.exchange_record", "timebank_exchange", std::nullopt,
                   std::to_string(in.quarters) + "q " + std::to_string(in.receiver_id) + "->" + std::to_string(in.provider_id) +
                       (broker ? " broker:" + std::to_string(*broker) : "")},
                  "INSERT INTO timebank_exchanges (partnership_id, provider_id, receiver_id, quarters, description, listing_id,"
                  " status, recorded_by_member, recorded_by_user, broker_user_id, created_at)"
                  " VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9, $10) RETURNING id",
                  {in.provider_id, in.receiver_id, in.quarters, trim(in.description).substr(0, 500), opt(in.listing_id),
                   recorder, opt(user), opt(broker), now_seconds()});
}

// Reads the exchange for a decision, locking it on PostgreSQL so that two people deciding at once
// take turns (SQLite's write transaction already makes them).
std::optional<Exchange> lock_exchange(store::Scope& s, std::int64_t id) {
  std::string sql =
      "SELECT id, provider_id, receiver_id, quarters, description, status, recorded_by_member, recorded_by_user,"
      " broker_user_id, transfer_id, listing_id, created_at, decided_at, '', ''"
      " FROM timebank_exchanges WHERE partnership_id = $1 AND id = $2";
  if (s.dialect() == store::Dialect::postgres) sql += " FOR UPDATE";
  auto r = s.read(sql, {id});
  if (r.empty()) return std::nullopt;
  return exchange_from(r.one());
}

DecisionResult set_status(store::Scope& s, std::int64_t id, std::int64_t acting, const std::string& status) {
  DecisionResult out;
  auto e = lock_exchange(s, id);
  if (!e) return out.decision = Decision::not_found, out;
  if (acting != e->provider_id && acting != e->receiver_id) return out.decision = Decision::not_party, out;
  if (e->status != "pending") return out.decision = Decision::not_pending, out;
  s.write({"timebank.exchange_" + status, "timebank_exchange", id, ""},
          "UPDATE timebank_exchanges SET status = $2, decided_at = $3 WHERE partnership_id = $1 AND id = $4 AND status = 'pending'",
          {status, now_seconds(), id});
  return out;
}

}  // namespace

Refusal record(store::Scope& s, const ExchangeInput& in, std::int64_t recorder, std::optional<std::int64_t> user,
               std::int64_t& id) {
  auto r = check_sides(s, in);
  if (r != Refusal::none) return r;
  if (recorder != in.provider_id && recorder != in.receiver_id) return Refusal::no_member;
  id = insert_exchange(s, in, recorder, user, std::nullopt);
  return Refusal::none;
}

TransferResult record_confirmed(store::Scope& s, const ExchangeInput& in, std::int64_t broker_user_id, std::int64_t& id) {
  TransferResult out;
  out.refusal = check_sides(s, in);
  if (!out.ok()) return out;
  id = insert_exchange(s, in, in.receiver_id, std::nullopt, broker_user_id);
  TransferRequest t;
  t.from_member = in.receiver_id;
  t.to_member = in.provider_id;
  t.quarters = in.quarters;
  t.memo = in.description;
  t.exchange_id = id;
  t.broker_user_id = broker_user_id;
  t.counts_as_given = true;
  out = transfer(s, t);
  if (!out.ok()) return out;  // the caller does not commit: the exchange row goes too
  s.write({"timebank.exchange_confirmed", "timebank_exchange", id, "broker:" + std::to_string(broker_user_id)},
          "UPDATE timebank_exchanges SET status = 'confirmed', transfer_id = $2, decided_at = $3"
          " WHERE partnership_id = $1 AND id = $4",
          {out.transfer_id, now_seconds(), id});
  return out;
}

DecisionResult confirm(store::Scope& s, std::int64_t exchange_id, std::int64_t acting, std::optional<std::int64_t> user) {
  DecisionResult out;
  auto e = lock_exchange(s, exchange_id);
  if (!e) return out.decision = Decision::not_found, out;
  if (acting != e->provider_id && acting != e->receiver_id) return out.decision = Decision::not_party, out;
  if (e->status != "pending") return out.decision = Decision::not_pending, out;
  // The other side confirms: never the one who recorded it, nor the account that typed it in.
  if (acting == e->recorded_by_member || (user && e->recorded_by_user && *user == *e->recorded_by_user))
    return out.decision = Decision::own_record, out;
  TransferRequest t;
  t.from_member = e->receiver_id;
  t.to_member = e->provider_id;
  t.quarters = e->quarters;
  t.memo = e->description;
  t.exchange_id = exchange_id;
  t.counts_as_given = true;
  out.transfer = transfer(s, t);
  if (!out.transfer.ok()) {
    out.decision = out.transfer.refusal == Refusal::already_done ? Decision::not_pending : Decision::refused;
    return out;
  }
  auto changed = s.write({"timebank.exchange_confirmed", "timebank_exchange", exchange_id, ""},
                         "UPDATE timebank_exchanges SET status = 'confirmed', transfer_id = $2, decided_at = $3"
                         " WHERE partnership_id = $1 AND id = $4 AND status = 'pending'",
                         {out.transfer.transfer_id, now_seconds(), exchange_id});
  if (changed != 1) out.decision = Decision::not_pending;  // the caller must not commit
  return out;
}

DecisionResult dispute(store::Scope& s, std::int64_t exchange_id, std::int64_t acting) {
  return set_status(s, exchange_id, acting, "disputed");
}

DecisionResult cancel(store::Scope& s, std::int64_t exchange_id, std::int64_t acting) {
  return set_status(s, exchange_id, acting, "cancelled");
}

std::optional<Exchange> exchange(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string(kExchangeSelect) + " AND e.id = $2", {id});
  if (r.empty()) return std::nullopt;
  return exchange_from(r.one());
}

std::vector<Exchange> exchanges_for(store::Scope& s, std::int64_t member_id, const std::string& status, std::int64_t limit) {
  std::vector<Exchange> out;
  auto r = s.read(std::string(kExchangeSelect) +
                      " AND (e.provider_id = $2 OR e.receiver_id = $2) AND ($3 = '' OR e.status = $3)"
                      " ORDER BY e.id DESC LIMIT $4",
                  {member_id, status, limit});
  for (const auto& row : r.rows) out.push_back(exchange_from(row));
  return out;
}

std::vector<Exchange> recent_exchanges(store::Scope& s, std::int64_t limit) {
  std::vector<Exchange> out;
  auto r = s.read(std::string(kExchangeSelect) + " ORDER BY e.id DESC LIMIT $2", {limit});
  for (const auto& row : r.rows) out.push_back(exchange_from(row));
  return out;
}

// ------------------------------------------------------------------ thanks

ThanksResult thank(store::Scope& s, std::int64_t exchange_id, std::int64_t from_member, const std::string& message) {
  std::string text = trim(message);
  if (text.empty()) return ThanksResult::empty;
  if (text.size() > 500) return ThanksResult::too_long;
  auto e = exchange(s, exchange_id);
  if (!e || e->status != "confirmed") return ThanksResult::not_confirmed;
  if (from_member != e->provider_id && from_member != e->receiver_id) return ThanksResult::not_party;
  std::int64_t to = from_member == e->provider_id ? e->receiver_id : e->provider_id;
  auto id = s.insert({"timebank.thanks", "timebank_thanks", std::nullopt, "exchange " + std::to_string(exchange_id)},
                     "INSERT INTO timebank_thanks (partnership_id, exchange_id, from_member, to_member, message, created_at)"
                     " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (partnership_id, exchange_id, from_member) DO NOTHING"
                     " RETURNING id",
                     {exchange_id, from_member, to, text, now_seconds()});
  return id ? ThanksResult::ok : ThanksResult::already;
}

namespace {
std::vector<Thanks> thanks_rows(const store::Result& r) {
  std::vector<Thanks> out;
  for (const auto& row : r.rows) out.push_back({row.i64(0), row.i64(1), row.text(2), row.text(3), row.i64(4)});
  return out;
}
}  // namespace

std::vector<Thanks> thanks_for_exchange(store::Scope& s, std::int64_t exchange_id) {
  return thanks_rows(s.read("SELECT t.exchange_id, t.from_member, t.message, m.name, t.created_at FROM timebank_thanks t"
                            " JOIN timebank_members m ON m.partnership_id = $1 AND m.id = t.from_member"
                            " WHERE t.partnership_id = $1 AND t.exchange_id = $2 ORDER BY t.id",
                            {exchange_id}));
}

std::vector<Thanks> thanks_received(store::Scope& s, std::int64_t member_id, std::int64_t limit) {
  return thanks_rows(s.read("SELECT t.exchange_id, t.from_member, t.message, m.name, t.created_at FROM timebank_thanks t"
                            " JOIN timebank_members m ON m.partnership_id = $1 AND m.id = t.from_member"
                            " WHERE t.partnership_id = $1 AND t.to_member = $2 ORDER BY t.created_at DESC, t.id DESC LIMIT $3",
                            {member_id, limit}));
}

// ------------------------------------------------------------------ offers and requests

std::vector<std::pair<std::string, std::string>> validate_listing(const ListingInput& in, std::int64_t& quarters) {
  std::vector<std::pair<std::string, std::string>> p;
  if (in.kind != "offer" && in.kind != "request") p.push_back({"kind", "timebank.error_listing_kind"});
  if (trim(in.title).empty()) p.push_back({"title", "timebank.error_title_missing"});
  if (in.title.size() > 120) p.push_back({"title", "timebank.error_title_long"});
  if (in.details.size() > 1000) p.push_back({"details", "timebank.error_details_long"});
  if (std::find(kCategories.begin(), kCategories.end(), in.category) == kCategories.end())
    p.push_back({"category", "timebank.error_category"});
  quarters = 0;
  if (!trim(in.hours).empty()) {
    std::string err;
    auto q = parse_hours(in.hours, err);
    if (!q) p.push_back({"hours", err});
    else quarters = *q;
  }
  if (!trim(in.outcode).empty() && !postcodes::normalise(in.outcode)) p.push_back({"outcode", "timebank.error_outcode"});
  return p;
}

std::int64_t create_listing(store::Scope& s, std::int64_t member_id, const ListingInput& in, std::int64_t quarters) {
  std::string outcode;
  if (auto n = postcodes::normalise(in.outcode)) outcode = n->text.substr(0, n->text.find(' '));
  std::string title = trim(in.title), details = trim(in.details);
  return s.insert({"timebank.listing_create", "timebank_listing", std::nullopt, in.kind},
                  "INSERT INTO timebank_listings (partnership_id, member_id, kind, title, details, category, quarters, outcode,"
                  " search_text, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
                  {member_id, in.kind, title, details, in.category, quarters, outcode,
                   to_lower(title + "\n" + details + "\n" + in.category + "\n" + outcode), now_seconds()});
}

namespace {
constexpr const char* kListingSelect =
    "SELECT l.id, l.member_id, l.kind, l.title, l.details, l.category, l.outcode, l.status, m.name, l.quarters,"
    " l.created_at FROM timebank_listings l JOIN timebank_members m ON m.partnership_id = $1 AND m.id = l.member_id"
    " WHERE l.partnership_id = $1";

Listing listing_from(const store::Row& r) {
  Listing l;
  l.id = r.i64(0);
  l.member_id = r.i64(1);
  l.kind = r.text(2);
  l.title = r.text(3);
  l.details = r.text(4);
  l.category = r.text(5);
  l.outcode = r.text(6);
  l.status = r.text(7);
  l.member_name = r.text(8);
  l.quarters = r.i64(9);
  l.created_at = r.i64(10);
  return l;
}
}  // namespace

std::optional<Listing> listing(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string(kListingSelect) + " AND l.id = $2", {id});
  if (r.empty()) return std::nullopt;
  return listing_from(r.one());
}

bool close_listing(store::Scope& s, std::int64_t id) {
  return s.write({"timebank.listing_close", "timebank_listing", id, ""},
                 "UPDATE timebank_listings SET status = 'closed', updated_at = $2 WHERE partnership_id = $1 AND id = $3"
                 " AND status = 'open'",
                 {now_seconds(), id}) > 0;
}

ListingPage listings(store::Scope& s, const ListingQuery& q) {
  std::string where;
  store::Params p;
  auto add = [&](const std::string& cond, store::Value v) {
    p.push_back(std::move(v));
    where += " AND " + cond + " $" + std::to_string(p.size() + 1);
  };
  if (!q.kind.empty()) add("l.kind =", q.kind);
  if (!q.category.empty()) add("l.category =", q.category);
  if (q.member_id) add("l.member_id =", *q.member_id);
  if (q.open_only) where += " AND l.status = 'open'";
  if (!trim(q.q).empty()) {
    p.push_back(like_contains(trim(q.q)));
    where += " AND l.search_text LIKE $" + std::to_string(p.size() + 1) + " ESCAPE '\\'";
  }
  ListingPage out;
  out.total = s.read("SELECT COUNT(*) FROM timebank_listings l WHERE l.partnership_id = $1" + where, p).one().i64(0);
  std::int64_t per = std::clamp<std::int64_t>(q.per_page, 1, 100);
  p.push_back(per);
  p.push_back((std::max<std::int64_t>(q.page, 1) - 1) * per);
  auto r = s.read(std::string(kListingSelect) + where + " ORDER BY l.created_at DESC, l.id DESC LIMIT $" +
                      std::to_string(p.size()) + " OFFSET $" + std::to_string(p.size() + 1),
                  p);
  for (const auto& row : r.rows) out.items.push_back(listing_from(row));
  return out;
}

}  // namespace cp::modules::timebank
