// The permission matrix rows for people's offers (see tests/support/matrix.hpp). Rows on {id} make an
// offer of their own: one by another person, shared with staff (so staff may read it but not change
// it, and members and planners cannot see it at all), and one belonging to the signed-in account.
#include "modules/capabilities/capabilities.hpp"
#include "support/matrix.hpp"

namespace {

using namespace cp::test::matrix;

std::int64_t make_offer(Target& t, std::int64_t person, const std::string& visibility) {
  cp::modules::OfferInput in;
  in.topic = cp::modules::kOtherTopic;
  in.title = "Matrix offer";
  in.visibility = visibility;
  auto w = t.s->app->work(t.p->id, {std::nullopt, "test", "", ""});
  auto id = cp::modules::capabilities_store::create(w.scope(), person, person, in, std::nullopt);
  w.commit();
  return id;
}

// Another person's offer, visible to staff.
std::int64_t others(Target& t) { return make_offer(t, t.user, "staff"); }

// The signed-in account's own offer (another person's when nobody in this partnership is signed in).
std::int64_t own(Target& t) {
  bool here = t.actor && t.p->id == t.s->alpha.id;
  return make_offer(t, here ? t.actor : t.user, "keyworker");
}

const std::string kForm = "kind=offer&topic=other&title=Matrix+row&visibility=members";

//                         anon person worker manager other_mgr commissioner councillor admin beta_admin
std::vector<Row> rows() {
  return {
      {"GET", "/me/offers", "DOOOOOOOD", [](Target&, int) { return page("GET", "/me/offers"); }},
      {"GET", "/me/offers/new", "DOOOOOOOD", [](Target&, int) { return page("GET", "/me/offers/new"); }},
      {"POST", "/me/offers/new", "DOOOOOOOD", [](Target&, int) { return page("POST", "/me/offers/new", 0, kForm); }},
      {"GET", "/me/offers/{id}/edit", "DNDDDNNDD",
       [](Target& t, int) { return page("GET", "/me/offers/{id}/edit", others(t)); }},
      {"GET", "/me/offers/{id}/edit", "DOOOOOOOD",
       [](Target& t, int) { return page("GET", "/me/offers/{id}/edit", own(t)); }},
      {"POST", "/me/offers/{id}/edit", "DNDDDNNDD",
       [](Target& t, int) { return page("POST", "/me/offers/{id}/edit", others(t), kForm); }},
      {"POST", "/me/offers/{id}/edit", "DOOOOOOOD",
       [](Target& t, int) { return page("POST", "/me/offers/{id}/edit", own(t), kForm); }},
      {"POST", "/me/offers/{id}/withdraw", "DNDDDNNDD",
       [](Target& t, int) { return page("POST", "/me/offers/{id}/withdraw", others(t)); }},
      {"POST", "/me/offers/{id}/withdraw", "DOOOOOOOD",
       [](Target& t, int) { return page("POST", "/me/offers/{id}/withdraw", own(t)); }},
      {"GET", "/offers", "DOOOOOOOD", [](Target&, int) { return page("GET", "/offers"); }},
      {"GET", "/offers/{id}", "DNOOONNOD", [](Target& t, int) { return page("GET", "/offers/{id}", others(t)); }},
      {"GET", "/offers/{id}", "DOOOOOOOD", [](Target& t, int) { return page("GET", "/offers/{id}", own(t)); }},
  };
}

const Register reg(rows);

}  // namespace
