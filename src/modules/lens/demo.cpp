// Demo figures for the learning lens: 50 more made-up people on the demo worker's caseloads (55 in all, a real caseload size) at two
// organisations, with stages, outcomes, sustainment checks, monitoring answers and self-assessments,
// all through the journeys and selfassess interfaces (so the kept counts move as in real use), and
// two learning log entries. Idempotent: the log entries mark it done.
#include <map>

#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/lens/lens.hpp"
#include "modules/lens/publish.hpp"
#include "modules/organisations/organisations.hpp"
#include "modules/selfassess/selfassess.hpp"

namespace cp::modules::lens {

void seed_demo(app::App& a, store::Scope& s) {
  if (s.read("SELECT COUNT(*) FROM lens_log WHERE partnership_id = $1").one().i64(0) > 0) return seed_demo_summary(a, s);
  auto worker = AccountsModule::find_user(s, "worker@demo.example");
  auto admin = AccountsModule::find_user(s, "admin@demo.example");
  auto solo = organisations_store::find_by_slug(s, "solo-steps-families");
  auto hub = organisations_store::find_by_slug(s, "lowhaven-community-hub");
  if (!worker || !admin || !solo || !hub) return;
  journeys::Who sam{*worker, "Sam Duncan"};
  const char* first[] = {"Aileen", "Ben", "Callum", "Demi", "Euan", "Fiona", "Gary", "Holly", "Iain", "Jade",
                         "Kieran", "Leanne", "Mhairi", "Neil", "Orla", "Paul", "Rhona", "Scott", "Tanya", "Wes"};
  const char* last[] = {"Adams", "Bell", "Clark"};
  const char* postcodes[] = {"KY1 1QB", "KY1 2AB", "KY2 5EE", "KY8 3RT", "KY11 4JJ"};
  const char* answers[] = {"yes", "no", "no", "prefer_not", "not_asked"};
  auto scales = selfassess_store::scales(s, true);
  std::string today = journeys::iso_date(now_seconds());
  // A fixed scramble of i, so answers, stages and outcomes do not line up in stripes.
  auto mix = [](int i, int salt, int m) { return int((std::uint64_t(i) * 2654435761u + std::uint64_t(salt) * 40503u) % 1009u) % m; };
  for (int i = 0; i < 50; ++i) {
    std::string name = std::string(first[i % 20]) + " " + last[i / 20];
    auto org = i % 3 == 0 ? *hub : *solo;
    auto id = journeys_store::create_person(s, name, std::nullopt, *worker, org);
    journeys::Profile p;
    p.what_matters = "Getting back into work.";
    p.postcode = postcodes[mix(i, 1, 5)];
    p.birth_year = 1958 + mix(i, 2, 48);
    p.lone_parent = answers[mix(i, 3, 5)];
    p.disability = answers[mix(i, 4, 5)];
    journeys_store::save_profile(s, id, p);
    // Stages: everyone starts somewhere; most move on, a few move back.
    int top = 1 + mix(i, 5, 5);
    std::int64_t start_days = 640 - i * 8;  // first stage between 640 and 168 days ago
    for (int st = 1; st <= top; ++st)
      journeys_store::add_stage(s, id, st, journeys::add_days(today, -(start_days - (st - 1) * 20)), sam);
    if (mix(i, 6, 9) == 0 && top > 2) journeys_store::add_stage(s, id, top - 1, journeys::add_days(today, -(start_days - top * 20)), sam);
    // Outcomes for those who reached stage 4 or 5, and some learning and volunteering.
    if (top >= 4) {
      journeys::OutcomeInput o;
      o.kind = "job_start";
      o.on_date = journeys::add_days(today, -(start_days - top * 20 - 10));
      o.contract = i % 2 ? "permanent" : "fixed_term";
      o.employer = "A local employer";
      o.hours = 16 + i % 20;
      journeys_store::add_outcome(s, id, o, sam);
      // Answer the checks that have fallen due: most are still in work.
      for (const auto& c : journeys_store::checks(s, id))
        if (c.due_on <= today && !c.still_in_work && mix(i, 30 + int(c.week), 5) != 0)
          journeys_store::answer_check(s, c.id, mix(i, 7 + int(c.week), 6) != 0, c.due_on, sam);
    } else if (mix(i, 8, 3) == 0) {
      journeys::OutcomeInput o;
      o.kind = mix(i, 9, 2) == 0 ? "education" : "volunteering";
      o.on_date = journeys::add_days(today, -(start_days - 60));
      journeys_store::add_outcome(s, id, o, sam);
    }
    // Self-assessments: two completions a few months apart on every active scale.
    if (!scales.empty() && mix(i, 10, 3) != 0) {
      std::map<std::int64_t, int> before, after;
      for (std::size_t k = 0; k < scales.size(); ++k) {
        int b = 2 + mix(i, 11 + int(k), 5);
        before[scales[k].id] = b;
        after[scales[k].id] = std::min(10, b + mix(i, 20 + int(k), 5) - 1);
      }
      selfassess_store::record(s, id, *worker, true, journeys::add_days(today, -start_days), before);
      selfassess_store::record(s, id, *worker, true, journeys::add_days(today, -30), after);
    }
  }
  LogEntry e;
  e.chart_key = "group_lone_parent";
  e.scope_kind = "partnership";
  e.concluded = "Fewer lone parents come to us than we expected. Most who come find work.";
  e.will_try = "A drop-in at the school gates on Tuesday mornings, with the family support team.";
  e.review_on = journeys::add_days(today, 90);
  e.written_by = *admin;
  e.by_name = "Morag Henderson";
  lens_store::add_entry(s, e);
  e.chart_key = "sustained";
  e.concluded = "Many 13-week checks are done, but we do not yet know about 52 weeks for most people.";
  e.will_try = "Key workers will book the 26-week call on the day someone starts work.";
  e.review_on = "";
  lens_store::add_entry(s, e);
  seed_demo_summary(a, s);  // publish_demo.cpp: one published summary
}

}  // namespace cp::modules::lens
