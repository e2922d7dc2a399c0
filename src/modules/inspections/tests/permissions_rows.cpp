// Inspections' rows in the permission matrix (see tests/support/matrix.hpp), from the policy we
// intend: published reports are public; admins keep inspectors and question sets; admins and
// commissioners plan inspections and see them all; the team (here the "person" column, whom each row
// puts on the team as a registered inspector) answers, records findings and writes the report; the
// staff lead (another account) or an admin sends, publishes and agrees actions; the service's own
// managers (none of the columns) or an admin reply.
#include "modules/accounts/accounts.hpp"
#include "modules/directory/directory.hpp"
#include "modules/inspections/inspections.hpp"
#include "support/matrix.hpp"

namespace {

using namespace cp;
using namespace cp::test::matrix;
namespace db = cp::modules::inspections::inspections_store;
using modules::inspections::Finding;
using modules::inspections::Question;

struct Made {
  std::int64_t inspection = 0, template_id = 0, finding = 0, inspector = 0;
  std::string lead_email;
};

Made make(Target& t, const std::string& stage) {
  auto w = t.s->app->work(t.p->id, {std::nullopt, "matrix", "", ""});
  Made m;
  m.template_id = db::create_template(w.scope(), "Matrix questions",
                                      {Question{"scale", "Were you welcomed?", "Not at all", "Very well"},
                                       Question{"text", "What would you change?", "", ""}});
  auto service = modules::directory_store::brief_by_uuid(w.scope(), t.service);
  db::NewInspection in;
  in.service_id = service->id;
  in.template_id = m.template_id;
  in.lead_user_id = t.user;
  in.title = "Matrix inspection";
  in.response_days = 14;
  m.inspection = db::create(w.scope(), in);
  m.lead_email = modules::AccountsModule::contact(w.scope(), t.user)->email;
  m.inspector = db::add_inspector(w.scope(), t.user, "2026-01-15");
  if (t.role == "person") {
    db::add_inspector(w.scope(), t.actor, "2026-01-15");
    db::add_member(w.scope(), m.inspection, t.actor, "inspector");
  }
  m.finding = db::add_finding(w.scope(), m.inspection, Finding{0, 0, 0, "The ramp is steep.", "", ""}, t.user);
  db::save_report(w.scope(), m.inspection, "The staff were kind.", "");
  if (stage != "planned") db::send(w.scope(), m.inspection, 1000);
  if (stage == "published") {
    db::respond(w.scope(), m.inspection, "Thank you.", 2000);
    db::publish(w.scope(), m.inspection, 3000);
  }
  if (stage == "answered") db::respond(w.scope(), m.inspection, "Thank you.", 2000);
  w.commit();
  return m;
}

// A registered, active inspector not yet on any team, for the team row.
std::string spare_inspector(Target& t, int serial) {
  std::string email = "spare" + std::to_string(serial) + "-" + std::to_string(t.p->id) + "@example.org";
  auto id = t.s->add_user(*t.p, email, kPassword, auth::Role::person);
  auto w = t.s->app->work(t.p->id, {std::nullopt, "matrix", "", ""});
  db::add_inspector(w.scope(), id, "2026-01-15");
  w.commit();
  return email;
}

Request at(const std::string& method, const std::string& rest, const Made& m, std::string body = "") {
  return page(method, "/inspections/" + std::to_string(m.inspection) + rest, 0, std::move(body));
}

//                                                         anon person worker manager other_mgr commissioner councillor admin beta
std::vector<Row> inspections_rows() {
  return {
      {"GET", "/inspections", "OOOOOOOOO", [](Target&, int) { return page("GET", "/inspections"); }},
      {"GET", "/inspections/manage", "DDDDDODOD", [](Target&, int) { return page("GET", "/inspections/manage"); }},
      {"GET", "/inspections/new", "DDDDDODOD", [](Target&, int) { return page("GET", "/inspections/new"); }},
      {"POST", "/inspections", "DDDDDODOD",
       [](Target& t, int) {
         auto m = make(t, "planned");
         return page("POST", "/inspections", 0,
                     "title=Visit&service=" + t.service + "&template=" + std::to_string(m.template_id) +
                         "&response_days=21&lead_email=" + http::url_encode(m.lead_email));
       }},
      {"GET", "/inspections/inspectors", "DDDDDDDOD", [](Target&, int) { return page("GET", "/inspections/inspectors"); }},
      {"POST", "/inspections/inspectors", "DDDDDDDOD",
       [](Target& t, int n) {
         std::string email = "new" + std::to_string(n) + "@example.org";
         t.s->add_user(*t.p, email, kPassword, auth::Role::person);
         return page("POST", "/inspections/inspectors", 0, "trained_on=2026-02-01&email=" + http::url_encode(email));
       }},
      {"POST", "/inspections/inspectors/{id}", "DDDDDDDOD",
       [](Target& t, int) { return page("POST", "/inspections/inspectors/{id}", make(t, "planned").inspector, "active=0"); }},
      {"GET", "/inspections/templates", "DDDDDDDOD", [](Target&, int) { return page("GET", "/inspections/templates"); }},
      {"GET", "/inspections/templates/new", "DDDDDDDOD", [](Target&, int) { return page("GET", "/inspections/templates/new"); }},
      {"POST", "/inspections/templates", "DDDDDDDOD",
       [](Target&, int) { return page("POST", "/inspections/templates", 0, "name=Short+set&q0_kind=text&q0_text=How+was+it"); }},
      {"GET", "/inspections/templates/{id}", "DDDDDDDOD",
       [](Target& t, int) { return page("GET", "/inspections/templates/{id}", make(t, "planned").template_id); }},
      {"POST", "/inspections/templates/{id}", "DDDDDDDOD",
       [](Target& t, int) {
         return page("POST", "/inspections/templates/{id}", make(t, "planned").template_id,
                     "version=1&name=Short+set&q0_kind=text&q0_text=How+was+it");
       }},
      {"GET", "/inspections/services/{id}", "OOOOOOOOO",
       [](Target& t, int) { return page("GET", "/inspections/services/" + t.service); }},
      {"GET", "/inspections/{id}", "DODDDODOD", [](Target& t, int) { return at("GET", "", make(t, "planned")); }},
      {"POST", "/inspections/{id}/visits", "DDDDDDDOD",
       [](Target& t, int) { return at("POST", "/visits", make(t, "planned"), "visit_on=2027-01-10&visit_note=Morning"); }},
      {"POST", "/inspections/{id}/team", "DDDDDDDOD",
       [](Target& t, int n) {
         auto m = make(t, "planned");
         return at("POST", "/team", m, "member_email=" + http::url_encode(spare_inspector(t, n)));
       }},
      {"GET", "/inspections/{id}/answers", "DODDDDDOD", [](Target& t, int) { return at("GET", "/answers", make(t, "planned")); }},
      {"POST", "/inspections/{id}/answers", "DODDDDDOD",
       [](Target& t, int) { return at("POST", "/answers", make(t, "planned"), "q0_score=4&q1_note=More+seats"); }},
      {"POST", "/inspections/{id}/findings", "DODDDDDOD",
       [](Target& t, int) { return at("POST", "/findings", make(t, "planned"), "finding_text=No+signs"); }},
      {"GET", "/inspections/{id}/report", "DODDDDDOD", [](Target& t, int) { return at("GET", "/report", make(t, "planned")); }},
      {"POST", "/inspections/{id}/report", "DODDDDDOD",
       [](Target& t, int) { return at("POST", "/report", make(t, "planned"), "report=It+was+good.&report_cy="); }},
      {"POST", "/inspections/{id}/send", "DDDDDDDOD", [](Target& t, int) { return at("POST", "/send", make(t, "planned")); }},
      {"POST", "/inspections/{id}/response", "DDDDDDDOD",
       [](Target& t, int) { return at("POST", "/response", make(t, "sent"), "response=We+will+fix+the+ramp."); }},
      {"POST", "/inspections/{id}/publish", "DDDDDDDOD", [](Target& t, int) { return at("POST", "/publish", make(t, "answered")); }},
      {"POST", "/inspections/{id}/findings/{finding}/action", "DDDDDDDOD",
       [](Target& t, int) {
         auto m = make(t, "published");
         std::string p = "a" + std::to_string(m.finding) + "_";
         return at("POST", "/findings/" + std::to_string(m.finding) + "/action", m,
                   p + "title=Fit+a+handrail&" + p + "owner=Estates");
       }},
  };
}

const Register reg(inspections_rows);

}  // namespace
