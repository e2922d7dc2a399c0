// iCalendar (RFC 5545) for events: one event or a partnership's feed. Times are written in UTC (the
// "Z" form), which every client converts to its own zone, so no VTIMEZONE block is needed.
#include <ctime>

#include "modules/events/events.hpp"
#include "web/bilingual.hpp"

namespace cp::modules::events {

namespace {

std::string utc_stamp(std::int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

void line(std::string& out, const std::string& content) {
  out += ics_fold(content);
  out += "\r\n";
}

}  // namespace

std::string ics_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ';': out += "\\;"; break;
      case ',': out += "\\,"; break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') break;  // CRLF counts once
        out += "\\n";
        break;
      case '\n': out += "\\n"; break;
      default:
        // Other control characters are not allowed in TEXT values; they are dropped.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') break;
        out += c;
    }
  }
  return out;
}

std::string ics_fold(const std::string& content) {
  // Lines are at most 75 octets; each continuation starts with one space, which counts. A fold never
  // falls inside a UTF-8 character: it moves back to the start of the character instead.
  std::string out;
  std::size_t pos = 0, limit = 75;
  while (content.size() - pos > limit) {
    std::size_t cut = pos + limit;
    while (cut > pos && (static_cast<unsigned char>(content[cut]) & 0xC0) == 0x80) --cut;
    out.append(content, pos, cut - pos);
    out += "\r\n ";
    pos = cut;
    limit = 74;
  }
  out.append(content, pos, std::string::npos);
  return out;
}

std::string ics_calendar(const std::vector<Event>& events, const std::string& cal_name, const std::string& host,
                         const std::string& site, std::int64_t now, const IcsWords& words) {
  const std::string& lang = words.lang == "cy" ? words.lang : std::string("en");
  auto label = [&](const std::string& key) { return words.t ? words.t(key) + " " : std::string(); };
  std::string out;
  line(out, "BEGIN:VCALENDAR");
  line(out, "VERSION:2.0");
  line(out, "PRODID:-//Coproduce//Events//EN");
  line(out, "CALSCALE:GREGORIAN");
  line(out, "METHOD:PUBLISH");
  line(out, "X-WR-CALNAME:" + ics_escape(cal_name));
  for (const auto& e : events) {
    line(out, "BEGIN:VEVENT");
    // The UID is made once with the event, so a calendar that subscribed updates the same entry.
    line(out, "UID:" + e.uid + "@" + host);
    line(out, "DTSTAMP:" + utc_stamp(now));
    line(out, "DTSTART:" + utc_stamp(e.starts_at));
    line(out, "DTEND:" + utc_stamp(e.ends_at));
    line(out, "CREATED:" + utc_stamp(e.created_at));
    line(out, "LAST-MODIFIED:" + utc_stamp(e.updated_at));
    line(out, "SEQUENCE:" + std::to_string(e.version - 1));
    // The reader's version of each text where the author wrote one (else the other language); the
    // LANGUAGE parameter (RFC 5545 3.2.10) says which, so a calendar can read it in the right voice.
    auto title = web::pick({e.title, e.title_cy}, lang);
    line(out, "SUMMARY;LANGUAGE=" + title.lang + ":" + ics_escape(title.text));
    auto about = web::pick({e.description, e.description_cy}, lang);
    std::string desc = about.text;
    auto access = web::pick({e.access_info, e.access_info_cy}, lang);
    if (!access.text.empty()) desc += (desc.empty() ? "" : "\n\n") + label("events.ics_access") + access.text;
    if (words.t && !e.supports.empty()) {
      std::string list;
      for (const auto& s : e.supports) list += (list.empty() ? "" : ", ") + words.t("events.support_" + s);
      desc += (desc.empty() ? "" : "\n\n") + label("events.ics_supports") + list;
    }
    if (!e.online_link.empty()) desc += (desc.empty() ? "" : "\n\n") + label("events.ics_online") + e.online_link;
    if (!desc.empty())
      line(out, "DESCRIPTION;LANGUAGE=" + (about.text.empty() ? lang : about.lang) + ":" + ics_escape(desc));
    if (!e.place.empty()) line(out, "LOCATION:" + ics_escape(e.place));
    else if (!e.online_link.empty()) line(out, "LOCATION:" + ics_escape(e.online_link));
    line(out, "URL:" + site + "/events/" + std::to_string(e.id));
    line(out, "STATUS:CONFIRMED");
    line(out, "END:VEVENT");
  }
  line(out, "END:VCALENDAR");
  return out;
}

}  // namespace cp::modules::events
