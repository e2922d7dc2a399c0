#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/organisations/organisations.hpp"

namespace cp::modules {

namespace {

struct DemoStep {
  const char* action;
  const char* who;
  std::int64_t due_in_days;  // from today; negative is overdue
};

void plan(store::Scope& s, std::int64_t person, const journeys::Who& by, const char* goal, const std::vector<DemoStep>& steps) {
  auto g = journeys_store::add_goal(s, person, goal, by);
  for (const auto& st : steps) {
    journeys::StepInput in;
    in.action = st.action;
    in.who = st.who;
    in.due_on = journeys::iso_date(now_seconds() + st.due_in_days * 86400);
    journeys_store::add_step(s, person, g, in, by);
  }
}

}  // namespace

void seed_journeys_demo(app::App&, store::Scope& s) {
  auto person = AccountsModule::find_user(s, "person@demo.example");
  auto worker = AccountsModule::find_user(s, "worker@demo.example");
  auto org = organisations_store::find_by_slug(s, "solo-steps-families");
  if (!person || !worker || !org) return;
  if (auto existing = journeys_store::person_for_user(s, *person))
    if (journeys_store::key_worker_link(s, existing->id, *worker)) return;
  journeys::Who sam{*worker, "Sam Duncan"};
  journeys::Who jo{*person, "Jo Morrison"};
  journeys_store::set_lawful_basis(s, *org, "consent", {0, "demo-loader"});
  auto id = journeys_store::create_person(s, "Jo Morrison", *person, *worker, *org);
  journeys::Profile p;
  p.what_matters = "My two girls, and being there for them after school.";
  p.good_life = "A job with hours that fit school. Driving, so I am not stuck waiting for buses.";
  p.strengths = "I am organised and good with people. I ran the school fair stall last year.";
  p.barriers = "Childcare in the holidays. I have been out of work for three years.";
  p.contact_pref = "Text me, not before 10am";
  journeys_store::save_profile(s, id, p);
  journeys_store::set_consents(s, id, *org, {"profile", "plan", "notes"}, jo);
  plan(s, id, jo, "I want a job that fits around school",
       {{"Update my CV with the fair stall and volunteering", "person", 7},
        {"Look at jobs with school hours", "keyworker", 14},
        {"Ask about the holiday club", "partner", -3}});
  plan(s, id, jo, "I want to learn to drive", {{"Book the theory test", "person", 21}});
  journeys::NoteInput n;
  n.kind = "meeting";
  n.talked_about = "Jo wants work that fits school hours. We looked at what she did at the school fair.";
  n.strengths = "Organised the stall and the rota for six volunteers.";
  n.next_steps = "Jo will update her CV. Sam will look for school-hours jobs.";
  journeys_store::add_note(s, id, sam, *org, n);
  n.kind = "call";
  n.talked_about = "Quick call about the holiday club. Jo will visit it on Friday.";
  n.strengths = "";
  n.next_steps = "";
  journeys_store::add_note(s, id, sam, *org, n);

  // A few more people on Sam's caseload, some without an account.
  const std::vector<std::pair<const char*, std::int64_t>> others = {
      {"Alex Reid", -10}, {"Chris Murray", 3}, {"Morven Grant", 30}, {"Dylan Price", -1}};
  for (const auto& [name, due] : others) {
    auto other = journeys_store::create_person(s, name, std::nullopt, *worker, *org);
    journeys_store::set_consents(s, other, *org, {"profile", "plan", "notes"}, sam);
    plan(s, other, sam, "Get back into work", {{"Meet to talk about what matters", "keyworker", due}});
  }
}

}  // namespace cp::modules
