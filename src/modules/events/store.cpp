#include <algorithm>
#include <ctime>
#include <regex>

#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/events/events.hpp"
#include "modules/notifications/notifications.hpp"

namespace cp::modules::events {

namespace {

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's civil-days method).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// 01:00 UTC on the last Sunday of the month: when British Summer Time starts (March) or ends (October).
std::int64_t last_sunday_1am(std::int64_t year, unsigned month) {
  std::int64_t last = days_from_civil(year, month + 1, 1) - 1;
  std::int64_t weekday = ((last % 7) + 11) % 7;  // 1970-01-01 was a Thursday; 0 = Sunday
  return (last - weekday) * 86400 + 3600;
}

bool is_bst(std::int64_t utc) {
  std::time_t t = static_cast<std::time_t>(utc);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::int64_t y = tm.tm_year + 1900;
  return utc >= last_sunday_1am(y, 3) && utc < last_sunday_1am(y, 10);
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  for (auto& p : split(s, ','))
    if (!trim(p).empty()) out.push_back(trim(p));
  return out;
}

const char* kEventColumns =
    "SELECT id, title, title_cy, description, description_cy, starts_at, ends_at, location_id, place, online_link,"
    " access_info, access_info_cy, supports, capacity, organiser_id, uid, created_at, updated_at, version,"
    " (SELECT COUNT(*) FROM event_signups g WHERE g.partnership_id = $1 AND g.event_id = e.id AND g.status = 'booked'),"
    " (SELECT COUNT(*) FROM event_signups g WHERE g.partnership_id = $1 AND g.event_id = e.id AND g.status = 'waiting')"
    " FROM events e WHERE e.partnership_id = $1";

Event event_from(const store::Row& r) {
  Event e;
  e.id = r.i64(0);
  e.title = r.text(1);
  e.title_cy = r.text(2);
  e.description = r.text(3);
  e.description_cy = r.text(4);
  e.starts_at = r.i64(5);
  e.ends_at = r.i64(6);
  e.location_id = r.text(7);
  e.place = r.text(8);
  e.online_link = r.text(9);
  e.access_info = r.text(10);
  e.access_info_cy = r.text(11);
  e.supports = split_list(r.text(12));
  e.capacity = r.i64(13);
  e.organiser_id = r.i64(14);
  e.uid = r.text(15);
  e.created_at = r.i64(16);
  e.updated_at = r.i64(17);
  e.version = r.i64(18);
  e.booked = r.i64(19);
  e.waiting = r.i64(20);
  return e;
}

// Takes the event's row lock so that two sign-ups or cancellations for one event run one after the
// other: on PostgreSQL the UPDATE holds the row until commit; SQLite already runs one writer at a time.
bool lock_event(store::Scope& s, std::int64_t event_id) {
  return s.bookkeeping("UPDATE events SET seat_generation = seat_generation + 1 WHERE partnership_id = $1 AND id = $2",
                       {event_id})
             .affected > 0;
}

std::int64_t count_booked(store::Scope& s, std::int64_t event_id) {
  return s.read("SELECT COUNT(*) FROM event_signups WHERE partnership_id = $1 AND event_id = $2 AND status = 'booked'",
                {event_id})
      .one()
      .i64(0);
}

// Books people from the front of the waiting list while there is room, and tells each of them.
void promote(store::Scope& s, const Event& e) {
  std::int64_t free = e.capacity - count_booked(s, e.id);
  if (free <= 0) return;
  auto next = s.read(
      "SELECT id, user_id FROM event_signups WHERE partnership_id = $1 AND event_id = $2 AND status = 'waiting'"
      " ORDER BY queued_at, id LIMIT $3",
      {e.id, free});
  for (const auto& r : next.rows) {
    s.write({"event.promote", "event_signup", r.i64(0), "event " + std::to_string(e.id)},
            "UPDATE event_signups SET status = 'booked' WHERE partnership_id = $1 AND id = $2 AND status = 'waiting'",
            {r.i64(0)});
    notifications::notify(s, r.i64(1), "events.notice_promoted", {{"title", e.title}},
                          "/events/" + std::to_string(e.id));
  }
}

}  // namespace

std::optional<std::int64_t> london_to_utc(const std::string& date, const std::string& time) {
  static const std::regex d(R"((\d{4})-(\d{2})-(\d{2}))"), t(R"((\d{1,2}):(\d{2}))");
  std::smatch dm, tm;
  if (!std::regex_match(date, dm, d) || !std::regex_match(time, tm, t)) return std::nullopt;
  int y = std::stoi(dm[1]), mo = std::stoi(dm[2]), da = std::stoi(dm[3]), h = std::stoi(tm[1]), mi = std::stoi(tm[2]);
  if (y < 2000 || y > 2200 || mo < 1 || mo > 12 || da < 1 || h > 23 || mi > 59) return std::nullopt;
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (da > kDays[mo - 1] || (mo == 2 && da == 29 && !leap)) return std::nullopt;
  std::int64_t wall = days_from_civil(y, mo, da) * 86400 + h * 3600 + mi * 60;
  // Try the summer offset first: a wall time in summer is one hour ahead of UTC. In the hour that
  // does not exist (clocks go forward) this gives the later reading; in the hour that happens twice,
  // the first.
  if (is_bst(wall - 3600)) return wall - 3600;
  return wall;
}

std::string utc_to_london(std::int64_t t, const char* format) {
  std::time_t local = static_cast<std::time_t>(t + (is_bst(t) ? 3600 : 0));
  std::tm tm{};
  gmtime_r(&local, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

namespace store_fn {

std::vector<Problem> validate(const EventInput& in, std::int64_t& starts_at, std::int64_t& ends_at,
                              std::int64_t& capacity) {
  std::vector<Problem> p;
  if (in.title.empty() && in.title_cy.empty()) p.push_back({"title", "events.error_title"});
  if (in.title.size() > 200 || in.title_cy.size() > 200) p.push_back({"title", "events.error_title_long"});
  auto start = london_to_utc(in.date, in.start_time);
  auto end = london_to_utc(in.date, in.end_time);
  if (in.date.empty()) p.push_back({"date", "events.error_date"});
  else if (!london_to_utc(in.date, "12:00")) p.push_back({"date", "events.error_date_real"});
  if (!start) p.push_back({"start_time", "events.error_time"});
  if (!end) p.push_back({"end_time", "events.error_time"});
  else if (start && *end <= *start) p.push_back({"end_time", "events.error_end_before"});
  if (in.location_id.empty() && in.place.empty() && in.online_link.empty())
    p.push_back({"place", "events.error_place"});
  if (!in.online_link.empty() && !starts_with(in.online_link, "https://") && !starts_with(in.online_link, "http://"))
    p.push_back({"online_link", "events.error_link"});
  for (const auto& s : in.supports)
    if (std::find(kSupports.begin(), kSupports.end(), s) == kSupports.end()) p.push_back({"supports", "events.error_support"});
  auto cap = parse_int(in.capacity);
  if (!cap || *cap < 1 || *cap > 10000) p.push_back({"capacity", "events.error_capacity"});
  if (p.empty()) {
    starts_at = *start;
    ends_at = *end;
    capacity = *cap;
  }
  return p;
}

std::int64_t create(store::Scope& s, const EventInput& in, std::int64_t organiser, const std::string& place_text) {
  std::int64_t starts = 0, ends = 0, cap = 0;
  if (!validate(in, starts, ends, cap).empty()) throw std::invalid_argument("event input not valid");
  auto now = now_seconds();
  return s.insert({"event.create", "event", std::nullopt, ""},
                  "INSERT INTO events (partnership_id, title, title_cy, description, description_cy, starts_at, ends_at,"
                  " location_id, place, online_link, access_info, access_info_cy, supports, capacity, organiser_id, uid,"
                  " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,"
                  " $16, $17, $17) RETURNING id",
                  {in.title, in.title_cy, in.description, in.description_cy, starts, ends, in.location_id, place_text,
                   in.online_link, in.access_info, in.access_info_cy, join(in.supports), cap, organiser,
                   random_token(16), now});
}

Saved update(store::Scope& s, std::int64_t id, const EventInput& in, std::optional<std::int64_t> version,
             const std::string& place_text) {
  std::int64_t starts = 0, ends = 0, cap = 0;
  if (!validate(in, starts, ends, cap).empty()) throw std::invalid_argument("event input not valid");
  if (!lock_event(s, id)) return Saved::not_found;
  auto e = get(s, id);
  if (!e) return Saved::not_found;
  if (version && *version != e->version) return Saved::conflict;
  if (cap < e->booked) return Saved::too_small;
  s.write({"event.update", "event", id, ""},
          "UPDATE events SET title = $2, title_cy = $3, description = $4, description_cy = $5, starts_at = $6,"
          " ends_at = $7, location_id = $8, place = $9, online_link = $10, access_info = $11, access_info_cy = $12,"
          " supports = $13, capacity = $14, updated_at = $15, version = version + 1 WHERE partnership_id = $1 AND id = $16",
          {in.title, in.title_cy, in.description, in.description_cy, starts, ends, in.location_id, place_text,
           in.online_link, in.access_info, in.access_info_cy, join(in.supports), cap, now_seconds(), id});
  e->capacity = cap;
  promote(s, *e);
  return Saved::ok;
}

std::optional<Event> get(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string(kEventColumns) + " AND e.id = $2", {id});
  if (r.empty()) return std::nullopt;
  return event_from(r.rows.front());
}

std::vector<Event> list(store::Scope& s, std::int64_t from, std::int64_t limit) {
  auto r = s.read(std::string(kEventColumns) + " AND e.ends_at > $2 ORDER BY e.starts_at, e.id LIMIT $3", {from, limit});
  std::vector<Event> out;
  for (const auto& row : r.rows) out.push_back(event_from(row));
  return out;
}

SignupResult sign_up(store::Scope& s, std::int64_t event_id, std::int64_t user_id, const std::vector<std::string>& needs) {
  if (!lock_event(s, event_id)) throw std::invalid_argument("no such event");
  auto e = get(s, event_id);
  if (e->ends_at <= now_seconds()) return SignupResult::past;
  for (const auto& n : needs)
    if (std::find(e->supports.begin(), e->supports.end(), n) == e->supports.end()) return SignupResult::bad_need;
  auto existing = signup_of(s, event_id, user_id);
  if (existing && existing->status != "cancelled") return SignupResult::already;
  std::string status = e->booked < e->capacity ? "booked" : "waiting";
  auto now = now_millis();
  if (existing) {
    // Signing up again after cancelling goes to the back of any queue.
    s.write({"event.signup", "event_signup", existing->id, status},
            "UPDATE event_signups SET status = $2, needs = $3, queued_at = $4, attended = NULL, reminded_at = NULL"
            " WHERE partnership_id = $1 AND id = $5",
            {status, join(needs), now, existing->id});
  } else {
    s.insert({"event.signup", "event_signup", std::nullopt, status},
             "INSERT INTO event_signups (partnership_id, event_id, user_id, status, needs, queued_at)"
             " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
             {event_id, user_id, status, join(needs), now});
  }
  return status == "booked" ? SignupResult::booked : SignupResult::waiting;
}

bool cancel(store::Scope& s, std::int64_t event_id, std::int64_t user_id) {
  if (!lock_event(s, event_id)) return false;
  auto mine = signup_of(s, event_id, user_id);
  if (!mine || mine->status == "cancelled") return false;
  s.write({"event.cancel", "event_signup", mine->id, mine->status},
          "UPDATE event_signups SET status = 'cancelled' WHERE partnership_id = $1 AND id = $2", {mine->id});
  if (mine->status == "booked") promote(s, *get(s, event_id));
  return true;
}

std::optional<Signup> signup_of(store::Scope& s, std::int64_t event_id, std::int64_t user_id) {
  auto r = s.read(
      "SELECT id, status, needs, attended, queued_at FROM event_signups WHERE partnership_id = $1 AND event_id = $2"
      " AND user_id = $3",
      {event_id, user_id});
  if (r.empty()) return std::nullopt;
  const auto& row = r.rows.front();
  Signup g;
  g.id = row.i64(0);
  g.event_id = event_id;
  g.user_id = user_id;
  g.status = row.text(1);
  g.needs = split_list(row.text(2));
  if (!row.null(3)) g.attended = row.boolean(3);
  g.queued_at = row.i64(4);
  return g;
}

std::vector<Signup> signups(store::Scope& s, std::int64_t event_id) {
  auto r = s.read(
      "SELECT id, user_id, status, needs, attended, queued_at FROM event_signups WHERE partnership_id = $1"
      " AND event_id = $2 AND status <> 'cancelled' ORDER BY CASE status WHEN 'booked' THEN 0 ELSE 1 END, queued_at, id",
      {event_id});
  std::vector<Signup> out;
  for (const auto& row : r.rows) {
    Signup g;
    g.id = row.i64(0);
    g.event_id = event_id;
    g.user_id = row.i64(1);
    g.status = row.text(2);
    g.needs = split_list(row.text(3));
    if (!row.null(4)) g.attended = row.boolean(4);
    g.queued_at = row.i64(5);
    auto c = AccountsModule::contact(s, g.user_id);
    g.name = c ? c->name : "#" + std::to_string(g.user_id);
    out.push_back(std::move(g));
  }
  return out;
}

void record_attendance(store::Scope& s, std::int64_t event_id, const std::vector<std::int64_t>& present) {
  for (const auto& g : signups(s, event_id)) {
    if (g.status != "booked") continue;
    bool here = std::find(present.begin(), present.end(), g.user_id) != present.end();
    if (g.attended && *g.attended == here) continue;
    s.write({"event.attendance", "event_signup", g.id, here ? "present" : "absent"},
            "UPDATE event_signups SET attended = $2 WHERE partnership_id = $1 AND id = $3",
            {std::int64_t{here ? 1 : 0}, g.id});
  }
}

std::vector<Problem> validate_expense(const std::string& amount, const std::string& what_for, const std::string& paid_on,
                                      std::int64_t& pence) {
  std::vector<Problem> p;
  // The pound sign is several bytes, so it is taken off before the pattern sees the number.
  std::string plain = starts_with(amount, "\xC2\xA3") ? trim(amount.substr(2)) : amount;
  static const std::regex money(R"((\d{1,6})(?:\.(\d{2}))?)");
  std::smatch m;
  if (!std::regex_match(plain, m, money)) {
    p.push_back({"amount", "events.error_amount"});
  } else {
    pence = std::stoll(m[1]) * 100 + (m[2].matched ? std::stoll(m[2]) : 0);
    if (pence <= 0) p.push_back({"amount", "events.error_amount"});
  }
  if (what_for.empty()) p.push_back({"what_for", "events.error_what_for"});
  if (what_for.size() > 300) p.push_back({"what_for", "events.error_what_for"});
  if (!london_to_utc(paid_on, "12:00")) p.push_back({"paid_on", "events.error_paid_on"});
  return p;
}

std::int64_t add_expense(store::Scope& s, std::int64_t event_id, std::int64_t user_id, std::int64_t pence,
                         const std::string& what_for, const std::string& paid_on) {
  auto id = s.insert({"event.expense", "event_expense", std::nullopt, "user " + std::to_string(user_id)},
                     "INSERT INTO event_expenses (partnership_id, event_id, user_id, amount_pence, what_for, paid_on,"
                     " recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                     {event_id, user_id, pence, what_for, paid_on,
                      s.context().user_id ? store::Value{*s.context().user_id} : store::Value{nullptr}, now_seconds()});
  return id;
}

std::vector<Expense> expenses(store::Scope& s, std::int64_t event_id, std::optional<std::int64_t> user_id) {
  auto r = user_id ? s.read("SELECT id, user_id, amount_pence, what_for, paid_on FROM event_expenses WHERE partnership_id = $1"
                            " AND event_id = $2 AND user_id = $3 ORDER BY paid_on, id",
                            {event_id, *user_id})
                   : s.read("SELECT id, user_id, amount_pence, what_for, paid_on FROM event_expenses WHERE partnership_id = $1"
                            " AND event_id = $2 ORDER BY paid_on, id",
                            {event_id});
  std::vector<Expense> out;
  for (const auto& row : r.rows) {
    Expense x;
    x.id = row.i64(0);
    x.event_id = event_id;
    x.user_id = row.i64(1);
    x.amount_pence = row.i64(2);
    x.what_for = row.text(3);
    x.paid_on = row.text(4);
    auto c = AccountsModule::contact(s, x.user_id);
    x.name = c ? c->name : "#" + std::to_string(x.user_id);
    out.push_back(std::move(x));
  }
  return out;
}

int queue_reminders(store::Scope& s, std::int64_t now) {
  auto due = s.read(
      "SELECT g.id, g.user_id, e.id, e.title, e.starts_at FROM event_signups g JOIN events e ON e.partnership_id = $1"
      " AND e.id = g.event_id WHERE g.partnership_id = $1 AND g.status = 'booked' AND g.reminded_at IS NULL"
      " AND e.starts_at > $2 AND e.starts_at <= $3 ORDER BY g.id",
      {now, now + 24 * 3600});
  int n = 0;
  for (const auto& r : due.rows) {
    // Marking first, guarded on reminded_at, means a second job running at the same time sends nothing twice.
    if (s.write({"event.reminded", "event_signup", r.i64(0), ""},
                "UPDATE event_signups SET reminded_at = $2 WHERE partnership_id = $1 AND id = $3 AND reminded_at IS NULL",
                {now, r.i64(0)}) == 0)
      continue;
    notifications::notify(s, r.i64(1), "events.notice_reminder",
                          {{"title", r.text(3)}, {"time", utc_to_london(r.i64(4), "%H:%M")}},
                          "/events/" + std::to_string(r.i64(2)));
    ++n;
  }
  return n;
}

}  // namespace store_fn

int remind_all(app::App& a, std::int64_t now) {
  std::vector<std::int64_t> ids;
  {
    auto lease = a.db->lease();
    for (const auto& r : lease->run("SELECT id FROM partnerships ORDER BY id", {}).rows) ids.push_back(r.i64(0));
  }
  int n = 0;
  for (auto id : ids) {
    auto w = a.work(id, {std::nullopt, "events-reminders", "", ""});
    n += store_fn::queue_reminders(w.scope(), now);
    w.commit();
  }
  return n;
}

}  // namespace cp::modules::events
