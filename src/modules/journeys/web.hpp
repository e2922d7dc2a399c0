// Helpers the journeys pages share across routes.cpp, choice.cpp, referrals.cpp and progress.cpp.
// Internal to the module: other modules use journeys.hpp.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "modules/journeys/journeys.hpp"

namespace cp::modules::journeys_web {

using app::Ctx;
using app::FormErrors;
using namespace journeys;
namespace policy = journeys_policy;
namespace db = journeys_store;

constexpr std::size_t kLongText = 4000;
constexpr std::size_t kShortText = 300;
constexpr std::int64_t kWeek = 7 * 24 * 3600;

std::optional<std::int64_t> path_id(Ctx& ctx);
Who who(Ctx& ctx);
web::Data opt_text(const std::string& s);
web::List choices(Ctx& ctx, const std::vector<std::string>& values, const std::string& prefix, const std::string& selected,
                  const std::string& field);
// Select options: "choose one" (journeys.PREFIX_choose), then each value (journeys.PREFIX_VALUE).
web::List select_options(Ctx& ctx, const std::vector<std::string>& values, const std::string& prefix,
                         const std::string& selected);
std::string org_name(Ctx& ctx, store::Scope& s, std::map<std::int64_t, std::string>& cache, std::int64_t id);
void check_length(Ctx& ctx, FormErrors& e, const std::string& field, const std::string& value, std::size_t max);
void split_date(const std::string& iso, std::string& day, std::string& month, std::string& year);

// Where a plan belongs and who is looking: the person themselves, or a key worker with consent.
struct PlanView {
  Person person;
  bool own = false;
  std::string reason;  // the worker's reason, carried through their forms
};
std::string plan_home(const PlanView& v);
// Who may open or change a goal or step of `person_id`: the person, or a key worker with plan
// consent (whose opening is logged when `log_open`). Returns a response when refused.
std::optional<http::Response> plan_item_access(Ctx& ctx, store::Scope& s, std::int64_t person_id, PlanView& v,
                                               bool log_open);

// The shared start of every goal and step page: the item named in the path, loaded by `load`
// (db::goal or db::step) inside one unit of work, and the actor's right to reach that person's plan.
// Runs `body(work, item, view)` when allowed; a refusal (already logged) is committed and returned.
template <class Load, class Body>
http::Response with_plan_item(Ctx& ctx, bool log_open, Load load, Body body) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.work();
  auto item = load(w.scope(), *id);
  if (!item) return ctx.not_found();
  PlanView v;
  if (auto refused = plan_item_access(ctx, w.scope(), item->person_id, v, log_open)) {
    w.commit();
    return *refused;
  }
  return body(w, item, v);
}

// The staff gate for one part of the record of the person in the path ({id}): the key worker with
// consent for `part`. A refusal is 403 and logged; an opening is logged when `log_open`.
// On success `p`, `org` and `reason` are filled in.
std::optional<http::Response> staff_gate(Ctx& ctx, store::Scope& s, const std::string& part, std::optional<Person>& p,
                                         std::int64_t& org, std::string& reason, bool log_open);

// The shared start of every staff page on one part of a person's record: one unit of work, the
// staff gate for `part`, then `body(person, org, reason)`, where `org` is the worker's organisation. A refusal (already logged) is committed
// and returned. `w` is the caller's unit of work.
template <class Work, class Body>
http::Response with_staff_gate(Ctx& ctx, Work& w, const std::string& part, bool log_open, Body body) {
  std::optional<Person> p;
  std::int64_t org = 0;
  std::string reason;
  if (auto refused = staff_gate(ctx, w.scope(), part, p, org, reason, log_open)) {
    w.commit();
    return *refused;
  }
  return body(*p, org, reason);
}

// Pages in other files.
http::Response goal_options(Ctx& ctx);
http::Response goal_choose(Ctx& ctx);
http::Response referral_new(Ctx& ctx);
http::Response referral_create(Ctx& ctx);
http::Response referrals_inbox(Ctx& ctx);
http::Response referral_page(Ctx& ctx);
http::Response referral_decide(Ctx& ctx);
http::Response me_referrals(Ctx& ctx);
http::Response me_referral_answer(Ctx& ctx);
http::Response progress_page(Ctx& ctx);
http::Response stage_add(Ctx& ctx);
http::Response outcome_add(Ctx& ctx);
http::Response check_answer(Ctx& ctx);
http::Response me_progress(Ctx& ctx);
http::Response caseload_team(Ctx& ctx);
// The record's "also working with you" panel data for a viewer of `viewer_org` (nullopt: the person).
web::List involvement_list(Ctx& ctx, store::Scope& s, std::int64_t person_id, std::optional<std::int64_t> viewer_org);

}  // namespace cp::modules::journeys_web
