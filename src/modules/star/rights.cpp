// What the star module holds about a person, for the data-rights registry: their answers to audits
// (group, steps, examples and evidence) and the audits they started.
#include "core/util.hpp"
#include "modules/rights/rights.hpp"
#include "modules/star/star.hpp"

namespace cp::modules::rights {

void register_star_holder(Registry& r) {
  r.add({"star",
         {{"star_responses", Treatment::anonymised,
           "the link to the person goes; the group stays so a closed audit's numbers do not change"},
          {"star_audits", Treatment::anonymised, "an audit they started stays for the partnership; the link to them goes"}},
         [](store::Scope& s, const Subject& who) -> boost::json::value {
           boost::json::array out;
           if (!who.user_id) return out;
           for (const auto& [a, resp] : star::star_store::held(s, who.user_id)) {
             boost::json::object ratings;
             for (int i = 0; i < star::kCoCount; ++i) {
               const auto& x = resp.ratings[static_cast<std::size_t>(i)];
               boost::json::object o;
               if (x.level) o["step"] = *x.level;
               else o["step"] = nullptr;
               o["examples"] = x.examples;
               o["evidence"] = x.evidence;
               ratings[star::kCos[static_cast<std::size_t>(i)]] = std::move(o);
             }
             out.push_back({{"audit", a.title},
                            {"period", a.period},
                            {"group", resp.group},
                            {"answered_at", format_iso8601(resp.updated_at)},
                            {"answers", std::move(ratings)}});
           }
           return out;
         },
         [](store::Scope& s, const Subject& who) {
           Counts c;
           if (!who.user_id) return c;
           // Examples and evidence are their own words, so they are wiped; the step and the group
           // stay, unlinked from them.
           c["star_responses"] = star::star_store::erase_user(s, who.user_id);
           c["star_audits"] = star::star_store::forget_creator(s, who.user_id);
           return c;
         }});
}

}  // namespace cp::modules::rights
