// A count the contribution module shows as evidence ("actions done"), through tracker.hpp.
#include "modules/tracker/tracker.hpp"

namespace cp::modules::tracker {

std::int64_t count_with_status(store::Scope& s, const std::string& status) {
  return s.read("SELECT COUNT(*) FROM tracker_actions WHERE partnership_id = $1 AND status = $2", {status}).one().i64(0);
}

}  // namespace cp::modules::tracker
