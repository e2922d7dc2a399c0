// The timebank's ledger, members and settings.
#include <algorithm>

#include "core/util.hpp"
#include "modules/postcodes/postcodes.hpp"
#include "modules/timebank/timebank.hpp"

namespace cp::modules::timebank {

namespace {

constexpr const char* kMemberColumns =
    "id, kind, user_id, organisation_id, name, can_do, outcode, offline, balance, given, joined_at";

Member member_from(const store::Row& r) {
  Member m;
  m.id = r.i64(0);
  m.kind = r.text(1);
  m.user_id = r.opt_i64(2);
  m.organisation_id = r.opt_i64(3);
  m.name = r.text(4);
  m.can_do = r.text(5);
  m.outcode = r.text(6);
  m.offline = r.boolean(7);
  m.balance = r.i64(8);
  m.given = r.i64(9);
  m.joined_at = r.i64(10);
  return m;
}

std::optional<Member> one_member(store::Scope& s, const std::string& where, store::Value v) {
  auto r = s.read(std::string("SELECT ") + kMemberColumns + " FROM timebank_members WHERE partnership_id = $1 AND " +
                      where + " = $2",
                  {v});
  if (r.empty()) return std::nullopt;
  return member_from(r.one());
}

store::Value opt(const std::optional<std::int64_t>& v) { return v ? store::Value{*v} : store::Value{nullptr}; }

}  // namespace

// ------------------------------------------------------------------ hours

std::optional<std::int64_t> parse_hours(const std::string& text, std::string& error) {
  std::string t = trim(text);
  if (t.empty()) {
    error = "timebank.error_hours_missing";
    return std::nullopt;
  }
  std::replace(t.begin(), t.end(), ',', '.');
  if (t[0] == '-') {
    error = "timebank.error_hours_negative";
    return std::nullopt;
  }
  auto dot = t.find('.');
  std::string whole = t.substr(0, dot), frac = dot == std::string::npos ? "" : t.substr(dot + 1);
  auto digits = [](const std::string& d) {
    return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(whole) || !digits(frac) || (whole.empty() && frac.empty()) ||
      (dot != std::string::npos && frac.empty() && whole.empty())) {
    error = "timebank.error_hours_number";
    return std::nullopt;
  }
  // Extra zeros after the hundredths ("1.500") change nothing; any other digit there is not a quarter.
  while (frac.size() > 2 && frac.back() == '0') frac.pop_back();
  whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size()));
  if (whole.size() > 3) {
    error = "timebank.error_hours_too_many";
    return std::nullopt;
  }
  if (frac.size() > 2) {
    error = "timebank.error_hours_quarter";
    return std::nullopt;
  }
  while (frac.size() < 2) frac.push_back('0');
  std::int64_t hundredths = (whole.empty() ? 0 : std::stoll(whole)) * 100 + std::stoll(frac);
  if (hundredths == 0) {
    error = "timebank.error_hours_zero";
    return std::nullopt;
  }
  if (hundredths % 25 != 0) {
    error = "timebank.error_hours_quarter";
    return std::nullopt;
  }
  std::int64_t quarters = hundredths / 25;
  if (quarters > kMaxExchangeQuarters) {
    error = "timebank.error_hours_too_many";
    return std::nullopt;
  }
  return quarters;
}

std::string format_hours(std::int64_t quarters) {
  std::string sign = quarters < 0 ? "-" : "";
  std::int64_t q = quarters < 0 ? -quarters : quarters;
  static const char* kParts[] = {"", ".25", ".5", ".75"};
  return sign + std::to_string(q / 4) + kParts[q % 4];
}

std::string refusal_key(Refusal r) {
  switch (r) {
    case Refusal::none: return "timebank.flash_done";
    case Refusal::bad_amount: return "timebank.error_hours_too_many";
    case Refusal::same_member: return "timebank.error_same_member";
    case Refusal::no_member: return "timebank.error_member_missing";
    case Refusal::below_limit: return "timebank.error_below_limit";
    case Refusal::pot_short: return "timebank.error_pot_short";
    case Refusal::already_done: return "timebank.error_already_done";
  }
  return "timebank.error_member_missing";
}

// ------------------------------------------------------------------ settings

Settings settings(store::Scope& s) {
  Settings out;
  auto r = s.read("SELECT min_balance, pot_member_id FROM timebank_settings WHERE partnership_id = $1");
  if (r.empty()) return out;
  out.min_balance = r.one().i64(0);
  out.pot_member_id = r.one().i64(1);
  return out;
}

