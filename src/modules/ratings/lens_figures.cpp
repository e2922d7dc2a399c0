// People's own ratings in aggregate, for the learning lens: how many and the mean, never who.
#include "modules/ratings/ratings.hpp"

namespace cp::modules::ratings::ratings_store {

Summary summary(store::Scope& s, const std::optional<std::vector<std::int64_t>>& services) {
  Summary out;
  if (services && services->empty()) return out;
  std::string sql = "SELECT COUNT(*), COALESCE(SUM(stars), 0) FROM ratings WHERE partnership_id = $1 AND hidden = 0";
  store::Params p;
  if (services) {
    sql += " AND service_id IN (";
    for (std::size_t i = 0; i < services->size(); ++i) {
      p.push_back((*services)[i]);
      sql += (i ? ", $" : "$") + std::to_string(i + 2);
    }
    sql += ")";
  }
  auto row = s.read(sql, p).one();
  out.count = row.i64(0);
  if (out.count > 0) out.mean = double(row.i64(1)) / double(out.count);
  return out;
}

}  // namespace cp::modules::ratings::ratings_store
