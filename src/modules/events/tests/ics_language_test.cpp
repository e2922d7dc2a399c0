// The calendar file speaks the reader's language: the Welsh title, description and access words
// when the reader chose Welsh (by ?lang=cy or their account), the English ones otherwise, the words
// the file adds ("Access:", the support offered) from the catalogue, and a LANGUAGE parameter that
// says which language each text is in. A real parser reads the Welsh file back.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "http/http_support.hpp"
#include "modules/events/events.hpp"

using namespace cp;
using namespace cp::test;
namespace ev = cp::modules::events;

namespace {

std::int64_t bilingual_event(TestApp& t, std::int64_t organiser) {
  auto w = t.app->work(t.alpha.id, {std::nullopt, "test", "", ""});
  ev::EventInput in;
  in.title = "Carers lab";
  in.title_cy = "Labordy gofalwyr";
  in.description = "We redesign carers' support together.";
  in.description_cy = "Rydyn ni'n ailgynllunio cymorth i ofalwyr gyda'n gilydd.";
  in.access_info = "Step-free entrance.";
  in.access_info_cy = "Mynedfa heb risiau.";
  in.date = ev::utc_to_london(now_seconds() + 4 * 86400, "%Y-%m-%d");
  in.start_time = "10:00";
  in.end_time = "12:00";
  in.place = "Kirkbeath Hub";
  in.supports = {"childcare"};
  in.capacity = "10";
  auto id = ev::store_fn::create(w.scope(), in, organiser, in.place);
  w.commit();
  return id;
}

// The unfolded content lines of a calendar file.
std::string unfolded(const std::string& ics) {
  std::string out;
  for (std::size_t i = 0; i < ics.size(); ++i) {
    if (ics.compare(i, 3, "\r\n ") == 0) {
      i += 2;
      continue;
    }
    out += ics[i];
  }
  return out;
}

}  // namespace

TEST(EventsIcsLanguage, TheCalendarFileIsInTheReadersLanguage) {
  TestServer s;
  auto organiser = s.add_user(s.alpha, "o@example.org", kPassword, auth::Role::worker);
  auto id = bilingual_event(s, organiser);
  auto cy = [&](const std::string& k) { return s.app->catalogue.t("cy", k); };
  auto en = [&](const std::string& k) { return s.app->catalogue.t("en", k); };
  std::string path = "/events/" + std::to_string(id) + ".ics";

  Client anon(s.port);
  auto english = unfolded(anon.get(path).body);
  EXPECT_TRUE(contains(english, "SUMMARY;LANGUAGE=en:Carers lab\r\n"));
  EXPECT_TRUE(contains(english, "DESCRIPTION;LANGUAGE=en:We redesign carers' support together."));
  EXPECT_TRUE(contains(english, en("events.ics_access") + " Step-free entrance."));
  EXPECT_TRUE(contains(english, en("events.ics_supports") + " " + en("events.support_childcare")));
  EXPECT_FALSE(contains(english, "Labordy"));

  auto welsh = unfolded(anon.get(path + "?lang=cy").body);
  EXPECT_TRUE(contains(welsh, "SUMMARY;LANGUAGE=cy:Labordy gofalwyr\r\n"));
  EXPECT_TRUE(contains(welsh, "DESCRIPTION;LANGUAGE=cy:Rydyn ni'n ailgynllunio"));
  EXPECT_TRUE(contains(welsh, ev::ics_escape(cy("events.ics_access")) + " Mynedfa heb risiau."));
  EXPECT_TRUE(contains(welsh, ev::ics_escape(cy("events.ics_supports") + " " + cy("events.support_childcare"))));
  EXPECT_TRUE(contains(welsh, "X-WR-CALNAME:Labordy gofalwyr"));
  EXPECT_FALSE(contains(welsh, "Step-free"));

  // The account's language, with no ?lang= at all: the feed too.
  auto person = signed_in_as(s, auth::Role::person, "p@example.org");
  {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
    w->bookkeeping("UPDATE users SET language = 'cy' WHERE partnership_id = $1 AND email = $2",
                   {std::string("p@example.org")});
    w.commit();
  }
  person.clear_cookies();
  ASSERT_EQ(person.sign_in("p@example.org", kPassword).status, 303);
  auto feed = unfolded(person.get("/events.ics").body);
  EXPECT_TRUE(contains(feed, "SUMMARY;LANGUAGE=cy:Labordy gofalwyr\r\n"));
  EXPECT_TRUE(contains(feed, ev::ics_escape(cy("events.support_childcare"))));

  // An event with no Welsh: a Welsh reader gets the English text, marked as English, and Welsh labels.
  {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
    w->bookkeeping("UPDATE events SET title_cy = '', description_cy = '', access_info_cy = '' WHERE partnership_id = $1"
                   " AND id = $2",
                   {id});
    w.commit();
  }
  auto fallback = unfolded(anon.get(path + "?lang=cy").body);
  EXPECT_TRUE(contains(fallback, "SUMMARY;LANGUAGE=en:Carers lab\r\n"));
  EXPECT_TRUE(contains(fallback, ev::ics_escape(cy("events.ics_access")) + " Step-free entrance."));

  const char* python = "/usr/bin/python3";
  if (std::system((std::string(python) + " -c 'import icalendar' 2>/dev/null").c_str()) != 0)
    GTEST_SKIP() << "/usr/bin/python3 has no icalendar module (apt install python3-icalendar)";
  auto dir = std::filesystem::temp_directory_path() / ("cp-ics-cy-" + random_token(6));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "cy.ics", std::ios::binary) << anon.get(path + "?lang=cy").body;
  std::ofstream(dir / "check.py") << R"PY(
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
e = [c for c in cal.walk("VEVENT")][0]
assert str(e["SUMMARY"]) == "Carers lab", str(e["SUMMARY"])
assert e["SUMMARY"].params["LANGUAGE"] == "en", e["SUMMARY"].params
assert "Mynediad" in str(e["DESCRIPTION"]), str(e["DESCRIPTION"])
print("ok")
)PY";
  std::string cmd = std::string(python) + " " + (dir / "check.py").string() + " " + (dir / "cy.ics").string() + " 2>&1";
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
