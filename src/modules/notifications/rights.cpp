// What the notifications module holds about a person, for the data-rights registry. (Reads only the
// notifications module's own tables.)
//
// Retention: messages to the person and their email choice are only for them, so both are deleted.
#include "core/util.hpp"
#include "modules/rights/rights.hpp"

namespace cp::modules::rights {

void register_notifications_holder(Registry& r) {
  r.add({"notifications",
         {{"notices", Treatment::deleted, "messages to the person"},
          {"notice_prefs", Treatment::deleted, "how they chose to be told"}},
         [](store::Scope& s, const Subject& who) -> boost::json::value {
           boost::json::object o;
           if (!who.user_id) return o;
           auto p = s.read("SELECT delivery FROM notice_prefs WHERE partnership_id = $1 AND user_id = $2", {who.user_id});
           if (!p.empty()) o["email"] = p.rows[0].text(0);
           boost::json::array a;
           for (const auto& x : s.read("SELECT msg_key, args, link, created_at, read_at FROM notices"
                                       " WHERE partnership_id = $1 AND user_id = $2 ORDER BY id",
                                       {who.user_id})
                                    .rows) {
             boost::json::object n{{"message", x.text(0)}, {"details", x.text(1)}, {"link", x.text(2)},
                                   {"at", format_iso8601(x.i64(3))}};
             if (!x.null(4)) n["read_at"] = format_iso8601(x.i64(4));
             a.push_back(std::move(n));
           }
           o["messages"] = std::move(a);
           return o;
         },
         [](store::Scope& s, const Subject& who) {
           Counts c;
           if (!who.user_id) return c;
           c["notices"] = s.write({"notice.erase", "user", who.user_id, "erasure"},
                                  "DELETE FROM notices WHERE partnership_id = $1 AND user_id = $2", {who.user_id});
           c["notice_prefs"] = s.write({"notice_pref.erase", "user", who.user_id, "erasure"},
                                       "DELETE FROM notice_prefs WHERE partnership_id = $1 AND user_id = $2", {who.user_id});
           return c;
         }});
}

}  // namespace cp::modules::rights
