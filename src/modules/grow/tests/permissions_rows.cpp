// "Grow it" rows in the permission matrix (see tests/support/matrix.hpp), written from the policy we
// intend: champions are for anyone signed in here, and staff manage them; business cases and cost
// figures are for staff; skills checks are for staff, their framework for admins, and a shared
// check only for a manager of the organisation it was shared with.
#include "modules/grow/grow.hpp"
#include "support/matrix.hpp"

namespace {

using namespace cp;
using namespace cp::test::matrix;
namespace g = cp::modules::grow;

store::Work work(Target& t) { return t.s->app->work(t.p->id, {std::nullopt, "matrix", "", ""}); }

std::int64_t pending_champion(Target& t) {
  auto w = work(t);
  g::ChampionInput in;
  in.name = "Matrix champion";
  in.area = "co_design";
  in.contact_pref = "through_staff";
  auto id = g::add_champion(w.scope(), in, "pending", 0);
  w.commit();
  return id;
}

std::int64_t a_case(Target& t) {
  auto w = work(t);
  auto id = g::add_case(w.scope(), "Matrix case", "", std::nullopt, 0);
  w.commit();
  return id;
}

std::int64_t an_assumption(Target& t, int serial) {
  auto w = work(t);
  auto id = g::add_assumption(w.scope(), "Matrix figure " + std::to_string(serial), "hour", 1000, "A test", 0);
  w.commit();
  return id;
}

std::int64_t a_competency(Target& t) {
  auto w = work(t);
  g::CompetencyInput in{"Matrix skill", "What it means", {"One", "Two", "Three", "Four"}, ""};
  auto id = g::add_competency(w.scope(), in);
  w.commit();
  return id;
}

// The target's account, shared with the target organisation (whose manager is the "manager" role).
std::int64_t shared_staff(Target& t) {
  auto w = work(t);
  g::set_share(w.scope(), t.user, t.org, true);
  w.commit();
  return t.user;
}

const std::string kChampion = "name=Named+person&area=co_delivery&contact_pref=through_staff&listed=1";
const std::string kSelf = "area=co_design&contact_pref=email&contact_detail=me%40example.org&listed=1";
const std::string kSkill = "name=Listening&description=Hearing+people&level1=a&level2=b&level3=c&level4=d";

//                                                  anon person worker manager other_mgr commissioner councillor admin beta
std::vector<Row> grow_rows() {
  return {
      {"GET", "/toolkit/champions", "DOOOOOOOD", [](Target&, int) { return page("GET", "/toolkit/champions"); }},
      {"GET", "/toolkit/champions/new", "DDOOOOOOD", [](Target&, int) { return page("GET", "/toolkit/champions/new"); }},
      {"POST", "/toolkit/champions", "DDOOOOOOD", [](Target&, int) { return page("POST", "/toolkit/champions", 0, kChampion); }},
      {"GET", "/toolkit/champions/nominate", "DOOOOOOOD",
       [](Target&, int) { return page("GET", "/toolkit/champions/nominate"); }},
      {"POST", "/toolkit/champions/nominate", "DOOOOOOOD",
       [](Target&, int) { return page("POST", "/toolkit/champions/nominate", 0, kSelf); }},
      {"POST", "/toolkit/champions/{id}/confirm", "DDOOOOOOD",
       [](Target& t, int) { return page("POST", "/toolkit/champions/{id}/confirm", pending_champion(t), "x=1"); }},
      {"POST", "/toolkit/champions/{id}/remove", "DDOOOOOOD",
       [](Target& t, int) { return page("POST", "/toolkit/champions/{id}/remove", pending_champion(t), "x=1"); }},

      {"GET", "/toolkit/business-case", "DDOOOOOOD", [](Target&, int) { return page("GET", "/toolkit/business-case"); }},
      {"GET", "/toolkit/business-case/new", "DDOOOOOOD",
       [](Target&, int) { return page("GET", "/toolkit/business-case/new"); }},
      {"POST", "/toolkit/business-case", "DDOOOOOOD",
       [](Target&, int) { return page("POST", "/toolkit/business-case", 0, "title=A+new+case"); }},
      {"GET", "/toolkit/business-case/assumptions", "DDOOOOOOD",
       [](Target&, int) { return page("GET", "/toolkit/business-case/assumptions"); }},
      {"POST", "/toolkit/business-case/assumptions", "DDOOOOOOD",
       [](Target&, int serial) {
         return page("POST", "/toolkit/business-case/assumptions", 0,
                     "name=Figure+" + std::to_string(serial) + "&unit=day&value=100&source=A+report");
       }},
      {"GET", "/toolkit/business-case/assumptions/{id}", "DDOOOOOOD",
       [](Target& t, int serial) { return page("GET", "/toolkit/business-case/assumptions/{id}", an_assumption(t, serial)); }},
      {"POST", "/toolkit/business-case/assumptions/{id}", "DDOOOOOOD",
       [](Target& t, int serial) {
         return page("POST", "/toolkit/business-case/assumptions/{id}", an_assumption(t, serial), "value=12.50&source=Newer+report");
       }},
      {"GET", "/toolkit/business-case/{id}", "DDOOOOOOD",
       [](Target& t, int) { return page("GET", "/toolkit/business-case/{id}", a_case(t)); }},
      {"POST", "/toolkit/business-case/{id}/costs", "DDOOOOOOD",
       [](Target& t, int) {
         return page("POST", "/toolkit/business-case/{id}/costs", a_case(t), "kind=venue&description=Hall&amount=50");
       }},
      {"POST", "/toolkit/business-case/{id}/outcomes", "DDOOOOOOD",
       [](Target& t, int) {
         return page("POST", "/toolkit/business-case/{id}/outcomes", a_case(t), "description=People+helped&number=3");
       }},
      {"POST", "/toolkit/business-case/{id}/costs/remove", "DDOOOOOOD",
       [](Target& t, int) {
         auto id = a_case(t);
         auto w = work(t);
         auto line = g::add_cost(w.scope(), id, {0, "venue", "Hall", 0, std::nullopt, 5000});
         w.commit();
         return page("POST", "/toolkit/business-case/{id}/costs/remove", id, "line=" + std::to_string(line));
       }},
      {"POST", "/toolkit/business-case/{id}/outcomes/remove", "DDOOOOOOD",
       [](Target& t, int) {
         auto id = a_case(t);
         auto w = work(t);
         auto o = g::add_outcome(w.scope(), id, {0, "People helped", 3, "typed", std::nullopt});
         w.commit();
         return page("POST", "/toolkit/business-case/{id}/outcomes/remove", id, "outcome=" + std::to_string(o));
       }},

      {"GET", "/toolkit/competencies", "DDOOOOOOD", [](Target&, int) { return page("GET", "/toolkit/competencies"); }},
      {"GET", "/toolkit/competencies/assess", "DDOOOOOOD",
       [](Target&, int) { return page("GET", "/toolkit/competencies/assess"); }},
      {"POST", "/toolkit/competencies/assess", "DDOOOOOOD",
       [](Target& t, int serial) {
         auto id = a_competency(t);
         // Every skill in the framework needs a level; earlier rows may have added some.
         std::string body = "on=2026-0" + std::to_string(1 + serial % 9) + "-1" + std::to_string(serial % 10);
         auto w = t.s->app->work(t.p->id, {std::nullopt, "matrix", "", ""}, store::Transaction::Mode::read);
         for (const auto& c : g::competencies(w.scope(), false)) body += "&level-" + std::to_string(c.id) + "=2";
         (void)id;
         return page("POST", "/toolkit/competencies/assess", 0, body);
       }},
      {"POST", "/toolkit/competencies/share", "DDOOOOOOD",
       [](Target&, int) { return page("POST", "/toolkit/competencies/share", 0, "shared=0"); }},
      {"GET", "/toolkit/competencies/team", "DDDOODDDD", [](Target&, int) { return page("GET", "/toolkit/competencies/team"); }},
      {"GET", "/toolkit/competencies/staff/{id}", "DDDONDDDD",
       [](Target& t, int) { return page("GET", "/toolkit/competencies/staff/{id}", shared_staff(t)); }},
      {"GET", "/toolkit/competencies/framework", "DDDDDDDOD",
       [](Target&, int) { return page("GET", "/toolkit/competencies/framework"); }},
      {"POST", "/toolkit/competencies/framework", "DDDDDDDOD",
       [](Target&, int) { return page("POST", "/toolkit/competencies/framework", 0, kSkill); }},
      {"GET", "/toolkit/competencies/framework/new", "DDDDDDDOD",
       [](Target&, int) { return page("GET", "/toolkit/competencies/framework/new"); }},
      {"GET", "/toolkit/competencies/framework/{id}", "DDDDDDDOD",
       [](Target& t, int) { return page("GET", "/toolkit/competencies/framework/{id}", a_competency(t)); }},
      {"POST", "/toolkit/competencies/framework/{id}", "DDDDDDDOD",
       [](Target& t, int) { return page("POST", "/toolkit/competencies/framework/{id}", a_competency(t), kSkill); }},
  };
}

static const Register reg(grow_rows);

}  // namespace
