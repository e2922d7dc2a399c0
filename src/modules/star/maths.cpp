// The star's numbers: means per Co for each actor group and overall, exactly, with ties kept.
#include <algorithm>
#include <stdexcept>

#include "modules/star/star.hpp"

namespace cp::modules::star {

int compare(const Cell& a, const Cell& b) {
  // a.sum / a.n against b.sum / b.n without division: both n are positive.
  auto l = a.sum * b.n, r = b.sum * a.n;
  return l < r ? -1 : l > r ? 1 : 0;
}

std::int64_t change_tenths(const Cell& a, const Cell& b) {
  std::int64_t num = b.sum * a.n - a.sum * b.n, den = a.n * b.n;
  std::int64_t mag = (20 * (num < 0 ? -num : num) + den) / (2 * den);
  return num < 0 ? -mag : mag;
}

std::string format_tenths(std::int64_t tenths, bool sign) {
  std::string out;
  if (tenths < 0) out = "-";
  else if (sign && tenths > 0) out = "+";
  auto m = tenths < 0 ? -tenths : tenths;
  out += std::to_string(m / 10) + "." + std::to_string(m % 10);
  return out;
}

namespace {

void rank(GroupResult& g) {
  const Cell* hi = nullptr;
  const Cell* lo = nullptr;
  for (const auto& c : g.cells) {
    if (c.empty()) continue;
    if (!hi || compare(c, *hi) > 0) hi = &c;
    if (!lo || compare(c, *lo) < 0) lo = &c;
  }
  g.strongest.clear();
  g.weakest.clear();
  for (int i = 0; i < kCoCount; ++i) {
    const auto& c = g.cells[i];
    if (c.empty()) continue;
    if (compare(c, *hi) == 0) g.strongest.push_back(i);
    if (compare(c, *lo) == 0) g.weakest.push_back(i);
  }
}

}  // namespace

Results compute(const std::vector<Answer>& answers) {
  Results r;
  for (const auto& g : kGroups) r.groups.push_back({g, 0, {}, {}, {}});
  r.overall.group = "overall";
  for (const auto& a : answers) {
    auto it = std::find(kGroups.begin(), kGroups.end(), a.group);
    if (it == kGroups.end()) throw std::invalid_argument("unknown actor group: " + a.group);
    auto& g = r.groups[static_cast<std::size_t>(it - kGroups.begin())];
    ++g.respondents;
    ++r.overall.respondents;
    for (int i = 0; i < kCoCount; ++i) {
      if (!a.levels[i]) continue;
      int v = *a.levels[i];
      if (v < 1 || v > 5) throw std::invalid_argument("a level is 1 to 5");
      ++g.cells[i].n;
      g.cells[i].sum += v;
      ++r.overall.cells[i].n;
      r.overall.cells[i].sum += v;
    }
  }
  r.respondents = r.overall.respondents;
  for (auto& g : r.groups) rank(g);
  rank(r.overall);
  return r;
}

}  // namespace cp::modules::star
