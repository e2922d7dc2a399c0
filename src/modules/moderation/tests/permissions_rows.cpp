// Moderation's rows in the permission matrix (see tests/support/matrix.hpp). Written from the policy
// we intend: anyone signed in may report; partnership admins and managers (of any organisation)
// moderate and block; nobody else does. Items are the in-memory "note" kind from note_kind.hpp.
#include "modules/moderation/queue.hpp"
#include "modules/moderation/tests/note_kind.hpp"
#include "support/matrix.hpp"

namespace {

using namespace cp;
using namespace cp::test::matrix;
namespace mod = cp::modules::moderation;

std::int64_t note(Target& t) { return test::notes::add(t.p->id, "Matrix note", t.user); }

// A note by t.user with a report, so its author is known to the queue.
std::int64_t reported(Target& t) {
  auto id = note(t);
  auto w = t.s->app->work(t.p->id, {std::nullopt, "matrix", "", ""});
  mod::report(w.scope(), "note", id, t.user, "spam");
  w.commit();
  return id;
}

std::int64_t blocked_author(Target& t) {
  reported(t);
  auto w = t.s->app->work(t.p->id, {std::nullopt, "matrix", "", ""});
  mod::block(w.scope(), t.user, t.user, "Matrix block");
  w.commit();
  return t.user;
}

Request on_note(const std::string& method, const std::string& prefix, std::int64_t id, const std::string& rest,
                std::string body = "") {
  return page(method, prefix + "/note/" + std::to_string(id) + rest, 0, std::move(body));
}

//                                                         anon person worker manager other_mgr commissioner councillor admin beta
std::vector<Row> moderation_rows() {
  return {
      {"GET", "/report/{kind}/{id}", "DOOOOOOOD", [](Target& t, int) { return on_note("GET", "/report", note(t), ""); }},
      {"POST", "/report/{kind}/{id}", "DOOOOOOOD",
       [](Target& t, int) { return on_note("POST", "/report", note(t), "", "reason=spam"); }},
      {"GET", "/moderation", "DDDOODDOD", [](Target&, int) { return page("GET", "/moderation"); }},
      {"GET", "/moderation/blocked", "DDDOODDOD", [](Target&, int) { return page("GET", "/moderation/blocked"); }},
      {"GET", "/moderation/{kind}/{id}", "DDDOODDOD",
       [](Target& t, int) { return on_note("GET", "/moderation", reported(t), ""); }},
      {"POST", "/moderation/{kind}/{id}/hide", "DDDOODDOD",
       [](Target& t, int) { return on_note("POST", "/moderation", reported(t), "/hide", "reason=Spam"); }},
      {"POST", "/moderation/{kind}/{id}/restore", "DDDOODDOD",
       [](Target& t, int) { return on_note("POST", "/moderation", reported(t), "/restore", "reason=Fine"); }},
      {"POST", "/moderation/{kind}/{id}/keep", "DDDOODDOD",
       [](Target& t, int) { return on_note("POST", "/moderation", reported(t), "/keep", "reason=Fine"); }},
      {"POST", "/moderation/people/{id}/block", "DDDOODDOD",
       [](Target& t, int) {
         reported(t);
         return page("POST", "/moderation/people/{id}/block", t.user, "reason=Spam");
       }},
      {"POST", "/moderation/people/{id}/unblock", "DDDOODDOD",
       [](Target& t, int) { return page("POST", "/moderation/people/{id}/unblock", blocked_author(t), "reason=Sorry"); }},
  };
}

static const Register reg(moderation_rows);

}  // namespace
