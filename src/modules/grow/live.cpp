// Outcome figures a business case can read live from other modules, through their interfaces.
// Today: job starts recorded by journeys for people referred to the case's service
// (journeys::kpis, counts only; no person's details reach this module).
#include "core/util.hpp"
#include "modules/grow/grow.hpp"
#include "modules/journeys/kpi.hpp"

namespace cp::modules::grow {

std::vector<std::string> live_sources() { return {"journeys_job_starts"}; }

std::map<std::string, std::int64_t> live_numbers(store::Scope& s, std::optional<std::int64_t> service_id) {
  std::map<std::string, std::int64_t> out;
  if (!service_id) return out;
  journeys::KpiFilter f;
  f.service_id = *service_id;
  f.today = format_iso8601(now_seconds()).substr(0, 10);
  out["journeys_job_starts"] = journeys::kpis(s, f).job_starts;
  return out;
}

}  // namespace cp::modules::grow
