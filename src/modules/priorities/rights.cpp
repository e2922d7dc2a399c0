// What the priorities module holds about a person, for the data-rights registry.
#include "modules/priorities/priorities.hpp"
#include "modules/rights/rights.hpp"

namespace cp::modules::rights {

void register_priorities_holder(Registry& r) {
  r.add({"priorities",
         {{"priority_ratings", Treatment::deleted, "the person's own answers"},
          {"priority_decisions", Treatment::kept, "a decision staff made in their role, part of the partnership's record"},
          {"priority_exercises", Treatment::kept, "staff who set up an exercise, in their role"},
          {"priority_initiatives", Treatment::kept, "staff who added an idea to rate, in their role"}},
         [](store::Scope& s, const Subject& who) -> boost::json::value {
           boost::json::array a;
           if (!who.user_id) return a;
           for (const auto& x : priorities::store_fn::ratings_by(s, who.user_id)) {
             auto ini = priorities::store_fn::initiative(s, x.initiative_id);
             boost::json::object o;
             o["idea"] = ini ? ini->title : std::string();
             o["impact"] = x.impact ? boost::json::value(*x.impact) : boost::json::value("don't know");
             o["effort"] = x.effort ? boost::json::value(*x.effort) : boost::json::value("don't know");
             a.push_back(std::move(o));
           }
           return a;
         },
         [](store::Scope& s, const Subject& who) {
           Counts c;
           if (!who.user_id) return c;
           c["priority_ratings"] = priorities::store_fn::erase_ratings_of(s, who.user_id);
           return c;
         }});
}

}  // namespace cp::modules::rights
