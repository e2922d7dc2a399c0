// Idea boards in the permission matrix, from the policy we intend: boards are public; anyone signed
// in puts ideas, supports and comments; staff other than councillors decide what happens to an idea
// and agree actions. Each row makes its own lab and idea (already adopted, so an action can follow).
#include "modules/events/events.hpp"
#include "modules/ideas/ideas.hpp"
#include "core/util.hpp"
#include "core/util.hpp"
#include "support/matrix.hpp"

namespace {

using namespace cp;
using namespace cp::test::matrix;
namespace ev = cp::modules::events;
namespace ideas = cp::modules::ideas;

struct Made {
  std::int64_t lab = 0, idea = 0;
};

Made make(Target& t) {
  auto w = t.s->app->work(t.p->id, {std::nullopt, "matrix", "", ""});
  ev::EventInput in;
  in.title = "Matrix lab";
  in.date = ev::utc_to_london(now_seconds() + 7 * 86400, "%Y-%m-%d");
  in.start_time = "10:00";
  in.end_time = "11:00";
  in.place = "Hall";
  in.capacity = "50";
  Made m;
  m.lab = ev::store_fn::create(w.scope(), in, t.user, "Hall");
  m.idea = ideas::store_fn::create(w.scope(), {"event", std::to_string(m.lab)}, "Matrix idea", "", t.user);
  ideas::store_fn::set_status(w.scope(), m.idea, "adopted", "");
  w.commit();
  return m;
}

//                                              anon person worker manager other_mgr commissioner councillor admin beta
std::vector<Row> rows() {
  return {
      {"GET", "/ideas", "OOOOOOOOO", [](Target& t, int) { return page("GET", "/ideas?event=" + std::to_string(make(t).lab)); }},
      {"GET", "/ideas/new", "DOOOOOOOD",
       [](Target& t, int) { return page("GET", "/ideas/new?event=" + std::to_string(make(t).lab)); }},
      {"POST", "/ideas", "DOOOOOOOD",
       [](Target& t, int) {
         return page("POST", "/ideas", 0, "board_kind=event&board_ref=" + std::to_string(make(t).lab) + "&title=More+benches");
       }},
      {"GET", "/ideas/{id}", "OOOOOOOOO", [](Target& t, int) { return page("GET", "/ideas/{id}", make(t).idea); }},
      {"POST", "/ideas/{id}/support", "DOOOOOOOD",
       [](Target& t, int) { return page("POST", "/ideas/{id}/support", make(t).idea); }},
      {"POST", "/ideas/{id}/comments", "DOOOOOOOD",
       [](Target& t, int) { return page("POST", "/ideas/{id}/comments", make(t).idea, "body=Good+idea"); }},
      {"POST", "/ideas/{id}/status", "DDOOOODOD",
       [](Target& t, int) { return page("POST", "/ideas/{id}/status", make(t).idea, "status=discussed"); }},
      {"POST", "/ideas/{id}/action", "DDOOOODOD",
       [](Target& t, int) {
         return page("POST", "/ideas/{id}/action", make(t).idea, "action_title=Do+it&action_owner=Team");
       }},
  };
}

const Register reg(rows);

}  // namespace
