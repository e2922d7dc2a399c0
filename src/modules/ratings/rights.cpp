// What the ratings module holds about a person, for the data-rights registry. (Reads only the
// ratings module's own tables.)
//
// Retention: a service's average and its count of ratings must stay right, so the stars stay. The
// person's comment goes, and with it the service's reply to that comment (a reply to words nobody
// can read any more). The row points at the account, which erasure anonymises.
#include "core/util.hpp"
#include "modules/rights/rights.hpp"

namespace cp::modules::rights {

void register_ratings_holder(Registry& r) {
  r.add({"ratings",
         {{"ratings", Treatment::anonymised, "stars stay so averages and counts stay right; the comment and reply go"}},
         [](store::Scope& s, const Subject& who) -> boost::json::value {
           boost::json::array a;
           if (!who.user_id) return a;
           for (const auto& x : s.read("SELECT service_id, stars, comment, response, created_at FROM ratings"
                                       " WHERE partnership_id = $1 AND user_id = $2 ORDER BY id",
                                       {who.user_id})
                                    .rows)
             a.push_back({{"service_id", x.i64(0)},
                          {"stars", x.i64(1)},
                          {"comment", x.text(2)},
                          {"reply", x.text(3)},
                          {"at", format_iso8601(x.i64(4))}});
           return a;
         },
         [](store::Scope& s, const Subject& who) {
           Counts c;
           if (!who.user_id) return c;
           c["ratings"] = s.write({"rating.anonymise", "user", who.user_id, "erasure"},
                                  "UPDATE ratings SET comment = '', response = '' WHERE partnership_id = $1"
                                  " AND user_id = $2",
                                  {who.user_id});
           return c;
         }});
}

}  // namespace cp::modules::rights
