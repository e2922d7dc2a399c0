// Counts of labs and events for other modules (the Co-Production Star's evidence from the
// platform's own records). Counts only.
#include "modules/events/events.hpp"

namespace cp::modules::events::store_fn {

std::int64_t held_between(store::Scope& s, std::int64_t from, std::int64_t to, std::int64_t now) {
  return s.read("SELECT COUNT(*) FROM events WHERE partnership_id = $1 AND ends_at >= $2 AND ends_at < $3"
                " AND ends_at <= $4",
                {from, to, now})
      .one()
      .i64(0);
}

}  // namespace cp::modules::events::store_fn
