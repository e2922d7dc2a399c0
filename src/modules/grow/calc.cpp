// Parsing amounts and hours, and the business case's sums. Pure functions: the tests check them
// against figures worked out by hand.
#include <algorithm>
#include <set>

#include "core/util.hpp"
#include "modules/grow/grow.hpp"

namespace cp::modules::grow {

namespace {

// Digits with at most `places` decimals (either '.' or ',' as the point when it is the only one and
// is followed by 1..places digits; otherwise ',' groups thousands). Returns the value scaled by
// 10^places, or nullopt.
std::optional<std::int64_t> parse_scaled(std::string t, int places, std::int64_t max_whole) {
  t = trim(t);
  std::string s;
  for (char c : t)
    if (c != ' ') s += c;
  if (s.empty()) return std::nullopt;
  // A decimal comma: "7,5" (only one comma and 1..places digits after it, no point).
  auto comma = s.rfind(',');
  if (s.find('.') == std::string::npos && comma != std::string::npos && s.find(',') == comma) {
    auto after = s.size() - comma - 1;
    if (after >= 1 && after <= static_cast<std::size_t>(places)) s[comma] = '.';
  }
  std::string whole, frac;
  bool point = false;
  for (char c : s) {
    if (c == ',' && !point) continue;  // thousands
    if (c == '.') {
      if (point) return std::nullopt;
      point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    (point ? frac : whole) += c;
  }
  if (whole.empty() && frac.empty()) return std::nullopt;
  if (static_cast<int>(frac.size()) > places) return std::nullopt;
  if (whole.size() > 12) return std::nullopt;
  std::int64_t w = whole.empty() ? 0 : std::stoll(whole);
  if (w > max_whole) return std::nullopt;
  while (static_cast<int>(frac.size()) < places) frac += '0';
  std::int64_t scale = 1;
  for (int i = 0; i < places; ++i) scale *= 10;
  std::int64_t v = w * scale + (frac.empty() ? 0 : std::stoll(frac));
  if (v > max_whole * scale) return std::nullopt;
  return v;
}

std::string group_thousands(std::int64_t n) {
  auto s = std::to_string(n);
  std::string out;
  int count = 0;
  for (auto it = s.rbegin(); it != s.rend(); ++it) {
    if (count && count % 3 == 0) out += ',';
    out += *it;
    ++count;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace

std::optional<std::int64_t> parse_pence(const std::string& text) {
  auto t = trim(text);
  if (starts_with(t, "£")) t = t.substr(std::string("£").size());
  return parse_scaled(t, 2, 10'000'000);
}

std::optional<std::int64_t> parse_hours(const std::string& text) { return parse_scaled(text, 2, 1'000'000); }

std::optional<std::int64_t> parse_count(const std::string& text) {
  auto v = parse_scaled(text, 0, 1'000'000);
  return v;
}

std::string format_pounds(std::int64_t pence) {
  bool neg = pence < 0;
  std::int64_t p = neg ? -pence : pence;
  std::string frac = std::to_string(p % 100);
  if (frac.size() < 2) frac = "0" + frac;
  return std::string(neg ? "-" : "") + "£" + group_thousands(p / 100) + "." + frac;
}

std::string format_hours(std::int64_t h) {
  std::string out = group_thousands(h / 100);
  auto f = h % 100;
  if (f == 0) return out;
  std::string frac = std::to_string(f);
  if (frac.size() < 2) frac = "0" + frac;
  if (frac.back() == '0') frac.pop_back();
  return out + "." + frac;
}

std::int64_t divide_round(std::int64_t a, std::int64_t b) {
  if (a >= 0) return (a + b / 2) / b;
  return -((-a + b / 2) / b);
}

std::int64_t hours_cost(std::int64_t hundredths, std::int64_t rate_pence) { return divide_round(hundredths * rate_pence, 100); }

bool valid_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
  if (y < 1950 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

Figures figures(const std::vector<CostLine>& costs, const std::vector<Outcome>& outs,
                const std::map<std::int64_t, Assumption>& as, const std::map<std::string, std::int64_t>& live) {
  Figures f;
  std::set<std::int64_t> seen;
  auto use = [&](std::optional<std::int64_t> id) -> const Assumption* {
    if (!id) return nullptr;
    auto it = as.find(*id);
    if (it == as.end()) return nullptr;
    if (seen.insert(*id).second) f.assumptions_used.push_back(*id);
    return &it->second;
  };
  for (const auto& c : costs) {
    CostFigure cf{c, 0};
    if (c.kind == "staff" || c.kind == "volunteer") {
      auto* a = use(c.assumption_id);
      cf.pence = a ? hours_cost(c.hours, a->value_pence) : 0;
    } else {
      cf.pence = c.amount_pence;
    }
    (c.kind == "volunteer" ? f.volunteer_pence : f.cash_pence) += cf.pence;
    f.costs.push_back(cf);
  }
  f.total_pence = f.cash_pence + f.volunteer_pence;
  for (const auto& o : outs) {
    OutcomeFigure of{o, o.number, std::nullopt, std::nullopt};
    if (o.source != "typed") {
      if (auto it = live.find(o.source); it != live.end()) of.number = it->second;
    }
    if (of.number > 0) of.cost_per_outcome = divide_round(f.total_pence, of.number);
    if (auto* a = use(o.assumption_id)) {
      of.value_pence = of.number * a->value_pence;
      f.value_pence += *of.value_pence;
    }
    f.outcomes.push_back(of);
  }
  f.net_pence = f.value_pence - f.total_pence;
  if (f.total_pence > 0) f.per_pound_hundredths = static_cast<std::int64_t>((static_cast<__int128>(f.value_pence) * 200 + f.total_pence) / (2 * static_cast<__int128>(f.total_pence)));
  return f;
}

}  // namespace cp::modules::grow
