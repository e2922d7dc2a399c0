// A count the contribution module shows as evidence ("times people came to a lab or event"),
// through events.hpp. Only attendance a host recorded counts, not bookings.
#include "modules/events/events.hpp"

namespace cp::modules::events::store_fn {

std::int64_t attendances(store::Scope& s) {
  return s.read("SELECT COUNT(*) FROM event_signups WHERE partnership_id = $1 AND attended = 1").one().i64(0);
}

}  // namespace cp::modules::events::store_fn
