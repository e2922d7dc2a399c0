// The charters module's rows in the permission matrix. Written from the policy we intend: members
// (anyone signed in) read published charters and sign them; admins, managers and commissioners
// write, publish and see who signed.
#include "modules/charters/charters.hpp"
#include "support/matrix.hpp"

namespace {

using namespace cp;
using namespace cp::test::matrix;
namespace ch = cp::modules::charters;

// A charter with version 1 published and version 2 waiting as a draft.
struct Made {
  std::int64_t charter, published, draft;
};
Made charter(Target& t) {
  auto w = t.s->app->work(t.p->id, {std::nullopt, "matrix", "", ""});
  std::vector<std::string> s(ch::kSections.size(), "Matrix text");
  auto id = ch::store_fn::create(w.scope(), "Matrix charter", s, t.user);
  auto v1 = ch::store_fn::latest(w.scope(), id);
  ch::store_fn::publish(w.scope(), *v1);
  s[0] = "Changed";
  auto v2 = ch::store_fn::revise(w.scope(), id, s, "Matrix change", t.user);
  w.commit();
  return {id, v1->id, *v2};
}

//                                                         anon person worker manager other_mgr commissioner councillor admin beta
std::vector<Row> charters_rows() {
  return {
      {"GET", "/toolkit/charters", "DOOOOOOOD", [](Target&, int) { return page("GET", "/toolkit/charters"); }},
      // The current charter as JSON is public: it is what new participants are shown.
      {"GET", "/api/v1/toolkit/charters/current", "OOOOOOOOO",
       [](Target& t, int) {
         charter(t);
         return api("GET", "/api/v1/toolkit/charters/current");
       }},
      {"GET", "/toolkit/charters/new", "DDDOOODOD", [](Target&, int) { return page("GET", "/toolkit/charters/new"); }},
      {"POST", "/toolkit/charters", "DDDOOODOD",
       [](Target&, int) { return page("POST", "/toolkit/charters", 0, "title=Matrix+charter&roles=Roles"); }},
      {"GET", "/toolkit/charters/versions/{id}", "DOOOOOOOD",
       [](Target& t, int) { return page("GET", "/toolkit/charters/versions/{id}", charter(t).published); }},
      {"POST", "/toolkit/charters/versions/{id}/publish", "DDDOOODOD",
       [](Target& t, int) { return page("POST", "/toolkit/charters/versions/{id}/publish", charter(t).draft); }},
      {"GET", "/toolkit/charters/{id}", "DOOOOOOOD",
       [](Target& t, int) { return page("GET", "/toolkit/charters/{id}", charter(t).charter); }},
      {"POST", "/toolkit/charters/{id}/sign", "DOOOOOOOD",
       [](Target& t, int) {
         auto m = charter(t);
         return page("POST", "/toolkit/charters/{id}/sign", m.charter,
                     "agree=yes&version_id=" + std::to_string(m.published));
       }},
      {"GET", "/toolkit/charters/{id}/edit", "DDDOOODOD",
       [](Target& t, int) { return page("GET", "/toolkit/charters/{id}/edit", charter(t).charter); }},
      {"POST", "/toolkit/charters/{id}/versions", "DDDOOODOD",
       [](Target& t, int) {
         return page("POST", "/toolkit/charters/{id}/versions", charter(t).charter, "roles=New+roles&change_note=Why");
       }},
      {"GET", "/toolkit/charters/{id}/versions", "DOOOOOOOD",
       [](Target& t, int) { return page("GET", "/toolkit/charters/{id}/versions", charter(t).charter); }},
      {"GET", "/toolkit/charters/{id}/signatures", "DDDOOODOD",
       [](Target& t, int) { return page("GET", "/toolkit/charters/{id}/signatures", charter(t).charter); }},
  };
}

static const Register reg(charters_rows);

}  // namespace
