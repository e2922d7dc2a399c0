#include "modules/capabilities/offer_index.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/util.hpp"

namespace cp::modules::capabilities_index {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kMetresPerDegree = 6371008.8 * kPi / 180.0;
// About 1.1 km of latitude, as the directory's place index: a 5 km circle spans ten bands.
constexpr double kBandDegrees = 0.01;

std::int64_t band_of(double latitude) { return static_cast<std::int64_t>(std::floor(latitude / kBandDegrees)); }

enum Visibility : std::uint8_t { kKeyworker = 0, kStaff = 1, kMembers = 2, kUnknown = 3 };

Visibility visibility_of(const std::string& v) {
  if (v == "members") return kMembers;
  if (v == "staff") return kStaff;
  if (v == "keyworker") return kKeyworker;
  return kUnknown;  // the table's CHECK allows no other; such a row is seen only by its person
}

// One row as the index reads it.
struct Row {
  std::int64_t id = 0, person_id = 0, recorded_by = 0;
  bool candidate = false;  // active, kind 'offer', with a position
  std::string topic, visibility, search_text;
  double latitude = 0, longitude = 0;
};

const char* kColumns =
    "SELECT id, person_id, recorded_by, kind, status, topic, visibility, latitude, longitude, search_text"
    " FROM capability_offers";

Row row_of(const store::Row& r) {
  Row o;
  o.id = r.i64(0);
  o.person_id = r.i64(1);
  o.recorded_by = r.i64(2);
  bool positioned = !r.null(7) && !r.null(8);
  o.candidate = r.text(3) == "offer" && r.text(4) == "active" && positioned;
  o.topic = r.text(5);
  o.visibility = r.text(6);
  if (positioned) {
    o.latitude = r.f64(7);
    o.longitude = r.f64(8);
  }
  o.search_text = r.text(9);
  return o;
}

struct Entry {
  double latitude = 0, longitude = 0;
  std::int64_t id = 0, person_id = 0, recorded_by = 0;
  std::uint32_t text_at = 0, text_len = 0;
  std::int32_t topic = -1;
  Visibility visibility = kUnknown;
};

// Orders slots by their entry's longitude, then id.
struct ByLongitude {
  const std::vector<Entry>* entries;
  bool operator()(std::uint32_t a, std::uint32_t b) const {
    const Entry& x = (*entries)[a];
    const Entry& y = (*entries)[b];
    if (x.longitude != y.longitude) return x.longitude < y.longitude;
    return x.id < y.id;
  }
};

class Index {
  ByLongitude by_longitude() const { return ByLongitude{&entries_}; }

 public:
  Index(std::int64_t epoch, std::int64_t counter) : epoch(epoch), counter(counter) {}

  const std::int64_t epoch;
  std::int64_t counter;  // every change numbered up to this is in the index
  std::int64_t tag = 0;  // SQLite: the tag of the change numbered `counter`
  std::shared_mutex mu;

  // While building: entries go in unsorted, and finish() sorts each band once.
  void add_unsorted(const Row& r) {
    if (!r.candidate) return;
    auto slot = store_entry(r);
    bands_[band_of(r.latitude)].push_back(slot);
  }
  void finish() {
    for (auto& [b, slots] : bands_) {
      std::sort(slots.begin(), slots.end(), by_longitude());
      slots.shrink_to_fit();
    }
    entries_.shrink_to_fit();
    arena_.shrink_to_fit();
  }

  // A changed row: whatever the index held for it goes, and it comes back if it is still a candidate.
  void apply(const Row& r) {
    remove(r.id);
    if (!r.candidate) return;
    auto slot = store_entry(r);
    auto& slots = bands_[band_of(r.latitude)];
    slots.insert(std::upper_bound(slots.begin(), slots.end(), slot, by_longitude()), slot);
  }

  std::int32_t topic_id(const std::string& topic) const {
    auto it = topic_ids_.find(topic);
    return it == topic_ids_.end() ? -1 : it->second;
  }
  std::string_view text(const Entry& e) const { return std::string_view(arena_).substr(e.text_at, e.text_len); }

