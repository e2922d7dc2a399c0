// The contribution module's rows in the permission matrix (see tests/support/matrix.hpp), written
// from the policy we intend: every signed-in member of the partnership reads theories of change and
// stories; key workers, managers, commissioners and admins write them; councillors read only.
// Each row makes its own theory (with a link) in the target partnership.
#include "modules/contribution/contribution.hpp"
#include "support/matrix.hpp"

namespace {

using namespace cp;
using namespace cp::test::matrix;
namespace co = cp::modules::contribution;

struct Made {
  std::int64_t theory = 0, from = 0, to = 0, link = 0, note = 0, evidence = 0;
};

Made make(Target& t) {
  auto w = t.s->app->work(t.p->id, {std::nullopt, "matrix", "", ""});
  Made m;
  m.theory = co::create_theory(w.scope(), "Matrix theory", "Did it help?", "");
  m.from = co::add_result(w.scope(), m.theory, "activities", "We meet people");
  m.to = co::add_result(w.scope(), m.theory, "reactions", "People come back");
  m.link = co::add_link(w.scope(), m.theory, m.from, m.to);
  m.note = co::add_note(w.scope(), m.theory, m.link, "assumption", "People can get there");
  co::Evidence e;
  e.kind = "document";
  e.title = "A report";
  e.url = "https://example.org/report";
  m.evidence = co::add_evidence(w.scope(), m.theory, m.link, e);
  w.commit();
  return m;
}

std::string base(const Made& m) { return "/toolkit/contribution/" + std::to_string(m.theory); }

Request req(const std::string& method, const std::string& path, const std::string& body = "") {
  return {method, path, body, body.empty() ? "" : "application/x-www-form-urlencoded", false};
}

//                                                 anon person worker manager other_mgr commissioner councillor admin beta
const std::string kRead = "DOOOOOOOD";
const std::string kEdit = "DDOOOODOD";

std::vector<Row> contribution_rows() {
  return {
      {"GET", "/toolkit/contribution", kRead, [](Target&, int) { return req("GET", "/toolkit/contribution"); }},
      {"GET", "/toolkit/contribution/new", kEdit, [](Target&, int) { return req("GET", "/toolkit/contribution/new"); }},
      {"POST", "/toolkit/contribution", kEdit,
       [](Target&, int) { return req("POST", "/toolkit/contribution", "title=T&question=Did+it+help%3F"); }},
      {"GET", "/toolkit/contribution/{id}", kRead, [](Target& t, int) { return req("GET", base(make(t))); }},
      {"POST", "/toolkit/contribution/{id}", kEdit,
       [](Target& t, int) { return req("POST", base(make(t)), "title=T2&question=Q2"); }},
      {"GET", "/toolkit/contribution/{id}/edit", kEdit, [](Target& t, int) { return req("GET", base(make(t)) + "/edit"); }},
      {"GET", "/toolkit/contribution/{id}/story", kRead, [](Target& t, int) { return req("GET", base(make(t)) + "/story"); }},
      {"POST", "/toolkit/contribution/{id}/results", kEdit,
       [](Target& t, int) { return req("POST", base(make(t)) + "/results", "level=learning&statement=People+learn"); }},
      {"POST", "/toolkit/contribution/{id}/results/{rid}/delete", kEdit,
       [](Target& t, int) {
         auto m = make(t);
         return req("POST", base(m) + "/results/" + std::to_string(m.to) + "/delete", "x=1");
       }},
      {"POST", "/toolkit/contribution/{id}/links", kEdit,
       [](Target& t, int) {
         auto m = make(t);
         std::int64_t extra;
         {
           auto w = t.s->app->work(t.p->id, {std::nullopt, "matrix", "", ""});
           extra = co::add_result(w.scope(), m.theory, "reactions", "People tell friends");
           w.commit();
         }
         return req("POST", base(m) + "/links", "from=" + std::to_string(m.from) + "&to=" + std::to_string(extra));
       }},
      {"GET", "/toolkit/contribution/{id}/links/{lid}", kRead,
       [](Target& t, int) {
         auto m = make(t);
         return req("GET", base(m) + "/links/" + std::to_string(m.link));
       }},
      {"POST", "/toolkit/contribution/{id}/links/{lid}/notes", kEdit,
       [](Target& t, int) {
         auto m = make(t);
         return req("POST", base(m) + "/links/" + std::to_string(m.link) + "/notes", "kind=influence&influence=More+jobs");
       }},
      {"POST", "/toolkit/contribution/{id}/links/{lid}/evidence", kEdit,
       [](Target& t, int) {
         auto m = make(t);
         return req("POST", base(m) + "/links/" + std::to_string(m.link) + "/evidence",
                    "kind=quote&quote_text=It+helped&quote_who=A+parent&quote_consent=yes");
       }},
      {"POST", "/toolkit/contribution/{id}/links/{lid}/confidence", kEdit,
       [](Target& t, int) {
         auto m = make(t);
         return req("POST", base(m) + "/links/" + std::to_string(m.link) + "/confidence",
                    "confidence=medium&reason=Some+evidence");
       }},
      {"POST", "/toolkit/contribution/{id}/links/{lid}/delete", kEdit,
       [](Target& t, int) {
         auto m = make(t);
         return req("POST", base(m) + "/links/" + std::to_string(m.link) + "/delete", "x=1");
       }},
      {"POST", "/toolkit/contribution/{id}/notes/{nid}/delete", kEdit,
       [](Target& t, int) {
         auto m = make(t);
         return req("POST", base(m) + "/notes/" + std::to_string(m.note) + "/delete", "x=1");
       }},
      {"POST", "/toolkit/contribution/{id}/evidence/{eid}/delete", kEdit,
       [](Target& t, int) {
         auto m = make(t);
         return req("POST", base(m) + "/evidence/" + std::to_string(m.evidence) + "/delete", "x=1");
       }},
  };
}

static const Register reg(contribution_rows);

}  // namespace