Settings ensure_settings(store::Scope& s) {
  auto current = settings(s);
  if (current.pot_member_id) return current;
  // On PostgreSQL a second transaction doing this at the same moment waits on the insert's key and
  // then finds the row, with its pot, already there.
  s.insert({"timebank.setup", "timebank_settings", s.partnership(), ""},
           "INSERT INTO timebank_settings (partnership_id, min_balance, updated_at) VALUES ($1, -40, $2)"
           " ON CONFLICT (partnership_id) DO NOTHING RETURNING partnership_id",
           {now_seconds()});
  current = settings(s);
  if (current.pot_member_id) return current;
  auto pot = s.insert({"timebank.pot_create", "timebank_member", std::nullopt, ""},
                      "INSERT INTO timebank_members (partnership_id, kind, name, sort_name, joined_at)"
                      " VALUES ($1, 'pot', 'Community pot', '', $2) RETURNING id",
                      {now_seconds()});
  s.write({"timebank.pot_set", "timebank_settings", s.partnership(), ""},
          "UPDATE timebank_settings SET pot_member_id = $2 WHERE partnership_id = $1", {pot});
  current.pot_member_id = pot;
  return current;
}

bool set_min_balance(store::Scope& s, std::int64_t min_balance) {
  if (min_balance > 0 || min_balance < -100 * kQuartersPerHour) return false;
  ensure_settings(s);
  s.write({"timebank.settings", "timebank_settings", s.partnership(), "min_balance=" + std::to_string(min_balance)},
          "UPDATE timebank_settings SET min_balance = $2, updated_at = $3 WHERE partnership_id = $1",
          {min_balance, now_seconds()});
  return true;
}

// ------------------------------------------------------------------ members

std::vector<std::pair<std::string, std::string>> validate_join(const JoinInput& in) {
  std::vector<std::pair<std::string, std::string>> p;
  if (in.kind != "person" && in.kind != "organisation") p.push_back({"kind", "timebank.error_kind"});
  if (trim(in.name).empty()) p.push_back({"name", "timebank.error_name_missing"});
  if (in.name.size() > 120) p.push_back({"name", "timebank.error_name_long"});
  if (in.can_do.size() > 200) p.push_back({"can_do", "timebank.error_can_do_long"});
  if (!in.outcode.empty() && !postcodes::normalise(in.outcode)) p.push_back({"outcode", "timebank.error_outcode"});
  return p;
}

namespace {
// Only the district is kept: "KY1 1AA" is stored as "KY1", which is enough to find help nearby.
std::string outcode_of(const std::string& typed) {
  if (trim(typed).empty()) return "";
  auto n = postcodes::normalise(typed);
  if (!n) return "";
  auto space = n->text.find(' ');
  return space == std::string::npos ? n->text : n->text.substr(0, space);
}
}  // namespace

std::int64_t join(store::Scope& s, const JoinInput& in) {
  ensure_settings(s);
  if (in.user_id)
    if (auto m = member_for_user(s, *in.user_id)) return m->id;
  if (in.organisation_id)
    if (auto m = member_for_organisation(s, *in.organisation_id)) return m->id;
  std::string name = trim(in.name);
  auto id = s.insert({"timebank.join", "timebank_member", std::nullopt, in.kind},
                     "INSERT INTO timebank_members (partnership_id, kind, user_id, organisation_id, name, sort_name, can_do,"
                     " outcode, offline, joined_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                     " ON CONFLICT DO NOTHING RETURNING id",
                     {in.kind, opt(in.user_id), opt(in.organisation_id), name, to_lower(name), trim(in.can_do),
                      outcode_of(in.outcode), std::int64_t(in.offline ? 1 : 0), now_seconds()});
  if (id) return id;
  // Another request joined the same account a moment ago.
  if (in.user_id)
    if (auto m = member_for_user(s, *in.user_id)) return m->id;
  if (in.organisation_id)
    if (auto m = member_for_organisation(s, *in.organisation_id)) return m->id;
  return 0;
}

bool update_profile(store::Scope& s, std::int64_t member_id, const std::string& can_do, const std::string& outcode) {
  return s.write({"timebank.profile", "timebank_member", member_id, ""},
                 "UPDATE timebank_members SET can_do = $2, outcode = $3 WHERE partnership_id = $1 AND id = $4",
                 {trim(can_do), outcode_of(outcode), member_id}) > 0;
}

std::optional<Member> member(store::Scope& s, std::int64_t id) { return one_member(s, "id", id); }
std::optional<Member> member_for_user(store::Scope& s, std::int64_t user_id) { return one_member(s, "user_id", user_id); }
std::optional<Member> member_for_organisation(store::Scope& s, std::int64_t organisation_id) {
  return one_member(s, "organisation_id", organisation_id);
}

