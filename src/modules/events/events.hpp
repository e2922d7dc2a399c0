// Co-production labs and events: a place (from the directory or typed), an online link, access
// information, the support offered (people tick what they need when they sign up), a capacity with a
// waiting list that moves up by itself, reminders the day before, attendance, and expenses paid to
// people with lived experience. Pages at /events; iCalendar at /events/{id}.ics and /events.ics.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"

namespace cp::modules::events {

// The support a lab can offer; people pick from the ones offered when they sign up.
inline const std::vector<std::string> kSupports = {"childcare", "travel", "interpreter", "whispering"};

struct EventInput {
  std::string title, title_cy, description, description_cy;
  std::string date, start_time, end_time;  // as typed: YYYY-MM-DD, HH:MM (UK local time)
  std::string location_id;                 // an ORUK location id from the directory, or ""
  std::string place;                       // free text when the place is not in the directory
  std::string online_link, access_info, access_info_cy;
  std::vector<std::string> supports;
  std::string capacity;  // as typed
};

struct Event {
  std::int64_t id = 0;
  std::string title, title_cy, description, description_cy;
  std::int64_t starts_at = 0, ends_at = 0;  // seconds since 1970, UTC
  std::string location_id, place, online_link, access_info, access_info_cy;
  std::vector<std::string> supports;
  std::int64_t capacity = 0;
  std::int64_t organiser_id = 0;
  std::string uid;  // the iCalendar UID, fixed when the event is made
  std::int64_t created_at = 0, updated_at = 0, version = 1;
  std::int64_t booked = 0, waiting = 0;  // filled by get() and list()
};

struct Signup {
  std::int64_t id = 0, event_id = 0, user_id = 0;
  std::string name;    // the account's name, for organisers
  std::string status;  // booked, waiting, cancelled
  std::vector<std::string> needs;
  std::optional<bool> attended;
  std::int64_t queued_at = 0;
};

struct Expense {
  std::int64_t id = 0, event_id = 0, user_id = 0, amount_pence = 0;
  std::string name, what_for, paid_on;
};

struct Problem {
  std::string field, key;
};

// UK local wall-clock time <-> UTC, with British Summer Time from the last Sunday of March to the last
// Sunday of October (01:00 UTC both ends).
std::optional<std::int64_t> london_to_utc(const std::string& date, const std::string& time);
std::string utc_to_london(std::int64_t t, const char* format);  // strftime-style: "%Y-%m-%d", "%H:%M"

namespace policy {
bool can_view(const std::optional<auth::Actor>& a);
bool can_create(const std::optional<auth::Actor>& a);
bool can_manage(const std::optional<auth::Actor>& a, const Event& e);  // edit, attendance, expenses
bool can_sign_up(const std::optional<auth::Actor>& a);
}  // namespace policy

namespace store_fn {
// Checks the input and fills the times; problems name form fields and catalogue keys.
std::vector<Problem> validate(const EventInput& in, std::int64_t& starts_at, std::int64_t& ends_at,
                              std::int64_t& capacity);
std::int64_t create(store::Scope& s, const EventInput& in, std::int64_t organiser, const std::string& place_text);
enum class Saved { ok, not_found, conflict, too_small };
// A capacity raised above the booked count promotes people from the waiting list at once; one below
// it is refused (too_small) so nobody loses a place they were promised.
Saved update(store::Scope& s, std::int64_t id, const EventInput& in, std::optional<std::int64_t> version,
             const std::string& place_text);
std::optional<Event> get(store::Scope& s, std::int64_t id);
// Events ending after `from`, soonest first; all events when `from` is 0.
std::vector<Event> list(store::Scope& s, std::int64_t from, std::int64_t limit = 200);

enum class SignupResult { booked, waiting, already, bad_need, past };
// Books a place, or a place on the waiting list when the event is full. Serialised per event.
SignupResult sign_up(store::Scope& s, std::int64_t event_id, std::int64_t user_id, const std::vector<std::string>& needs);
// Cancels the person's booking or waiting place. When a booked place frees, the first person waiting
// is booked in the same transaction and notified. Returns false when they had nothing to cancel.
bool cancel(store::Scope& s, std::int64_t event_id, std::int64_t user_id);
std::optional<Signup> signup_of(store::Scope& s, std::int64_t event_id, std::int64_t user_id);
// Booked first, then the waiting list in order.
std::vector<Signup> signups(store::Scope& s, std::int64_t event_id);
// Records who came; `present` holds the user ids ticked. Only booked people are recorded.
void record_attendance(store::Scope& s, std::int64_t event_id, const std::vector<std::int64_t>& present);

std::vector<Problem> validate_expense(const std::string& amount, const std::string& what_for, const std::string& paid_on,
                                      std::int64_t& pence);
std::int64_t add_expense(store::Scope& s, std::int64_t event_id, std::int64_t user_id, std::int64_t pence,
                         const std::string& what_for, const std::string& paid_on);
// Every expense of an event, or only one person's when `user_id` is given.
std::vector<Expense> expenses(store::Scope& s, std::int64_t event_id, std::optional<std::int64_t> user_id);

// Queues a reminder for everyone booked on an event that starts within the next day; each booking
// is reminded once. Returns how many reminders were queued.
int queue_reminders(store::Scope& s, std::int64_t now);
// Times people were recorded as there, over every event (for contribution evidence; figures.cpp).
std::int64_t attendances(store::Scope& s);
// Events that ended in [from, to) and before `now` (counts.cpp; for the Co-Production Star).
std::int64_t held_between(store::Scope& s, std::int64_t from, std::int64_t to, std::int64_t now);
}  // namespace store_fn

// The reader's language for a calendar file: which version of a bilingual event to write, and the
// catalogue text for the words the file adds ("Access:", the support offered). With no `t`, the
// file carries the author's text only, with no added words.
struct IcsWords {
  std::string lang = "en";
  std::function<std::string(const std::string& key)> t;
};
// The event, or every event, as an RFC 5545 calendar. `site` is the https origin for URLs.
std::string ics_calendar(const std::vector<Event>& events, const std::string& cal_name, const std::string& host,
                         const std::string& site, std::int64_t now, const IcsWords& words = {});
// RFC 5545 text escaping and line folding, exposed for tests.
std::string ics_escape(const std::string& text);
std::string ics_fold(const std::string& line);

// One pass of the reminder job over every partnership. Returns reminders queued.
int remind_all(app::App& a, std::int64_t now);

// `coproduce events remind`: one pass of the reminder job, for cron (hourly is plenty: each booking
// is reminded once, whenever the job first runs inside the day before). Returns the exit code.
int remind_command(Config cfg);

// Demo data: a lab with a waiting list (idempotent). Returns the lab's id.
std::int64_t seed_demo(app::App& a, store::Scope& s);

class EventsModule : public app::Module {
 public:
  std::string name() const override { return "events"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
};

}  // namespace cp::modules::events
