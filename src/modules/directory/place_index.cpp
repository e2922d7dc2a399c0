#include "modules/directory/place_index.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <optional>

namespace cp::modules::directory_index {

namespace {

// About 1.1 km of latitude: a 5 km circle spans ten bands.
constexpr double kBandDegrees = 0.01;

std::int64_t band_of(double latitude) { return static_cast<std::int64_t>(std::floor(latitude / kBandDegrees)); }

// The partnership's change stamp, or nullopt when a kept index must not be used: no stamp yet, or
// (PostgreSQL) this very transaction has changed the directory, so what it reads is not what others
// will read under the same stamp.
std::optional<std::int64_t> stamp(store::Scope& s) {
  if (s.dialect() == store::Dialect::postgres) {
    auto r = s.read(
        "SELECT stamp, position(',' || partnership_id::text || ',' IN"
        " coalesce(current_setting('coproduce.directory_restamped', true), '')) FROM directory_generations"
        " WHERE partnership_id = $1");
    if (r.empty() || r.one().i64(1) != 0) return std::nullopt;
    return r.one().i64(0);
  }
  auto r = s.read("SELECT stamp FROM directory_generations WHERE partnership_id = $1");
  if (r.empty()) return std::nullopt;
  return r.one().i64(0);
}

// One kept index per partnership. Keyed by the partnership's id alone: the stamp is random, so an
// index built from another database with the same partnership id is never mistaken for this one's.
template <typename T>
class Cache {
 public:
  template <typename Build>
  std::shared_ptr<const T> get(store::Scope& s, Build build) {
    auto now = stamp(s);
    if (!now) return std::make_shared<const T>(build(s));
    {
      std::lock_guard lock(mu_);
      if (auto it = kept_.find(s.partnership()); it != kept_.end() && it->second.first == *now) return it->second.second;
    }
    // Built outside the lock: two requests may both build after a change; the second simply wins.
    // The stamp was read first, so the index is at least as new as the stamp it is kept under.
    auto fresh = std::make_shared<const T>(build(s));
    std::lock_guard lock(mu_);
    kept_[s.partnership()] = {*now, fresh};
    return fresh;
  }

 private:
  std::mutex mu_;
  std::map<std::int64_t, std::pair<std::int64_t, std::shared_ptr<const T>>> kept_;
};

}  // namespace

Places::Places(std::vector<Place> all) : places_(std::move(all)) {
  std::sort(places_.begin(), places_.end(), [](const Place& a, const Place& b) {
    auto ba = band_of(a.latitude), bb = band_of(b.latitude);
    if (ba != bb) return ba < bb;
    if (a.longitude != b.longitude) return a.longitude < b.longitude;
    return a.sal_id < b.sal_id;
  });
  for (std::size_t i = 0; i < places_.size(); ++i) {
    auto b = band_of(places_[i].latitude);
    if (bands_.empty() || bands_.back().first != b) bands_.emplace_back(b, i);
  }
}

void Places::within_box(double lat_lo, double lat_hi, double lon_lo, double lon_hi,
                        const std::function<void(const Place&)>& fn) const {
  if (bands_.empty() || lat_lo > lat_hi || lon_lo > lon_hi) return;
  auto first = std::lower_bound(bands_.begin(), bands_.end(), band_of(lat_lo),
                                [](const auto& band, std::int64_t b) { return band.first < b; });
  for (auto it = first; it != bands_.end() && it->first <= band_of(lat_hi); ++it) {
    auto begin = places_.begin() + static_cast<std::ptrdiff_t>(it->second);
    auto end = std::next(it) == bands_.end() ? places_.end() : places_.begin() + static_cast<std::ptrdiff_t>(std::next(it)->second);
    auto from = std::lower_bound(begin, end, lon_lo, [](const Place& p, double lon) { return p.longitude < lon; });
    for (auto p = from; p != end && p->longitude <= lon_hi; ++p)
      if (p->latitude >= lat_lo && p->latitude <= lat_hi) fn(*p);
  }
}

Services::Services(std::vector<std::pair<std::int64_t, Service>> all) : services_(std::move(all)) {
  std::sort(services_.begin(), services_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  ids_.reserve(services_.size());
  for (const auto& e : services_) ids_.push_back(e.first);
}

std::optional<std::size_t> Services::position(std::int64_t id) const {
  auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
  if (it == ids_.end() || *it != id) return std::nullopt;
  return static_cast<std::size_t>(it - ids_.begin());
}

const Service* Services::find(std::int64_t id) const {
  // The search runs over the ids alone: 8 bytes each, so its steps stay in the processor's cache,
  // where a search over the services themselves (hundreds of bytes each) missed it at every step.
  auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
  return it != ids_.end() && *it == id ? &services_[static_cast<std::size_t>(it - ids_.begin())].second : nullptr;
}

std::shared_ptr<const Places> places(store::Scope& s) {
  static Cache<Places> cache;
  return cache.get(s, [](store::Scope& sc) {
    std::vector<Place> all;
    for (const auto& r : sc.read("SELECT sal.id, sal.service_id, l.latitude, l.longitude FROM directory_locations l"
                                 " JOIN directory_service_at_locations sal ON sal.partnership_id = $1 AND sal.location_id = l.id"
                                 " WHERE l.partnership_id = $1 AND l.is_private = 0"
                                 " AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL")
                             .rows)
      all.push_back({r.f64(2), r.f64(3), r.i64(0), r.i64(1)});
    return Places(std::move(all));
  });
}

std::shared_ptr<const Services> services(store::Scope& s) {
  static Cache<Services> cache;
  return cache.get(s, [](store::Scope& sc) {
    std::map<std::int64_t, Service> by_id;
    for (const auto& r : sc.read("SELECT id, status, search_text FROM directory_services WHERE partnership_id = $1").rows) {
      auto& sv = by_id[r.i64(0)];
      sv.active = r.text(1) == "active";
      sv.search_text = r.text(2);
    }
    for (const auto& r :
         sc.read("SELECT service_id, taxonomy_term_id FROM directory_attributes WHERE partnership_id = $1").rows)
      if (auto it = by_id.find(r.i64(0)); it != by_id.end()) it->second.terms.push_back(r.i64(1));
    std::map<std::int64_t, directory_store::Candidate> details;
    directory_store::read_candidate_details(sc, nullptr, false, details);
    for (auto& [id, d] : details)
      if (auto it = by_id.find(id); it != by_id.end()) it->second.details = std::move(d);
    std::vector<std::pair<std::int64_t, Service>> all;
    all.reserve(by_id.size());
    for (auto& [id, sv] : by_id) {
      std::sort(sv.terms.begin(), sv.terms.end());
      all.emplace_back(id, std::move(sv));
    }
    return Services(std::move(all));
  });
}

}  // namespace cp::modules::directory_index
