// What the selfassess module holds about a person, for the data-rights registry.
#include "core/util.hpp"
#include "modules/rights/rights.hpp"
#include "modules/selfassess/selfassess.hpp"

namespace cp::modules::rights {

void register_selfassess_holder(Registry& r) {
  r.add({"selfassess",
         {{"selfassess_completions", Treatment::deleted, "the person's own answers"},
          {"selfassess_scores", Treatment::deleted, "the person's own answers"}},
         [](store::Scope& s, const Subject& who) -> boost::json::value {
           boost::json::array a;
           if (!who.person_id) return a;
           std::map<std::int64_t, std::string> names;
           for (const auto& x : selfassess_store::scales(s, false)) names[x.id] = x.name.en.empty() ? x.name.cy : x.name.en;
           for (const auto& c : selfassess_store::completions(s, *who.person_id)) {
             boost::json::object scores;
             for (const auto& [id, v] : c.scores) scores[names[id]] = v;
             a.push_back({{"date", c.completed_on}, {"with_worker", c.with_worker}, {"answers", std::move(scores)}});
           }
           return a;
         },
         [](store::Scope& s, const Subject& who) {
           Counts c;
           if (!who.person_id) return c;
           auto [done, scores] = selfassess_store::erase_person(s, *who.person_id);
           c["selfassess_completions"] = done;
           c["selfassess_scores"] = scores;
           return c;
         }});
}

}  // namespace cp::modules::rights
