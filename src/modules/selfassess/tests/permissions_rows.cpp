// The permission matrix rows for self-assessment (see tests/support/matrix.hpp). Rows on {id} build
// their own records: a scale, and a person on the signed-in worker's caseload who consented to the
// worker's organisation seeing outcomes (so only that worker may open their progress).
#include "modules/journeys/journeys.hpp"
#include "modules/selfassess/selfassess.hpp"
#include "support/matrix.hpp"

namespace {

using namespace cp::test::matrix;
namespace jdb = cp::modules::journeys_store;

std::int64_t scale(Target& t) {
  cp::modules::selfassess::ScaleInput in;
  in.name = {"Matrix scale", ""};
  in.question = {"How?", ""};
  in.low = {"Low", ""};
  in.middle = {"Middle", ""};
  in.high = {"High", ""};
  auto w = t.s->app->work(t.p->id, {std::nullopt, "test", "", ""});
  auto id = cp::modules::selfassess_store::add_scale(w.scope(), in);
  w.commit();
  return id;
}

std::int64_t consented(Target& t) {
  auto w = t.s->app->work(t.p->id, {std::nullopt, "test", "", ""});
  bool worker_here = t.actor && t.p->id == t.s->alpha.id && t.role == "worker";
  auto id = jdb::create_person(w.scope(), "Matrix Person", std::nullopt, worker_here ? t.actor : t.user, t.org);
  jdb::set_consents(w.scope(), id, t.org, {"outcomes"}, {0, "test"});
  w.commit();
  return id;
}

const std::string kScale = "name=Matrix&question=How&low=L&middle=M&high=H";

std::string answer(Target& t) { return "reason=follow_up&score-" + std::to_string(scale(t)) + "=5"; }

//                         anon person worker manager other_mgr commissioner councillor admin beta_admin
std::vector<Row> rows() {
  return {
      {"GET", "/admin/scales", "DDDDDDDOD", [](Target&, int) { return page("GET", "/admin/scales"); }},
      {"GET", "/admin/scales/new", "DDDDDDDOD", [](Target&, int) { return page("GET", "/admin/scales/new"); }},
      {"POST", "/admin/scales/new", "DDDDDDDOD",
       [](Target&, int) { return page("POST", "/admin/scales/new", 0, kScale); }},
      {"GET", "/admin/scales/{id}", "DDDDDDDOD",
       [](Target& t, int) { return page("GET", "/admin/scales/{id}", scale(t)); }},
      {"POST", "/admin/scales/{id}", "DDDDDDDOD",
       [](Target& t, int) { return page("POST", "/admin/scales/{id}", scale(t), kScale + "&active=0"); }},
      {"GET", "/me/progress", "DOOOOOOOD", [](Target&, int) { return page("GET", "/me/progress"); }},
      {"GET", "/me/progress/new", "DOOOOOOOD", [](Target&, int) { return page("GET", "/me/progress/new"); }},
      {"POST", "/me/progress/new", "DOOOOOOOD",
       [](Target& t, int) { return page("POST", "/me/progress/new", 0, answer(t)); }},
      {"GET", "/people/{id}/progress", "DDODDDDDD",
       [](Target& t, int) { return page("GET", "/people/" + std::to_string(consented(t)) + "/progress?reason=follow_up"); }},
      {"GET", "/people/{id}/progress/new", "DDODDDDDD",
       [](Target& t, int) {
         return page("GET", "/people/" + std::to_string(consented(t)) + "/progress/new?reason=follow_up");
       }},
      {"POST", "/people/{id}/progress/new", "DDODDDDDD",
       [](Target& t, int) { return page("POST", "/people/{id}/progress/new", consented(t), answer(t)); }},
  };
}

const Register reg(rows);

}  // namespace
