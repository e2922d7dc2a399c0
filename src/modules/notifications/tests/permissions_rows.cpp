// Notifications' rows in the permission matrix (see tests/support/matrix.hpp). Written from the
// policy we intend: a person's notices and choices are their own; everyone signed in has them, and
// nobody reaches anyone else's (a notice of another account is "not found").
#include "modules/notifications/notifications.hpp"
#include "support/matrix.hpp"

namespace {

using namespace cp;
using namespace cp::test::matrix;
namespace n = cp::modules::notifications;

// A notice for the signed-in account when it belongs to the target partnership, else for the
// target's own account (the cross-partnership check asks for one in the other partnership).
std::int64_t notice(Target& t) {
  bool own = t.actor > 0 && t.p->id == t.s->alpha.id;
  auto user = own ? t.actor : t.user;
  auto w = t.s->app->work(t.p->id, {std::nullopt, "matrix", "", ""});
  n::notify(w.scope(), user, "moderation.notice_unblocked", {}, "/");
  auto id = w->read("SELECT MAX(id) FROM notices WHERE partnership_id = $1 AND user_id = $2", {user}).one().i64(0);
  w.commit();
  return id;
}

//                                                         anon person worker manager other_mgr commissioner councillor admin beta
std::vector<Row> notification_rows() {
  return {
      {"GET", "/notifications", "DOOOOOOOD", [](Target&, int) { return page("GET", "/notifications"); }},
      {"POST", "/notifications/read-all", "DOOOOOOOD", [](Target&, int) { return page("POST", "/notifications/read-all"); }},
      {"POST", "/notifications/{id}/read", "DOOOOOOOD",
       [](Target& t, int) { return page("POST", "/notifications/{id}/read", notice(t)); }},
      {"GET", "/notifications/settings", "DOOOOOOOD", [](Target&, int) { return page("GET", "/notifications/settings"); }},
      {"POST", "/notifications/settings", "DOOOOOOOD",
       [](Target&, int) { return page("POST", "/notifications/settings", 0, "delivery=digest"); }},
  };
}

static const Register reg(notification_rows);

}  // namespace
