// Labs and events over real HTTP on both databases: the waiting list moves up in the same
// transaction as a cancellation (and tells the person), signing up twice and over-filling are
// refused, expenses are private to the participant and organisers, reminders are queued once, UK
// summer time, and the iCalendar output read back by a real parser (Debian's python3-icalendar).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "http/http_support.hpp"
#include "modules/events/events.hpp"
#include "modules/notifications/notifications.hpp"

using namespace cp;
using namespace cp::test;
namespace ev = cp::modules::events;
namespace db = cp::modules::events::store_fn;

namespace {

store::AuditContext ctx() { return {std::nullopt, "test", "", ""}; }

std::int64_t make_event(TestApp& t, std::int64_t organiser, const std::string& capacity, std::int64_t days_ahead = 5,
                        const std::string& title = "Carers lab") {
  auto w = t.app->work(t.alpha.id, ctx());
  ev::EventInput in;
  in.title = title;
  in.date = ev::utc_to_london(now_seconds() + days_ahead * 86400, "%Y-%m-%d");
  in.start_time = "10:00";
  in.end_time = "12:00";
  in.place = "Kirkbeath Hub";
  in.supports = {"childcare", "travel"};
  in.capacity = capacity;
  auto id = db::create(w.scope(), in, organiser, in.place);
  w.commit();
  return id;
}

std::string status_of(TestApp& t, std::int64_t event, std::int64_t user) {
  auto r = read_rows(t, t.alpha, "SELECT status FROM event_signups WHERE partnership_id = $1 AND event_id = $2 AND user_id = $3",
                     {event, user});
  return r.empty() ? "" : r.rows.front().text(0);
}

std::int64_t notices(TestApp& t, std::int64_t user) {
  auto w = t.app->work(t.alpha.id, ctx(), store::Transaction::Mode::read);
  return modules::notifications::list(w.scope(), user, false, 1, 100).total;
}

}  // namespace

TEST(Events, WaitingListPromotesInTheSameTransactionAndSigningUpTwiceIsRefused) {
  TestServer s;
  auto organiser = s.add_user(s.alpha, "organiser@example.org", kPassword, auth::Role::worker);
  auto id = make_event(s, organiser, "1");
  auto a = signed_in_as(s, auth::Role::person, "a@example.org");
  auto b = signed_in_as(s, auth::Role::person, "b@example.org");
  auto c = signed_in_as(s, auth::Role::person, "c@example.org");
  std::string page = "/events/" + std::to_string(id);
  auto ra = a.submit(page, page + "/signup", {{"needs", "travel"}});
  EXPECT_EQ(ra.status, 303) << ra.body;
  auto rb = b.submit(page, page + "/signup", {});
  EXPECT_EQ(rb.status, 303);
  auto rc = c.submit(page, page + "/signup", {{"needs", "childcare"}});
  EXPECT_EQ(rc.status, 303);
  auto ua = read_int(s, s.alpha, "SELECT id FROM users WHERE partnership_id = $1 AND email = $2", {std::string("a@example.org")});
  auto ub = read_int(s, s.alpha, "SELECT id FROM users WHERE partnership_id = $1 AND email = $2", {std::string("b@example.org")});
  auto uc = read_int(s, s.alpha, "SELECT id FROM users WHERE partnership_id = $1 AND email = $2", {std::string("c@example.org")});
  EXPECT_EQ(status_of(s, id, ua), "booked");
  EXPECT_EQ(status_of(s, id, ub), "waiting");
  EXPECT_EQ(status_of(s, id, uc), "waiting");
  EXPECT_TRUE(contains(b.get(page).body, shown(s, "events.you_are_waiting")));

  // Signing up twice: a clear message, and still one row.
  auto twice = a.submit(page, page + "/signup", {});
  EXPECT_EQ(twice.status, 409);
  EXPECT_TRUE(contains(error_summary(twice.body), shown(s, "events.error_already")));
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM event_signups WHERE partnership_id = $1 AND event_id = $2", {id}), 3);

  // A needs the event does not offer is refused.
  auto bad = signed_in_as(s, auth::Role::person, "d@example.org");
  auto rbad = bad.submit(page, page + "/signup", {{"needs", "interpreter"}});
  EXPECT_EQ(rbad.status, 400);

  auto before = notices(s, ub);
  auto cancel = a.submit(page, page + "/cancel", {});
  EXPECT_EQ(cancel.status, 303);
  EXPECT_EQ(status_of(s, id, ua), "cancelled");
  EXPECT_EQ(status_of(s, id, ub), "booked") << "the first person waiting gets the place";
  EXPECT_EQ(status_of(s, id, uc), "waiting");
  EXPECT_EQ(notices(s, ub), before + 1) << "the promoted person is told";
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM event_signups WHERE partnership_id = $1 AND event_id = $2 AND status = 'booked'", {id}), 1);

  // Raising the capacity books the next person at once; lowering it below the booked count is refused.
  auto organiser_c = Client(s.port);
  organiser_c.sign_in("organiser@example.org", kPassword);
  auto edit = organiser_c.get(page + "/edit");
  ASSERT_EQ(edit.status, 200);
  Fields f = {{"title", "Carers lab"}, {"date", ev::utc_to_london(now_seconds() + 5 * 86400, "%Y-%m-%d")},
              {"start_time", "10:00"}, {"end_time", "12:00"}, {"place", "Kirkbeath Hub"}, {"supports", "childcare"},
              {"supports", "travel"}, {"capacity", "2"}, {"version", "1"}};
  auto up = organiser_c.submit(page + "/edit", page, f);
  EXPECT_EQ(up.status, 303) << up.body;
  EXPECT_EQ(status_of(s, id, uc), "booked");
  f.back() = {"version", "2"};
  f[7] = {"capacity", "1"};
  auto down = organiser_c.submit(page + "/edit", page, f);
  EXPECT_EQ(down.status, 409);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT capacity FROM events WHERE partnership_id = $1 AND id = $2", {id}), 2);
}

