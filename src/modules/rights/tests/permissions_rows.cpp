// The permission matrix rows for data rights (see tests/support/matrix.hpp). The /me/data rows act on
// the signed-in account itself (each role's account is fresh, so erasing it harms no other row).
// The /people/{id}/data rows build a person on the signed-in worker's caseload who consented to the
// worker's organisation seeing their profile, so only that worker may act for them. The admin rows
// make a correction request of their own.
#include "modules/journeys/journeys.hpp"
#include "modules/rights/rights.hpp"
#include "support/matrix.hpp"

namespace {

using namespace cp::test::matrix;
namespace jdb = cp::modules::journeys_store;

std::int64_t consented(Target& t) {
  auto w = t.s->app->work(t.p->id, {std::nullopt, "test", "", ""});
  bool worker_here = t.actor && t.p->id == t.s->alpha.id && t.role == "worker";
  auto id = jdb::create_person(w.scope(), "Matrix Person", std::nullopt, worker_here ? t.actor : t.user, t.org);
  jdb::set_consents(w.scope(), id, t.org, {"profile"}, {0, "test"});
  w.commit();
  return id;
}

std::int64_t request(Target& t) {
  auto w = t.s->app->work(t.p->id, {std::nullopt, "test", "", ""});
  auto p = jdb::create_person(w.scope(), "Matrix Person", std::nullopt, t.user, t.org);
  auto id = cp::modules::rights_store::add_correction(w.scope(), p, std::nullopt, "Wrong", "Right");
  w.commit();
  return id;
}

Request staff(const std::string& method, Target& t, const std::string& tail, const std::string& body = "") {
  auto path = "/people/" + std::to_string(consented(t)) + "/data" + tail;
  return method == "GET" ? page("GET", path + "?reason=follow_up") : page(method, path, 0, "reason=follow_up&" + body);
}

const std::string kFix = "what_wrong=Old+address&should_say=New+address";

//                         anon person worker manager other_mgr commissioner councillor admin beta_admin
std::vector<Row> rows() {
  return {
      {"GET", "/me/data", "DOOOOOOOD", [](Target&, int) { return page("GET", "/me/data"); }},
      {"GET", "/me/data/export.json", "DOOOOOOOD", [](Target&, int) { return page("GET", "/me/data/export.json"); }},
      {"GET", "/me/data/export", "DOOOOOOOD", [](Target&, int) { return page("GET", "/me/data/export"); }},
      {"GET", "/me/data/correction", "DOOOOOOOD", [](Target&, int) { return page("GET", "/me/data/correction"); }},
      {"POST", "/me/data/correction", "DOOOOOOOD",
       [](Target&, int) { return page("POST", "/me/data/correction", 0, kFix); }},
      {"GET", "/me/data/erase", "DOOOOOOOD", [](Target&, int) { return page("GET", "/me/data/erase"); }},
      {"POST", "/me/data/erase", "DOOOOOOOD", [](Target&, int) { return page("POST", "/me/data/erase", 0, "confirm=yes"); }},
      {"GET", "/people/{id}/data", "DDODDDDDD", [](Target& t, int) { return staff("GET", t, ""); }},
      {"GET", "/people/{id}/data/export.json", "DDODDDDDD", [](Target& t, int) { return staff("GET", t, "/export.json"); }},
      {"GET", "/people/{id}/data/export", "DDODDDDDD", [](Target& t, int) { return staff("GET", t, "/export"); }},
      {"GET", "/people/{id}/data/correction", "DDODDDDDD", [](Target& t, int) { return staff("GET", t, "/correction"); }},
      {"POST", "/people/{id}/data/correction", "DDODDDDDD",
       [](Target& t, int) { return staff("POST", t, "/correction", kFix); }},
      {"GET", "/people/{id}/data/erase", "DDODDDDDD", [](Target& t, int) { return staff("GET", t, "/erase"); }},
      {"POST", "/people/{id}/data/erase", "DDODDDDDD",
       [](Target& t, int) { return staff("POST", t, "/erase", "confirm=yes"); }},
      {"GET", "/admin/data-requests", "DDDDDDDOD", [](Target&, int) { return page("GET", "/admin/data-requests"); }},
      {"POST", "/admin/data-requests/{id}", "DDDDDDDOD",
       [](Target& t, int) {
         return page("POST", "/admin/data-requests/{id}", request(t), "status=corrected&note=Done");
       }},
  };
}

const Register reg(rows);

}  // namespace
