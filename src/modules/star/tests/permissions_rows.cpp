// The star's rows in the permission matrix (see tests/support/matrix.hpp). Written from the policy we
// intend: everyone signed in to the partnership sees results and takes part; admins, managers and
// commissioners start, repeat and close audits. Each row makes its own open audit in the target.
#include "modules/star/star.hpp"
#include "support/matrix.hpp"

namespace {

using namespace cp;
using namespace cp::test::matrix;
namespace st = cp::modules::star;

std::int64_t audit(Target& t) {
  auto w = t.s->app->work(t.p->id, {std::nullopt, "matrix", "", ""});
  auto id = st::star_store::create(w.scope(), {"partnership", std::nullopt, "Matrix", "Matrix audit", "2026", std::nullopt},
                                   t.user);
  w.commit();
  return id;
}

const std::string kAnswer =
    "group=citizen&level_commissioning=2&level_design=dont_know&level_delivery=4&level_assessment=1"
    "&examples_commissioning=&evidence_commissioning=";

//                                                         anon person worker manager other_mgr commissioner councillor admin beta
std::vector<Row> star_rows() {
  return {
      {"GET", "/toolkit/star", "DOOOOOOOD", [](Target&, int) { return page("GET", "/toolkit/star"); }},
      // The JSON API: the same people as the pages.
      {"GET", "/api/v1/toolkit/star/audits", "DOOOOOOOD", [](Target&, int) { return api("GET", "/api/v1/toolkit/star/audits"); }},
      {"GET", "/api/v1/toolkit/star/audits/{id}", "DOOOOOOOD",
       [](Target& t, int) { return api("GET", "/api/v1/toolkit/star/audits/{id}", audit(t)); }},
      {"GET", "/toolkit/star/new", "DDDOOODOD", [](Target&, int) { return page("GET", "/toolkit/star/new"); }},
      {"POST", "/toolkit/star", "DDDOOODOD",
       [](Target&, int) { return page("POST", "/toolkit/star", 0, "subject_kind=partnership&title=Ours&period=2026"); }},
      {"GET", "/toolkit/star/{id}", "DOOOOOOOD", [](Target& t, int) { return page("GET", "/toolkit/star/{id}", audit(t)); }},
      {"GET", "/toolkit/star/{id}/respond", "DOOOOOOOD",
       [](Target& t, int) { return page("GET", "/toolkit/star/{id}/respond", audit(t)); }},
      {"POST", "/toolkit/star/{id}/respond", "DOOOOOOOD",
       [](Target& t, int) { return page("POST", "/toolkit/star/{id}/respond", audit(t), kAnswer); }},
      {"GET", "/toolkit/star/{id}/pockets", "DOOOOOOOD",
       [](Target& t, int) { return page("GET", "/toolkit/star/{id}/pockets", audit(t)); }},
      {"GET", "/toolkit/star/{id}/compare", "DOOOOOOOD",
       [](Target& t, int) { return page("GET", "/toolkit/star/{id}/compare", audit(t)); }},
      {"POST", "/toolkit/star/{id}/close", "DDDOOODOD",
       [](Target& t, int) { return page("POST", "/toolkit/star/{id}/close", audit(t)); }},
  };
}

static const Register reg(star_rows);

}  // namespace
