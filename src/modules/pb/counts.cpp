// Counts of participatory budgeting activity for other modules (the Co-Production Star's evidence
// from the platform's own records). Counts only: no ballot, voter or choice leaves this module.
#include "modules/pb/process.hpp"

namespace cp::modules::pb_store {

std::int64_t ballots_cast_between(store::Scope& s, std::int64_t from, std::int64_t to) {
  return s.read("SELECT COUNT(*) FROM pb_ballots WHERE partnership_id = $1 AND created_at >= $2 AND created_at < $3",
                {from, to})
      .one()
      .i64(0);
}

}  // namespace cp::modules::pb_store
