// The tracker's rows in the permission matrix (see tests/support/matrix.hpp). Written from the
// policy we intend: the tracker is public to read; staff (workers, managers, commissioners,
// councillors, admins) record and update actions. Each row makes its own action in the target.
#include "modules/directory/directory.hpp"
#include "modules/tracker/store.hpp"
#include "support/matrix.hpp"

namespace {

using namespace cp;
using namespace cp::test::matrix;
namespace tr = cp::modules::tracker;

std::int64_t action(Target& t) {
  auto w = t.s->app->work(t.p->id, {std::nullopt, "matrix", "", ""});
  auto id = tr::agree(w.scope(), {"Matrix action", "Matrix team", std::nullopt, "", {"idea", 1, "An idea", ""}}, t.user);
  w.commit();
  return id;
}

std::int64_t service_id(Target& t) {
  auto w = t.s->app->work(t.p->id, {std::nullopt, "matrix", "", ""}, store::Transaction::Mode::read);
  return modules::directory_store::brief_by_uuid(w.scope(), t.service)->id;
}

const std::string kForm = "title=Open+later&owner=Library+team&due_on=2030-01-31";

//                                                         anon person worker manager other_mgr commissioner councillor admin beta
std::vector<Row> tracker_rows() {
  return {
      {"GET", "/we-did-together", "OOOOOOOOO", [](Target&, int) { return page("GET", "/we-did-together"); }},
      {"GET", "/we-did-together/new", "DDOOOOOOD", [](Target&, int) { return page("GET", "/we-did-together/new"); }},
      {"POST", "/we-did-together", "DDOOOOOOD", [](Target&, int) { return page("POST", "/we-did-together", 0, kForm); }},
      {"GET", "/we-did-together/service/{id}", "OOOOOOOOO",
       [](Target& t, int) { return page("GET", "/we-did-together/service/{id}", service_id(t)); }},
      {"GET", "/we-did-together/{id}", "OOOOOOOOO",
       [](Target& t, int) { return page("GET", "/we-did-together/{id}", action(t)); }},
      {"GET", "/we-did-together/{id}/edit", "DDOOOOOOD",
       [](Target& t, int) { return page("GET", "/we-did-together/{id}/edit", action(t)); }},
      {"POST", "/we-did-together/{id}", "DDOOOOOOD",
       [](Target& t, int) { return page("POST", "/we-did-together/{id}", action(t), kForm); }},
      {"POST", "/we-did-together/{id}/status", "DDOOOOOOD",
       [](Target& t, int) {
         return page("POST", "/we-did-together/{id}/status", action(t), "to=in_progress&note=Started");
       }},
  };
}

static const Register reg(tracker_rows);

}  // namespace
