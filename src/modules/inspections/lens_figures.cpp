// Citizen inspection findings in aggregate, for the learning lens.
#include "modules/inspections/inspections.hpp"
#include "modules/tracker/tracker.hpp"

namespace cp::modules::inspections::inspections_store {

FindingCounts finding_counts(store::Scope& s, const std::optional<std::vector<std::int64_t>>& services) {
  FindingCounts out;
  if (services && services->empty()) return out;
  std::string sql =
      "SELECT f.id FROM inspections_findings f JOIN inspections i ON i.id = f.inspection_id AND i.partnership_id = $1"
      " WHERE f.partnership_id = $1";
  store::Params p;
  if (services) {
    sql += " AND i.service_id IN (";
    for (std::size_t k = 0; k < services->size(); ++k) {
      p.push_back((*services)[k]);
      sql += (k ? ", $" : "$") + std::to_string(k + 2);
    }
    sql += ")";
  }
  for (const auto& row : s.read(sql, p).rows) {
    ++out.findings;
    // Closed once it has agreed actions and every one is done or judged not possible; a finding
    // with no action yet is open (nobody has taken it on).
    auto actions = tracker::for_origin(s, "finding", row.i64(0));
    bool closed = !actions.empty();
    for (const auto& a : actions)
      if (a.status != "done" && a.status != "not_possible") closed = false;
    if (!closed) ++out.open;
  }
  return out;
}

}  // namespace cp::modules::inspections::inspections_store