  // Calls `fn` for every entry with latitude in [lat_lo, lat_hi] and longitude in [lon_lo, lon_hi].
  template <typename Fn>
  void within_box(double lat_lo, double lat_hi, double lon_lo, double lon_hi, Fn&& fn) const {
    if (lat_lo > lat_hi || lon_lo > lon_hi) return;
    auto last = band_of(lat_hi);
    for (auto it = bands_.lower_bound(band_of(lat_lo)); it != bands_.end() && it->first <= last; ++it) {
      const auto& slots = it->second;
      auto from = std::lower_bound(slots.begin(), slots.end(), lon_lo,
                                   [&](std::uint32_t s, double lon) { return entries_[s].longitude < lon; });
      for (auto p = from; p != slots.end(); ++p) {
        const Entry& e = entries_[*p];
        if (e.longitude > lon_hi) break;
        if (e.latitude >= lat_lo && e.latitude <= lat_hi) fn(e);
      }
    }
  }

  std::size_t offers() const { return by_id_.size(); }
  std::size_t text_bytes() const { return arena_.size(); }
  std::size_t approx_bytes() const {
    std::size_t b = entries_.capacity() * sizeof(Entry) + arena_.capacity() + free_.capacity() * 4;
    for (const auto& [k, v] : bands_) b += v.capacity() * 4 + 64;
    b += by_id_.size() * (sizeof(std::int64_t) + sizeof(std::uint32_t) + 16) + by_id_.bucket_count() * sizeof(void*);
    return b;
  }

 private:

  std::uint32_t store_entry(const Row& r) {
    std::uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
    } else {
      slot = static_cast<std::uint32_t>(entries_.size());
      entries_.emplace_back();
    }
    Entry& e = entries_[slot];
    e.latitude = r.latitude;
    e.longitude = r.longitude;
    e.id = r.id;
    e.person_id = r.person_id;
    e.recorded_by = r.recorded_by;
    e.visibility = visibility_of(r.visibility);
    auto [t, added] = topic_ids_.try_emplace(r.topic, static_cast<std::int32_t>(topic_ids_.size()));
    e.topic = t->second;
    e.text_at = static_cast<std::uint32_t>(arena_.size());
    e.text_len = static_cast<std::uint32_t>(r.search_text.size());
    arena_ += r.search_text;
    by_id_[r.id] = slot;
    return slot;
  }

  void remove(std::int64_t id) {
    auto it = by_id_.find(id);
    if (it == by_id_.end()) return;
    std::uint32_t slot = it->second;
    by_id_.erase(it);
    const Entry& e = entries_[slot];
    auto& slots = bands_[band_of(e.latitude)];
    auto at = std::lower_bound(slots.begin(), slots.end(), slot, by_longitude());
    if (at != slots.end() && *at == slot) slots.erase(at);
    if (slots.empty()) bands_.erase(band_of(e.latitude));
    garbage_ += e.text_len;
    free_.push_back(slot);
    // Texts of changed offers are left behind in the arena; once they are half of it, copy out the
    // live ones.
    if (garbage_ > (1u << 20) && garbage_ * 2 > arena_.size()) compact();
  }

  void compact() {
    std::string fresh;
    fresh.reserve(arena_.size() - garbage_);
    for (const auto& [id, slot] : by_id_) {
      Entry& e = entries_[slot];
      auto at = static_cast<std::uint32_t>(fresh.size());
      fresh.append(arena_, e.text_at, e.text_len);
      e.text_at = at;
    }
    arena_ = std::move(fresh);
    garbage_ = 0;
  }

  std::vector<Entry> entries_;
  std::vector<std::uint32_t> free_;
  std::map<std::int64_t, std::vector<std::uint32_t>> bands_;  // band number -> slots by longitude
  std::unordered_map<std::int64_t, std::uint32_t> by_id_;
  std::unordered_map<std::string, std::int32_t> topic_ids_;
  std::string arena_;  // every entry's lower-case search text, end to end
  std::size_t garbage_ = 0;
};

