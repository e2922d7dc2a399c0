// What the ideas module holds about a person, for the data-rights registry. (Reads only the ideas
// module's own tables.)
//
// Retention: an idea is part of a board's record: others supported it, commented on it, and the
// service said what it did with it ("we tried it", "we did not, because ..."). So the idea row stays
// with its status, reason and support count, pointing at the anonymised account, and the words the
// person wrote go: the title becomes a fixed "removed" line and the body is blanked. Their comments
// on any idea are deleted. Their support stays as a count: it points only at the anonymised account.
#include "core/util.hpp"
#include "modules/rights/rights.hpp"

namespace cp::modules::rights {

// Stored in place of the title of an erased person's idea.
const char* const kIdeaErasedTitle = "Idea removed at the request of the person who wrote it";
const char* const kIdeaErasedTitleCy = "Syniad wedi'i dynnu ar gais y person a'i ysgrifennodd";

void register_ideas_holder(Registry& r) {
  r.add({"ideas",
         {{"ideas", Treatment::anonymised,
           "status, reason and support count stay for the board's record; the title and words go"},
          {"idea_comments", Treatment::deleted, "the person's own words"},
          {"idea_supports", Treatment::kept,
           "support counts stay right; the row points only at the account, which is anonymised"}},
         [](store::Scope& s, const Subject& who) -> boost::json::value {
           boost::json::object o;
           if (!who.user_id) return o;
           boost::json::array ideas, comments, supports;
           for (const auto& x : s.read("SELECT id, board_kind, board_ref, title, body, status, created_at, title_cy, body_cy FROM ideas"
                                       " WHERE partnership_id = $1 AND author_id = $2 ORDER BY id",
                                       {who.user_id})
                                    .rows)
             ideas.push_back({{"id", x.i64(0)},
                              {"board", x.text(1) + ":" + x.text(2)},
                              {"title", x.text(3)},
                              {"details", x.text(4)},
                              {"title_welsh", x.text(7)},
                              {"details_welsh", x.text(8)},
                              {"status", x.text(5)},
                              {"at", format_iso8601(x.i64(6))}});
           for (const auto& x : s.read("SELECT idea_id, body, created_at FROM idea_comments WHERE partnership_id = $1"
                                       " AND author_id = $2 ORDER BY id",
                                       {who.user_id})
                                    .rows)
             comments.push_back({{"idea_id", x.i64(0)}, {"comment", x.text(1)}, {"at", format_iso8601(x.i64(2))}});
           for (const auto& x : s.read("SELECT idea_id, created_at FROM idea_supports WHERE partnership_id = $1"
                                       " AND user_id = $2 ORDER BY idea_id",
                                       {who.user_id})
                                    .rows)
             supports.push_back({{"idea_id", x.i64(0)}, {"at", format_iso8601(x.i64(1))}});
           o["ideas"] = std::move(ideas);
           o["comments"] = std::move(comments);
           o["supported"] = std::move(supports);
           return o;
         },
         [](store::Scope& s, const Subject& who) {
           Counts c;
           if (!who.user_id) return c;
           auto u = who.user_id;
           c["idea_comments"] = s.write({"idea_comment.erase", "user", u, "erasure"},
                                        "DELETE FROM idea_comments WHERE partnership_id = $1 AND author_id = $2", {u});
           c["ideas"] = s.write({"idea.anonymise", "user", u, "erasure"},
                                "UPDATE ideas SET title = $3, body = '', title_cy = $4, body_cy = '' WHERE partnership_id = $1"
                                " AND author_id = $2",
                                {u, std::string(kIdeaErasedTitle), std::string(kIdeaErasedTitleCy)});
           return c;
         }});
}

}  // namespace cp::modules::rights
