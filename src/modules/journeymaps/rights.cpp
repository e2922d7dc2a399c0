// What the journeymaps module holds about a person, for the data-rights registry. (Reads only the
// journeymaps module's own tables.)
//
// Retention: a journey map describes a service, not a person, and is made together by everyone in a
// co-design session. Maps and their versions (append-only) stay as they are, pointing at the
// account that made them, which erasure anonymises. The person's download lists the versions they
// wrote, so they can see what they contributed.
#include "core/util.hpp"
#include "modules/rights/rights.hpp"

namespace cp::modules::rights {

void register_journeymaps_holder(Registry& r) {
  r.add({"journeymaps",
         {{"journey_maps", Treatment::kept,
           "a map of a service made together; it points only at the account that started it, which is anonymised"},
          {"journey_map_versions", Treatment::kept,
           "append-only versions of a shared map about a service; the author's account is anonymised"}},
         [](store::Scope& s, const Subject& who) -> boost::json::value {
           boost::json::array a;
           if (!who.user_id) return a;
           for (const auto& x : s.read("SELECT m.title, v.number, v.note, v.created_at FROM journey_map_versions v"
                                       " JOIN journey_maps m ON m.partnership_id = $1 AND m.id = v.map_id"
                                       " WHERE v.partnership_id = $1 AND v.author_id = $2 ORDER BY v.id",
                                       {who.user_id})
                                    .rows)
             a.push_back({{"map", x.text(0)}, {"version", x.i64(1)}, {"note", x.text(2)}, {"at", format_iso8601(x.i64(3))}});
           return a;
         },
         [](store::Scope&, const Subject&) { return Counts{}; }});
}

}  // namespace cp::modules::rights
