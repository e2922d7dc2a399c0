// What the learning lens holds about a person, for the data-rights registry: the learning log
// entries a staff member wrote. Erasure keeps the entries (they are the partnership's record of
// what it learned, about charts, not people) and removes the author's name and account.
#include "modules/lens/lens.hpp"
#include "modules/rights/rights.hpp"

namespace cp::modules::rights {

void register_lens_holder(Registry& r) {
  r.add({"lens",
         {{"lens_log", Treatment::anonymised, "learning log entries keep their text; the author's name and account go"}},
         [](store::Scope& s, const Subject& who) -> boost::json::value {
           boost::json::array a;
           if (!who.user_id) return a;
           for (const auto& e : lens::lens_store::entries_by(s, who.user_id))
             a.push_back({{"chart", e.chart_key},
                          {"scope", e.scope_kind == "partnership" ? e.scope_kind : e.scope_kind + ":" + std::to_string(e.scope_id)},
                          {"concluded", e.concluded},
                          {"will_try", e.will_try},
                          {"review_on", e.review_on},
                          {"written_at", e.created_at}});
           return a;
         },
         [](store::Scope& s, const Subject& who) {
           Counts c;
           if (who.user_id) c["lens_log"] = lens::lens_store::forget_author(s, who.user_id);
           return c;
         }});
}

}  // namespace cp::modules::rights
