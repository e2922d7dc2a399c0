// The plain-language assistant's routes in the permission matrix (tests/http/permissions_test.cpp).
#include "modules/plain/web.hpp"
#include "support/matrix.hpp"

namespace {

using namespace cp;
using namespace cp::test::matrix;

// A jargon entry of the target's partnership, made fresh for each request.
std::int64_t entry(Target& t, int n) {
  auto w = t.s->app->work(t.p->id, {std::nullopt, "test", "", ""});
  auto id = plain::plain_store::add_jargon(w.scope(), {"en", "matrix phrase " + std::to_string(n), "plain words", ""});
  w.commit();
  return id;
}

//                                              anon person worker manager other_mgr commissioner councillor admin beta_admin
std::vector<Row> plain_rows() {
  return {
      {"GET", "/admin/plain", "DDDDDDDOD", [](auto&, int) { return page("GET", "/admin/plain"); }},
      {"POST", "/admin/plain/settings", "DDDDDDDOD",
       [](auto&, int) { return page("POST", "/admin/plain/settings", 0, "target_age=10"); }},
      {"GET", "/admin/plain/jargon/new", "DDDDDDDOD", [](auto&, int) { return page("GET", "/admin/plain/jargon/new"); }},
      {"POST", "/admin/plain/jargon", "DDDDDDDOD",
       [](auto&, int n) {
         return page("POST", "/admin/plain/jargon", 0,
                     "lang=en&phrase=posted+phrase+" + std::to_string(n) + "&alternatives=plain+words");
       }},
      {"GET", "/admin/plain/jargon/{id}/edit", "DDDDDDDOD",
       [](Target& t, int n) { return page("GET", "/admin/plain/jargon/{id}/edit", entry(t, n)); }},
      {"POST", "/admin/plain/jargon/{id}", "DDDDDDDOD",
       [](Target& t, int n) {
         return page("POST", "/admin/plain/jargon/{id}", entry(t, n),
                     "lang=cy&phrase=changed+" + std::to_string(n) + "&alternatives=geiriau+clir");
       }},
      {"POST", "/admin/plain/jargon/{id}/remove", "DDDDDDDOD",
       [](Target& t, int n) { return page("POST", "/admin/plain/jargon/{id}/remove", entry(t, n)); }},
      {"GET", "/admin/plain/report", "DDDDDDDOD", [](auto&, int) { return page("GET", "/admin/plain/report"); }},
      {"GET", "/plain/check", "DOOOOOOOD", [](auto&, int) { return page("GET", "/plain/check"); }},
      {"POST", "/plain/check", "DOOOOOOOD",
       [](auto&, int) { return page("POST", "/plain/check", 0, "text=We+help+people.&lang="); }},
      {"GET", "/plain/guide", "OOOOOOOOO", [](auto&, int) { return page("GET", "/plain/guide"); }},
      {"POST", "/api/v1/plain/check", "DOOOOOOOD",
       [](auto&, int) { return api("POST", "/api/v1/plain/check", 0, R"({"text": "We help people."})"); }},
  };
}

const Register reg(plain_rows);

}  // namespace
