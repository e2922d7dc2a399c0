// Counts of ideas the contribution module shows as evidence, through ideas.hpp. Hidden ideas are
// left out, as they are everywhere people read.
#include "modules/ideas/ideas.hpp"

namespace cp::modules::ideas::store_fn {

std::int64_t count(store::Scope& s, const std::string& status) {
  if (status.empty())
    return s.read("SELECT COUNT(*) FROM ideas WHERE partnership_id = $1 AND hidden = 0").one().i64(0);
  return s.read("SELECT COUNT(*) FROM ideas WHERE partnership_id = $1 AND hidden = 0 AND status = $2", {status})
      .one()
      .i64(0);
}

}  // namespace cp::modules::ideas::store_fn
