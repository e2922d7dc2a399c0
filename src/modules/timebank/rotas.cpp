// Volunteer rotas in the style of the Food Train: a broker sets up a weekly task for a member who
// needs help (a shopping delivery, say); its slots are made for the coming weeks; members sign up for
// a slot, one volunteer each; after the day the volunteer and the person helped both say it happened
// (or a broker says so for someone offline), and then, once only, the hours go to the volunteer
// through the ledger's transfer().
#include <algorithm>
#include <cstdio>

#include "core/util.hpp"
#include "modules/plain/web.hpp"
#include "modules/timebank/extras.hpp"

namespace cp::modules::timebank {

namespace {

constexpr const char* kSlotSelect =
    "SELECT sl.id, sl.rota_id, sl.slot_date, sl.starts_at, sl.volunteer_member, v.name, r.title, h.name,"
    " r.helped_member, r.quarters, sl.volunteer_confirmed_at, sl.helped_confirmed_at, sl.transfer_id"
    " FROM timebank_rota_slots sl"
    " JOIN timebank_rotas r ON r.partnership_id = $1 AND r.id = sl.rota_id"
    " JOIN timebank_members h ON h.partnership_id = $1 AND h.id = r.helped_member"
    " LEFT JOIN timebank_members v ON v.partnership_id = $1 AND v.id = sl.volunteer_member"
    " WHERE sl.partnership_id = $1 AND ";

Slot slot_from(const store::Row& r) {
  Slot s;
  s.id = r.i64(0);
  s.rota_id = r.i64(1);
  s.date = r.text(2);
  s.starts_at = r.i64(3);
  s.volunteer = r.opt_i64(4);
  s.volunteer_name = r.text(5);
  s.rota_title = r.text(6);
  s.helped_name = r.text(7);
  s.helped_member = r.i64(8);
  s.quarters = r.i64(9);
  s.volunteer_confirmed = !r.null(10);
  s.helped_confirmed = !r.null(11);
  s.transfer_id = r.opt_i64(12);
  return s;
}

std::vector<Slot> slots_where(store::Scope& s, const std::string& where, store::Params p) {
  std::vector<Slot> out;
  for (const auto& r : s.read(kSlotSelect + where, std::move(p)).rows) out.push_back(slot_from(r));
  return out;
}

// "2026-11-23" -> days since the epoch, checking it is a real date.
std::optional<std::int64_t> parse_date(const std::string& t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  auto y = parse_int(t.substr(0, 4)), m = parse_int(t.substr(5, 2)), d = parse_int(t.substr(8, 2));
  if (!y || !m || !d || *m < 1 || *m > 12 || *d < 1 || *d > 31) return std::nullopt;
  auto days = days_from_civil(*y, static_cast<unsigned>(*m), static_cast<unsigned>(*d));
  std::int64_t yy;
  unsigned mm, dd;
  civil_from_days(days, yy, mm, dd);  // 31 February comes back as March: refuse it
  if (yy != *y || mm != *m || dd != *d) return std::nullopt;
  return days;
}

std::string date_text(std::int64_t days) {
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

// Minutes after midnight for "9:30" or "09:30".
std::optional<std::int64_t> parse_time(const std::string& t) {
  auto colon = t.find(':');
  if (colon == std::string::npos || colon == 0 || colon > 2 || t.size() != colon + 3) return std::nullopt;
  auto h = parse_int(t.substr(0, colon)), m = parse_int(t.substr(colon + 1));
  if (!h || !m || *h < 0 || *h > 23 || *m < 0 || *m > 59) return std::nullopt;
  return *h * 60 + *m;
}

int weekday_of(std::int64_t days) { return static_cast<int>(((days % 7) + 7 + 3) % 7); }  // 1970-01-01 was a Thursday

}  // namespace

std::string slot_key(SlotResult r) {
  switch (r) {
    case SlotResult::ok: return "timebank.flash_slot_ok";
    case SlotResult::not_found: return "timebank.error_slot_missing";
    case SlotResult::taken: return "timebank.error_slot_taken";
    case SlotResult::own_rota: return "timebank.error_slot_own";
    case SlotResult::not_yet: return "timebank.error_slot_not_yet";
    case SlotResult::not_party: return "timebank.error_slot_not_party";
    case SlotResult::already: return "timebank.error_slot_already";
    case SlotResult::refused: return "timebank.error_slot_refused";
  }
  return "timebank.error_slot_missing";
}

std::vector<std::pair<std::string, std::string>> validate_rota(store::Scope& s, const RotaInput& in,
                                                               std::int64_t& quarters, std::int64_t& weeks) {
  std::vector<std::pair<std::string, std::string>> out;
  auto title = trim(in.title);
  if (title.empty()) out.emplace_back("title", "timebank.error_rota_title");
  else if (title.size() > 120) out.emplace_back("title", "timebank.error_rota_title_long");
  if (in.details.size() > 1000) out.emplace_back("details", "timebank.error_rota_details_long");
  auto helped = in.helped_member ? member(s, in.helped_member) : std::nullopt;
  if (!helped || helped->kind == "pot") out.emplace_back("helped", "timebank.error_rota_helped");
  if (in.payer != "helped" && in.payer != "pot") out.emplace_back("payer", "timebank.error_rota_payer");
  if (in.weekday < 0 || in.weekday > 6) out.emplace_back("weekday", "timebank.error_rota_weekday");
  if (!parse_time(trim(in.time))) out.emplace_back("time", "timebank.error_rota_time");
  auto first = parse_date(trim(in.first_date));
  auto today = now_seconds() / 86400;
  if (!first) out.emplace_back("first_date", "timebank.error_rota_date");
  // A broker may catch up on the last few weeks, but not plan years ahead or behind.
  else if (*first < today - 28 || *first > today + 366) out.emplace_back("first_date", "timebank.error_rota_date_range");
  std::string err;
  auto q = parse_hours(in.hours, err);
  if (!q) out.emplace_back("hours", err);
  else if (*q <= 0 || *q > 8 * kQuartersPerHour) out.emplace_back("hours", "timebank.error_rota_hours");
  else quarters = *q;
  auto w = parse_int(trim(in.weeks));
  if (!w || *w < 1 || *w > 26) out.emplace_back("weeks", "timebank.error_rota_weeks");
  else weeks = *w;
  return out;
}

std::int64_t create_rota(store::Scope& s, const RotaInput& in, std::int64_t quarters, std::int64_t weeks,
                         std::int64_t broker_user) {
  if (in.payer == "pot") ensure_settings(s);
  auto minutes = *parse_time(trim(in.time));
  char hhmm[8];
  std::snprintf(hhmm, sizeof hhmm, "%02lld:%02lld", static_cast<long long>(minutes / 60), static_cast<long long>(minutes % 60));
  auto id = s.insert({"timebank.rota_create", "timebank_rota", std::nullopt, std::to_string(weeks) + " weeks"},
                     "INSERT INTO timebank_rotas (partnership_id, title, details, helped_member, payer, weekday, time_of_day,"
                     " quarters, weeks, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                     {trim(in.title), trim(in.details), in.helped_member, in.payer, std::int64_t(in.weekday),
                      std::string(hhmm), quarters, weeks, broker_user, now_seconds()});
  auto day = *parse_date(trim(in.first_date));
  while (weekday_of(day) != in.weekday) ++day;
  for (std::int64_t i = 0; i < weeks; ++i, day += 7) {
    s.insert({"timebank.rota_slot_create", "timebank_rota_slot", std::nullopt, "rota " + std::to_string(id)},
             "INSERT INTO timebank_rota_slots (partnership_id, rota_id, slot_date, starts_at) VALUES ($1, $2, $3, $4)"
             " RETURNING id",
             {id, date_text(day), day * 86400 + minutes * 60});
  }
  return id;
}

std::optional<Rota> rota(store::Scope& s, std::int64_t id) {
  auto r = s.read("SELECT r.id, r.helped_member, r.quarters, r.weeks, r.title, r.details, r.payer, r.time_of_day, h.name,"
                  " r.weekday, r.created_at FROM timebank_rotas r"
                  " JOIN timebank_members h ON h.partnership_id = $1 AND h.id = r.helped_member"
                  " WHERE r.partnership_id = $1 AND r.id = $2",
                  {id});
  if (r.empty()) return std::nullopt;
  const auto& row = r.one();
  Rota o;
  o.id = row.i64(0);
  o.helped_member = row.i64(1);
  o.quarters = row.i64(2);
  o.weeks = row.i64(3);
  o.title = row.text(4);
  o.details = row.text(5);
  o.payer = row.text(6);
  o.time = row.text(7);
  o.helped_name = row.text(8);
  o.weekday = static_cast<int>(row.i64(9));
  o.created_at = row.i64(10);
  return o;
}

std::vector<Rota> rotas(store::Scope& s) {
  std::vector<Rota> out;
  auto r = s.read("SELECT r.id FROM timebank_rotas r WHERE r.partnership_id = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT 200");
  for (const auto& row : r.rows)
    if (auto x = rota(s, row.i64(0))) out.push_back(*x);
  return out;
}

std::vector<Slot> slots_of(store::Scope& s, std::int64_t rota_id) {
  return slots_where(s, "sl.rota_id = $2 ORDER BY sl.starts_at, sl.id", {rota_id});
}

std::optional<Slot> slot(store::Scope& s, std::int64_t id) {
  auto v = slots_where(s, "sl.id = $2", {id});
  if (v.empty()) return std::nullopt;
  return v.front();
}

std::vector<Slot> slots_for_member(store::Scope& s, std::int64_t member_id) {
  return slots_where(s, "(sl.volunteer_member = $2 OR r.helped_member = $2) ORDER BY sl.starts_at, sl.id LIMIT 100",
                     {member_id});
}

SlotResult sign_up(store::Scope& s, std::int64_t slot_id, std::int64_t member_id) {
  auto sl = slot(s, slot_id);
  if (!sl) return SlotResult::not_found;
  if (sl->helped_member == member_id) return SlotResult::own_rota;
  if (sl->volunteer) return sl->volunteer == member_id ? SlotResult::already : SlotResult::taken;
  // The claim and the check are one statement: of two sign-ups at once, only one row update succeeds.
  auto n = s.write({"timebank.rota_sign_up", "timebank_rota_slot", slot_id, "member " + std::to_string(member_id)},
                   "UPDATE timebank_rota_slots SET volunteer_member = $3, signed_up_at = $4"
                   " WHERE partnership_id = $1 AND id = $2 AND volunteer_member IS NULL",
                   {slot_id, member_id, now_seconds()});
  return n == 1 ? SlotResult::ok : SlotResult::taken;
}

SlotResult withdraw(store::Scope& s, std::int64_t slot_id, std::int64_t member_id) {
  auto n = s.write({"timebank.rota_withdraw", "timebank_rota_slot", slot_id, "member " + std::to_string(member_id)},
                   "UPDATE timebank_rota_slots SET volunteer_member = NULL, signed_up_at = NULL"
                   " WHERE partnership_id = $1 AND id = $2 AND volunteer_member = $3"
                   " AND volunteer_confirmed_at IS NULL AND helped_confirmed_at IS NULL",
                   {slot_id, member_id});
  return n == 1 ? SlotResult::ok : SlotResult::not_party;
}

SlotConfirmation confirm_slot(store::Scope& s, std::int64_t slot_id, const std::string& side, std::int64_t now_s,
                              std::optional<std::int64_t> broker_user) {
  SlotConfirmation out;
  if (side != "volunteer" && side != "helped") return out.result = SlotResult::not_party, out;
  // Lock the slot first, so that when both sides confirm at once the second waits and sees the first.
  std::string lock = "SELECT volunteer_member, starts_at, volunteer_confirmed_at, helped_confirmed_at, transfer_id, rota_id"
                     " FROM timebank_rota_slots WHERE partnership_id = $1 AND id = $2";
  if (s.dialect() == store::Dialect::postgres) lock += " FOR UPDATE";
  auto r = s.read(lock, {slot_id});
  if (r.empty()) return out.result = SlotResult::not_found, out;
  const auto& row = r.one();
  if (row.null(0)) return out.result = SlotResult::not_party, out;
  if (now_s < row.i64(1)) return out.result = SlotResult::not_yet, out;
  bool volunteer_done = !row.null(2), helped_done = !row.null(3);
  if ((side == "volunteer" && volunteer_done) || (side == "helped" && helped_done))
    return out.result = SlotResult::already, out;
  std::string column = side == "volunteer" ? "volunteer_confirmed_at" : "helped_confirmed_at";
  s.write({"timebank.rota_confirm_" + side, "timebank_rota_slot", slot_id,
           broker_user ? "broker:" + std::to_string(*broker_user) : std::string()},
          "UPDATE timebank_rota_slots SET " + column + " = $3" +
              (broker_user ? ", broker_user_id = $4" : "") + " WHERE partnership_id = $1 AND id = $2",
          broker_user ? store::Params{slot_id, now_s, *broker_user} : store::Params{slot_id, now_s});
  if (!(volunteer_done || side == "volunteer") || !(helped_done || side == "helped") || !row.null(4)) return out;

  auto ro = rota(s, row.i64(5));
  auto sl = slot(s, slot_id);
  TransferRequest t;
  t.from_member = ro->payer == "pot" ? ensure_settings(s).pot_member_id : ro->helped_member;
  t.to_member = row.i64(0);
  t.quarters = ro->quarters;
  t.kind = "rota";
  t.memo = ro->title + " " + sl->date;
  t.broker_user_id = broker_user;
  t.counts_as_given = true;
  out.transfer = transfer(s, t);
  if (!out.transfer.ok()) return out.result = SlotResult::refused, out;
  auto n = s.write({"timebank.rota_credit", "timebank_rota_slot", slot_id, "transfer " + std::to_string(out.transfer.transfer_id)},
                   "UPDATE timebank_rota_slots SET transfer_id = $3 WHERE partnership_id = $1 AND id = $2 AND transfer_id IS NULL",
                   {slot_id, out.transfer.transfer_id});
  // The row lock makes this unreachable; if it ever happens, throwing rolls the second credit back.
  if (n != 1) throw std::logic_error("rota slot credited twice");
  out.credited = true;
  return out;
}

void seed_demo_extras(store::Scope& s) {
  if (!s.read("SELECT id FROM timebank_rotas WHERE partnership_id = $1 LIMIT 1").empty()) return;
  std::vector<Member> offline;
  for (const auto& m : members(s))
    if (m.kind == "person" && m.offline) offline.push_back(m);
  if (offline.size() < 5) return;
  // A weekly shopping run for someone without a phone, started last week: last week's visit is done
  // and waits for a broker to confirm it; the coming weeks are free for volunteers.
  RotaInput in;
  in.title = "Weekly shopping delivery";
  in.details = "Phone for the shopping list on the day before, buy it, and drop it round. Stay for a cup of tea if you can.";
  in.helped_member = offline[0].id;
  in.payer = "helped";
  auto start = now_seconds() / 86400 - 7;
  in.weekday = weekday_of(start);
  in.time = "10:30";
  in.first_date = date_text(start);
  in.hours = "1.5";
  in.weeks = "9";
  std::int64_t q = 0, w = 0;
  if (!validate_rota(s, in, q, w).empty()) throw std::runtime_error("demo timebank rota");
  auto rota_id = create_rota(s, in, q, w, 0);
  auto slots = slots_of(s, rota_id);
  sign_up(s, slots.at(0).id, offline[1].id);
  confirm_slot(s, slots.at(0).id, "volunteer", now_seconds(), std::nullopt);
  sign_up(s, slots.at(2).id, offline[2].id);
  // One award on the wall and one waiting for an admin.
  std::int64_t award_id = 0;
  if (nominate(s, offline[3].id, offline[2].id, "kind_heart", "Cooked for me every week when I came out of hospital.",
               award_id) == NominateResult::ok)
    decide_award(s, award_id, true, 0);
  nominate(s, offline[4].id, offline[1].id, "always_there", "Never misses the Thursday shopping, whatever the weather.",
           award_id);
}

// ------------------------------------------------------------------ pages

namespace {

using app::Ctx;
using app::FormErrors;
namespace policy = timebank_policy;

std::optional<std::int64_t> path_id(Ctx& ctx) {
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

std::string hours_text(Ctx& ctx, std::int64_t quarters) {
  return ctx.t(quarters == 4 ? "timebank.hours_one" : "timebank.hours", {{"hours", format_hours(quarters)}});
}

std::string weekday_name(Ctx& ctx, int d) { return ctx.t("timebank.weekday_" + std::to_string(d)); }

web::Data slot_data(Ctx& ctx, const Slot& sl, std::optional<std::int64_t> me, bool broker, std::int64_t now_s) {
  web::Data d;
  d.set("id", std::to_string(sl.id));
  d.set("rota_id", std::to_string(sl.rota_id));
  d.set("rota_title", sl.rota_title);
  d.set("helped", sl.helped_name);
  d.set("date", format_date(sl.starts_at));
  d.set("hours", hours_text(ctx, sl.quarters));
  bool past = now_s >= sl.starts_at;
  bool mine = me && sl.volunteer && *sl.volunteer == *me;
  bool helped_me = me && *me == sl.helped_member;
  std::string status, tag;
  if (sl.transfer_id) status = "timebank.slot_done", tag = "govuk-tag--green";
  else if (!sl.volunteer) status = "timebank.slot_open", tag = "govuk-tag--blue";
  else if (past) status = "timebank.slot_to_confirm", tag = "govuk-tag--yellow";
  else status = "timebank.slot_taken", tag = "govuk-tag--grey";
  d.set("status", ctx.t(status));
  d.set("status_class", tag);
  d.set("volunteer", sl.volunteer ? web::Data(sl.volunteer_name) : web::Data(false));
  d.set("volunteer_confirmed", sl.volunteer_confirmed);
  d.set("helped_confirmed", sl.helped_confirmed);
  d.set("can_sign_up", me.has_value() && !sl.volunteer && !helped_me && !past);
  d.set("can_withdraw", mine && !sl.volunteer_confirmed && !sl.helped_confirmed && !sl.transfer_id);
  d.set("confirm_volunteer", past && sl.volunteer && !sl.volunteer_confirmed && (mine || broker));
  d.set("confirm_helped", past && sl.volunteer && !sl.helped_confirmed && (helped_me || broker));
  d.set("for_other", broker && !mine && !helped_me);
  return d;
}

http::Response rotas_page(Ctx& ctx) {
  if (!policy::can_browse(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  auto& s = w.scope();
  web::List list;
  for (const auto& r : rotas(s)) {
    web::Data d;
    d.set("id", std::to_string(r.id));
    d.set("title", r.title);
    d.set("helped", r.helped_name);
    d.set("when", ctx.t("timebank.rota_when", {{"weekday", weekday_name(ctx, r.weekday)}, {"time", r.time}}));
    d.set("hours", hours_text(ctx, r.quarters));
    auto open = s.read("SELECT COUNT(*) FROM timebank_rota_slots WHERE partnership_id = $1 AND rota_id = $2"
                       " AND volunteer_member IS NULL AND starts_at > $3",
                       {r.id, now_seconds()})
                    .one()
                    .i64(0);
    d.set("open", ctx.t("timebank.rota_open_slots", {{"count", std::to_string(open)}}));
    list.push_back(d);
  }
  web::Data d;
  d.set("rotas", list);
  d.set("none", list.empty());
  d.set("can_manage", policy::can_manage_rotas(ctx.actor));
  d.set("is_member", ctx.actor && member_for_user(s, ctx.actor->user_id).has_value());
  return ctx.page(ctx.t("timebank.rotas_title"), "timebank/rotas", d);
}

http::Response rota_form(Ctx& ctx, store::Scope& s, const RotaInput& in, const FormErrors& e, int status,
                         bool check = false) {
  web::Data d;
  e.fill(d);
  d.set("title", in.title);
  d.set("details", in.details);
  web::List members;
  for (const auto& m : timebank::members(s)) {
    web::Data o;
    o.set("value", std::to_string(m.id));
    o.set("label", m.name + (m.outcode.empty() ? "" : " (" + m.outcode + ")"));
    o.set("selected", m.id == in.helped_member);
    members.push_back(o);
  }
  d.set("members", members);
  web::List days;
  for (int i = 0; i < 7; ++i) {
    web::Data o;
    o.set("value", std::to_string(i));
    o.set("label", weekday_name(ctx, i));
    o.set("selected", i == in.weekday);
    days.push_back(o);
  }
  d.set("weekdays", days);
  d.set("payer_helped", in.payer != "pot");
  d.set("payer_pot", in.payer == "pot");
  d.set("time", in.time);
  d.set("first_date", in.first_date);
  d.set("hours", in.hours);
  d.set("weeks", in.weeks);
  // Volunteers read the job and its details before they sign up, so the organiser can check they
  // read plainly; the check never stops the rota being made.
  plain::form_support(ctx, d);
  if (check)
    d.set("plain", plain::check_fields(ctx, {{"title", ctx.t("timebank.field_rota_title"), in.title, ""},
                                             {"details", ctx.t("timebank.field_rota_details"), in.details, ""}}));
  ctx.csrf();
  return ctx.page(ctx.t("timebank.rota_new_title"), "timebank/rota_form", d, status);
}

http::Response rota_new(Ctx& ctx) {
  if (!policy::can_manage_rotas(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  RotaInput in;
  in.payer = "helped";
  in.time = "10:00";
  in.first_date = date_text(now_seconds() / 86400);
  in.hours = "1";
  in.weeks = "8";
  if (auto m = parse_int(ctx.req.query_param("member"))) in.helped_member = *m;
  return rota_form(ctx, w.scope(), in, {}, 200);
}

http::Response rota_create(Ctx& ctx) {
  if (!policy::can_manage_rotas(ctx.actor)) return ctx.deny();
  RotaInput in;
  in.title = ctx.field("title");
  in.details = ctx.field("details");
  in.helped_member = parse_int(ctx.field("helped")).value_or(0);
  in.payer = ctx.field("payer");
  in.weekday = static_cast<int>(parse_int(ctx.field("weekday")).value_or(-1));
  in.time = ctx.field("time");
  in.first_date = ctx.field("first_date");
  in.hours = ctx.field("hours");
  in.weeks = ctx.field("weeks");
  if (ctx.field("action") == "check") {
    auto r = ctx.read();
    return rota_form(ctx, r.scope(), in, {}, 200, true);
  }
  auto w = ctx.work();
  std::int64_t quarters = 0, weeks = 0;
  auto problems = validate_rota(w.scope(), in, quarters, weeks);
  if (!problems.empty()) {
    FormErrors e;
    for (const auto& [field, key] : problems) e.add(field, ctx.t(key));
    return rota_form(ctx, w.scope(), in, e, 400);
  }
  auto id = create_rota(w.scope(), in, quarters, weeks, ctx.actor->user_id);
  w.commit();
  ctx.set_flash("timebank.flash_rota_created");
  return http::Response::redirect("/timebank/rotas/" + std::to_string(id));
}

http::Response rota_page(Ctx& ctx) {
  if (!policy::can_browse(ctx.actor)) return ctx.deny();
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.read();
  auto& s = w.scope();
  auto r = rota(s, *id);
  if (!r) return ctx.not_found();
  auto me = member_for_user(s, ctx.actor->user_id);
  bool broker = policy::can_manage_rotas(ctx.actor);
  auto now = now_seconds();
  web::List list;
  for (const auto& sl : slots_of(s, r->id))
    list.push_back(slot_data(ctx, sl, me ? std::optional<std::int64_t>(me->id) : std::nullopt, broker, now));
  web::Data d;
  d.set("id", std::to_string(r->id));
  d.set("title", r->title);
  d.set("details", r->details.empty() ? web::Data(false) : web::Data(r->details));
  d.set("helped", r->helped_name);
  d.set("when", ctx.t("timebank.rota_when", {{"weekday", weekday_name(ctx, r->weekday)}, {"time", r->time}}));
  d.set("hours", hours_text(ctx, r->quarters));
  d.set("payer", ctx.t(r->payer == "pot" ? "timebank.rota_payer_pot" : "timebank.rota_payer_helped"));
  d.set("slots", list);
  d.set("is_member", me.has_value());
  d.set("back", "/timebank/rotas/" + std::to_string(r->id));
  ctx.csrf();
  return ctx.page(r->title, "timebank/rota", d);
}

http::Response my_slots(Ctx& ctx) {
  if (!policy::can_join(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  auto& s = w.scope();
  auto me = member_for_user(s, ctx.actor->user_id);
  if (!me) return http::Response::redirect("/timebank/join");
  auto now = now_seconds();
  web::List volunteering, helped;
  for (const auto& sl : slots_for_member(s, me->id)) {
    auto d = slot_data(ctx, sl, me->id, false, now);
    (sl.helped_member == me->id ? helped : volunteering).push_back(d);
  }
  web::Data d;
  d.set("volunteering", volunteering);
  d.set("has_volunteering", !volunteering.empty());
  d.set("helped", helped);
  d.set("has_helped", !helped.empty());
  d.set("back", "/timebank/rotas/mine");
  ctx.csrf();
  return ctx.page(ctx.t("timebank.my_slots_title"), "timebank/my_slots", d);
}

// Where to go after a slot action: back to the page the form was on (only our own pages).
std::string back_to(Ctx& ctx, const Slot& sl) {
  auto b = ctx.field("back");
  if (b == "/timebank/rotas/mine" || b == "/timebank/rotas/" + std::to_string(sl.rota_id)) return b;
  return "/timebank/rotas/" + std::to_string(sl.rota_id);
}

http::Response slot_action(Ctx& ctx, const std::string& action) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  if (!policy::can_browse(ctx.actor)) return ctx.deny();
  auto w = ctx.work();
  auto& s = w.scope();
  auto sl = slot(s, *id);
  if (!sl) return ctx.not_found();
  auto me = member_for_user(s, ctx.actor->user_id);
  bool broker = policy::can_manage_rotas(ctx.actor);
  auto back = back_to(ctx, *sl);
  SlotResult result = SlotResult::ok;
  std::string ok_flash;
  if (action == "signup" || action == "withdraw") {
    if (!me) return http::Response::redirect("/timebank/join");
    result = action == "signup" ? sign_up(s, *id, me->id) : withdraw(s, *id, me->id);
    ok_flash = action == "signup" ? "timebank.flash_slot_signed_up" : "timebank.flash_slot_withdrawn";
  } else {
    // Each side speaks for itself; a broker may speak for either (someone offline), and that is recorded.
    std::string side = ctx.field("side");
    bool is_volunteer = me && sl->volunteer && *sl->volunteer == me->id;
    bool is_helped = me && me->id == sl->helped_member;
    if (side.empty()) side = is_volunteer ? "volunteer" : "helped";
    bool own = (side == "volunteer" && is_volunteer) || (side == "helped" && is_helped);
    if (!own && !broker) return ctx.forbidden();
    auto c = confirm_slot(s, *id, side, now_seconds(), own ? std::nullopt : std::optional<std::int64_t>(ctx.actor->user_id));
    result = c.result;
    if (result == SlotResult::refused) {
      ctx.set_flash(refusal_key(c.transfer.refusal));
      return http::Response::redirect(back);  // not committed: the confirmation waits until hours can move
    }
    ok_flash = c.credited ? "timebank.flash_slot_credited" : "timebank.flash_slot_confirmed";
  }
  if (result != SlotResult::ok) {
    ctx.set_flash(slot_key(result));
    return http::Response::redirect(back);
  }
  w.commit();
  ctx.set_flash(ok_flash);
  return http::Response::redirect(back);
}

}  // namespace

void install_rotas(app::App& a) {
  a.route("GET", "/timebank/rotas", "timebank.rotas", rotas_page);
  a.route("GET", "/timebank/rotas/new", "timebank.rota_new", rota_new);
  a.route("POST", "/timebank/rotas", "timebank.rota_create", rota_create);
  a.route("GET", "/timebank/rotas/mine", "timebank.my_slots", my_slots);
  a.route("GET", "/timebank/rotas/{id}", "timebank.rota", rota_page);
  a.route("POST", "/timebank/rotas/slots/{id}/signup", "timebank.slot_signup", [](Ctx& c) { return slot_action(c, "signup"); });
  a.route("POST", "/timebank/rotas/slots/{id}/withdraw", "timebank.slot_withdraw",
          [](Ctx& c) { return slot_action(c, "withdraw"); });
  a.route("POST", "/timebank/rotas/slots/{id}/confirm", "timebank.slot_confirm",
          [](Ctx& c) { return slot_action(c, "confirm"); });
}

}  // namespace cp::modules::timebank
