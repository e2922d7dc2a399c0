// The priorities module's rows in the permission matrix. Written from the policy we intend: the
// toolkit page is for everyone; exercises are for anyone signed in, who may also rate; admins,
// managers (of any organisation) and commissioners set up exercises and decide.
#include "modules/priorities/priorities.hpp"
#include "support/matrix.hpp"

namespace {

using namespace cp;
using namespace cp::test::matrix;
namespace pr = cp::modules::priorities;

std::int64_t exercise(Target& t) {
  auto w = t.s->app->work(t.p->id, {std::nullopt, "matrix", "", ""});
  auto id = pr::store_fn::create_exercise(w.scope(), "Matrix exercise", "", t.user);
  w.commit();
  return id;
}

std::int64_t initiative(Target& t) {
  auto ex = exercise(t);
  auto w = t.s->app->work(t.p->id, {std::nullopt, "matrix", "", ""});
  auto id = pr::store_fn::add_initiative(w.scope(), ex, "Matrix idea", "", std::nullopt, t.user);
  w.commit();
  return id;
}

//                                                         anon person worker manager other_mgr commissioner councillor admin beta
std::vector<Row> priorities_rows() {
  return {
      {"GET", "/toolkit", "OOOOOOOOO", [](Target&, int) { return page("GET", "/toolkit"); }},
      {"GET", "/toolkit/priorities", "DOOOOOOOD", [](Target&, int) { return page("GET", "/toolkit/priorities"); }},
      // The JSON API: the same people as the pages.
      {"GET", "/api/v1/toolkit/priorities", "DOOOOOOOD", [](Target&, int) { return api("GET", "/api/v1/toolkit/priorities"); }},
      {"GET", "/toolkit/priorities/new", "DDDOOODOD", [](Target&, int) { return page("GET", "/toolkit/priorities/new"); }},
      {"POST", "/toolkit/priorities", "DDDOOODOD",
       [](Target&, int) { return page("POST", "/toolkit/priorities", 0, "title=Matrix+exercise"); }},
      {"GET", "/toolkit/priorities/{id}", "DOOOOOOOD",
       [](Target& t, int) { return page("GET", "/toolkit/priorities/{id}", exercise(t)); }},
      {"POST", "/toolkit/priorities/{id}/ratings", "DOOOOOOOD",
       [](Target& t, int) { return page("POST", "/toolkit/priorities/{id}/ratings", exercise(t), "x=1"); }},
      {"POST", "/toolkit/priorities/{id}/status", "DDDOOODOD",
       [](Target& t, int) { return page("POST", "/toolkit/priorities/{id}/status", exercise(t), "status=closed"); }},
      {"GET", "/toolkit/priorities/{id}/initiatives/new", "DDDOOODOD",
       [](Target& t, int) { return page("GET", "/toolkit/priorities/{id}/initiatives/new", exercise(t)); }},
      {"POST", "/toolkit/priorities/{id}/initiatives", "DDDOOODOD",
       [](Target& t, int) { return page("POST", "/toolkit/priorities/{id}/initiatives", exercise(t), "title=Matrix+idea"); }},
      {"GET", "/toolkit/priorities/initiatives/{id}", "DOOOOOOOD",
       [](Target& t, int) { return page("GET", "/toolkit/priorities/initiatives/{id}", initiative(t)); }},
      {"POST", "/toolkit/priorities/initiatives/{id}/decision", "DDDOOODOD",
       [](Target& t, int) {
         return page("POST", "/toolkit/priorities/initiatives/{id}/decision", initiative(t), "decision=drop&reason=Not+now");
       }},
  };
}

static const Register reg(priorities_rows);

}  // namespace
