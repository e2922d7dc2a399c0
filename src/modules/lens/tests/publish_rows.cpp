// The permission-matrix rows for published lens summaries and the lens JSON API. Written from the
// policy we intend: only a partnership admin publishes or takes a summary down; anyone, signed in or
// not, reads what is published; the lens API answers as the lens pages do (admins and commissioners
// see every scope; an organisation's managers their own organisation; the API has no redirect, so a
// manager asking for the whole partnership is refused).
#include "core/util.hpp"
#include "modules/lens/publish.hpp"
#include "support/matrix.hpp"

namespace {

using namespace cp;
using namespace cp::test::matrix;

// A published summary in the target's partnership; `withdrawn` makes it taken down first.
std::int64_t summary(Target& t, int serial, bool withdrawn = false) {
  auto w = t.s->app->work(t.p->id, {std::nullopt, "matrix", "", ""});
  auto id = modules::lens::published_store::publish(w.scope(), t.s->app->catalogue, "2026-01-15",
                                                    {"Matrix summary " + std::to_string(serial), ""}, {}, {});
  if (withdrawn) modules::lens::published_store::set_withdrawn(w.scope(), id, true);
  w.commit();
  return id;
}

//                                                         anon person worker manager other_mgr commissioner councillor admin beta
std::vector<Row> publish_rows() {
  return {
      {"GET", "/lens/publish", "DDDDDDDOD", [](Target&, int) { return page("GET", "/lens/publish"); }},
      {"POST", "/lens/publish", "DDDDDDDOD",
       [](Target&, int n) { return page("POST", "/lens/publish", 0, "title=Matrix+" + std::to_string(n)); }},
      {"POST", "/lens/publish/{id}/withdraw", "DDDDDDDOD",
       [](Target& t, int n) { return page("POST", "/lens/publish/{id}/withdraw", summary(t, n), "go=1"); }},
      {"POST", "/lens/publish/{id}/restore", "DDDDDDDOD",
       [](Target& t, int n) { return page("POST", "/lens/publish/{id}/restore", summary(t, n, true), "go=1"); }},
      {"GET", "/our-learning", "OOOOOOOOO", [](Target&, int) { return page("GET", "/our-learning"); }},
      {"GET", "/our-learning/{id}", "OOOOOOOOO",
       [](Target& t, int n) { return page("GET", "/our-learning/{id}", summary(t, n)); }},
      {"GET", "/our-learning/{id}/figures.csv", "OOOOOOOOO",
       [](Target& t, int n) { return page("GET", "/our-learning/{id}/figures.csv", summary(t, n)); }},
      {"GET", "/api/v1/lens", "DDDDDODOD", [](Target&, int) { return api("GET", "/api/v1/lens"); }},
      {"GET", "/api/v1/lens/organisations/{id}", "DDDODODOD",
       [](Target& t, int) { return api("GET", "/api/v1/lens/organisations/{id}", t.org); }},
      {"GET", "/api/v1/lens/services/{id}", "DDDDDODOD",
       [](Target& t, int) { return api("GET", "/api/v1/lens/services/" + t.service); }},
      {"GET", "/api/v1/our-learning", "OOOOOOOOO", [](Target&, int) { return api("GET", "/api/v1/our-learning"); }},
      {"GET", "/api/v1/our-learning/{id}", "OOOOOOOOO",
       [](Target& t, int n) { return api("GET", "/api/v1/our-learning/{id}", summary(t, n)); }},
  };
}

static const Register reg(publish_rows);

}  // namespace
