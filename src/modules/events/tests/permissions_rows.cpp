// Labs and events in the permission matrix, written from the policy we intend: labs are public;
// staff who run co-production work (not councillors) make them; the organiser, commissioners and
// admins run them; anyone signed in signs up. Each row makes its own lab, organised by an account
// that is none of the matrix's roles, with that account booked on it.
#include "modules/events/events.hpp"
#include "core/util.hpp"
#include "core/util.hpp"
#include "support/matrix.hpp"

namespace {

using namespace cp;
using namespace cp::test::matrix;
namespace ev = cp::modules::events;

std::int64_t make(Target& t) {
  auto w = t.s->app->work(t.p->id, {std::nullopt, "matrix", "", ""});
  ev::EventInput in;
  in.title = "Matrix lab";
  in.date = ev::utc_to_london(now_seconds() + 7 * 86400, "%Y-%m-%d");
  in.start_time = "10:00";
  in.end_time = "11:00";
  in.place = "Hall";
  in.capacity = "50";
  auto id = ev::store_fn::create(w.scope(), in, t.user, "Hall");
  ev::store_fn::sign_up(w.scope(), id, t.user, {});
  w.commit();
  return id;
}

std::string form() {
  return "title=Matrix+lab&date=" + ev::utc_to_london(now_seconds() + 7 * 86400, "%Y-%m-%d") +
         "&start_time=10:00&end_time=11:00&place=Hall&capacity=50";
}

//                                              anon person worker manager other_mgr commissioner councillor admin beta
std::vector<Row> rows() {
  return {
      {"GET", "/events", "OOOOOOOOO", [](Target&, int) { return page("GET", "/events"); }},
      {"GET", "/events.ics", "OOOOOOOOO", [](Target&, int) { return page("GET", "/events.ics"); }},
      {"GET", "/events/new", "DDOOOODOD", [](Target&, int) { return page("GET", "/events/new"); }},
      {"POST", "/events", "DDOOOODOD", [](Target&, int) { return page("POST", "/events", 0, form()); }},
      {"GET", "/events/{id}", "OOOOOOOOO", [](Target& t, int) { return page("GET", "/events/{id}", make(t)); }},
      {"GET", "/events/{id}/edit", "DDDDDODOD", [](Target& t, int) { return page("GET", "/events/{id}/edit", make(t)); }},
      {"POST", "/events/{id}", "DDDDDODOD",
       [](Target& t, int) { return page("POST", "/events/{id}", make(t), form() + "&version=1"); }},
      {"POST", "/events/{id}/signup", "DOOOOOOOD", [](Target& t, int) { return page("POST", "/events/{id}/signup", make(t)); }},
      {"POST", "/events/{id}/cancel", "DOOOOOOOD", [](Target& t, int) { return page("POST", "/events/{id}/cancel", make(t)); }},
      {"GET", "/events/{id}/manage", "DDDDDODOD", [](Target& t, int) { return page("GET", "/events/{id}/manage", make(t)); }},
      {"POST", "/events/{id}/attendance", "DDDDDODOD",
       [](Target& t, int) { return page("POST", "/events/{id}/attendance", make(t), "present=" + std::to_string(t.user)); }},
      {"POST", "/events/{id}/expenses", "DDDDDODOD",
       [](Target& t, int) {
         return page("POST", "/events/{id}/expenses", make(t),
                     "user_id=" + std::to_string(t.user) + "&amount=5.00&what_for=Bus+fare&paid_on=2027-01-01");
       }},
  };
}

const Register reg(rows);

}  // namespace
