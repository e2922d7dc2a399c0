// A kept in-memory index of one partnership's people's offers, for matching's "nearest offers that
// fit" (capabilities_store::candidates with a place). Internal to the capabilities module.
//
// It holds every active offer (kind "offer") that has a position: where it is, in 0.01° latitude
// bands each sorted by longitude, and what the candidate search decides on (person, who recorded
// it, who may see it, its topic and its lower-case search text, kept in one arena). Finding the
// nearest 100 that fit is then a walk over memory instead of thousands of rows read in SQL.
//
// Kept fresh without rebuilding on every write: triggers (capabilities migration 2) give every
// changed row the partnership's next change number (capability_offers.change_no, indexed) and
// move the counter in capability_offer_generations in the same transaction; a request reads that
// counter (one row by key) and, when it moved, reads only the rows changed since the index last
// looked. Deleting an offer (a person's erasure) gives the partnership a new random epoch, and an
// index of another epoch is built again from scratch. Because the counter row is locked by every
// writing transaction until it commits, transactions commit in the order of their numbers, so
// "everything numbered above what I have seen" never misses a change a snapshot can see.
#pragma once
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "modules/capabilities/capabilities.hpp"

namespace cp::modules::capabilities_index {

// The nearest offers that fit, as (distance in metres, offer id), nearest first then by id, at most
// q.limit: exactly the pairs the SQL search in capabilities_store gives for the same snapshot.
// nullopt when the kept index must not be used: the partnership has no change counter yet, or
// (PostgreSQL) this very transaction has changed offers, so what it sees others may never see.
std::optional<std::vector<std::pair<double, std::int64_t>>> nearest(store::Scope& s, const OfferViewer& v,
                                                                    const capabilities_store::CandidateQuery& q);

// What the kept indexes hold now, over every partnership (for the benchmark's memory figure).
struct Size {
  std::size_t offers = 0, text_bytes = 0, approx_bytes = 0;
};
Size kept_size();

// Switches the kept index off (and on again) for this process, so a benchmark can time the same
// match both ways in one run. On unless switched off; module code never switches it.
void use_kept_index(bool on);

}  // namespace cp::modules::capabilities_index
