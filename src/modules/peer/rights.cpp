// What the peer module holds about a person, for the data-rights registry.
#include "core/util.hpp"
#include "modules/peer/peer.hpp"
#include "modules/rights/rights.hpp"

namespace cp::modules::rights {

void register_peer_holder(Registry& r) {
  r.add({"peer",
         {{"peer_members", Treatment::deleted, "membership names the person to the rest of the group"},
          {"peer_groups", Treatment::anonymised, "a group they started stays for its other members; the link to them goes"},
          {"peer_meetings", Treatment::anonymised, "meetings they added stay for the group; the link to them goes"}},
         [](store::Scope& s, const Subject& who) -> boost::json::value {
           boost::json::object o;
           boost::json::array groups, started;
           if (!who.user_id) return o;
           auto h = peer_store::held(s, who.user_id);
           for (const auto& [g, m] : h.memberships)
             groups.push_back({{"group", g.name.en.empty() ? g.name.cy : g.name.en},
                               {"shown_as", m.name},
                               {"role", m.role},
                               {"joined_at", format_iso8601(m.joined_at)}});
           for (const auto& g : h.started) started.push_back(boost::json::value(g.name.en.empty() ? g.name.cy : g.name.en));
           o["memberships"] = std::move(groups);
           o["groups_started"] = std::move(started);
           return o;
         },
         [](store::Scope& s, const Subject& who) {
           Counts c;
           if (who.user_id) c["peer_members"] = peer_store::erase_user(s, who.user_id);
           return c;
         }});
}

}  // namespace cp::modules::rights
