// Counts of citizen-led inspections for other modules (the Co-Production Star's evidence from the
// platform's own records). Counts only.
#include "modules/inspections/inspections.hpp"

namespace cp::modules::inspections::inspections_store {

std::int64_t published_between(store::Scope& s, std::int64_t from, std::int64_t to,
                               std::optional<std::int64_t> service_id) {
  if (service_id)
    return s.read("SELECT COUNT(*) FROM inspections WHERE partnership_id = $1 AND status = 'published'"
                  " AND published_at >= $2 AND published_at < $3 AND service_id = $4",
                  {from, to, *service_id})
        .one()
        .i64(0);
  return s.read("SELECT COUNT(*) FROM inspections WHERE partnership_id = $1 AND status = 'published'"
                " AND published_at >= $2 AND published_at < $3",
                {from, to})
      .one()
      .i64(0);
}

}  // namespace cp::modules::inspections::inspections_store
