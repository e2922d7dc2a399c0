// Evidence from Coproduce's own records, shown beside people's answers and clearly labelled as such.
// Each figure comes from another module's interface (counts only): participatory budgeting ballots
// for co-commissioning, labs and events held for co-design, plan changes written by the person for
// co-delivery, and published citizen inspections for co-assessment.
#include <ctime>
#include <regex>

#include "modules/events/events.hpp"
#include "modules/inspections/inspections.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/pb/process.hpp"
#include "modules/star/star.hpp"

namespace cp::modules::star {

namespace {

std::int64_t utc(int year, int month, int day) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  return static_cast<std::int64_t>(timegm(&tm));
}

}  // namespace

Window window_of(const std::string& period) {
  static const std::regex year(R"(^\s*(\d{4})\s*$)");
  static const std::regex financial(R"(^\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*$)");
  std::smatch m;
  Window w;
  if (std::regex_match(period, m, year)) {
    int y = std::stoi(m[1]);
    if (y >= 1990 && y <= 2200) return {utc(y, 1, 1), utc(y + 1, 1, 1), false};
  } else if (std::regex_match(period, m, financial)) {
    int y = std::stoi(m[1]);
    int second = std::stoi(m[2]);
    int expected = m[2].length() == 2 ? (y + 1) % 100 : y + 1;
    if (y >= 1990 && y <= 2200 && second == expected) return {utc(y, 4, 1), utc(y + 1, 4, 1), false};
  }
  w.from = 0;
  w.to = utc(2300, 1, 1);
  return w;
}

std::string next_period(const std::string& period) {
  static const std::regex year(R"(^\s*(\d{4})\s*$)");
  static const std::regex financial(R"(^\s*(\d{4})\s*([-/])\s*(\d{2}|\d{4})\s*$)");
  std::smatch m;
  if (std::regex_match(period, m, year)) return std::to_string(std::stoi(m[1]) + 1);
  if (std::regex_match(period, m, financial)) {
    int y = std::stoi(m[1]) + 1;
    if (m[3].length() == 2) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "%02d", (y + 1) % 100);
      return std::to_string(y) + m[2].str() + buf;
    }
    return std::to_string(y) + m[2].str() + std::to_string(y + 1);
  }
  return "";
}

std::vector<Figure> evidence(store::Scope& s, const Audit& a, std::int64_t now) {
  auto w = window_of(a.period);
  std::vector<Figure> out;
  out.push_back({0, "star.evidence_ballots", pb_store::ballots_cast_between(s, w.from, w.to), 0, false});
  out.push_back({1, "star.evidence_labs", events::store_fn::held_between(s, w.from, w.to, now), 0, false});
  auto plans = journeys_store::plan_authorship(s, w.from, w.to);
  out.push_back({2, "star.evidence_plans", plans.by_person, plans.changes, false});
  bool service = a.subject_kind == "service" && a.subject_id;
  out.push_back({3, service ? "star.evidence_inspections_service" : "star.evidence_inspections",
                 inspections::inspections_store::published_between(s, w.from, w.to,
                                                                    service ? a.subject_id : std::nullopt),
                 0, service});
  return out;
}

}  // namespace cp::modules::star
