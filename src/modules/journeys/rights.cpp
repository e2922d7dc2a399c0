// What the journeys module holds about a person, for the data-rights registry. (A new file beside
// journeys' own; it reads only journeys tables.)
//
// The person's record row is anonymised, not deleted: outcome counts and the access log point at it,
// so totals stay right while nothing in it says who it was. What they wrote or was written with
// them (profile, notes, goals, steps, consents) is deleted.
#include "core/util.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/journeys/kpi.hpp"
#include "modules/rights/rights.hpp"

namespace cp::modules::rights {

void register_journeys_holder(Registry& r) {
  r.add({"journeys",
         {{"journey_people", Treatment::anonymised, "kept as an empty row so counts and logs that point at it stay right"},
          {"journey_keyworkers", Treatment::deleted, "takes the person off every caseload"},
          {"journey_consents", Treatment::deleted, "nothing is left to share"},
          {"journey_consent_events", Treatment::anonymised,
           "append-only history of consent changes: which organisation, which part and when stay; the names of "
           "who changed it are redacted (redaction.cpp)"},
          {"journey_access_log", Treatment::kept,
           "append-only record of staff who opened the record; it names staff, not the person"},
          {"journey_notes", Treatment::deleted, "notes of meetings with the person"},
          {"journey_goals", Treatment::deleted, "the person's own words"},
          {"journey_steps", Treatment::deleted, "the person's own plan"},
          {"journey_plan_history", Treatment::anonymised,
           "append-only versions of plan items: version numbers and dates stay; the words and the name of who "
           "saved each are redacted (redaction.cpp)"},
          {"journey_lawful_bases", Treatment::kept, "an organisation's lawful basis, set by an admin; not about the person"},
          {"journey_referrals", Treatment::anonymised,
           "who referred to which service and the outcome stay for referral counts; the messages and reasons go"},
          {"journey_stages", Treatment::kept, "pipeline stages by date, pointing at the anonymised record: stage counts"},
          {"journey_outcomes", Treatment::anonymised,
           "kind, date, hours and contract stay so outcome counts are right; employer and details go"},
          {"journey_outcome_checks", Treatment::kept, "sustained-employment answers: counts at 13, 26 and 52 weeks"},
          {"journey_kpi_orgs", Treatment::kept,
           "which organisations supported the anonymised record, so their employability counts stay right"},
          {"journey_kpi_counts", Treatment::kept, "counts only; the erasure moves the person to 'not asked' and 'unknown'"},
          {"journey_kpi_simd", Treatment::kept, "SIMD deciles of postcodes, not of people"},
          {"journey_kpi_state", Treatment::kept, "when the counts were last rebuilt; not about anyone"}},
         [](store::Scope& s, const Subject& who) -> boost::json::value {
           boost::json::object o;
           if (!who.person_id) return o;
           auto p = journeys_store::person(s, *who.person_id);
           if (!p) return o;
           o["name"] = p->name;
           o["what_matters"] = p->profile.what_matters;
           o["good_life"] = p->profile.good_life;
           o["strengths"] = p->profile.strengths;
           o["what_gets_in_the_way"] = p->profile.barriers;
           o["how_to_contact"] = p->profile.contact_pref;
           o["language"] = p->profile.language;
           boost::json::array consents, views, notes, goals, steps;
           for (const auto& c : journeys_store::consents(s, p->id))
             consents.push_back({{"organisation_id", c.organisation_id}, {"part", c.part}, {"granted", c.granted}});
           for (const auto& a : journeys_store::access_log(s, p->id))
             views.push_back({{"who", a.viewer_name}, {"organisation_id", a.organisation_id}, {"part", a.part},
                              {"reason", a.reason}, {"outcome", a.outcome}, {"at", format_iso8601(a.at)}});
           for (const auto& n : journeys_store::notes(s, p->id))
             notes.push_back({{"kind", n.kind}, {"talked_about", n.talked_about}, {"strengths", n.strengths},
                              {"next_steps", n.next_steps}, {"by", n.author_name}, {"restricted", n.restricted},
                              {"at", format_iso8601(n.created_at)}});
           for (const auto& g : journeys_store::goals(s, p->id)) goals.push_back({{"id", g.id}, {"goal", g.text}});
           for (const auto& st : journeys_store::steps(s, p->id))
             steps.push_back({{"goal_id", st.goal_id}, {"action", st.action}, {"who", st.who},
                              {"who_detail", st.who_detail}, {"due", st.due_on}, {"status", st.status},
                              {"your_notes", st.person_notes}});
           boost::json::array referrals, stages, outcomes;
           for (const auto& x : s.read("SELECT service_name, status, message, decline_text, created_at FROM journey_referrals"
                                       " WHERE partnership_id = $1 AND person_id = $2 ORDER BY id",
                                       {p->id})
                                    .rows)
             referrals.push_back({{"service", x.text(0)}, {"status", x.text(1)}, {"message", x.text(2)},
                                  {"why_declined", x.text(3)}, {"at", format_iso8601(x.i64(4))}});
           for (const auto& x : s.read("SELECT stage, on_date FROM journey_stages WHERE partnership_id = $1"
                                       " AND person_id = $2 ORDER BY on_date, id",
                                       {p->id})
                                    .rows)
             stages.push_back({{"stage", x.i64(0)}, {"from", x.text(1)}});
           for (const auto& x : s.read("SELECT kind, on_date, contract, employer, detail FROM journey_outcomes"
                                       " WHERE partnership_id = $1 AND person_id = $2 ORDER BY on_date, id",
                                       {p->id})
                                    .rows)
             outcomes.push_back({{"kind", x.text(0)}, {"date", x.text(1)}, {"contract", x.text(2)},
                                 {"employer", x.text(3)}, {"detail", x.text(4)}});
           o["postcode"] = p->profile.postcode;
           if (p->profile.birth_year) o["birth_year"] = *p->profile.birth_year;
           o["lone_parent"] = p->profile.lone_parent;
           o["disability_or_long_term_condition"] = p->profile.disability;
           o["referrals"] = std::move(referrals);
           o["stages"] = std::move(stages);
           o["outcomes"] = std::move(outcomes);
           o["consents"] = std::move(consents);
           o["who_looked"] = std::move(views);
           o["notes"] = std::move(notes);
           o["goals"] = std::move(goals);
           o["steps"] = std::move(steps);
           return o;
         },
         [](store::Scope& s, const Subject& who) {
           Counts c;
           if (!who.person_id) return c;
           auto id = *who.person_id;
           journeys::KpiChange kpi(s, id);  // outcome counts stay; the monitoring answers go
           auto act = [&](const std::string& table, const std::string& sql) {
             c[table] += s.write({table + ".erase", "journey_person", id, "erasure"}, sql, {id});
           };
           auto red = journeys_store::redact_history(s, id);
           c["journey_plan_history"] = red.plan;
           c["journey_consent_events"] = red.consent;
           act("journey_steps", "DELETE FROM journey_steps WHERE partnership_id = $1 AND person_id = $2");
           act("journey_goals", "DELETE FROM journey_goals WHERE partnership_id = $1 AND person_id = $2");
           act("journey_notes", "DELETE FROM journey_notes WHERE partnership_id = $1 AND person_id = $2");
           act("journey_consents", "DELETE FROM journey_consents WHERE partnership_id = $1 AND person_id = $2");
           act("journey_keyworkers", "DELETE FROM journey_keyworkers WHERE partnership_id = $1 AND person_id = $2");
           act("journey_referrals", "UPDATE journey_referrals SET message = '', decline_text = '', stop_reason = ''"
                                    " WHERE partnership_id = $1 AND person_id = $2");
           act("journey_outcomes", "UPDATE journey_outcomes SET employer = '', detail = '' WHERE partnership_id = $1"
                                   " AND person_id = $2");
           act("journey_people", "UPDATE journey_people SET name = 'Erased person', what_matters = '', good_life = '',"
                                 " strengths = '', barriers = '', contact_pref = '', postcode = '', birth_year = NULL, user_id = NULL,"
                                 " lone_parent = 'not_asked', disability = 'not_asked',"
                                 " created_by = NULL,"
                                 " updated_at = 0 WHERE partnership_id = $1 AND id = $2");
           kpi.done();
           return c;
         }});
}

}  // namespace cp::modules::rights
