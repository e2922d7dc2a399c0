// What the capabilities module holds about a person (their offers and wishes), for the data-rights
// registry.
#include "core/util.hpp"
#include "modules/capabilities/capabilities.hpp"
#include "modules/rights/rights.hpp"

namespace cp::modules::rights {

void register_capabilities_holder(Registry& r) {
  r.add({"capabilities",
         {{"capability_offers", Treatment::deleted,
           "offers and wishes are the person's own words; an offer a worker recorded for someone else keeps the "
           "worker's account id, which after that worker's erasure names nobody"}},
         [](store::Scope& s, const Subject& who) -> boost::json::value {
           boost::json::array a;
           if (!who.user_id) return a;
           for (const auto& o : capabilities_store::mine(s, who.user_id))
             a.push_back({{"kind", o.kind},
                          {"title", o.title},
                          {"details", o.details},
                          {"languages", o.languages},
                          {"time", o.time_note},
                          {"postcode", o.postcode},
                          {"who_may_see", o.visibility},
                          {"status", o.status},
                          {"made_at", format_iso8601(o.created_at)}});
           return a;
         },
         [](store::Scope& s, const Subject& who) {
           Counts c;
           if (who.user_id)
             c["capability_offers"] = s.write({"capability_offer.erase", "user", who.user_id, "erasure"},
                                              "DELETE FROM capability_offers WHERE partnership_id = $1 AND person_id = $2",
                                              {who.user_id});
           return c;
         }});
}

}  // namespace cp::modules::rights
