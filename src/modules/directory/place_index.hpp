// In-memory indexes of one partnership's directory, for the two queries that read thousands of rows
// per request: "places near a postcode" (its ORUK paging envelope counts every place in the circle)
// and matching's "nearest services that fit". Internal to the directory module.
//
// Each index is built from the database the first time it is asked for and kept, with the
// partnership's change stamp (directory_generations, migration 6). Every later request reads the
// stamp (one row by key) and uses the kept index only when it is unchanged; database triggers change
// the stamp in the same transaction as any write to places, services at places, services or their
// topics, so an index is never used after a change any process has committed. A transaction that has
// itself changed the directory (PostgreSQL) or a partnership with no stamp yet builds a throwaway one.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "modules/directory/directory.hpp"
#include "store/scope.hpp"

namespace cp::modules::directory_index {

// A published place with a position, once per service offered there.
struct Place {
  double latitude = 0, longitude = 0;
  std::int64_t sal_id = 0, service_id = 0;
};

class Places {
 public:
  explicit Places(std::vector<Place> all);
  // Calls `fn` for every place with latitude in [lat_lo, lat_hi] and longitude in [lon_lo, lon_hi].
  void within_box(double lat_lo, double lat_hi, double lon_lo, double lon_hi,
                  const std::function<void(const Place&)>& fn) const;
  const std::vector<Place>& all() const { return places_; }

 private:
  // Sorted by latitude band, then longitude: a box is a few bands, each a binary-searched run.
  std::vector<Place> places_;
  std::vector<std::pair<std::int64_t, std::size_t>> bands_;  // band number, first index in places_
};

// What matching needs to decide, without reading the row, whether a service could fit a need.
struct Service {
  bool active = false;
  std::string search_text;           // lower-case name and description, as directory_services keeps it
  std::vector<std::int64_t> terms;   // internal ids of its taxonomy terms, sorted
  // What matching shows and scores for it (no place or distance: those are the query's), read by
  // directory_store::read_candidate_details, so a match reads no rows for the services it keeps.
  directory_store::Candidate details;
};

class Services {
 public:
  explicit Services(std::vector<std::pair<std::int64_t, Service>> all);
  const Service* find(std::int64_t id) const;
  // The service's place among all of them (0 .. size() - 1), for callers that keep a flat array
  // beside the index; nullopt when there is no such service.
  std::optional<std::size_t> position(std::int64_t id) const;
  const Service& at(std::size_t position) const { return services_[position].second; }
  std::size_t size() const { return services_.size(); }

 private:
  std::vector<std::pair<std::int64_t, Service>> services_;  // by id
  std::vector<std::int64_t> ids_;                            // the same ids, for the search
};

std::shared_ptr<const Places> places(store::Scope& s);
std::shared_ptr<const Services> services(store::Scope& s);

}  // namespace cp::modules::directory_index

namespace cp::modules::directory_store {
// Candidates' details (candidates.cpp) for `ids`, or for every service of the partnership when
// `ids` is null; `first_place` also sets each one's first published place.
void read_candidate_details(store::Scope& s, const std::vector<std::int64_t>* ids, bool first_place,
                            std::map<std::int64_t, Candidate>& by_id);
}  // namespace cp::modules::directory_store