std::vector<Member> members(store::Scope& s) {
  std::vector<Member> out;
  auto r = s.read(std::string("SELECT ") + kMemberColumns +
                  " FROM timebank_members WHERE partnership_id = $1 AND kind <> 'pot' ORDER BY sort_name, id");
  for (const auto& row : r.rows) out.push_back(member_from(row));
  return out;
}

// ------------------------------------------------------------------ transfers

TransferResult transfer(store::Scope& s, const TransferRequest& t) {
  TransferResult out;
  if (t.quarters <= 0) return out.refusal = Refusal::bad_amount, out;
  if (t.from_member == t.to_member) return out.refusal = Refusal::same_member, out;
  // Lock both members, lower id first so that two transfers between the same pair cannot deadlock.
  // Every write to a balance holds this lock, so the balance read here stays true until commit.
  std::string lock = "SELECT id, kind, balance, given FROM timebank_members WHERE partnership_id = $1 AND id IN ($2, $3)"
                     " ORDER BY id";
  if (s.dialect() == store::Dialect::postgres) lock += " FOR UPDATE";
  auto rows = s.read(lock, {t.from_member, t.to_member});
  if (rows.rows.size() != 2) return out.refusal = Refusal::no_member, out;
  const auto& payer = rows.rows[0].i64(0) == t.from_member ? rows.rows[0] : rows.rows[1];
  const auto& earner = rows.rows[0].i64(0) == t.to_member ? rows.rows[0] : rows.rows[1];
  bool pot = payer.text(1) == "pot";
  std::int64_t floor = pot ? 0 : settings(s).min_balance;
  if (payer.i64(2) - t.quarters < floor) return out.refusal = pot ? Refusal::pot_short : Refusal::below_limit, out;
  if (t.exchange_id &&
      !s.read("SELECT id FROM timebank_transfers WHERE partnership_id = $1 AND exchange_id = $2", {*t.exchange_id}).empty())
    return out.refusal = Refusal::already_done, out;
  if (t.reverses_id &&
      !s.read("SELECT id FROM timebank_transfers WHERE partnership_id = $1 AND reverses_id = $2", {*t.reverses_id}).empty())
    return out.refusal = Refusal::already_done, out;

  std::int64_t now = now_millis();
  const auto& ctx = s.context();
  out.transfer_id = s.insert(
      {"timebank.transfer", "timebank_transfer", std::nullopt,
       t.kind + " " + std::to_string(t.quarters) + "q " + std::to_string(t.from_member) + "->" + std::to_string(t.to_member) +
           (t.broker_user_id ? " broker:" + std::to_string(*t.broker_user_id) : "")},
      "INSERT INTO timebank_transfers (partnership_id, kind, from_member, to_member, quarters, memo, counted_given,"
      " exchange_id, reverses_id, actor_user_id, broker_user_id, at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
      " $11, $12) RETURNING id",
      {t.kind, t.from_member, t.to_member, t.quarters, t.memo.substr(0, 500), std::int64_t(t.counts_as_given ? 1 : 0),
       opt(t.exchange_id), opt(t.reverses_id), opt(ctx.user_id), opt(t.broker_user_id), now});
  // The two postings and the cached balances are the transfer's own parts: its audit row names them.
  const char* post = "INSERT INTO timebank_movements (partnership_id, transfer_id, member_id, quarters, at_ms)"
                     " VALUES ($1, $2, $3, $4, $5)";
  s.bookkeeping(post, {out.transfer_id, t.from_member, -t.quarters, now});
  s.bookkeeping(post, {out.transfer_id, t.to_member, t.quarters, now});
  const char* move = "UPDATE timebank_members SET balance = balance + $2, given = given + $3"
                     " WHERE partnership_id = $1 AND id = $4";
  s.bookkeeping(move, {-t.quarters, std::int64_t(0), t.from_member});
  std::int64_t given = t.counts_as_given ? t.quarters : 0;
  s.bookkeeping(move, {t.quarters, given, t.to_member});
  if (given > 0) {
    std::int64_t before = earner.i64(3), after = before + given;
    for (auto hours : kMilestoneHours) {
      std::int64_t mark = hours * kQuartersPerHour;
      if (before >= mark || after < mark) continue;
      // The unique key makes a milestone once-only even if hours are reversed and earned again.
      auto id = s.insert({"timebank.milestone", "timebank_milestone", std::nullopt,
                          "member " + std::to_string(t.to_member) + " " + std::to_string(hours) + "h"},
                         "INSERT INTO timebank_milestones (partnership_id, member_id, hours, transfer_id, reached_at)"
                         " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (partnership_id, member_id, hours) DO NOTHING RETURNING id",
                         {t.to_member, hours, out.transfer_id, now_seconds()});
      if (id) out.milestones.push_back(hours);
    }
  }
  return out;
}

