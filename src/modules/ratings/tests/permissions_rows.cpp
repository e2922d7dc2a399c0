// Ratings' rows in the permission matrix (see tests/support/matrix.hpp), from the policy we intend:
// anyone reads; anyone signed in rates; workers, managers and admins mark "used the service"; only
// the managers of the organisation that runs the service, and admins, reply for it or agree actions
// from its feedback. In the matrix the service is run by an organisation none of the roles manage.
#include "modules/directory/directory.hpp"
#include "modules/ratings/ratings.hpp"
#include "support/matrix.hpp"

namespace {

using namespace cp;
using namespace cp::test::matrix;
namespace db = cp::modules::ratings::ratings_store;

// A rating of the target's service by the target's own person account.
std::int64_t make(Target& t) {
  auto w = t.s->app->work(t.p->id, {std::nullopt, "matrix", "", ""});
  auto service = modules::directory_store::brief_by_uuid(w.scope(), t.service);
  auto id = db::rate(w.scope(), service->id, t.user, 3, "It was fine.");
  w.commit();
  return id;
}

//                                                         anon person worker manager other_mgr commissioner councillor admin beta
std::vector<Row> ratings_rows() {
  return {
      {"GET", "/ratings/services/{id}", "OOOOOOOOO",
       [](Target& t, int) { return page("GET", "/ratings/services/" + t.service); }},
      {"GET", "/ratings/services/{id}/rate", "DOOOOOOOD",
       [](Target& t, int) { return page("GET", "/ratings/services/" + t.service + "/rate"); }},
      {"POST", "/ratings/services/{id}", "DOOOOOOOD",
       [](Target& t, int) { return page("POST", "/ratings/services/" + t.service, 0, "stars=4&comment=Good."); }},
      {"POST", "/ratings/{id}/verify", "DDOOODDOD", [](Target& t, int) { return page("POST", "/ratings/{id}/verify", make(t)); }},
      {"GET", "/ratings/{id}/response", "DDDDDDDOD",
       [](Target& t, int) { return page("GET", "/ratings/{id}/response", make(t)); }},
      {"POST", "/ratings/{id}/response", "DDDDDDDOD",
       [](Target& t, int) { return page("POST", "/ratings/{id}/response", make(t), "response=Thank+you."); }},
      {"GET", "/ratings/{id}/action", "DDDDDDDOD", [](Target& t, int) { return page("GET", "/ratings/{id}/action", make(t)); }},
      {"POST", "/ratings/{id}/action", "DDDDDDDOD",
       [](Target& t, int) { return page("POST", "/ratings/{id}/action", make(t), "title=Open+later&owner=Manager"); }},
  };
}

const Register reg(ratings_rows);

}  // namespace
