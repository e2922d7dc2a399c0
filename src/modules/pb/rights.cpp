// What participatory budgeting holds about a person, for the data-rights registry. (Reads only the
// pb module's own tables.)
//
// Retention: results must still add up after an erasure, so a ballot is never deleted. Its choices
// stay; what links it to the person goes (the account id, the name a member of staff typed for a
// paper ballot, what they said about where they live and their age, and the voter key, which held
// the account id). Support for a proposal stays as a count: the row only points at the account,
// which is itself anonymised. Comments are the person's own words and are deleted.
#include "core/util.hpp"
#include "modules/rights/rights.hpp"

namespace cp::modules::rights {

void register_pb_holder(Registry& r) {
  r.add({"pb",
         {{"pb_ballots", Treatment::anonymised,
           "choices stay so every count stays right; the account, name, key and eligibility answers go"},
          {"pb_supports", Treatment::kept,
           "support counts stay right; the row points only at the account, which is anonymised"},
          {"pb_comments", Treatment::deleted, "the person's own words"}},
         [](store::Scope& s, const Subject& who) -> boost::json::value {
           boost::json::object o;
           if (!who.user_id) return o;
           auto key = "user:" + std::to_string(who.user_id);
           boost::json::array ballots, supports, comments;
           for (const auto& x : s.read("SELECT process_id, area_id, choices, eligibility, voter_name, created_at, updated_at"
                                       " FROM pb_ballots WHERE partnership_id = $1 AND (user_id = $2 OR voter_key = $3)"
                                       " ORDER BY id",
                                       {who.user_id, key})
                                    .rows)
             ballots.push_back({{"budget_id", x.i64(0)},
                                {"area_id", x.i64(1)},
                                {"choices", x.text(2)},
                                {"eligibility", x.text(3)},
                                {"name_on_paper_ballot", x.text(4)},
                                {"cast_at", format_iso8601(x.i64(5))},
                                {"changed_at", format_iso8601(x.i64(6))}});
           for (const auto& x : s.read("SELECT proposal_id, created_at FROM pb_supports WHERE partnership_id = $1"
                                       " AND user_id = $2 ORDER BY proposal_id",
                                       {who.user_id})
                                    .rows)
             supports.push_back({{"idea_id", x.i64(0)}, {"at", format_iso8601(x.i64(1))}});
           for (const auto& x : s.read("SELECT proposal_id, author, body, hidden, created_at FROM pb_comments"
                                       " WHERE partnership_id = $1 AND user_id = $2 ORDER BY id",
                                       {who.user_id})
                                    .rows)
             comments.push_back({{"idea_id", x.i64(0)},
                                 {"name_shown", x.text(1)},
                                 {"comment", x.text(2)},
                                 {"hidden", x.boolean(3)},
                                 {"at", format_iso8601(x.i64(4))}});
           o["ballots"] = std::move(ballots);
           o["supported"] = std::move(supports);
           o["comments"] = std::move(comments);
           return o;
         },
         [](store::Scope& s, const Subject& who) {
           Counts c;
           if (!who.user_id) return c;
           auto u = who.user_id;
           c["pb_comments"] = s.write({"pb_comment.erase", "user", u, "erasure"},
                                      "DELETE FROM pb_comments WHERE partnership_id = $1 AND user_id = $2", {u});
           c["pb_ballots"] = s.write({"pb_ballot.anonymise", "user", u, "erasure"},
                                     "UPDATE pb_ballots SET user_id = NULL, voter_name = '', eligibility = '',"
                                     " voter_key = 'erased:' || CAST(id AS TEXT) WHERE partnership_id = $1"
                                     " AND (user_id = $2 OR voter_key = $3)",
                                     {u, "user:" + std::to_string(u)});
           return c;
         }});
}

}  // namespace cp::modules::rights
