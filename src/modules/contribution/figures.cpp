// The named figures evidence can be taken from. Each is read live through the owning module's
// interface (this module never reads their tables), so a story always shows today's value beside
// the value the figure had when someone attached it.
#include "modules/contribution/contribution.hpp"
#include "modules/events/events.hpp"
#include "modules/ideas/ideas.hpp"
#include "modules/journeys/kpi.hpp"
#include "modules/timebank/timebank.hpp"
#include "modules/tracker/tracker.hpp"

namespace cp::modules::contribution {

const std::vector<Figure>& figures() {
  static const std::vector<Figure> all = {
      {"tracker_done", "count", [](store::Scope& s) { return tracker::count_with_status(s, "done"); }},
      {"tracker_in_progress", "count", [](store::Scope& s) { return tracker::count_with_status(s, "in_progress"); }},
      {"ideas_all", "count", [](store::Scope& s) { return ideas::store_fn::count(s, ""); }},
      {"ideas_adopted", "count", [](store::Scope& s) { return ideas::store_fn::count(s, "adopted"); }},
      {"events_attended", "count", [](store::Scope& s) { return events::store_fn::attendances(s); }},
      {"timebank_hours", "quarters", [](store::Scope& s) { return timebank::confirmed_exchange_quarters(s); }},
      // Employability figures from people's records: counts only, never a person.
      {"journeys_people", "count", [](store::Scope& s) { return journeys::kpis(s, {}).people; }},
      {"journeys_stage_3_up", "count",
       [](store::Scope& s) {
         auto k = journeys::kpis(s, {});
         return k.at_stage[3] + k.at_stage[4] + k.at_stage[5];
       }},
      {"journeys_job_starts", "count", [](store::Scope& s) { return journeys::kpis(s, {}).job_starts; }},
      {"journeys_sustained_26", "count",
       [](store::Scope& s) {
         for (const auto& x : journeys::kpis(s, {}).sustained)
           if (x.week == 26) return x.sustained;
         return std::int64_t{0};
       }},
  };
  return all;
}

const Figure* figure(const std::string& key) {
  for (const auto& f : figures())
    if (f.key == key) return &f;
  return nullptr;
}

}  // namespace cp::modules::contribution