struct Generation {
  std::int64_t counter = 0, epoch = 0;
  bool changed_here = false;  // PostgreSQL: this transaction has changed offers
  std::int64_t tag = 0;       // SQLite: the tag of the change numbered `counter`
  bool seen_ok = true;        // SQLite: the pair the kept index holds is in this snapshot's history
};

std::string pair_text(std::int64_t counter, std::int64_t tag) {
  return ";" + std::to_string(counter) + ":" + std::to_string(tag) + ";";
}

// The partnership's change counter and epoch (nullopt: no counter yet), and on SQLite whether the
// pair (number, tag) a kept index has followed up to is among the partnership's recent changes.
std::optional<Generation> generation(store::Scope& s, const std::string& seen) {
  bool pg = s.dialect() == store::Dialect::postgres;
  auto r = pg ? s.read("SELECT counter, epoch, coalesce(current_setting('coproduce.offer_change_' ||"
                       " CAST(partnership_id AS TEXT), true), '') || coalesce(current_setting('coproduce.offer_removed_' ||"
                       " CAST(partnership_id AS TEXT), true), ''), 0, 1"
                       " FROM capability_offer_generations WHERE partnership_id = $1")
              : s.read("SELECT counter, epoch, '', tag, instr(recent, $2) FROM capability_offer_generations"
                       " WHERE partnership_id = $1",
                       {seen});
  if (r.empty()) return std::nullopt;
  const auto& row = r.one();
  return Generation{row.i64(0), row.i64(1), !row.text(2).empty(), row.i64(3), row.i64(4) > 0};
}

std::atomic<bool> enabled{true};
std::mutex kept_mu;
std::map<std::int64_t, std::shared_ptr<Index>> kept;  // by partnership id

std::shared_ptr<Index> build(store::Scope& s, const Generation& g) {
  auto idx = std::make_shared<Index>(g.epoch, g.counter);
  // In slices by id, all in this one snapshot, so that a million offers are never all held as rows
  // at once on their way in.
  constexpr std::int64_t kSlice = 20000;
  std::int64_t after = std::numeric_limits<std::int64_t>::min();
  while (true) {
    auto rows = s.read(std::string(kColumns) +
                           " WHERE partnership_id = $1 AND id > $2 AND status = 'active' AND kind = 'offer'"
                           " AND latitude IS NOT NULL AND longitude IS NOT NULL ORDER BY id LIMIT " +
                           std::to_string(kSlice),
                       {after})
                    .rows;
    for (const auto& r : rows) idx->add_unsorted(row_of(r));
    if (static_cast<std::int64_t>(rows.size()) < kSlice) break;
    after = rows.back().i64(0);
  }
  idx->finish();
  idx->tag = g.tag;
  return idx;
}

// The index for this snapshot: kept, brought up to the counter, or built; nullptr when this request
// must search in SQL.
std::shared_ptr<Index> current(store::Scope& s) {
  std::shared_ptr<Index> idx;
  {
    std::lock_guard lock(kept_mu);
    if (auto it = kept.find(s.partnership()); it != kept.end()) idx = it->second;
  }
  std::string seen = ";none;";
  if (idx) {
    std::shared_lock read(idx->mu);
    seen = pair_text(idx->counter, idx->tag);
  }
  auto g = generation(s, seen);
  if (!g || g->changed_here) return nullptr;
  // SQLite: the (number, tag) pair the index has followed up to must be in this snapshot's recent
  // changes. If not, the index followed a transaction that then rolled back (its number may since
  // have gone to another change), or more changes came than `recent` keeps, or this snapshot is
  // older than the index: in each case it is built again from this snapshot, a state that any later
  // reader can check in the same way.
  bool rebuild = !idx || idx->epoch != g->epoch || !g->seen_ok;
  if (rebuild) {
    // Built outside the lock; two requests may both build after an erasure, the second one wins.
    idx = build(s, *g);
    std::lock_guard lock(kept_mu);
    kept[s.partnership()] = idx;
    return idx;
  }
  {
    std::shared_lock read(idx->mu);
    // Kept at this counter or later (a request with a newer snapshot brought it on): usable as it is.
    if (idx->counter >= g->counter) return idx;
  }
  std::unique_lock write(idx->mu);
  // Another request moved it on meanwhile, from a snapshot this one has not checked: search in SQL
  // this once rather than follow on from there.
  if (pair_text(idx->counter, idx->tag) != seen) return idx->counter >= g->counter ? idx : nullptr;
  if (idx->counter < g->counter) {
    for (const auto& r : s.read(std::string(kColumns) + " WHERE partnership_id = $1 AND change_no > $2", {idx->counter}).rows)
      idx->apply(row_of(r));
    idx->counter = g->counter;
    idx->tag = g->tag;
  }
  return idx;
}

}  // namespace

