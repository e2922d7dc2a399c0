// Journey maps in the permission matrix, from the policy we intend: maps are public to read; staff
// other than councillors start one for a service; anyone signed in edits (co-editing is the point).
// Each row makes its own map with two versions on the target's directory service.
#include "modules/journeymaps/journeymaps.hpp"
#include "support/matrix.hpp"

namespace {

using namespace cp;
using namespace cp::test::matrix;
namespace jm = cp::modules::journeymaps;

std::int64_t make(Target& t) {
  auto w = t.s->app->work(t.p->id, {std::nullopt, "matrix", "", ""});
  auto id = jm::store_fn::create(w.scope(), t.service, "Matrix map", t.user);
  jm::store_fn::save(w.scope(), id, 0, {{"", "Stage one", "", "", "", "", 2, {}}}, "", t.user);
  jm::store_fn::save(w.scope(), id, 1, {{"", "Stage one", "", "", "", "", 4, {}}}, "", t.user);
  w.commit();
  return id;
}

const std::string kSave = "base_version=2&stage_count=1&stage_0_name=Stage+one&stage_0_feeling=3";

//                                              anon person worker manager other_mgr commissioner councillor admin beta
std::vector<Row> rows() {
  return {
      {"GET", "/journey-maps", "OOOOOOOOO", [](Target&, int) { return page("GET", "/journey-maps"); }},
      {"GET", "/journey-maps/new", "DDOOOODOD", [](Target&, int) { return page("GET", "/journey-maps/new"); }},
      {"POST", "/journey-maps", "DDOOOODOD",
       [](Target& t, int) { return page("POST", "/journey-maps", 0, "title=New+map&service=" + t.service); }},
      {"GET", "/journey-maps/{id}", "OOOOOOOOO", [](Target& t, int) { return page("GET", "/journey-maps/{id}", make(t)); }},
      {"GET", "/journey-maps/{id}/edit", "DOOOOOOOD",
       [](Target& t, int) { return page("GET", "/journey-maps/{id}/edit", make(t)); }},
      {"POST", "/journey-maps/{id}", "DOOOOOOOD",
       [](Target& t, int) { return page("POST", "/journey-maps/{id}", make(t), kSave); }},
      {"GET", "/journey-maps/{id}/compare", "OOOOOOOOO",
       [](Target& t, int) { return page("GET", "/journey-maps/{id}/compare?from=1&to=2", make(t)); }},
  };
}

const Register reg(rows);

}  // namespace
