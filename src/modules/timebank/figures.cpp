// A figure the contribution module shows as evidence ("hours people gave each other"), through
// timebank.hpp: the time of every exchange both sides confirmed, in quarter hours.
#include "modules/timebank/timebank.hpp"

namespace cp::modules::timebank {

std::int64_t confirmed_exchange_quarters(store::Scope& s) {
  return s.read("SELECT COALESCE(SUM(quarters), 0) FROM timebank_exchanges WHERE partnership_id = $1"
                " AND status = 'confirmed'")
      .one()
      .i64(0);
}

}  // namespace cp::modules::timebank
