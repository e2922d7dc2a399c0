// The permission matrix rows for people's records (see tests/support/matrix.hpp). Rows on {id} build
// their own records: a person on the signed-in worker's caseload who consented for the worker's
// organisation (so only that worker may open it), a person who did not consent (nobody may), and
// the signed-in account's own plan.
#include <boost/json.hpp>

#include <cstdio>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "modules/journeys/journeys.hpp"
#include "support/matrix.hpp"

namespace {

using namespace cp::test::matrix;
namespace db = cp::modules::journeys_store;

bool worker_here(const Target& t) { return t.actor && t.p->id == t.s->alpha.id && t.role == "worker"; }

// A person on the key worker's caseload (the signed-in worker when there is one), with these parts
// consented for the target organisation.
std::int64_t caseload_person(Target& t, const std::vector<std::string>& parts) {
  auto w = t.s->app->work(t.p->id, {std::nullopt, "test", "", ""});
  std::int64_t worker = worker_here(t) ? t.actor : t.user;
  auto id = db::create_person(w.scope(), "Matrix Person", std::nullopt, worker, t.org);
  if (!parts.empty()) db::set_consents(w.scope(), id, t.org, parts, {0, "test"});
  w.commit();
  return id;
}

std::int64_t goal_of(Target& t, std::int64_t person) {
  auto w = t.s->app->work(t.p->id, {std::nullopt, "test", "", ""});
  auto id = db::add_goal(w.scope(), person, "Matrix goal", {0, "test"});
  w.commit();
  return id;
}

std::int64_t step_of(Target& t, std::int64_t person) {
  auto goal = goal_of(t, person);
  auto w = t.s->app->work(t.p->id, {std::nullopt, "test", "", ""});
  cp::modules::journeys::StepInput in;
  in.action = "Matrix step";
  in.who = "person";
  auto id = db::add_step(w.scope(), person, goal, in, {0, "test"});
  w.commit();
  return id;
}

// The signed-in account's own record (another person's when nobody in this partnership is signed in).
std::int64_t own_person(Target& t) {
  auto w = t.s->app->work(t.p->id, {std::nullopt, "test", "", ""});
  bool here = t.actor && t.p->id == t.s->alpha.id;
  auto p = db::ensure_person_for_user(w.scope(), here ? t.actor : t.user, "Matrix Own");
  w.commit();
  return p.id;
}

std::int64_t consented(Target& t) { return caseload_person(t, {"profile", "plan", "notes"}); }
std::int64_t consented_all(Target& t) { return caseload_person(t, {"profile", "plan", "notes", "outcomes"}); }

// A directory service in the target partnership run by a new organisation of its own.
std::int64_t partner_service(Target& t, int n) {
  char uuid[3][64];
  for (int k = 0; k < 3; ++k)
    std::snprintf(uuid[k], sizeof uuid[k], "9999999%d-0000-4000-8000-%012lld", k, static_cast<long long>(t.p->id * 1000 + n));
  std::string feed = std::string("{\"id\":\"") + uuid[0] + "\",\"name\":\"Matrix partner service\",\"status\":\"active\"," +
                     "\"organization\":{\"id\":\"" + uuid[1] + "\",\"name\":\"Matrix Partner " + uuid[1] +
                     "\",\"description\":\"A partner.\"}}";
  auto w = t.s->app->work(t.p->id, {std::nullopt, "test", "", ""});
  cp::modules::directory_store::import_feed(w.scope(), boost::json::parse(feed));
  auto id = w->read("SELECT id FROM directory_services WHERE partnership_id = $1 AND uuid = $2", {std::string(uuid[0])})
                .one()
                .i64(0);
  w.commit();
  return id;
}

// A referral to the target organisation from another one, for `person`; sent unless `awaiting`.
std::int64_t referral_to_org(Target& t, std::int64_t person, int n, bool awaiting) {
  auto from = t.s->add_organisation(*t.p, "Matrix Referrer " + std::to_string(n) + "-" + std::to_string(t.p->id));
  auto service = partner_service(t, n);
  auto w = t.s->app->work(t.p->id, {std::nullopt, "test", "", ""});
  cp::modules::journeys::Referral r;
  r.person_id = person;
  r.from_organisation_id = from;
  r.from_worker_name = "test";
  r.to_organisation_id = t.org;
  r.service_id = service;
  r.service_name = "Matrix partner service";
  r.parts = {"profile"};
  auto id = db::add_referral(w.scope(), r);
  if (!awaiting) db::send_referral(w.scope(), id, {0, "test"});
  w.commit();
  return id;
}

// A job start 14 weeks ago for a fully consented person: its 13-week check is due.
std::int64_t due_check(Target& t) {
  auto person = consented_all(t);
  auto w = t.s->app->work(t.p->id, {std::nullopt, "test", "", ""});
  cp::modules::journeys::OutcomeInput in;
  in.kind = "job_start";
  in.on_date = cp::modules::journeys::iso_date(cp::now_seconds() - 14 * 7 * 86400);
  in.hours = 20;
  in.contract = "permanent";
  auto outcome = db::add_outcome(w.scope(), person, in, {0, "test"});
  auto id = w->read("SELECT id FROM journey_outcome_checks WHERE partnership_id = $1 AND outcome_id = $2 AND week = 13",
                    {outcome})
                .one()
                .i64(0);
  w.commit();
  return id;
}

std::string today_fields(const std::string& prefix) {
  auto d = cp::modules::journeys::iso_date(cp::now_seconds());
  return prefix + "_day=" + std::to_string(std::stoi(d.substr(8, 2))) + "&" + prefix +
         "_month=" + std::to_string(std::stoi(d.substr(5, 2))) + "&" + prefix + "_year=" + d.substr(0, 4);
}

const std::string kStep = "action=Do+it&who=person&status=not_started";

//                         anon person worker manager other_mgr commissioner councillor admin beta_admin
std::vector<Row> rows() {
  return {
      {"GET", "/me/record", "DOOOOOOOD", [](Target&, int) { return page("GET", "/me/record"); }},
      {"POST", "/me/record", "DOOOOOOOD",
       [](Target&, int) { return page("POST", "/me/record", 0, "what_matters=My+family&language=en"); }},
      {"GET", "/me/record/views", "DOOOOOOOD", [](Target&, int) { return page("GET", "/me/record/views"); }},
      {"GET", "/me/consents", "DOOOOOOOD", [](Target&, int) { return page("GET", "/me/consents"); }},
      {"POST", "/me/consents", "DOOOOOOOD",
       [](Target& t, int) { return page("POST", "/me/consents", 0, "organisation=" + std::to_string(t.org) + "&parts=profile"); }},
      {"GET", "/me/notes", "DOOOOOOOD", [](Target&, int) { return page("GET", "/me/notes"); }},
      {"GET", "/me/plan", "DOOOOOOOD", [](Target&, int) { return page("GET", "/me/plan"); }},
      {"POST", "/me/plan/goals", "DOOOOOOOD", [](Target&, int) { return page("POST", "/me/plan/goals", 0, "goal=Drive"); }},
      {"POST", "/me/plan/steps", "DOOOOOOOD",
       [](Target& t, int) {
         return page("POST", "/me/plan/steps", 0, kStep + "&goal_id=" + std::to_string(goal_of(t, own_person(t))));
       }},
      {"GET", "/plan/goals/{id}", "DOOOOOOOD",
       [](Target& t, int) { return page("GET", "/plan/goals/{id}", goal_of(t, own_person(t))); }},
      {"GET", "/plan/goals/{id}", "DDODDDDDD",
       [](Target& t, int) { return page("GET", "/plan/goals/{id}", goal_of(t, consented(t))); }},
      {"POST", "/plan/goals/{id}", "DOOOOOOOD",
       [](Target& t, int) { return page("POST", "/plan/goals/{id}", goal_of(t, own_person(t)), "goal=Changed&version=1"); }},
      {"POST", "/plan/goals/{id}", "DDODDDDDD",
       [](Target& t, int) { return page("POST", "/plan/goals/{id}", goal_of(t, consented(t)), "goal=Changed&version=1"); }},
      {"GET", "/plan/steps/{id}", "DOOOOOOOD",
       [](Target& t, int) { return page("GET", "/plan/steps/{id}", step_of(t, own_person(t))); }},
      {"GET", "/plan/steps/{id}", "DDODDDDDD",
       [](Target& t, int) { return page("GET", "/plan/steps/{id}", step_of(t, consented(t))); }},
      {"POST", "/plan/steps/{id}", "DOOOOOOOD",
       [](Target& t, int) { return page("POST", "/plan/steps/{id}", step_of(t, own_person(t)), kStep + "&version=1"); }},
      {"POST", "/plan/steps/{id}", "DDODDDDDD",
       [](Target& t, int) { return page("POST", "/plan/steps/{id}", step_of(t, consented(t)), kStep + "&version=1"); }},
      {"GET", "/caseload", "DDODDDDDD", [](Target&, int) { return page("GET", "/caseload"); }},
      {"GET", "/people/new", "DDODDDDDD", [](Target&, int) { return page("GET", "/people/new"); }},
      {"POST", "/people/new", "DDODDDDDD", [](Target&, int) { return page("POST", "/people/new", 0, "name=New+Person"); }},
      {"GET", "/people/{id}", "DDODDDDDD",
       [](Target& t, int) {
         auto r = page("GET", "/people/{id}", consented(t));
         r.path += "?part=profile&reason=review_plan";
         return r;
       }},
      {"GET", "/people/{id}", "DDDDDDDDD",
       [](Target& t, int) {
         auto r = page("GET", "/people/{id}", caseload_person(t, {"plan"}));
         r.path += "?part=profile&reason=review_plan";
         return r;
       }},
      {"GET", "/people/{id}/notes/new", "DDODDDDDD",
       [](Target& t, int) { return page("GET", "/people/{id}/notes/new", consented(t)); }},
      {"POST", "/people/{id}/notes", "DDODDDDDD",
       [](Target& t, int) { return page("POST", "/people/{id}/notes", consented(t), "kind=call&talked_about=Work"); }},
      {"GET", "/people/{id}/profile", "DDODDDDDD",
       [](Target& t, int) { return page("GET", "/people/{id}/profile", consented(t)); }},
      {"POST", "/people/{id}/profile", "DDODDDDDD",
       [](Target& t, int) { return page("POST", "/people/{id}/profile", consented(t), "what_matters=Family&language=en"); }},
      {"GET", "/people/{id}/consents", "DDODDDDDD",
       [](Target& t, int) { return page("GET", "/people/{id}/consents", caseload_person(t, {})); }},
      {"POST", "/people/{id}/consents", "DDODDDDDD",
       [](Target& t, int) { return page("POST", "/people/{id}/consents", caseload_person(t, {}), "parts=profile&asked=1"); }},
      {"POST", "/people/{id}/account", "DDODDDDDD",
       [](Target& t, int n) {
         std::string email = "link" + std::to_string(n) + "-" + std::to_string(t.p->id) + "@example.org";
         t.s->add_user(*t.p, email, kPassword, cp::auth::Role::person);
         return page("POST", "/people/{id}/account", caseload_person(t, {}), "email=" + email);
       }},
      {"POST", "/people/{id}/plan/goals", "DDODDDDDD",
       [](Target& t, int) { return page("POST", "/people/{id}/plan/goals", consented(t), "goal=Drive"); }},
      {"POST", "/people/{id}/plan/steps", "DDODDDDDD",
       [](Target& t, int) {
         auto p = consented(t);
         return page("POST", "/people/{id}/plan/steps", p, kStep + "&goal_id=" + std::to_string(goal_of(t, p)));
       }},
      {"GET", "/plan/goals/{id}/options", "DOOOOOOOD",
       [](Target& t, int) { return page("GET", "/plan/goals/{id}/options", goal_of(t, own_person(t))); }},
      {"GET", "/plan/goals/{id}/options", "DDODDDDDD",
       [](Target& t, int) { return page("GET", "/plan/goals/{id}/options", goal_of(t, consented(t))); }},
      {"POST", "/plan/goals/{id}/choices", "DOOOOOOOD",
       [](Target& t, int n) {
         return page("POST", "/plan/goals/{id}/choices", goal_of(t, own_person(t)),
                     "kind=service&option=" + std::to_string(partner_service(t, n)));
       }},
      {"POST", "/plan/goals/{id}/choices", "DDODDDDDD",
       [](Target& t, int n) {
         return page("POST", "/plan/goals/{id}/choices", goal_of(t, consented(t)),
                     "kind=service&option=" + std::to_string(partner_service(t, n)));
       }},
      {"GET", "/people/{id}/referrals/new", "DDODDDDDD",
       [](Target& t, int) { return page("GET", "/people/{id}/referrals/new", consented(t)); }},
      {"POST", "/people/{id}/referrals", "DDODDDDDD",
       [](Target& t, int n) {
         return page("POST", "/people/{id}/referrals", consented(t),
                     "service=" + std::to_string(partner_service(t, n)) + "&parts=plan&asked=1&reason=follow_up");
       }},
      {"GET", "/referrals", "DDOOODDDD", [](Target&, int) { return page("GET", "/referrals"); }},
      {"GET", "/referrals/{id}", "DDOODDDDD",
       [](Target& t, int n) { return page("GET", "/referrals/{id}", referral_to_org(t, consented(t), n, false)); }},
      {"POST", "/referrals/{id}/decision", "DDOODDDDD",
       [](Target& t, int n) {
         return page("POST", "/referrals/{id}/decision", referral_to_org(t, consented(t), n, false), "decision=accept");
       }},
      {"GET", "/me/referrals", "DOOOOOOOD", [](Target&, int) { return page("GET", "/me/referrals"); }},
      {"POST", "/me/referrals/{id}", "DOOOOOOOD",
       [](Target& t, int n) { return page("POST", "/me/referrals/{id}", referral_to_org(t, own_person(t), n, true), "answer=yes"); }},
      {"GET", "/people/{id}/outcomes", "DDODDDDDD",
       [](Target& t, int) { return page("GET", "/people/{id}/outcomes", consented_all(t)); }},
      {"POST", "/people/{id}/stages", "DDODDDDDD",
       [](Target& t, int) {
         return page("POST", "/people/{id}/stages", consented_all(t), "stage=2&reason=follow_up&" + today_fields("stage"));
       }},
      {"POST", "/people/{id}/outcomes", "DDODDDDDD",
       [](Target& t, int) {
         return page("POST", "/people/{id}/outcomes", consented_all(t), "kind=education&reason=follow_up&" + today_fields("out"));
       }},
      {"POST", "/checks/{id}", "DDODDDDDD",
       [](Target& t, int) {
         return page("POST", "/checks/{id}", due_check(t), "still_in_work=yes&reason=follow_up&" + today_fields("check"));
       }},
      {"GET", "/me/outcomes", "DOOOOOOOD", [](Target&, int) { return page("GET", "/me/outcomes"); }},
      {"GET", "/caseload/team", "DDDOODDDD", [](Target&, int) { return page("GET", "/caseload/team"); }},
      {"GET", "/admin/lawful-basis", "DDDDDDDOD", [](Target&, int) { return page("GET", "/admin/lawful-basis"); }},
      {"POST", "/admin/lawful-basis", "DDDDDDDOD",
       [](Target& t, int) {
         return page("POST", "/admin/lawful-basis", 0, "organisation=" + std::to_string(t.org) + "&basis=public_task");
       }},
  };
}

const Register reg(rows);

}  // namespace