std::optional<std::vector<std::pair<double, std::int64_t>>> nearest(store::Scope& s, const OfferViewer& v,
                                                                    const capabilities_store::CandidateQuery& q) {
  if (!q.near || !enabled.load(std::memory_order_relaxed)) return std::nullopt;
  std::vector<std::pair<double, std::int64_t>> found;
  std::vector<std::string> words;
  for (const auto& w : q.words)
    if (!w.empty()) words.push_back(to_lower(w));  // as like_contains() makes the SQL pattern
  bool by_topic = !q.topic.empty() && q.topic != kOtherTopic;
  if ((!by_topic && words.empty()) || v.user_id <= 0) return found;
  auto idx = current(s);
  if (!idx) return std::nullopt;
  std::shared_lock read(idx->mu);

  // visible_where(), said again for one entry.
  std::vector<std::int64_t> caseload = v.caseload;
  std::sort(caseload.begin(), caseload.end());
  auto visible = [&](const Entry& e) {
    if (e.person_id == v.user_id || e.visibility == kMembers) return true;
    if (!v.staff) return false;
    if (e.visibility == kStaff) return true;
    return e.visibility == kKeyworker &&
           (e.recorded_by == v.user_id || std::binary_search(caseload.begin(), caseload.end(), e.person_id));
  };
  std::int32_t topic = by_topic ? idx->topic_id(q.topic) : -2;
  auto relevant = [&](const Entry& e) {
    if (topic >= 0 && e.topic == topic) return true;
    auto text = idx->text(e);
    for (const auto& w : words)
      if (text.find(w) != std::string_view::npos) return true;
    return false;
  };

  // The same growing box as the SQL search, on the same positions and the same distance function.
  std::int64_t limit = std::clamp<std::int64_t>(q.limit, 1, 1000);
  double radius = std::min(q.within_m, std::max(250.0, q.within_m / 16));
  const postcodes::Point centre = *q.near;
  while (true) {
    double dlat = radius / kMetresPerDegree * 1.001 + 1e-6;
    double edge = std::min(89.0, std::abs(centre.latitude) + dlat);
    double dlon = std::min(180.0, dlat / std::cos(edge * kPi / 180.0));
    found.clear();
    idx->within_box(centre.latitude - dlat, centre.latitude + dlat, centre.longitude - dlon, centre.longitude + dlon,
                    [&](const Entry& e) {
                      if (!visible(e) || !relevant(e)) return;
                      double d = postcodes::distance_m(centre, {e.latitude, e.longitude});
                      if (d <= radius) found.emplace_back(d, e.id);
                    });
    if (static_cast<std::int64_t>(found.size()) >= limit || radius >= q.within_m) break;
    radius = std::min(q.within_m, radius * 2);
  }
  std::sort(found.begin(), found.end());
  if (static_cast<std::int64_t>(found.size()) > limit) found.resize(static_cast<std::size_t>(limit));
  return found;
}

void use_kept_index(bool on) { enabled.store(on); }

Size kept_size() {
  std::vector<std::shared_ptr<Index>> all;
  {
    std::lock_guard lock(kept_mu);
    for (const auto& [p, idx] : kept) all.push_back(idx);
  }
  Size out;
  for (const auto& idx : all) {
    std::shared_lock read(idx->mu);
    out.offers += idx->offers();
    out.text_bytes += idx->text_bytes();
    out.approx_bytes += idx->approx_bytes();
  }
  return out;
}

}  // namespace cp::modules::capabilities_index
