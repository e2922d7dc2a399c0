// Who may vote in an area: where they live (postcode districts, sectors or whole postcodes, with a
// tick-box fallback when the postcode table does not know a postcode) and how old they are. The
// decision needs no database: the caller says whether a postcode is known, so tests can pin every
// branch. Nothing here is stored; the ballot keeps only `how` (docs/security.md says why).
#include <algorithm>
#include <cctype>
#include <ctime>

#include "core/util.hpp"
#include "modules/pb/process.hpp"
#include "modules/postcodes/postcodes.hpp"

namespace cp::modules {

namespace {

std::string upper_single_spaced(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// An entry of an area's list in its stored form, or "" when it is not a district, sector or postcode.
std::string tidy_entry(const std::string& raw) {
  std::string e = upper_single_spaced(raw);
  if (e.empty()) return e;
  // A sector first: an outcode, a space and the first digit of the inward code ("CF10 1"), which
  // would otherwise read as the outcode "CF101".
  auto space = e.rfind(' ');
  if (space != std::string::npos && e.size() == space + 2 && std::isdigit(static_cast<unsigned char>(e.back()))) {
    auto out = postcodes::normalise(e.substr(0, space));
    if (out && !out->full) return out->text + " " + e.back();
  }
  if (auto n = postcodes::normalise(e)) return n->text;
  return "";
}

std::vector<std::string> entries(const std::string& list) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : list + ",") {
    if (c == ',' || c == '\n' || c == ';') {
      if (!trim(cur).empty()) out.push_back(trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  return out;
}

// Civil date from days since 1970 (proleptic Gregorian), by eras of 400 years.
void civil(std::int64_t days, int& y, int& m, int& d) {
  days += 719468;
  std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  std::int64_t doe = days - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
}

}  // namespace

bool pb_needs_postcode(const PbArea& a) { return !trim(a.postcodes).empty(); }

std::optional<std::string> pb_tidy_postcodes(const std::string& list) {
  std::string out;
  for (const auto& e : entries(list)) {
    std::string t = tidy_entry(e);
    if (t.empty()) return std::nullopt;
    out += (out.empty() ? "" : ", ") + t;
  }
  return out;
}

bool pb_postcode_in(const std::string& postcode, const std::string& list) {
  auto space = postcode.find(' ');
  if (space == std::string::npos || space + 1 >= postcode.size()) return false;
  std::string outcode = postcode.substr(0, space), sector = postcode.substr(0, space + 2);
  for (const auto& e : entries(list)) {
    std::string t = tidy_entry(e);
    if (t == outcode || t == sector || t == postcode) return true;
  }
  return false;
}

std::int64_t pb_today() { return static_cast<std::int64_t>(std::time(nullptr)) / 86400; }

std::optional<std::int64_t> pb_days(int y, int m, int d) {
  if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1) return std::nullopt;
  static const int kLen[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kLen[m - 1] + (m == 2 && leap ? 1 : 0)) return std::nullopt;
  std::int64_t yy = m <= 2 ? y - 1 : y;
  std::int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
  std::int64_t yoe = yy - era * 400;
  std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

PbEligibility pb_check_eligibility(const PbProcess& p, const PbArea& area, const PbEligibilityInput& in,
                                   std::int64_t today, const std::function<bool(const std::string&)>& known) {
  PbEligibility e;
  std::vector<std::string> how;
  if (pb_needs_postcode(area)) {
    auto n = postcodes::normalise(in.postcode);
    if (trim(in.postcode).empty()) {
      e.problems.push_back({"postcode", "pb.error_postcode_missing", {}});
    } else if (!n || !n->full) {
      e.problems.push_back({"postcode", "pb.error_postcode_invalid", {}});
    } else if (pb_postcode_in(n->text, area.postcodes)) {
      how.push_back("postcode in area");
    } else if (known(n->text)) {
      // A real postcode outside the area: the one case where the answer is no.
      std::string elsewhere;
      for (const auto& other : p.area_list)
        if (other.id != area.id && pb_postcode_in(n->text, other.postcodes)) elsewhere = other.name;
      e.refusal = PbProblem{"postcode", elsewhere.empty() ? "pb.refuse_postcode" : "pb.refuse_postcode_elsewhere",
                            {{"postcode", n->text}, {"area", area.name}, {"other", elsewhere}}};
    } else if (in.lives_in_area) {
      how.push_back("lives in area (postcode not in the table)");
    } else {
      e.ask_lives_in_area = true;
      e.problems.push_back({"lives_in_area", "pb.error_postcode_unknown", {{"postcode", n->text}, {"area", area.name}}});
    }
  }
  if (p.min_age > 0) {
    std::string age = std::to_string(p.min_age);
    bool given = !trim(in.dob_day).empty() || !trim(in.dob_month).empty() || !trim(in.dob_year).empty();
    if (given) {
      auto d = parse_int(trim(in.dob_day)), m = parse_int(trim(in.dob_month)), y = parse_int(trim(in.dob_year));
      std::optional<std::int64_t> born;
      if (d && m && y) born = pb_days(static_cast<int>(*y), static_cast<int>(*m), static_cast<int>(*d));
      if (!born || *born > today) {
        e.problems.push_back({"dob-day", "pb.error_dob", {}});
      } else {
        int ty, tm, td;
        civil(today, ty, tm, td);
        std::int64_t years = ty - *y - ((tm < *m || (tm == *m && td < *d)) ? 1 : 0);
        if (years < p.min_age) {
          // The day they reach the age; someone born on 29 February has their birthday on 1 March.
          auto from = pb_days(static_cast<int>(*y + p.min_age), static_cast<int>(*m), static_cast<int>(*d));
          if (!from) from = pb_days(static_cast<int>(*y + p.min_age), 3, 1);
          if (!e.refusal)
            e.refusal = PbProblem{"dob-day", "pb.refuse_age", {{"age", age}, {"date_days", std::to_string(*from)}}};
        } else {
          how.push_back("age checked from date of birth");
        }
      }
    } else if (in.age_confirmed) {
      how.push_back("age confirmed");
    } else {
      e.problems.push_back({"dob-day", "pb.error_age_missing", {{"age", age}}});
    }
  }
  e.allowed = e.problems.empty() && !e.refusal;
  if (e.allowed) {
    for (const auto& h : how) e.how += (e.how.empty() ? "" : "; ") + h;
    if (e.how.empty()) e.how = "open";
  }
  return e;
}

}  // namespace cp::modules
