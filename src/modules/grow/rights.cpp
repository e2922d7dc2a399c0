// What "Grow it" holds about a person, for the data-rights registry: their champion entry, their
// own skills checks and their sharing choice. Business cases and cost figures name the member of
// staff who last changed them; those are kept as the partnership's record of its own figures.
#include "core/util.hpp"
#include "modules/grow/grow.hpp"
#include "modules/rights/rights.hpp"

namespace cp::modules::rights {

void register_grow_holder(Registry& r) {
  r.add({"grow",
         {{"grow_champions", Treatment::deleted, "the person's own champion entry"},
          {"grow_assessments", Treatment::deleted, "the person's own skills checks"},
          {"grow_assessment_ratings", Treatment::deleted, "the levels and examples in those checks"},
          {"grow_competency_shares", Treatment::deleted, "the person's own sharing choice"},
          {"grow_assumptions", Treatment::kept, "who last changed a shared cost figure: the partnership's record of its own figures"},
          {"grow_assumption_changes", Treatment::kept, "who changed a shared cost figure, in an append-only history"},
          {"grow_cases", Treatment::kept, "who started a business case: the partnership's own record"}},
         [](store::Scope& s, const Subject& who) -> boost::json::value {
           boost::json::object o;
           if (!who.user_id) return o;
           if (auto c = grow::champion_for_user(s, who.user_id))
             o["champion"] = {{"name", c->name},         {"organisation", c->organisation}, {"champions", c->area},
                              {"topic", c->topic},       {"since", c->since_on},            {"contact", c->contact_pref},
                              {"contact_detail", c->contact_detail}, {"status", c->status}};
           std::map<std::int64_t, std::string> names;
           for (const auto& c : grow::competencies(s, true)) names[c.id] = c.name;
           boost::json::array checks;
           for (const auto& a : grow::assessments_of(s, who.user_id)) {
             boost::json::object levels;
             for (const auto& [cid, r] : a.ratings) levels[names[cid]] = {{"level", r.level}, {"example", r.example}};
             checks.push_back({{"date", a.assessed_on}, {"levels", std::move(levels)}});
           }
           o["skills_checks"] = std::move(checks);
           o["shared_with_manager"] = grow::share_of(s, who.user_id).shared;
           return o;
         },
         [](store::Scope& s, const Subject& who) {
           Counts c;
           if (!who.user_id) return c;
           for (const auto& [t, n] : grow::erase_user(s, who.user_id)) c[t] = n;
           return c;
         }});
}

}  // namespace cp::modules::rights
