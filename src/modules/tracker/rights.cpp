// What the tracker module holds about a person, for the data-rights registry. (Reads only the
// tracker module's own tables.)
//
// Retention: "we talked, we did together" is the partnership's public account of what it promised
// and did. Actions and their updates (append-only) are written by staff in their role, not about a
// person; they stay, pointing at accounts that erasure anonymises. The download lists what the
// person wrote there.
#include "core/util.hpp"
#include "modules/rights/rights.hpp"

namespace cp::modules::rights {

void register_tracker_holder(Registry& r) {
  r.add({"tracker",
         {{"tracker_actions", Treatment::kept, "the partnership's public promises; the account that added one is anonymised"},
          {"tracker_updates", Treatment::kept, "append-only public progress; the account that wrote one is anonymised"}},
         [](store::Scope& s, const Subject& who) -> boost::json::value {
           boost::json::object o;
           if (!who.user_id) return o;
           boost::json::array actions, updates;
           for (const auto& x : s.read("SELECT title, status, created_at FROM tracker_actions WHERE partnership_id = $1"
                                       " AND created_by = $2 ORDER BY id",
                                       {who.user_id})
                                    .rows)
             actions.push_back({{"action", x.text(0)}, {"status", x.text(1)}, {"at", format_iso8601(x.i64(2))}});
           for (const auto& x : s.read("SELECT action_id, status, note, created_at FROM tracker_updates"
                                       " WHERE partnership_id = $1 AND by_user_id = $2 ORDER BY id",
                                       {who.user_id})
                                    .rows)
             updates.push_back({{"action_id", x.i64(0)}, {"status", x.text(1)}, {"note", x.text(2)},
                                {"at", format_iso8601(x.i64(3))}});
           o["actions_added"] = std::move(actions);
           o["updates_written"] = std::move(updates);
           return o;
         },
         [](store::Scope&, const Subject&) { return Counts{}; }});
}

}  // namespace cp::modules::rights
