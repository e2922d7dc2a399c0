// The permission matrix rows for peer groups (see tests/support/matrix.hpp). Rows on {id} start a
// group of their own: organised by another account, or by the signed-in account, or joined by it.
#include "modules/peer/peer.hpp"
#include "support/matrix.hpp"

namespace {

using namespace cp::test::matrix;
namespace db = cp::modules::peer_store;

bool here(const Target& t) { return t.actor && t.p->id == t.s->alpha.id; }

std::int64_t group(Target& t, bool actor_organises, bool actor_joins) {
  cp::modules::peer::GroupInput in;
  in.name = {"Matrix group", ""};
  auto w = t.s->app->work(t.p->id, {std::nullopt, "test", "", ""});
  auto id = db::create(w.scope(), in, actor_organises && here(t) ? t.actor : t.user, "Organiser");
  if (actor_joins && here(t)) db::join(w.scope(), id, t.actor, "Member");
  w.commit();
  return id;
}

std::string future_meeting() { return "day=1&month=1&year=2090&time=10:00"; }

//                         anon person worker manager other_mgr commissioner councillor admin beta_admin
std::vector<Row> rows() {
  return {
      {"GET", "/groups", "OOOOOOOOO", [](Target&, int) { return page("GET", "/groups"); }},
      {"GET", "/me/groups", "DOOOOOOOD", [](Target&, int) { return page("GET", "/me/groups"); }},
      {"GET", "/groups/new", "DOOOOOOOD", [](Target&, int) { return page("GET", "/groups/new"); }},
      {"POST", "/groups/new", "DOOOOOOOD",
       [](Target&, int) { return page("POST", "/groups/new", 0, "name=Matrix+group&where=Hall"); }},
      {"GET", "/groups/{id}", "OOOOOOOOO",
       [](Target& t, int) { return page("GET", "/groups/{id}", group(t, false, false)); }},
      {"POST", "/groups/{id}/join", "DOOOOOOOD",
       [](Target& t, int) { return page("POST", "/groups/{id}/join", group(t, false, false)); }},
      {"POST", "/groups/{id}/leave", "DOOOOOOOD",
       [](Target& t, int) { return page("POST", "/groups/{id}/leave", group(t, false, true)); }},
      {"POST", "/groups/{id}/meetings", "DOOOOOOOD",
       [](Target& t, int) { return page("POST", "/groups/{id}/meetings", group(t, true, false), future_meeting()); }},
      {"POST", "/groups/{id}/meetings", "DDDDDDDDD",
       [](Target& t, int) { return page("POST", "/groups/{id}/meetings", group(t, false, true), future_meeting()); }},
      {"POST", "/groups/{id}/plan", "DOOOOOOOD",
       [](Target& t, int) { return page("POST", "/groups/{id}/plan", group(t, false, true), "new_goal=Meet+people"); }},
  };
}

const Register reg(rows);

}  // namespace