TransferResult reverse(store::Scope& s, std::int64_t transfer_id, const std::string& memo) {
  TransferResult out;
  auto r = s.read("SELECT from_member, to_member, quarters, kind, counted_given FROM timebank_transfers"
                  " WHERE partnership_id = $1 AND id = $2",
                  {transfer_id});
  if (r.empty()) return out.refusal = Refusal::no_member, out;
  const auto& row = r.one();
  if (row.text(3) == "reversal") return out.refusal = Refusal::already_done, out;
  TransferRequest back;
  back.from_member = row.i64(1);
  back.to_member = row.i64(0);
  back.quarters = row.i64(2);
  back.kind = "reversal";
  back.memo = memo;
  back.reverses_id = transfer_id;
  out = transfer(s, back);
  if (out.ok() && row.boolean(4))
    s.bookkeeping("UPDATE timebank_members SET given = given - $2 WHERE partnership_id = $1 AND id = $3",
                  {back.quarters, back.from_member});
  return out;
}

std::int64_t balance(store::Scope& s, std::int64_t member_id) {
  auto r = s.read("SELECT balance FROM timebank_members WHERE partnership_id = $1 AND id = $2", {member_id});
  return r.empty() ? 0 : r.one().i64(0);
}

std::int64_t ledger_balance(store::Scope& s, std::int64_t member_id) {
  return s.read("SELECT COALESCE(SUM(quarters), 0) FROM timebank_movements WHERE partnership_id = $1 AND member_id = $2",
                {member_id})
      .one()
      .i64(0);
}

std::vector<Movement> movements(store::Scope& s, const MovementQuery& q) {
  std::string sql =
      "SELECT m.id, m.transfer_id, m.member_id, m.quarters, m.at_ms, t.kind, t.memo,"
      " CASE WHEN t.from_member = m.member_id THEN t.to_member ELSE t.from_member END,"
      " t.exchange_id, t.reverses_id, t.broker_user_id"
      " FROM timebank_movements m JOIN timebank_transfers t ON t.partnership_id = $1 AND t.id = m.transfer_id"
      " WHERE m.partnership_id = $1 AND m.id > $2";
  store::Params p{q.after_id};
  auto add = [&](const std::string& cond, store::Value v) {
    p.push_back(std::move(v));
    sql += " AND " + cond + " $" + std::to_string(p.size() + 1);
  };
  if (q.member_id) add("m.member_id =", *q.member_id);
  if (q.from_ms) add("m.at_ms >=", *q.from_ms);
  if (q.to_ms) add("m.at_ms <", *q.to_ms);
  if (q.kind) add("t.kind =", *q.kind);
  p.push_back(std::clamp<std::int64_t>(q.limit, 1, 10000));
 sql += std::string(q.newest_first ? " ORDER BY m.id DESC" : " ORDER BY m.id") + " LIMIT $" + std::to_string(p.size() + 1);
  std::vector<Movement> out;
  for (const auto& r : s.read(sql, p).rows) {
    Movement m;
    m.id = r.i64(0);
    m.transfer_id = r.i64(1);
    m.member_id = r.i64(2);
    m.quarters = r.i64(3);
    m.at_ms = r.i64(4);
    m.kind = r.text(5);
    m.memo = r.text(6);
    m.other_member = r.i64(7);
    m.exchange_id = r.opt_i64(8);
    m.reverses_id = r.opt_i64(9);
    m.broker_user_id = r.opt_i64(10);
    out.push_back(std::move(m));
  }
  return out;
}

LedgerTotals totals(store::Scope& s) {
  LedgerTotals t;
  auto r = s.read("SELECT COALESCE(SUM(quarters), 0), COUNT(*) FROM timebank_movements WHERE partnership_id = $1").one();
  t.sum = r.i64(0);
  t.movements = r.i64(1);
  t.transfers = s.read("SELECT COUNT(*) FROM timebank_transfers WHERE partnership_id = $1").one().i64(0);
  return t;
}

// ------------------------------------------------------------------ recognition

std::vector<Milestone> milestones(store::Scope& s, std::int64_t member_id) {
  std::vector<Milestone> out;
  for (const auto& r : s.read("SELECT hours, reached_at FROM timebank_milestones WHERE partnership_id = $1 AND member_id = $2"
                              " ORDER BY hours",
                              {member_id})
                           .rows)
    out.push_back({r.i64(0), r.i64(1)});
  return out;
}

}  // namespace cp::modules::timebank