TEST(Events, BadInputIsRefusedAndNothingIsWritten) {
  TestServer s;
  auto c = signed_in_as(s, auth::Role::worker, "w@example.org");
  auto r = c.submit("/events/new", "/events",
                    {{"title", "Lab"}, {"date", "2027-02-30"}, {"start_time", "14:00"}, {"end_time", "13:00"},
                     {"capacity", "0"}, {"online_link", "javascript:alert(1)"}});
  EXPECT_EQ(r.status, 400);
  auto summary = error_summary(r.body);
  EXPECT_TRUE(contains(summary, shown(s, "events.error_date_real"))) << summary;
  EXPECT_TRUE(contains(summary, shown(s, "events.error_capacity")));
  EXPECT_TRUE(contains(summary, shown(s, "events.error_link")));
  EXPECT_TRUE(contains(r.body, "value=\"Lab\"")) << "what was typed is kept";
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM events WHERE partnership_id = $1"), 0);
  // People who use services cannot make labs.
  auto p = signed_in_as(s, auth::Role::person, "p@example.org");
  EXPECT_EQ(p.get("/events/new").status, 403);
}

TEST(Events, ExpensesAreSeenOnlyByTheParticipantAndOrganisers) {
  TestServer s;
  auto org = signed_in_as(s, auth::Role::worker, "org@example.org");
  auto organiser = read_int(s, s.alpha, "SELECT id FROM users WHERE partnership_id = $1 AND email = $2", {std::string("org@example.org")});
  auto id = make_event(s, organiser, "5");
  std::string page = "/events/" + std::to_string(id);
  auto p = signed_in_as(s, auth::Role::person, "p@example.org");
  auto other = signed_in_as(s, auth::Role::person, "o@example.org");
  p.submit(page, page + "/signup", {});
  other.submit(page, page + "/signup", {});
  auto pid = read_int(s, s.alpha, "SELECT id FROM users WHERE partnership_id = $1 AND email = $2", {std::string("p@example.org")});
  auto bad = org.submit(page + "/manage", page + "/expenses",
                        {{"user_id", std::to_string(pid)}, {"amount", "abc"}, {"what_for", ""}, {"paid_on", "2027-01-01"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM event_expenses WHERE partnership_id = $1"), 0);
  auto ok = org.submit(page + "/manage", page + "/expenses",
                       {{"user_id", std::to_string(pid)}, {"amount", "\xC2\xA3" "12.50"}, {"what_for", "Bus fare"}, {"paid_on", "2027-01-01"}});
  EXPECT_EQ(ok.status, 303) << ok.body;
  EXPECT_EQ(read_int(s, s.alpha, "SELECT amount_pence FROM event_expenses WHERE partnership_id = $1"), 1250);
  EXPECT_TRUE(contains(p.get(page).body, "Bus fare"));
  EXPECT_FALSE(contains(other.get(page).body, "Bus fare"));
  EXPECT_FALSE(contains(Client(s.port).get(page).body, "Bus fare"));
  EXPECT_TRUE(contains(org.get(page + "/manage").body, "Bus fare"));
  EXPECT_EQ(other.get(page + "/manage").status, 403);

  // Attendance: ticking one of the two booked people.
  auto att = org.submit(page + "/manage", page + "/attendance", {{"present", std::to_string(pid)}});
  EXPECT_EQ(att.status, 303);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM event_signups WHERE partnership_id = $1 AND attended = 1"), 1);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM event_signups WHERE partnership_id = $1 AND attended = 0"), 1);
}

TEST(Events, RemindersAreQueuedOnceTheDayBefore) {
  TestApp t;
  auto organiser = t.add_user(t.alpha, "o@example.org", kPassword, auth::Role::worker);
  auto person = t.add_user(t.alpha, "p@example.org", kPassword, auth::Role::person);
  auto soon = make_event(t, organiser, "3", 1, "Soon");
  auto later = make_event(t, organiser, "3", 5, "Later");
  {
    auto w = t.app->work(t.alpha.id, ctx());
    db::sign_up(w.scope(), soon, person, {});
    db::sign_up(w.scope(), later, person, {});
    w.commit();
  }
  auto starts = read_int(t, t.alpha, "SELECT starts_at FROM events WHERE partnership_id = $1 AND id = $2", {soon});
  // Run the job as if it were 12 hours before the first event.
  EXPECT_EQ(ev::remind_all(*t.app, starts - 12 * 3600), 1);
  EXPECT_EQ(ev::remind_all(*t.app, starts - 11 * 3600), 0) << "each booking is reminded once";
  EXPECT_EQ(notices(t, person), 1);
}

TEST(Events, UkSummerTimeIsAppliedBothWays) {
  // 14 July is in British Summer Time (UTC+1); 14 January is not.
  EXPECT_EQ(ev::london_to_utc("2027-07-14", "10:00").value(), 1815555600);  // 09:00 UTC
  EXPECT_EQ(ev::london_to_utc("2027-01-14", "10:00").value(), 1799920800);  // 10:00 UTC
  EXPECT_EQ(ev::utc_to_london(1815555600, "%H:%M"), "10:00");
  EXPECT_FALSE(ev::london_to_utc("2027-02-29", "10:00"));
  EXPECT_FALSE(ev::london_to_utc("2027-01-14", "24:00"));
  // The clocks go forward at 01:00 UTC on the last Sunday of March (28 March 2027).
  EXPECT_EQ(ev::utc_to_london(*ev::london_to_utc("2027-03-28", "00:30"), "%H:%M"), "00:30");
  EXPECT_EQ(ev::utc_to_london(*ev::london_to_utc("2027-03-28", "03:00"), "%H:%M"), "03:00");
}

TEST(Events, IcsTextIsEscapedAndFoldedAtOctetsWithoutSplittingCharacters) {
  EXPECT_EQ(ev::ics_escape("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
  // Welsh with two-byte (ŵ, ŷ, â) characters, long enough to fold several times.
  std::string text = "DESCRIPTION:";
  for (int i = 0; i < 12; ++i) text += "Bydd gŵr a gwraig yn dŷ â'r plant ";
  auto folded = ev::ics_fold(text);
  std::string unfolded;
  std::size_t start = 0;
  int lines = 0;
  while (start <= folded.size()) {
    auto end = folded.find("\r\n", start);
    std::string line = folded.substr(start, end == std::string::npos ? std::string::npos : end - start);
    EXPECT_LE(line.size(), 75u) << line;
    if (lines > 0) {
      ASSERT_FALSE(line.empty());
      EXPECT_EQ(line[0], ' ');
      line.erase(0, 1);
      EXPECT_NE(static_cast<unsigned char>(line[0]) & 0xC0, 0x80) << "a fold split a character";
    }
    unfolded += line;
    ++lines;
    if (end == std::string::npos) break;
    start = end + 2;
  }
  EXPECT_GT(lines, 5);
  EXPECT_EQ(unfolded, text);
  // A line of exactly 75 octets is not folded; 76 is.
  EXPECT_EQ(ev::ics_fold(std::string(75, 'x')).find("\r\n"), std::string::npos);
  EXPECT_NE(ev::ics_fold(std::string(76, 'x')).find("\r\n"), std::string::npos);
}

TEST(Events, IcsIsReadByARealParser) {
  const char* python = "/usr/bin/python3";
  if (std::system((std::string(python) + " -c 'import icalendar' 2>/dev/null").c_str()) != 0)
    GTEST_SKIP() << "/usr/bin/python3 has no icalendar module (apt install python3-icalendar)";
  TestServer s;
  auto organiser = s.add_user(s.alpha, "o@example.org", kPassword, auth::Role::worker);
  std::string title = "Lab, with; tricky \\ text";
  std::string welsh = "Gweithdy ailgynllunio gwasanaeth gofalwyr: bydd gŵr, gwraig a phlant yn dŷ â chroeso mawr iawn";
  auto id = make_event(s, organiser, "4", 3, title);
  {
    auto w = s.app->work(s.alpha.id, ctx());
    w->bookkeeping("UPDATE events SET description = $2 WHERE partnership_id = $1 AND id = $3",
                   {welsh + "\nAil linell", id});
    w.commit();
  }
  Client c(s.port);
  auto one = c.get("/events/" + std::to_string(id) + ".ics");
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.header("content-type"), "text/calendar; charset=utf-8");
  auto feed = c.get("/events.ics");
  ASSERT_EQ(feed.status, 200);
  auto again = c.get("/events/" + std::to_string(id) + ".ics");
  auto uid_of = [](const std::string& body) {
    auto p = body.find("UID:");
    return body.substr(p, body.find("\r\n", p) - p);
  };
  EXPECT_EQ(uid_of(one.body), uid_of(again.body)) << "the UID is stable";
  auto dir = std::filesystem::temp_directory_path() / ("cp-ics-" + random_token(6));
  std::filesystem::create_directories(dir);
  for (auto [name, body] : {std::pair<const char*, const std::string*>{"one.ics", &one.body}, {"feed.ics", &feed.body}}) {
    std::ofstream(dir / name, std::ios::binary) << *body;
  }
  // The parser must read both files; the event's fields must come back exactly as stored.
  std::ofstream(dir / "check.py") << R"PY(
import sys, icalendar
for name in ("one.ics", "feed.ics"):
    raw = open(sys.argv[1] + "/" + name, "rb").read()
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75, (name, line)
    assert b"\n" not in raw.replace(b"\r\n", b""), name
    cal = icalendar.Calendar.from_ical(raw)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 1, (name, len(events))
    e = events[0]
    for key in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
        assert key in e, (name, key)
    assert str(e["SUMMARY"]) == sys.argv[2], str(e["SUMMARY"])
    assert str(e["DESCRIPTION"]) == sys.argv[3], str(e["DESCRIPTION"])
    assert e["DTSTART"].dt.utcoffset().total_seconds() == 0
    assert cal["VERSION"] == "2.0"
print("ok")
)PY";
  // The description ends with the support offered, in the reader's language (English here).
  auto en = [&](const std::string& k) { return s.app->catalogue.t("en", k); };
  std::string supports = en("events.ics_supports") + " " + en("events.support_childcare") + ", " + en("events.support_travel");
  std::string cmd = std::string(python) + " " + (dir / "check.py").string() + " " + dir.string() + " '" + title + "' '" +
                    welsh + "\nAil linell\n\n" + supports + "' 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[512];
  while (auto n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  int rc = pclose(pipe);
  std::filesystem::remove_all(dir);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_EQ(trim(out), "ok");
}
