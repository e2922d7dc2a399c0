// What the inspections module holds about a person, for the data-rights registry. (Reads only the
// inspections module's own tables.)
//
// Retention: an inspection report is about a service and is published; the team that wrote it,
// their scores, notes and findings stay as the evidence behind it, pointing at accounts that
// erasure anonymises (the report then shows "Erased account" for that member). The person's own
// record as a trained inspector (when they trained, whether they are active) is about them, so it
// is deleted and they are no longer offered for new inspections.
#include "core/util.hpp"
#include "modules/rights/rights.hpp"

namespace cp::modules::rights {

void register_inspections_holder(Registry& r) {
  r.add({"inspections",
         {{"inspections_inspectors", Treatment::deleted, "their training record as an inspector"},
          {"inspections", Treatment::kept, "a report about a service; the lead's account is anonymised"},
          {"inspections_team", Treatment::kept, "who inspected, for the report; the account is anonymised"},
          {"inspections_answers", Treatment::kept, "scores and notes about a service, the evidence for the report"},
          {"inspections_findings", Treatment::kept, "findings about a service, the evidence for the report"}},
         [](store::Scope& s, const Subject& who) -> boost::json::value {
           boost::json::object o;
           if (!who.user_id) return o;
           auto u = who.user_id;
           auto tr = s.read("SELECT trained_on, active FROM inspections_inspectors WHERE partnership_id = $1"
                            " AND user_id = $2",
                            {u});
           if (!tr.empty()) o["inspector"] = {{"trained_on", tr.rows[0].text(0)}, {"active", tr.rows[0].boolean(1)}};
           boost::json::array teams, findings;
           for (const auto& x : s.read("SELECT i.title, t.role, i.status FROM inspections_team t JOIN inspections i"
                                       " ON i.partnership_id = $1 AND i.id = t.inspection_id WHERE t.partnership_id = $1"
                                       " AND t.user_id = $2 ORDER BY i.id",
                                       {u})
                                    .rows)
             teams.push_back({{"inspection", x.text(0)}, {"role", x.text(1)}, {"status", x.text(2)}});
           for (const auto& x : s.read("SELECT inspection_id, text, evidence, created_at FROM inspections_findings"
                                       " WHERE partnership_id = $1 AND by_user = $2 ORDER BY id",
                                       {u})
                                    .rows)
             findings.push_back({{"inspection_id", x.i64(0)},
                                 {"finding", x.text(1)},
                                 {"evidence", x.text(2)},
                                 {"at", format_iso8601(x.i64(3))}});
           o["inspections"] = std::move(teams);
           o["findings"] = std::move(findings);
           return o;
         },
         [](store::Scope& s, const Subject& who) {
           Counts c;
           if (!who.user_id) return c;
           c["inspections_inspectors"] =
               s.write({"inspections_inspector.erase", "user", who.user_id, "erasure"},
                       "DELETE FROM inspections_inspectors WHERE partnership_id = $1 AND user_id = $2", {who.user_id});
           return c;
         }});
}

}  // namespace cp::modules::rights
