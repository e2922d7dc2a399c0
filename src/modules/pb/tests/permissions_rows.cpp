// Participatory budgeting's rows in the permission matrix (see tests/support/matrix.hpp). Written
// from the policy we intend: reading is public; taking part (ideas, backing, comments, voting) needs
// an account; paper ballots are for staff; running a process and moderating are for commissioners
// and admins. Each row makes its own process, in the stage the route needs, in the target partnership.
#include "modules/pb/process.hpp"
#include "support/matrix.hpp"

namespace {

using namespace cp;
using namespace cp::test::matrix;
namespace db = cp::modules::pb_store;

struct Made {
  std::int64_t id = 0, area = 0, proposal = 0, comment = 0, priority = 0;
};

Made make(Target& t, const std::string& phase) {
  auto w = t.s->app->work(t.p->id, {std::nullopt, "matrix", "", ""});
  modules::PbProcessInput in;
  in.title = "Matrix fund";
  in.budget = 1000;
  Made m;
  m.id = db::create_process(w.scope(), in, "proposals");
  auto p = db::get_process(w.scope(), m.id);
  m.area = p->area_list.front().id;
  m.proposal = db::add_proposal(w.scope(), *p, m.area, "Matrix bench", "A bench.", 100, std::nullopt, "", "accepted");
  m.comment = db::add_comment(w.scope(), m.proposal, t.user, "Someone", "A comment.");
  db::cast_ballot(w.scope(), *p, m.area, "matrix:1", {{m.proposal, 1}}, std::nullopt);
  m.priority = db::add_priority(w.scope(), m.id, "Childcare that fits shift work", "");
  db::set_phase(w.scope(), m.id, phase);
  w.commit();
  return m;
}

// A funded project assigned to the target's organisation, whose worker and manager may then update it.
Made delivering(Target& t) {
  auto m = make(t, "results");
  auto w = t.s->app->work(t.p->id, {std::nullopt, "matrix", "", ""});
  db::set_delivery_org(w.scope(), m.proposal, t.org, "Matrix organisation");
  w.commit();
  return m;
}

std::string pid(const Made& m, const std::string& rest = "") {
  return "/pb/" + std::to_string(m.id) + "/proposals/" + std::to_string(m.proposal) + rest;
}

const std::string kForm = "title=Matrix+fund&ballot_kind=approval&budget=1000";

//                                              anon person worker manager other_mgr commissioner councillor admin beta
std::vector<Row> pb_rows() {
  return {
      {"GET", "/pb", "OOOOOOOOO", [](Target&, int) { return page("GET", "/pb"); }},
      {"GET", "/pb/new", "DDDDDODOD", [](Target&, int) { return page("GET", "/pb/new"); }},
      {"POST", "/pb", "DDDDDODOD", [](Target&, int) { return page("POST", "/pb", 0, kForm); }},
      {"GET", "/pb/{id}", "OOOOOOOOO", [](Target& t, int) { return page("GET", "/pb/{id}", make(t, "proposals").id); }},
      {"GET", "/pb/{id}/edit", "DDDDDODOD",
       [](Target& t, int) { return page("GET", "/pb/{id}/edit", make(t, "proposals").id); }},
      {"POST", "/pb/{id}", "DDDDDODOD",
       [](Target& t, int) { return page("POST", "/pb/{id}", make(t, "proposals").id, kForm); }},
      {"POST", "/pb/{id}/phase", "DDDDDODOD",
       [](Target& t, int) { return page("POST", "/pb/{id}/phase", make(t, "proposals").id, "phase=supports"); }},
      {"GET", "/pb/{id}/proposals", "OOOOOOOOO",
       [](Target& t, int) { return page("GET", "/pb/{id}/proposals", make(t, "proposals").id); }},
      {"GET", "/pb/{id}/proposals/new", "DOOOOOOOD",
       [](Target& t, int) { return page("GET", "/pb/{id}/proposals/new", make(t, "proposals").id); }},
      {"POST", "/pb/{id}/proposals", "DOOOOOOOD",
       [](Target& t, int) {
         auto m = make(t, "proposals");
         return page("POST", "/pb/{id}/proposals", m.id,
                     "title=Swings&description=New+swings.&cost=200&area=" + std::to_string(m.area));
       }},
      {"GET", "/pb/{id}/proposals/{pid}", "OOOOOOOOO",
       [](Target& t, int) { return page("GET", pid(make(t, "proposals"))); }},
      {"POST", "/pb/{id}/proposals/{pid}/support", "DOOOOOOOD",
       [](Target& t, int) { return page("POST", pid(make(t, "proposals"), "/support")); }},
      {"POST", "/pb/{id}/proposals/{pid}/comments", "DOOOOOOOD",
       [](Target& t, int) { return page("POST", pid(make(t, "proposals"), "/comments"), 0, "body=Good+idea."); }},
      {"POST", "/pb/{id}/proposals/{pid}/comments/{cid}/hide", "DDDDDODOD",
       [](Target& t, int) {
         auto m = make(t, "proposals");
         return page("POST", pid(m, "/comments/" + std::to_string(m.comment) + "/hide"), 0, "reason=Unkind.");
       }},
      {"POST", "/pb/{id}/proposals/{pid}/review", "DDDDDODOD",
       [](Target& t, int) { return page("POST", pid(make(t, "proposals"), "/review"), 0, "decision=accept"); }},
      {"GET", "/pb/{id}/vote", "DOOOOOOOD", [](Target& t, int) { return page("GET", "/pb/{id}/vote", make(t, "voting").id); }},
      {"POST", "/pb/{id}/vote", "DOOOOOOOD",
       [](Target& t, int) {
         auto m = make(t, "voting");
         return page("POST", "/pb/{id}/vote", m.id, "choice=" + std::to_string(m.proposal));
       }},
      {"GET", "/pb/{id}/ballot", "DOOOOOOOD",
       [](Target& t, int) { return page("GET", "/pb/{id}/ballot", make(t, "voting").id); }},
      {"GET", "/pb/{id}/assisted", "DDOOOOOOD",
       [](Target& t, int) { return page("GET", "/pb/{id}/assisted", make(t, "voting").id); }},
      {"POST", "/pb/{id}/assisted", "DDOOOOOOD",
       [](Target& t, int n) {
         auto m = make(t, "voting");
         return page("POST", "/pb/{id}/assisted", m.id,
                     "choice=" + std::to_string(m.proposal) + "&voter_name=Paper+Voter&paper_ref=M-" + std::to_string(n));
       }},
      {"GET", "/pb/{id}/results", "OOOOOOOOO",
       [](Target& t, int) { return page("GET", "/pb/{id}/results", make(t, "results").id); }},
      {"GET", "/pb/{id}/compare", "OOOOOOOOO",
       [](Target& t, int) { return page("GET", "/pb/{id}/compare", make(t, "results").id); }},
      {"GET", "/pb/{id}/priorities", "OOOOOOOOO",
       [](Target& t, int) { return page("GET", "/pb/{id}/priorities", make(t, "proposals").id); }},
      {"POST", "/pb/{id}/priorities", "DOOOOOOOD",
       [](Target& t, int) {
         auto m = make(t, "proposals");
         std::string id = std::to_string(m.priority);
         return page("POST", "/pb/{id}/priorities", m.id, "importance_" + id + "=5&satisfaction_" + id + "=2");
       }},
      {"POST", "/pb/{id}/priorities/new", "DDDDDODOD",
       [](Target& t, int) { return page("POST", "/pb/{id}/priorities/new", make(t, "proposals").id, "title=Buses+at+night"); }},
      {"GET", "/pb/{id}/delivery", "OOOOOOOOO",
       [](Target& t, int) { return page("GET", "/pb/{id}/delivery", make(t, "results").id); }},
      {"GET", "/pb/{id}/delivery/{proposal}", "DDOODDDOD",
       [](Target& t, int) {
         auto m = delivering(t);
         return page("GET", "/pb/" + std::to_string(m.id) + "/delivery/" + std::to_string(m.proposal));
       }},
      {"POST", "/pb/{id}/delivery/{proposal}", "DDOODDDOD",
       [](Target& t, int) {
         auto m = delivering(t);
         return page("POST", "/pb/" + std::to_string(m.id) + "/delivery/" + std::to_string(m.proposal), 0,
                     "form=progress&progress=40");
       }},
      // Choosing the delivering organisation stays with admins, even for that organisation's staff.
      {"POST", "/pb/{id}/delivery/{proposal}/organisation", "DDDDDDDOD",
       [](Target& t, int) {
         auto m = delivering(t);
         return page("POST", "/pb/" + std::to_string(m.id) + "/delivery/" + std::to_string(m.proposal) + "/organisation",
                     0, "organisation=" + std::to_string(t.org));
       }},
      {"GET", "/api/v1/pb/{id}/results", "OOOOOOOOO",
       [](Target& t, int) { return api("GET", "/api/v1/pb/{id}/results", make(t, "results").id); }},
  };
}

const Register reg(pb_rows);

}  // namespace
