// The demo partnership's champions, cost figures, one business case and the skills framework. Each
// part loads only when its table is empty, so a second `coproduce demo` writes nothing.
#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/directory/directory.hpp"
#include "modules/grow/grow.hpp"
#include "modules/organisations/organisations.hpp"
#include "modules/timebank/extras.hpp"

namespace cp::modules::grow {

namespace {

const char* const kDemoNote = "Made-up figure for the Kingdom Shore demo. Replace it with your own, and say where it comes from.";

void seed_framework(store::Scope& s) {
  if (!competencies(s, true).empty()) return;
  const CompetencyInput items[] = {
      {"Sharing power",
       "Making decisions with people, not for them.",
       {"I tell people about decisions after they are made.", "I ask people what they think before I decide.",
        "People and I decide some things together.", "People lead the decisions, and I help make them happen."},
       "1"},
      {"Valuing what people know",
       "Treating what people have lived through as real know-how, as important as training.",
       {"I mostly rely on my own training.", "I ask people about their lives and listen.",
        "What people tell me changes what I do.", "People's know-how shapes how our whole team works."},
       "2"},
      {"Clear, open talk",
       "Sharing information in words everyone can use, in good time.",
       {"I share information when I am asked.", "I share information, but it can be hard to read.",
        "I share things early, in plain words.", "People help us write what we share, and check it works."},
       "3"},
      {"Building trust",
       "Keeping promises and being there over time.",
       {"I find it hard to keep in touch.", "I keep in touch when things go well.",
        "I keep my promises, and say so when I cannot.", "People trust me enough to tell me when things go wrong."},
       "4"},
      {"Making it easy to take part",
       "Taking away what stops people joining in: cost, time, place and access.",
       {"I expect people to fit in with how we work.", "I sometimes change times or places for people.",
        "I plan for travel, childcare and access from the start.", "People tell us what gets in the way, and we fix it together."},
       "5"},
      {"Learning together",
       "Checking what worked with the people involved, and changing what we do.",
       {"I rarely look back at how things went.", "I ask for feedback at the end.",
        "We look back together and agree what to change.", "We share what we learned so others can use it too."},
       "6"},
  };
  for (const auto& c : items) add_competency(s, c);
}

void seed_assumptions_and_case(store::Scope& s) {
  if (!assumptions(s).empty()) return;
  auto staff = add_assumption(s, "Staff time", "hour", 2850, kDemoNote, 0);
  auto volunteer = add_assumption(s, "Value of a volunteer hour", "hour", 1200, kDemoNote, 0);
  add_assumption(s, "A night in hospital", "day", 45000, kDemoNote, 0);
  auto out_of_work = add_assumption(s, "A person out of work for a year", "year", 1100000, kDemoNote, 0);
  auto ae = add_assumption(s, "A visit to A&E", "each", 18000, kDemoNote, 0);
  if (!cases(s).empty()) return;
  std::optional<std::int64_t> service;
  auto briefs = directory_store::briefs(s);
  if (!briefs.empty()) service = briefs.front().id;
  auto id = add_case(s, "Peer mentors at the job club",
                     "People who have found work help others get ready for work, one morning a week.", service, 0);
  add_cost(s, id, {0, "staff", "Key worker support for the mentors", 12000, staff, 0});
  add_cost(s, id, {0, "volunteer", "Peer mentors' time", 30000, volunteer, 0});
  add_cost(s, id, {0, "venue", "Room hire for the year", 0, std::nullopt, 120000});
  add_cost(s, id, {0, "expenses", "Mentors' bus fares", 0, std::nullopt, 35050});
  add_outcome(s, id, {0, "People who started work", 6, "typed", out_of_work});
  add_outcome(s, id, {0, "A&E visits avoided", 20, "typed", ae});
}

void seed_champions(app::App& a, store::Scope& s) {
  if (!champions(s, true).empty()) return;
  auto manager = AccountsModule::find_user(s, "manager@demo.example");
  auto person = AccountsModule::find_user(s, "person@demo.example");
  if (manager) {
    ChampionInput c;
    c.user_id = *manager;
    c.name = "Priya Shah";
    c.organisation = "Lowhaven Community Hub";
    c.area = "co_delivery";
    c.since_on = "2025-04-01";
    c.contact_pref = "email";
    c.contact_detail = "manager@demo.example";
    c.show_contact = true;
    add_champion(s, c, "confirmed", 0);
    // Recognition lives in the timebank: one confirmed award for Priya, from Jo.
    auto m = timebank::member_for_user(s, *manager);
    auto from = person ? timebank::member_for_user(s, *person) : std::nullopt;
    if (m && from && timebank::awards_for(s, m->id).empty()) {
      std::int64_t award = 0;
      if (timebank::nominate(s, from->id, m->id, "community_champion",
                             "Priya got the hub to ask us what we wanted before changing the café.", award) ==
          timebank::NominateResult::ok)
        timebank::decide_award(s, award, true, 0);
    }
  }
  ChampionInput named;
  named.name = "Aileen Fraser";
  named.organisation = "Kingdom Shore Carers Centre";
  named.area = "topic";
  named.topic = "Young carers";
  named.since_on = "2024-09-01";
  named.contact_pref = "through_staff";
  add_champion(s, named, "confirmed", 0);
  ChampionInput quiet;
  quiet.name = "Tom Reid";
  quiet.area = "co_assessment";
  quiet.contact_pref = "phone";
  quiet.contact_detail = "01592 000000";
  quiet.show_organisation = false;
  quiet.show_contact = false;
  add_champion(s, quiet, "confirmed", 0);
  (void)a;
}

// A worker at Lowhaven Community Hub who shares their skills checks with the hub's manager, so the
// manager's "staff who share with you" page has someone on it. Nobody signs in as them: their
// password is random and never shown.
void seed_staff_checks(app::App& a, store::Scope& s) {
  auto org = organisations_store::find_by_slug(s, "lowhaven-community-hub");
  if (!org) return;
  auto existing = AccountsModule::find_user(s, "hub.worker@demo.example");
  if (existing) return;
  NewUser u;
  u.email = "hub.worker@demo.example";
  u.name = "Lewis Grant";
  u.password = random_token(24);
  u.grants.push_back({auth::Role::worker, *org});
  auto id = AccountsModule::create_user(a, s, u);
  auto comps = competencies(s, false);
  if (comps.empty()) return;
  const int first[] = {1, 2, 2, 3, 1, 2};
  const int later[] = {2, 3, 2, 3, 2, 3};
  const char* examples[] = {"The café group now sets its own menu.", "", "", "", "We moved the group to the evening.", ""};
  std::map<std::int64_t, Rating> a1, a2;
  for (std::size_t i = 0; i < comps.size() && i < 6; ++i) {
    a1[comps[i].id] = {first[i], ""};
    a2[comps[i].id] = {later[i], examples[i]};
  }
  std::int64_t out = 0;
  save_assessment(s, id, *org, "2026-03-02", a1, out);
  save_assessment(s, id, *org, "2026-09-07", a2, out);
  set_share(s, id, *org, true);
}

}  // namespace

void seed_demo(app::App& a, store::Scope& s) {
  seed_framework(s);
  seed_assumptions_and_case(s);
  seed_champions(a, s);
  seed_staff_checks(a, s);
}

}  // namespace cp::modules::grow
