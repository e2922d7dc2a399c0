// What the moderation module holds about a person, for the data-rights registry. (Reads only the
// moderation module's own tables.)
//
// Retention: the queue keeps the count of reports and every decision so moderation stays
// accountable. What the person wrote goes: the excerpt of their post kept in the queue, and the
// details they typed when they reported someone else's post (the reason stays: it is one of a fixed
// list). A block on their account is lifted, as the account is closed anyway. Decisions and the
// block log are append-only records of what moderators did; they point at accounts, which erasure
// anonymises.
#include "core/util.hpp"
#include "modules/rights/rights.hpp"

namespace cp::modules::rights {

void register_moderation_holder(Registry& r) {
  r.add({"moderation",
         {{"moderation_items", Treatment::anonymised, "report counts and status stay; the excerpt of their words goes"},
          {"moderation_reports", Treatment::anonymised, "the report still counts; the details they typed go"},
          {"moderation_blocks", Treatment::deleted, "the account is closed, so the block goes"},
          {"moderation_decisions", Treatment::kept, "append-only record of moderators' decisions"},
          {"moderation_block_log", Treatment::kept, "append-only record of blocks and unblocks by moderators"}},
         [](store::Scope& s, const Subject& who) -> boost::json::value {
           boost::json::object o;
           if (!who.user_id) return o;
           auto u = who.user_id;
           boost::json::array reports, posts;
           for (const auto& x : s.read("SELECT q.kind, q.item_id, r.reason, r.details, r.created_at FROM moderation_reports r"
                                       " JOIN moderation_items q ON q.partnership_id = $1 AND q.id = r.queue_id"
                                       " WHERE r.partnership_id = $1 AND r.reporter_user_id = $2 ORDER BY r.id",
                                       {u})
                                    .rows)
             reports.push_back({{"what", x.text(0) + ":" + std::to_string(x.i64(1))},
                                {"reason", x.text(2)},
                                {"details", x.text(3)},
                                {"at", format_iso8601(x.i64(4))}});
           for (const auto& x : s.read("SELECT kind, item_id, status, excerpt FROM moderation_items"
                                       " WHERE partnership_id = $1 AND author_user_id = $2 ORDER BY id",
                                       {u})
                                    .rows)
             posts.push_back({{"what", x.text(0) + ":" + std::to_string(x.i64(1))},
                              {"status", x.text(2)},
                              {"excerpt", x.text(3)}});
           auto b = s.read("SELECT reason, created_at FROM moderation_blocks WHERE partnership_id = $1 AND user_id = $2", {u});
           if (!b.empty()) o["blocked"] = {{"reason", b.rows[0].text(0)}, {"since", format_iso8601(b.rows[0].i64(1))}};
           o["reports_you_made"] = std::move(reports);
           o["your_posts_reported"] = std::move(posts);
           return o;
         },
         [](store::Scope& s, const Subject& who) {
           Counts c;
           if (!who.user_id) return c;
           auto u = who.user_id;
           c["moderation_items"] = s.write({"moderation_item.anonymise", "user", u, "erasure"},
                                           "UPDATE moderation_items SET excerpt = '' WHERE partnership_id = $1"
                                           " AND author_user_id = $2",
                                           {u});
           c["moderation_reports"] = s.write({"moderation_report.anonymise", "user", u, "erasure"},
                                             "UPDATE moderation_reports SET details = '' WHERE partnership_id = $1"
                                             " AND reporter_user_id = $2",
                                             {u});
           c["moderation_blocks"] = s.write({"moderation_block.erase", "user", u, "erasure"},
                                            "DELETE FROM moderation_blocks WHERE partnership_id = $1 AND user_id = $2", {u});
           return c;
         }});
}

}  // namespace cp::modules::rights
