// What the timebank holds about a person, for the data-rights registry.
//
// The ledger must still add up after an erasure: every member's balance and every monthly total
// are sums of movements, so movements and transfers stay as they are (they are append-only anyway)
// and the member row they point at is anonymised instead of deleted. What the person wrote in
// their own words (listings, thanks, award reasons, exchange descriptions) goes.
#include "core/util.hpp"
#include "modules/rights/rights.hpp"

namespace cp::modules::rights {

namespace {
std::optional<std::int64_t> member_of(store::Scope& s, std::int64_t user_id) {
  auto r = s.read("SELECT id FROM timebank_members WHERE partnership_id = $1 AND user_id = $2 AND kind = 'person'",
                  {user_id});
  if (r.empty()) return std::nullopt;
  return r.rows[0].i64(0);
}
}  // namespace

void register_timebank_holder(Registry& r) {
  r.add({"timebank",
         {{"timebank_members", Treatment::anonymised, "the ledger points at the member; name, skills and area go"},
          {"timebank_listings", Treatment::deleted, "the person's own words"},
          {"timebank_exchanges", Treatment::anonymised, "hours stay for the other member; the description goes"},
          {"timebank_transfers", Treatment::kept, "append-only ledger entries: amounts and dates keep balances right"},
          {"timebank_movements", Treatment::kept, "append-only postings: balances and monthly totals stay right"},
          {"timebank_thanks", Treatment::deleted, "messages to or from the person"},
          {"timebank_milestones", Treatment::kept, "hours reached, pointing at the anonymised member"},
          {"timebank_awards", Treatment::anonymised, "award counts stay; the reason written about or by them goes"},
          {"timebank_rotas", Treatment::anonymised, "a rota helping them stays for the volunteers; its details go"},
          {"timebank_rota_slots", Treatment::kept, "slots point at the anonymised member so hours stay right"},
          {"timebank_settings", Treatment::kept, "the partnership's pot, not a person"}},
         [](store::Scope& s, const Subject& who) -> boost::json::value {
           boost::json::object o;
           if (!who.user_id) return o;
           auto m = member_of(s, who.user_id);
           if (!m) return o;
           auto row = s.read("SELECT name, can_do, outcode, balance, given, joined_at FROM timebank_members"
                             " WHERE partnership_id = $1 AND id = $2",
                             {*m})
                          .one();
           o["name"] = row.text(0);
           o["can_do"] = row.text(1);
           o["area"] = row.text(2);
           o["balance_quarter_hours"] = row.i64(3);
           o["given_quarter_hours"] = row.i64(4);
           o["joined_at"] = format_iso8601(row.i64(5));
           boost::json::array listings, exchanges, movements, thanks;
           for (const auto& x : s.read("SELECT kind, title, details, status, created_at FROM timebank_listings"
                                       " WHERE partnership_id = $1 AND member_id = $2 ORDER BY id",
                                       {*m}).rows)
             listings.push_back({{"kind", x.text(0)}, {"title", x.text(1)}, {"details", x.text(2)}, {"status", x.text(3)},
                                 {"made_at", format_iso8601(x.i64(4))}});
           for (const auto& x : s.read("SELECT CASE WHEN provider_id = $2 THEN 1 ELSE 0 END, quarters, description, status, created_at"
                                       " FROM timebank_exchanges WHERE partnership_id = $1"
                                       " AND (provider_id = $2 OR receiver_id = $2) ORDER BY id",
                                       {*m}).rows)
             exchanges.push_back({{"you_gave", x.boolean(0)}, {"quarter_hours", x.i64(1)}, {"description", x.text(2)},
                                  {"status", x.text(3)}, {"made_at", format_iso8601(x.i64(4))}});
           for (const auto& x : s.read("SELECT quarters, at_ms FROM timebank_movements WHERE partnership_id = $1"
                                       " AND member_id = $2 ORDER BY id",
                                       {*m}).rows)
             movements.push_back({{"quarter_hours", x.i64(0)}, {"at", format_iso8601(x.i64(1) / 1000)}});
           for (const auto& x : s.read("SELECT CASE WHEN from_member = $2 THEN 1 ELSE 0 END, message, created_at FROM timebank_thanks"
                                       " WHERE partnership_id = $1 AND (from_member = $2 OR to_member = $2) ORDER BY id",
                                       {*m}).rows)
             thanks.push_back({{"you_sent", x.boolean(0)}, {"message", x.text(1)}, {"at", format_iso8601(x.i64(2))}});
           o["listings"] = std::move(listings);
           o["exchanges"] = std::move(exchanges);
           o["ledger"] = std::move(movements);
           o["thanks"] = std::move(thanks);
           return o;
         },
         [](store::Scope& s, const Subject& who) {
           Counts c;
           if (!who.user_id) return c;
           auto m = member_of(s, who.user_id);
           if (!m) return c;
           auto act = [&](const std::string& table, const std::string& sql) {
             c[table] += s.write({table + ".erase", "timebank_member", *m, "erasure"}, sql, {*m});
           };
           act("timebank_listings", "DELETE FROM timebank_listings WHERE partnership_id = $1 AND member_id = $2");
           act("timebank_thanks",
               "DELETE FROM timebank_thanks WHERE partnership_id = $1 AND (from_member = $2 OR to_member = $2)");
           act("timebank_exchanges", "UPDATE timebank_exchanges SET description = '' WHERE partnership_id = $1"
                                     " AND (provider_id = $2 OR receiver_id = $2)");
           act("timebank_awards", "UPDATE timebank_awards SET reason = '' WHERE partnership_id = $1"
                                  " AND (nominee_id = $2 OR nominator_id = $2)");
           act("timebank_rotas", "UPDATE timebank_rotas SET details = '' WHERE partnership_id = $1 AND helped_member = $2");
           act("timebank_members", "UPDATE timebank_members SET name = 'Former member', sort_name = 'former member',"
                                   " can_do = '', outcode = '', user_id = NULL WHERE partnership_id = $1 AND id = $2");
           return c;
         }});
}

}  // namespace cp::modules::rights
