// What the charters module holds about a person, for the data-rights registry.
#include "core/util.hpp"
#include "modules/charters/charters.hpp"
#include "modules/rights/rights.hpp"

namespace cp::modules::rights {

void register_charters_holder(Registry& r) {
  r.add({"charters",
         {{"charter_signatures", Treatment::deleted, "the person's own agreement to a charter"},
          {"charter_versions", Treatment::kept, "staff who wrote a version, in their role"},
          {"charters", Treatment::kept, "staff who started a charter, in their role"}},
         [](store::Scope& s, const Subject& who) -> boost::json::value {
           boost::json::array a;
           if (!who.user_id) return a;
           for (const auto& x : charters::store_fn::signatures_of(s, who.user_id)) {
             auto c = charters::store_fn::charter(s, x.charter_id);
             a.push_back({{"charter", c ? c->title : std::string()},
                          {"version", x.version_number},
                          {"agreed_at", format_iso8601(x.signed_at)}});
           }
           return a;
         },
         [](store::Scope& s, const Subject& who) {
           Counts c;
           if (!who.user_id) return c;
           c["charter_signatures"] = charters::store_fn::erase_signatures_of(s, who.user_id);
           return c;
         }});
}

}  // namespace cp::modules::rights
