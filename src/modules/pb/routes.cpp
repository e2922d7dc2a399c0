#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "core/util.hpp"
#include "modules/pb/process.hpp"
#include "modules/directory/directory.hpp"
#include "modules/organisations/organisations.hpp"
#include "modules/plain/web.hpp"
#include "modules/postcodes/postcodes.hpp"
#include "web/bilingual.hpp"
#include "web/format.hpp"

namespace cp::modules {

namespace {

using app::Ctx;
using app::FormErrors;
namespace json = boost::json;
namespace policy = pb_policy;
namespace db = pb_store;

std::optional<std::int64_t> param_id(Ctx& ctx, const char* name) {
  auto id = parse_int(ctx.req.path_params[name]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

std::string money(const PbProcess& p, std::int64_t n) { return pb_money(p, n); }

std::string phase_label(Ctx& ctx, const std::string& phase) { return ctx.t("pb.phase_" + phase); }

int phase_index(const std::string& phase) {
  auto it = std::find(kPbPhases.begin(), kPbPhases.end(), phase);
  return it == kPbPhases.end() ? -1 : static_cast<int>(it - kPbPhases.begin());
}

FormErrors to_errors(Ctx& ctx, const std::vector<PbProblem>& problems) {
  FormErrors e;
  for (const auto& p : problems) e.add(p.field, ctx.t(p.key, p.args));
  return e;
}

// The process named by {id}; every PB page is public, so only "no such process" is a 404.
std::optional<PbProcess> process_from_path(Ctx& ctx) {
  auto id = param_id(ctx, "id");
  if (!id) return std::nullopt;
  auto w = ctx.read();
  auto p = db::get_process(w.scope(), *id);
  if (!p || !policy::can_view(ctx.actor, *p)) return std::nullopt;
  return p;
}

web::Data process_data(Ctx& ctx, const PbProcess& p) {
  web::Data d;
  d.set("id", std::to_string(p.id));
  d.set("title", p.title);
  d.set("description", p.description);
  d.set("has_description", !p.description.empty());
  d.set("budget", money(p, p.budget));
  d.set("phase", p.phase);
  d.set("phase_label", phase_label(ctx, p.phase));
  d.set("kind_label", ctx.t("pb.kind_" + p.ballot_kind));
  d.set("in_proposals", p.phase == "proposals");
  d.set("in_voting", p.phase == "voting");
  d.set("in_results", p.phase == "results");
  d.set("before_voting", phase_index(p.phase) < phase_index("voting"));
  d.set("per_area", p.per_area);
  d.set("imported", p.imported);
  web::List areas;
  for (const auto& a : p.area_list) {
    web::Data ad;
    ad.set("id", std::to_string(a.id));
    ad.set("name", a.name);
    ad.set("budget", money(p, a.budget));
    areas.push_back(ad);
  }
  d.set("areas", areas);
  return d;
}

// ------------------------------------------------------------ processes

http::Response list_page(Ctx& ctx) {
  std::vector<PbProcess> list;
  {
    auto w = ctx.read();
    list = db::list_processes(w.scope());
  }
  web::Data d;
  web::List items;
  for (const auto& p : list) items.push_back(process_data(ctx, p));
  d.set("processes", items);
  d.set("none", list.empty());
  d.set("can_manage", policy::can_manage(ctx.actor));
  return ctx.page(ctx.t("pb.list_title"), "pb/list", d);
}

// Adds the validation problems for fields the form reading has not already complained about.
void merge_problems(std::vector<PbProblem>& into, const std::vector<PbProblem>& more) {
  for (const auto& m : more)
    if (std::none_of(into.begin(), into.end(), [&](const PbProblem& p) { return p.field == m.field; })) into.push_back(m);
}

PbProcessInput input_from_form(Ctx& ctx, std::vector<PbProblem>& problems) {
  PbProcessInput in;
  in.title = ctx.field("title");
  in.description = ctx.field("description");
  in.ballot_kind = ctx.field("ballot_kind");
  in.per_area = ctx.field("per_area") == "1";
  auto number = [&](const char* field, std::int64_t& out, bool required) {
    std::string v;
    for (char c : ctx.field(field))
      if (c != ',' && c != ' ' && c != '\xC2' && c != '\xA3') v += c;
    if (v.empty() && !required) return;
    auto n = parse_int(v);
    if (!n) problems.push_back({field, std::string("pb.error_") + field, {}});
    else out = *n;
  };
  number("budget", in.budget, !in.per_area);
  number("max_choices", in.max_choices, false);
  number("min_choices", in.min_choices, false);
  number("min_age", in.min_age, false);
  in.postcodes = ctx.field("postcodes");
  number("points", in.points, in.ballot_kind == "cumulative");
  for (std::size_t i = 0; i < kPbPhases.size(); ++i) in.dates[i] = ctx.field(kPbPhases[i] + "_date");
  std::string areas = ctx.field("areas");
  for (const auto& raw : split(areas, '\n')) {
    std::string line = trim(raw);
    if (line.empty()) continue;
    // "North: 5000 | CF10 1, CF10 2 | 1-3": who may vote there, and the least and most choices.
    PbProcessInput::AreaRules rules;
    auto parts = split(line, '|');
    line = trim(parts[0]);
    if (parts.size() > 1) rules.postcodes = trim(parts[1]);
    if (parts.size() > 2) {
      std::string range = trim(parts[2]);
      auto dash = range.find('-');
      auto lo = parse_int(trim(range.substr(0, dash)));
      auto hi = dash == std::string::npos ? std::optional<std::int64_t>(0) : parse_int(trim(range.substr(dash + 1)));
      if (!lo || !hi) rules.min_choices = -1;  // validate() names the line as wrong
      else rules.min_choices = *lo, rules.max_choices = *hi;
    }
    if (parts.size() > 3) rules.min_choices = -1;
    in.area_rules.push_back(rules);
    auto colon = line.rfind(':');
    std::string digits;
    if (colon != std::string::npos)
      for (char c : line.substr(colon + 1))
        if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
    auto n = parse_int(digits);
    in.areas.emplace_back(colon == std::string::npos ? line : trim(line.substr(0, colon)), n.value_or(0));
  }
  return in;
}

http::Response form_page(Ctx& ctx, const PbProcessInput& in, const PbProcess* existing, const FormErrors& errors,
                         int status, const std::string& areas_text, bool check = false) {
  web::Data d;
  errors.fill(d);
  d.set("title", in.title);
  d.set("description", in.description);
  d.set("budget", in.budget > 0 ? std::to_string(in.budget) : ctx.field("budget"));
  d.set("max_choices", in.max_choices > 0 ? std::to_string(in.max_choices) : std::string());
  d.set("min_choices", in.min_choices > 0 ? std::to_string(in.min_choices) : std::string());
  d.set("min_age", in.min_age > 0 ? std::to_string(in.min_age) : std::string());
  d.set("postcodes", in.postcodes);
  d.set("points", in.points > 0 ? std::to_string(in.points) : std::string());
  d.set("per_area", in.per_area);
  d.set("areas", areas_text);
  web::List kinds;
  for (const auto& k : kPbBallotKinds) {
    web::Data o;
    o.set("value", k);
    o.set("label", ctx.t("pb.kind_" + k));
    o.set("hint", ctx.t("pb.kind_" + k + "_hint"));
    o.set("checked", k == in.ballot_kind);
    o.set("input_id", kinds.empty() ? std::string("ballot_kind") : "ballot_kind-" + k);
    kinds.push_back(o);
  }
  d.set("kinds", kinds);
  web::List dates;
  for (std::size_t i = 0; i < kPbPhases.size(); ++i) {
    web::Data o;
    o.set("name", kPbPhases[i] + "_date");
    o.set("label", ctx.t("pb.date_" + kPbPhases[i]));
    o.set("value", in.dates[i]);
    o.set("error", errors.of(kPbPhases[i] + "_date"));
    o.set("has_error", !errors.of(kPbPhases[i] + "_date").empty());
    dates.push_back(o);
  }
  d.set("dates", dates);
  d.set("editing", existing != nullptr);
  bool locked = existing && phase_index(existing->phase) >= phase_index("voting");
  d.set("locked", locked);
  d.set("area_locked", existing != nullptr);
  if (existing) d.set("id", std::to_string(existing->id));
  d.set("action", existing ? "/pb/" + std::to_string(existing->id) : std::string("/pb"));
  // The description is what residents read about the process, so its author can check it reads
  // plainly before saving; the check never stops a save.
  plain::form_support(ctx, d);
  if (check) d.set("plain", plain::check_fields(ctx, {{"description", ctx.t("pb.field_description"), in.description, ""}}));
  ctx.csrf();
  return ctx.page(existing ? ctx.t("pb.edit_title") : ctx.t("pb.new_title"), "pb/form", d, status);
}

http::Response new_page(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  return form_page(ctx, {}, nullptr, {}, 200, "");
}

http::Response create_submit(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  std::vector<PbProblem> problems;
  auto in = input_from_form(ctx, problems);
  if (ctx.field("action") == "check") return form_page(ctx, in, nullptr, {}, 200, ctx.field("areas"), true);
  merge_problems(problems, db::validate(in));
  if (!problems.empty()) return form_page(ctx, in, nullptr, to_errors(ctx, problems), 400, ctx.field("areas"));
  auto w = ctx.work();
  auto id = db::create_process(w.scope(), in);
  w.commit();
  ctx.set_flash("pb.flash_created");
  return http::Response::redirect("/pb/" + std::to_string(id));
}

http::Response edit_page(Ctx& ctx) {
  auto p = process_from_path(ctx);
  if (!p) return ctx.not_found();
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  std::string areas;
  if (p->per_area)
    for (const auto& a : p->area_list) {
      areas += a.name + ": " + std::to_string(a.budget);
      if (!a.postcodes.empty() || a.min_choices || a.max_choices) areas += " | " + a.postcodes;
      if (a.min_choices || a.max_choices)
        areas += " | " + std::to_string(a.min_choices) + "-" + std::to_string(a.max_choices);
      areas += "\n";
    }
  return form_page(ctx, *p, &*p, {}, 200, areas);
}

http::Response update_submit(Ctx& ctx) {
  auto p = process_from_path(ctx);
  if (!p) return ctx.not_found();
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  std::vector<PbProblem> problems;
  auto in = input_from_form(ctx, problems);
  // Whether it is per area, and its areas, are fixed when it is made.
  in.per_area = p->per_area;
  in.areas.clear();
  in.area_rules.clear();
  for (const auto& a : p->area_list) in.areas.emplace_back(a.name, a.budget);
  if (p->per_area) in.postcodes.clear();
  if (p->per_area) in.budget = p->budget;
  if (ctx.field("action") == "check") return form_page(ctx, in, &*p, {}, 200, "", true);
  merge_problems(problems, db::validate(in));
  if (!problems.empty()) return form_page(ctx, in, &*p, to_errors(ctx, problems), 400, "");
  auto w = ctx.work();
  db::update_process(w.scope(), p->id, in);
  w.commit();
  ctx.set_flash("pb.flash_updated");
  return http::Response::redirect("/pb/" + std::to_string(p->id));
}

http::Response show_page(Ctx& ctx) {
  auto p = process_from_path(ctx);
  if (!p) return ctx.not_found();
  web::Data d = process_data(ctx, *p);
  int current = phase_index(p->phase);
  web::List timeline;
  for (std::size_t i = 0; i < kPbPhases.size(); ++i) {
    web::Data s;
    s.set("label", phase_label(ctx, kPbPhases[i]));
    s.set("hint", ctx.t("pb.phase_" + kPbPhases[i] + "_hint"));
    s.set("date", p->dates[i].empty() ? std::string() : ctx.t("pb.phase_from", {{"date", p->dates[i]}}));
    s.set("has_date", !p->dates[i].empty());
    s.set("done", static_cast<int>(i) < current);
    s.set("current", static_cast<int>(i) == current);
    s.set("later", static_cast<int>(i) > current);
    s.set("value", kPbPhases[i]);
    timeline.push_back(s);
  }
  d.set("timeline", timeline);
  bool manage = policy::can_manage(ctx.actor);
  d.set("can_manage", manage && !p->imported);
  d.set("can_enter_paper", policy::can_enter_paper(ctx.actor, *p) && p->phase == "voting");
  d.set("can_vote", p->phase == "voting");
  web::List phases;
  for (std::size_t i = 0; i < kPbPhases.size(); ++i) {
    // Once voting opens there is no going back: ballots were cast under those rules.
    if (current >= phase_index("voting") && static_cast<int>(i) < current) continue;
    web::Data o;
    o.set("value", kPbPhases[i]);
    o.set("label", phase_label(ctx, kPbPhases[i]));
    o.set("selected", static_cast<int>(i) == current);
    phases.push_back(o);
  }
  d.set("phase_options", phases);
  ctx.csrf();
  return ctx.page(p->title, "pb/show", d);
}

http::Response phase_submit(Ctx& ctx) {
  auto p = process_from_path(ctx);
  if (!p) return ctx.not_found();
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  std::string to = ctx.field("phase");
  int from = phase_index(p->phase), next = phase_index(to);
  if (next < 0 || p->imported || (from >= phase_index("voting") && next < from)) {
    ctx.set_flash("pb.flash_phase_refused");
    return http::Response::redirect("/pb/" + std::to_string(p->id));
  }
  auto w = ctx.work();
  db::set_phase(w.scope(), p->id, to);
  w.commit();
  ctx.set_flash("pb.flash_phase_moved");
  return http::Response::redirect("/pb/" + std::to_string(p->id));
}

// ------------------------------------------------------------ proposals

web::Data proposal_data(Ctx& ctx, const PbProcess& p, const PbProposal& pr) {
  web::Data d;
  d.set("id", std::to_string(pr.id));
  d.set("process_id", std::to_string(p.id));
  // Welsh readers see the Welsh title and summary where the proposer wrote them.
  web::Bilingual title{pr.title, pr.title_cy};
  d.set("title", web::pick(title, ctx.lang).text);
  d.set("title_bi", web::bilingual_data(title, ctx.lang));
  d.set("summary", web::bilingual_data({pr.summary, pr.summary_cy}, ctx.lang));
  d.set("has_summary", !trim(pr.summary).empty() || !trim(pr.summary_cy).empty());
  d.set("description", pr.description);
  d.set("cost", money(p, pr.cost));
  d.set("place_name", pr.place_name);
  d.set("place_href", pr.place_uuid.empty() ? std::string() : "/services/" + pr.place_uuid);
  d.set("postcode", pr.postcode);
  d.set("has_place", !pr.place_name.empty());
  d.set("has_postcode", !pr.postcode.empty());
  d.set("has_location", !pr.place_name.empty() || !pr.postcode.empty());
  const PbArea* a = p.area(pr.area_id);
  d.set("area", a ? a->name : std::string());
  d.set("supports", ctx.t(pr.supports == 1 ? "pb.supports_one" : "pb.supports_many", {{"count", std::to_string(pr.supports)}}));
  d.set("status_label", ctx.t("pb.status_" + pr.status));
  d.set("accepted", pr.status == "accepted");
  d.set("rejected", pr.status == "rejected");
  d.set("submitted", pr.status == "submitted");
  d.set("reject_reason", pr.reject_reason);
  // An organisation's proposal is shown as the organisation's, not the member's who typed it.
  std::string by = !pr.organisation_name.empty() ? pr.organisation_name : pr.proposer_name;
  d.set("proposer", by.empty() ? std::string() : ctx.t("pb.proposed_by", {{"name", by}}));
  d.set("has_proposer", !by.empty());
  d.set("by_organisation", !pr.organisation_name.empty());
  return d;
}

http::Response proposals_page(Ctx& ctx) {
  auto p = process_from_path(ctx);
  if (!p) return ctx.not_found();
  std::vector<PbProposal> list;
  {
    auto w = ctx.read();
    list = db::proposals(w.scope(), p->id);
  }
  web::Data d = process_data(ctx, *p);
  web::List items;
  for (const auto& pr : list) items.push_back(proposal_data(ctx, *p, pr));
  d.set("proposals", items);
  d.set("none", list.empty());
  d.set("count", ctx.t("pb.proposals_count", {{"count", std::to_string(list.size())}}));
  d.set("can_propose", p->phase == "proposals");
  return ctx.page(ctx.t("pb.proposals_title", {{"title", p->title}}), "pb/proposals", d);
}

http::Response proposal_form(Ctx& ctx, const PbProcess& p, const FormErrors& errors, int status, bool check = false) {
  web::Data d = process_data(ctx, p);
  errors.fill(d);
  d.set("p_title", ctx.field("title"));
  d.set("p_description", ctx.field("description"));
  d.set("p_cost", ctx.field("cost"));
  d.set("p_summary", ctx.field("summary"));
  d.set("p_title_cy", ctx.field("title_cy"));
  d.set("p_summary_cy", ctx.field("summary_cy"));
  d.set("p_place", ctx.field("place"));
  d.set("p_postcode", ctx.field("postcode"));
  // Members of an organisation may propose for it.
  web::List orgs;
  std::string behalf = ctx.field("on_behalf");
  if (ctx.actor) {
    std::set<std::int64_t> seen;
    auto w = ctx.read();
    for (const auto& g : ctx.actor->grants)
      if (g.organisation_id && policy::can_propose_for(ctx.actor, *g.organisation_id) && seen.insert(*g.organisation_id).second)
        if (auto o = organisations_store::get(w.scope(), *g.organisation_id); o && !o->archived) {
          web::Data od;
          od.set("org_id", std::to_string(o->id));
          od.set("org_name", o->name);
          od.set("org_checked", behalf == std::to_string(o->id));
          orgs.push_back(od);
        }
  }
  d.set("organisations", orgs);
  d.set("has_organisations", !orgs.empty());
  d.set("self_checked", behalf.empty() || behalf == "self");
  std::string chosen = ctx.field("area");
  web::List areas;
  for (const auto& a : p.area_list) {
    web::Data o;
    o.set("id", std::to_string(a.id));
    o.set("name", a.name);
    o.set("budget", money(p, a.budget));
    o.set("selected", std::to_string(a.id) == chosen);
    areas.push_back(o);
  }
  d.set("area_options", areas);
  d.set("one_area", p.area_list.size() == 1);
  if (p.area_list.size() == 1) d.set("only_area", std::to_string(p.area_list.front().id));
  plain::form_support(ctx, d);
  if (check)
    d.set("plain", plain::check_fields(ctx, {{"title", ctx.t("pb.field_proposal_title"), ctx.field("title"), ""},
                                             {"summary", ctx.t("pb.field_summary"), ctx.field("summary"), ""},
                                             {"description", ctx.t("pb.field_proposal_description"),
                                              ctx.field("description"), ""}}));
  ctx.csrf();
  return ctx.page(ctx.t("pb.proposal_new_title"), "pb/proposal_form", d, status);
}

// Phase rules give a page saying what is open when, with 409: the request was fine, the timing not.
http::Response closed_page(Ctx& ctx, const PbProcess& p, const std::string& key) {
  web::Data d = process_data(ctx, p);
  d.set("message", ctx.t(key));
  return ctx.page(ctx.t("pb.closed_title"), "pb/closed", d, 409);
}

http::Response proposal_new_page(Ctx& ctx) {
  auto p = process_from_path(ctx);
  if (!p) return ctx.not_found();
  if (!policy::can_propose(ctx.actor, *p)) return ctx.deny();
  if (p->phase != "proposals") return closed_page(ctx, *p, "pb.closed_proposals");
  return proposal_form(ctx, *p, {}, 200);
}

http::Response proposal_create(Ctx& ctx) {
  auto p = process_from_path(ctx);
  if (!p) return ctx.not_found();
  if (!policy::can_propose(ctx.actor, *p)) return ctx.deny();
  if (p->phase != "proposals") return closed_page(ctx, *p, "pb.closed_proposals");
  if (ctx.field("action") == "check") return proposal_form(ctx, *p, {}, 200, true);
  std::int64_t cost = 0;
  auto area = parse_int(ctx.field("area")).value_or(0);
  auto problems = db::validate_proposal(*p, ctx.field("title"), ctx.field("description"), ctx.field("cost"), area, cost);
  PbProposalExtra x;
  x.summary = ctx.field("summary");
  x.title_cy = ctx.field("title_cy");
  x.summary_cy = ctx.field("summary_cy");
  merge_problems(problems, db::validate_extra(x));
  {
  auto w = ctx.read();
  if (std::string pc = ctx.field("postcode"); !pc.empty()) {
    auto n = postcodes::normalise(pc);
    if (!n) problems.push_back({"postcode", "pb.error_proposal_postcode", {}});
    else x.postcode = n->text;
  }
  if (std::string place = ctx.field("place"); !place.empty()) {
    // A place is one the directory lists, matched on its whole name so the link goes to the right one.
    directory_store::CandidateQuery q;
    for (const auto& word : split(to_lower(place), ' '))
      if (!trim(word).empty()) q.words.push_back(trim(word));
    q.limit = 50;
    for (const auto& c : directory_store::candidates(w.scope(), q))
      if (to_lower(trim(c.name)) == to_lower(place)) {
        x.place_uuid = c.uuid;
        x.place_name = c.name;
        break;
      }
    if (x.place_uuid.empty()) problems.push_back({"place", "pb.error_place_unknown", {{"place", place}}});
  }
  if (std::string behalf = ctx.field("on_behalf"); !behalf.empty() && behalf != "self") {
    auto org = parse_int(behalf);
    std::optional<Organisation> o;
    if (org && policy::can_propose_for(ctx.actor, *org)) o = organisations_store::get(w.scope(), *org);
    if (!o || o->archived) problems.push_back({"on_behalf", "pb.error_on_behalf", {}});
    else x.organisation_id = o->id, x.organisation_name = o->name;
  }
  }
  if (!problems.empty()) return proposal_form(ctx, *p, to_errors(ctx, problems), 400);
  auto w = ctx.work();
  auto id = db::add_proposal(w.scope(), *p, area, ctx.field("title"), ctx.field("description"), cost,
                             ctx.actor->user_id, ctx.actor->name);
  db::set_proposal_extra(w.scope(), p->id, id, x);
  w.commit();
  ctx.set_flash("pb.flash_proposed");
  return http::Response::redirect("/pb/" + std::to_string(p->id) + "/proposals/" + std::to_string(id));
}

http::Response proposal_page_with(Ctx& ctx, const PbProcess& p, const PbProposal& pr, const FormErrors& errors,
                                  int status) {
  std::vector<PbComment> list;
  bool supported = false;
  {
    auto w = ctx.read();
    list = db::comments(w.scope(), pr.id);
    if (ctx.actor) supported = db::supports(w.scope(), pr.id, ctx.actor->user_id);
  }
  web::Data d = proposal_data(ctx, p, pr);
  errors.fill(d);
  d.set("process_title", p.title);
  bool moderate = policy::can_moderate(ctx.actor);
  web::List cs;
  for (const auto& c : list) {
    web::Data cd;
    cd.set("id", std::to_string(c.id));
    cd.set("author", c.author);
    cd.set("body", c.body);
    cd.set("date", format_date(c.created_at));
    cd.set("hidden", c.hidden);
    cd.set("hidden_reason", c.hidden_reason);
    cd.set("can_hide", moderate && !c.hidden);
    cd.set("proposal_id", std::to_string(pr.id));
    cs.push_back(cd);
  }
  d.set("comments", cs);
  d.set("no_comments", list.empty());
  bool support_open = p.phase == "proposals" || p.phase == "supports";
  d.set("support_open", support_open);
  d.set("supported", supported);
  d.set("signed_in", ctx.signed_in());
  d.set("comment_open", p.phase != "results");
  d.set("comment", ctx.field("body"));
  d.set("can_review", policy::can_manage(ctx.actor) && phase_index(p.phase) < phase_index("voting") && !p.imported);
  d.set("sign_in_href", "/sign-in?next=" + http::url_encode(ctx.req.path));
  ctx.csrf();
  return ctx.page(pr.title, "pb/proposal", d, status);
}

std::optional<PbProposal> proposal_from_path(Ctx& ctx, const PbProcess& p) {
  auto pid = param_id(ctx, "pid");
  if (!pid) return std::nullopt;
  auto w = ctx.read();
  return db::get_proposal(w.scope(), p.id, *pid);
}

http::Response proposal_page(Ctx& ctx) {
  auto p = process_from_path(ctx);
  if (!p) return ctx.not_found();
  auto pr = proposal_from_path(ctx, *p);
  if (!pr) return ctx.not_found();
  return proposal_page_with(ctx, *p, *pr, {}, 200);
}

http::Response support_submit(Ctx& ctx) {
  auto p = process_from_path(ctx);
  if (!p) return ctx.not_found();
  auto pr = proposal_from_path(ctx, *p);
  if (!pr) return ctx.not_found();
  if (!policy::can_support(ctx.actor, *p)) return ctx.deny();
  if (p->phase != "proposals" && p->phase != "supports") return closed_page(ctx, *p, "pb.closed_supports");
  auto w = ctx.work();
  bool added = db::support(w.scope(), pr->id, ctx.actor->user_id);
  w.commit();
  ctx.set_flash(added ? "pb.flash_supported" : "pb.flash_supported_already");
  return http::Response::redirect("/pb/" + std::to_string(p->id) + "/proposals/" + std::to_string(pr->id));
}

http::Response comment_submit(Ctx& ctx) {
  auto p = process_from_path(ctx);
  if (!p) return ctx.not_found();
  auto pr = proposal_from_path(ctx, *p);
  if (!pr) return ctx.not_found();
  if (!policy::can_comment(ctx.actor, *p)) return ctx.deny();
  if (p->phase == "results") return closed_page(ctx, *p, "pb.closed_comments");
  std::string body = ctx.field("body");
  FormErrors e;
  if (body.empty()) e.add("body", ctx.t("pb.error_comment_missing"));
  else if (body.size() > 2000) e.add("body", ctx.t("pb.error_comment_long"));
  if (e.any()) return proposal_page_with(ctx, *p, *pr, e, 400);
  auto w = ctx.work();
  db::add_comment(w.scope(), pr->id, ctx.actor->user_id, ctx.actor->name, body);
  w.commit();
  ctx.set_flash("pb.flash_commented");
  return http::Response::redirect("/pb/" + std::to_string(p->id) + "/proposals/" + std::to_string(pr->id) + "#comments");
}

http::Response hide_submit(Ctx& ctx) {
  auto p = process_from_path(ctx);
  if (!p) return ctx.not_found();
  auto pr = proposal_from_path(ctx, *p);
  if (!pr) return ctx.not_found();
  auto cid = param_id(ctx, "cid");
  if (!cid) return ctx.not_found();
  if (!policy::can_moderate(ctx.actor)) return ctx.deny();
  std::string reason = ctx.field("reason");
  if (reason.empty()) reason = ctx.t("pb.hidden_default_reason");
  auto w = ctx.work();
  if (!db::hide_comment(w.scope(), pr->id, *cid, reason.substr(0, 500))) return ctx.not_found();
  w.commit();
  ctx.set_flash("pb.flash_hidden");
  return http::Response::redirect("/pb/" + std::to_string(p->id) + "/proposals/" + std::to_string(pr->id) + "#comments");
}

http::Response review_submit(Ctx& ctx) {
  auto p = process_from_path(ctx);
  if (!p) return ctx.not_found();
  auto pr = proposal_from_path(ctx, *p);
  if (!pr) return ctx.not_found();
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  if (phase_index(p->phase) >= phase_index("voting") || p->imported) return closed_page(ctx, *p, "pb.closed_review");
  std::string decision = ctx.field("decision"), reason = ctx.field("reason");
  FormErrors e;
  if (decision != "accept" && decision != "reject") e.add("decision-accept", ctx.t("pb.error_decision"));
  else if (decision == "reject" && reason.empty()) e.add("reason", ctx.t("pb.error_reason"));
  if (reason.size() > 1000) e.add("reason", ctx.t("pb.error_reason_long"));
  if (e.any()) return proposal_page_with(ctx, *p, *pr, e, 400);
  auto w = ctx.work();
  db::review_proposal(w.scope(), p->id, pr->id, decision == "accept", reason);
  w.commit();
  ctx.set_flash(decision == "accept" ? "pb.flash_accepted" : "pb.flash_rejected");
  return http::Response::redirect("/pb/" + std::to_string(p->id) + "/proposals/" + std::to_string(pr->id));
}

// ------------------------------------------------------------ voting

// The area a ballot page is about: ?area= / the form's area, or the only one.
const PbArea* chosen_area(Ctx& ctx, const PbProcess& p) {
  if (p.area_list.size() == 1) return &p.area_list.front();
  std::string v = ctx.req.method == "POST" ? ctx.field("area") : ctx.req.query_param("area");
  auto id = parse_int(v);
  return id ? p.area(*id) : nullptr;
}

PbChoices choices_from_form(Ctx& ctx, const PbProcess& p, const std::vector<PbProposal>& on_ballot, bool& bad_number) {
  PbChoices c;
  bad_number = false;
  if (p.ballot_kind == "cumulative") {
    for (const auto& pr : on_ballot) {
      std::string v = ctx.field("points_" + std::to_string(pr.id));
      if (v.empty()) continue;
      auto n = parse_int(v);
      if (!n || *n < 0) {
        bad_number = true;
        continue;
      }
      if (*n > 0) c.emplace_back(pr.id, *n);
    }
    return c;
  }
  std::set<std::int64_t> seen;
  auto range = ctx.form().equal_range("choice");
  for (auto it = range.first; it != range.second; ++it)
    if (auto id = parse_int(it->second); id && seen.insert(*id).second) c.emplace_back(*id, 1);
  return c;
}

struct BallotView {
  std::string action, heading, title;
  bool assisted = false;
  bool ask_eligibility = false;  // a first ballot: postcode and age questions, when the area has them
  bool ask_lives_in_area = false;
};

PbEligibilityInput eligibility_from_form(Ctx& ctx) {
  PbEligibilityInput in;
  in.postcode = ctx.field("postcode");
  in.dob_day = ctx.field("dob-day");
  in.dob_month = ctx.field("dob-month");
  in.dob_year = ctx.field("dob-year");
  in.age_confirmed = ctx.field("age_confirmed") == "1";
  in.lives_in_area = ctx.field("lives_in_area") == "1";
  return in;
}

PbEligibility check_eligibility(Ctx& ctx, const PbProcess& p, const PbArea& area) {
  auto& database = *ctx.app.db;
  return pb_check_eligibility(p, area, eligibility_from_form(ctx), pb_today(), [&](const std::string& pc) {
    auto n = postcodes::normalise(pc);
    return n && postcodes::locate(database, *n).has_value();
  });
}

// Eligibility problems and refusals as form errors; the day someone becomes old enough is a date
// in the reader's language.
void add_eligibility_errors(Ctx& ctx, const PbEligibility& e, std::vector<PbProblem>& problems) {
  auto fix = [&](PbProblem pr) {
    for (auto& [k, v] : pr.args)
      if (k == "date_days") k = "date", v = web::format_date(ctx.lang, parse_int(v).value_or(0) * 86400);
    return pr;
  };
  if (e.refusal) problems.insert(problems.begin(), fix(*e.refusal));
  for (const auto& pr : e.problems) problems.push_back(fix(pr));
}

http::Response ballot_form(Ctx& ctx, const PbProcess& p, const PbArea& area, const std::vector<PbProposal>& on_ballot,
                           const PbChoices& choices, const FormErrors& errors, int status, const BallotView& view,
                           bool checked_total = false, bool replacing = false) {
  web::Data d = process_data(ctx, p);
  errors.fill(d);
  std::map<std::int64_t, std::int64_t> picked(choices.begin(), choices.end());
  std::int64_t total = 0, points = 0;
  web::List items;
  bool first = true, choice_error = !errors.of("choices").empty();
  for (const auto& pr : on_ballot) {
    if (pr.area_id != area.id) continue;
    web::Data o = proposal_data(ctx, p, pr);
    o.set("cost_value", std::to_string(pr.cost));
    // The error summary links to the first box, as GOV.UK does for a group of checkboxes.
    std::string input_id = first ? "choices" : "choice-" + std::to_string(pr.id);
    o.set("input_id", input_id);
    o.set("described_by", input_id + "-hint" + (first && choice_error ? " choices-error" : ""));
    first = false;
    auto it = picked.find(pr.id);
    o.set("checked", it != picked.end());
    o.set("points_value", it != picked.end() ? std::to_string(it->second) : std::string());
    if (it != picked.end()) total += pr.cost, points += it->second;
    items.push_back(o);
  }
  d.set("choices", items);
  d.set("area_id", std::to_string(area.id));
  d.set("area_name", area.name);
  d.set("area_budget", money(p, area.budget));
  d.set("area_budget_value", std::to_string(area.budget));
  d.set("approval", p.ballot_kind == "approval");
  d.set("knapsack", p.ballot_kind == "knapsack");
  d.set("cumulative", p.ballot_kind == "cumulative");
  d.set("instructions", p.ballot_kind == "cumulative"
                            ? ctx.t("pb.vote_cumulative_hint", {{"points", std::to_string(p.points)}})
                        : p.ballot_kind == "knapsack"
                            ? ctx.t("pb.vote_knapsack_hint", {{"budget", money(p, area.budget)}})
                        : p.min_for(area) > 0 && p.max_for(area) > 0
                            ? ctx.t("pb.vote_approval_range_hint", {{"min", std::to_string(p.min_for(area))},
                                                                   {"max", std::to_string(p.max_for(area))}})
                        : p.min_for(area) > 0 ? ctx.t("pb.vote_approval_min_hint", {{"min", std::to_string(p.min_for(area))}})
                        : p.max_for(area) > 0 ? ctx.t("pb.vote_approval_max_hint", {{"max", std::to_string(p.max_for(area))}})
                                              : ctx.t("pb.vote_approval_hint"));
  bool ask_postcode = view.ask_eligibility && pb_needs_postcode(area);
  bool ask_age = view.ask_eligibility && p.min_age > 0;
  d.set("ask_postcode", ask_postcode);
  d.set("ask_age", ask_age);
  d.set("ask_eligibility", ask_postcode || ask_age);
  d.set("ask_lives_in_area", ask_postcode && (view.ask_lives_in_area || ctx.field("lives_in_area") == "1"));
  d.set("lives_in_area_label", ctx.t("pb.lives_in_area", {{"area", area.name}}));
  d.set("age_confirm_label", ctx.t("pb.age_confirm", {{"age", std::to_string(p.min_age)}}));
  d.set("age_legend", ctx.t(view.assisted ? "pb.age_legend_assisted" : "pb.age_legend", {{"age", std::to_string(p.min_age)}}));
  d.set("postcode_hint", ctx.t("pb.postcode_hint", {{"area", area.name}}));
  d.set("e_postcode", ctx.field("postcode"));
  d.set("dob_day", ctx.field("dob-day"));
  d.set("dob_month", ctx.field("dob-month"));
  d.set("dob_year", ctx.field("dob-year"));
  d.set("age_confirmed", ctx.field("age_confirmed") == "1");
  d.set("lives_in_area_checked", ctx.field("lives_in_area") == "1");
  d.set("total", money(p, total));
  d.set("total_text", ctx.t("pb.running_total", {{"total", money(p, total)}, {"budget", money(p, area.budget)}}));
  d.set("over", total > area.budget);
  d.set("checked_total", checked_total);
  d.set("points_text", ctx.t("pb.points_total", {{"given", std::to_string(points)}, {"points", std::to_string(p.points)}}));
  d.set("currency_symbol", p.currency == "GBP" ? "\u00a3" : "");
  d.set("form_action", view.action);
  d.set("heading", view.heading);
  d.set("assisted", view.assisted);
  d.set("replacing", replacing);
  d.set("voter_name", ctx.field("voter_name"));
  d.set("paper_ref", ctx.field("paper_ref"));
  d.set("script_url", ctx.app.assets->url("pb-ballot.js"));
  ctx.csrf();
  return ctx.page(view.title, "pb/vote", d, status);
}

std::string voter_key(Ctx& ctx) { return "user:" + std::to_string(ctx.actor->user_id); }

http::Response area_choice(Ctx& ctx, const PbProcess& p, const std::string& base) {
  web::Data d = process_data(ctx, p);
  d.set("base", base);
  return ctx.page(ctx.t("pb.choose_area_title"), "pb/choose_area", d);
}

http::Response vote_page(Ctx& ctx) {
  auto p = process_from_path(ctx);
  if (!p) return ctx.not_found();
  if (!policy::can_vote(ctx.actor, *p)) return ctx.deny();
  if (p->phase != "voting") return closed_page(ctx, *p, "pb.closed_voting");
  const PbArea* area = chosen_area(ctx, *p);
  if (!area) return area_choice(ctx, *p, "/pb/" + std::to_string(p->id) + "/vote");
  std::vector<PbProposal> on_ballot;
  std::optional<PbBallot> mine;
  {
    auto w = ctx.read();
    on_ballot = db::proposals(w.scope(), p->id, true);
    mine = db::ballot(w.scope(), p->id, area->id, voter_key(ctx));
  }
  return ballot_form(ctx, *p, *area, on_ballot, mine ? mine->choices : PbChoices{}, {}, 200,
                     {"/pb/" + std::to_string(p->id) + "/vote", ctx.t("pb.vote_heading"), ctx.t("pb.vote_title"), false,
                      !mine.has_value()},
                     false, mine.has_value());
}

http::Response vote_submit(Ctx& ctx) {
  auto p = process_from_path(ctx);
  if (!p) return ctx.not_found();
  if (!policy::can_vote(ctx.actor, *p)) return ctx.deny();
  if (p->phase != "voting") return closed_page(ctx, *p, "pb.closed_voting");
  const PbArea* area = chosen_area(ctx, *p);
  if (!area) return area_choice(ctx, *p, "/pb/" + std::to_string(p->id) + "/vote");
  BallotView view{"/pb/" + std::to_string(p->id) + "/vote", ctx.t("pb.vote_heading"), ctx.t("pb.vote_title"), false};
  auto w = ctx.work();
  auto on_ballot = db::proposals(w.scope(), p->id, true);
  // A voter changing their ballot was found eligible when they first cast it.
  view.ask_eligibility = !db::ballot(w.scope(), p->id, area->id, voter_key(ctx)).has_value();
  bool bad_number = false;
  auto choices = choices_from_form(ctx, *p, on_ballot, bad_number);
  if (ctx.field("action") == "check") return ballot_form(ctx, *p, *area, on_ballot, choices, {}, 200, view, true);
  auto problems = db::validate_ballot(*p, *area, on_ballot, choices);
  if (bad_number) problems.insert(problems.begin(), {"choices", "pb.error_points_value", {}});
  PbEligibility elig;
  elig.allowed = true;
  if (view.ask_eligibility) elig = check_eligibility(ctx, *p, *area);
  add_eligibility_errors(ctx, elig, problems);
  view.ask_lives_in_area = elig.ask_lives_in_area;
  if (!problems.empty())
    return ballot_form(ctx, *p, *area, on_ballot, choices, to_errors(ctx, problems), elig.refusal ? 403 : 400, view);
  bool replaced = db::cast_ballot(w.scope(), *p, area->id, voter_key(ctx), choices, ctx.actor->user_id, false, "", "",
                                  elig.how);
  w.commit();
  ctx.set_flash(replaced ? "pb.flash_vote_changed" : "pb.flash_voted");
  return http::Response::redirect("/pb/" + std::to_string(p->id) + "/ballot?area=" + std::to_string(area->id));
}

http::Response ballot_page(Ctx& ctx) {
  auto p = process_from_path(ctx);
  if (!p) return ctx.not_found();
  if (!policy::can_vote(ctx.actor, *p)) return ctx.deny();
  const PbArea* area = chosen_area(ctx, *p);
  if (!area) return ctx.not_found();
  std::optional<PbBallot> mine;
  std::vector<PbProposal> all;
  {
    auto w = ctx.read();
    mine = db::ballot(w.scope(), p->id, area->id, voter_key(ctx));
    all = db::proposals(w.scope(), p->id, true);
  }
  web::Data d = process_data(ctx, *p);
  d.set("area_name", area->name);
  d.set("area_id", std::to_string(area->id));
  d.set("voted", mine.has_value());
  d.set("can_change", p->phase == "voting");
  web::List items;
  if (mine) {
    std::map<std::int64_t, std::int64_t> picked(mine->choices.begin(), mine->choices.end());
    for (const auto& pr : all)
      if (picked.count(pr.id)) {
        web::Data o = proposal_data(ctx, *p, pr);
        o.set("points", p->ballot_kind == "cumulative" ? ctx.t("pb.points_given", {{"points", std::to_string(picked[pr.id])}})
                                                       : std::string());
        items.push_back(o);
      }
    d.set("updated", format_date(mine->updated_at));
  }
  d.set("my_choices", items);
  return ctx.page(ctx.t("pb.ballot_title"), "pb/ballot", d);
}

http::Response assisted_page(Ctx& ctx) {
  auto p = process_from_path(ctx);
  if (!p) return ctx.not_found();
  if (!policy::can_enter_paper(ctx.actor, *p)) return ctx.deny();
  if (p->phase != "voting") return closed_page(ctx, *p, "pb.closed_voting");
  const PbArea* area = chosen_area(ctx, *p);
  if (!area) return area_choice(ctx, *p, "/pb/" + std::to_string(p->id) + "/assisted");
  std::vector<PbProposal> on_ballot;
  {
    auto w = ctx.read();
    on_ballot = db::proposals(w.scope(), p->id, true);
  }
  return ballot_form(ctx, *p, *area, on_ballot, {}, {}, 200,
                     {"/pb/" + std::to_string(p->id) + "/assisted", ctx.t("pb.assisted_heading"), ctx.t("pb.assisted_title"),
                      true, true});
}

http::Response assisted_submit(Ctx& ctx) {
  auto p = process_from_path(ctx);
  if (!p) return ctx.not_found();
  if (!policy::can_enter_paper(ctx.actor, *p)) return ctx.deny();
  if (p->phase != "voting") return closed_page(ctx, *p, "pb.closed_voting");
  const PbArea* area = chosen_area(ctx, *p);
  if (!area) return area_choice(ctx, *p, "/pb/" + std::to_string(p->id) + "/assisted");
  BallotView view{"/pb/" + std::to_string(p->id) + "/assisted", ctx.t("pb.assisted_heading"), ctx.t("pb.assisted_title"),
                  true, true};
  auto w = ctx.work();
  auto on_ballot = db::proposals(w.scope(), p->id, true);
  bool bad_number = false;
  auto choices = choices_from_form(ctx, *p, on_ballot, bad_number);
  if (ctx.field("action") == "check") return ballot_form(ctx, *p, *area, on_ballot, choices, {}, 200, view, true);
  std::vector<PbProblem> problems;
  std::string name = ctx.field("voter_name"), ref = to_lower(ctx.field("paper_ref"));
  if (name.empty()) problems.push_back({"voter_name", "pb.error_voter_name", {}});
  else if (name.size() > 200) problems.push_back({"voter_name", "pb.error_voter_name_long", {}});
  bool ref_ok = !ref.empty() && ref.size() <= 40 &&
                std::all_of(ref.begin(), ref.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; });
  if (!ref_ok) problems.push_back({"paper_ref", "pb.error_paper_ref", {}});
  else if (db::ballot(w.scope(), p->id, area->id, "paper:" + ref))
    problems.push_back({"paper_ref", "pb.error_paper_ref_used", {{"ref", ref}}});
  auto more = db::validate_ballot(*p, *area, on_ballot, choices);
  problems.insert(problems.end(), more.begin(), more.end());
  if (bad_number) problems.push_back({"choices", "pb.error_points_value", {}});
  // A paper ballot meets the same rules as one cast online: the worker copies the postcode and age
  // from the paper form.
  auto elig = check_eligibility(ctx, *p, *area);
  add_eligibility_errors(ctx, elig, problems);
  view.ask_lives_in_area = elig.ask_lives_in_area;
  if (!problems.empty())
    return ballot_form(ctx, *p, *area, on_ballot, choices, to_errors(ctx, problems), elig.refusal ? 403 : 400, view);
  db::cast_ballot(w.scope(), *p, area->id, "paper:" + ref, choices, std::nullopt, true, ref, name, elig.how);
  w.commit();
  ctx.set_flash("pb.flash_assisted");
  return http::Response::redirect("/pb/" + std::to_string(p->id) + "/assisted?area=" + std::to_string(area->id));
}

// ------------------------------------------------------------ results

// The stored count when it is current; otherwise counts now and keeps it (one writer at a time).
std::optional<PbResults> load_results(Ctx& ctx, const PbProcess& p) {
  if (p.phase != "results") return std::nullopt;
  {
    auto w = ctx.read();
    if (auto c = db::cached_results(w.scope(), p)) return c;
  }
  auto w = ctx.work();
  auto fresh = db::get_process(w.scope(), p.id);
  auto r = db::results(w.scope(), *fresh, ctx.partnership.name);
  w.commit();
  return r;
}

// Pence as money: "£41.67", and whole pounds without pence ("£500").
std::string pence_money(Ctx&, const PbProcess& p, std::int64_t pence) {
  std::string pounds = pb_money(p, pence / 100);
  if (pence % 100 == 0) return pounds;
  std::int64_t pp = pence % 100;
  if (p.currency == "GBP") return pounds + "." + (pp < 10 ? "0" : "") + std::to_string(pp);
  auto space = pounds.find(' ');
  return pounds.substr(0, space) + "." + (pp < 10 ? "0" : "") + std::to_string(pp) + pounds.substr(space);
}

std::int64_t pence_of(const std::string& amount) {
  try {
    return static_cast<std::int64_t>(std::llround(std::stod(amount) * 100));
  } catch (...) {
    return 0;
  }
}

std::string explain(Ctx& ctx, const PbProcess& p, const PbProjectResult& r, bool equal_shares, bool cumulative) {
  std::string votes = std::to_string(cumulative ? r.score : r.supporters);
  std::string people = std::to_string(r.supporters);
  if (r.reason == "over_budget") return ctx.t("pb.why_over_budget");
  if (r.reason == "no_supporters" || r.supporters == 0) return ctx.t("pb.why_no_supporters");
  if (equal_shares) {
    if (r.selected) return ctx.t(r.supporters == 1 ? "pb.why_mes_chosen_one" : "pb.why_mes_chosen", {{"people", people}});
    if (r.spent_on) return ctx.t("pb.why_mes_spent", {{"project", r.spent_on_title}});
    return ctx.t("pb.why_mes_short", {{"people", people}});
  }
  if (r.selected)
    return ctx.t(cumulative ? "pb.why_greedy_chosen_points" : "pb.why_greedy_chosen", {{"votes", votes}});
  return ctx.t("pb.why_greedy_no_room", {{"left", money(p, std::max<std::int64_t>(0, r.budget_left))}});
}

web::Data rule_data(Ctx& ctx, const PbProcess& p, const PbAreaResult& a, const PbRuleResult& r, bool equal_shares) {
  bool cumulative = p.ballot_kind == "cumulative";
  web::Data d;
  web::List chosen, not_chosen;
  for (const auto& x : r.projects) {
    web::Data o;
    o.set("title", x.title);
    o.set("href", "/pb/" + std::to_string(p.id) + "/proposals/" + std::to_string(x.proposal_id));
    o.set("cost", money(p, x.cost));
    o.set("votes", std::to_string(cumulative ? x.score : x.supporters));
    o.set("why", explain(ctx, p, x, equal_shares, cumulative));
    // What its supporters paid: the same each, or (points) a price per point.
    std::string paid;
    if (equal_shares && x.selected && x.share_paid >= 0)
      paid = ctx.t(x.supporters == 1 ? "pb.paid_each_one" : "pb.paid_each",
                   {{"amount", pence_money(ctx, p, x.share_paid)}, {"people", std::to_string(x.supporters)}});
    else if (equal_shares && x.selected && !x.price.empty())
      paid = ctx.t("pb.paid_per_point", {{"amount", pence_money(ctx, p, pence_of(x.price))}});
    if (equal_shares && x.selected && x.ran_out > 0)
      paid += (paid.empty() ? "" : " ") + ctx.t(x.ran_out == 1 ? "pb.paid_ran_out_one" : "pb.paid_ran_out",
                                               {{"count", std::to_string(x.ran_out)}});
    o.set("paid", paid);
    o.set("has_paid", !paid.empty());
    (x.selected ? chosen : not_chosen).push_back(o);
  }
  d.set("chosen", chosen);
  d.set("not_chosen", not_chosen);
  d.set("has_not_chosen", !not_chosen.empty());
  d.set("used", ctx.t("pb.budget_used", {{"used", money(p, r.cost)}, {"budget", money(p, a.budget)}}));
  d.set("reached", ctx.t("pb.voters_reached", {{"count", std::to_string(r.voters_with_a_project)},
                                                {"voters", std::to_string(r.voters)}}));
  d.set("step_limit", r.step_limit);
  return d;
}

http::Response results_page(Ctx& ctx) {
  auto p = process_from_path(ctx);
  if (!p) return ctx.not_found();
  if (!policy::can_see_results(ctx.actor, *p)) return closed_page(ctx, *p, "pb.closed_results");
  auto res = load_results(ctx, *p);
  web::Data d = process_data(ctx, *p);
  d.set("votes_heading", ctx.t(p->ballot_kind == "cumulative" ? "pb.col_points" : "pb.col_votes"));
  // A signed-in voter's own ballots, to show them their share.
  std::map<std::int64_t, std::string> my_key;
  if (ctx.actor) {
    auto w = ctx.read();
    auto accepted = db::proposals(w.scope(), p->id, true);
    for (const auto& a : p->area_list)
      if (auto b = db::ballot(w.scope(), p->id, a.id, voter_key(ctx))) my_key[a.id] = db::ballot_key(accepted, b->choices);
  }
  web::List areas;
  for (const auto& a : res->areas) {
    web::Data ad = rule_data(ctx, *p, a, a.equal_shares, true);
    const auto& es = a.equal_shares;
    ad.set("has_spending", es.voters > 0);
    ad.set("share_text", ctx.t("pb.voter_share", {{"amount", pence_money(ctx, *p, es.voter_share)}}));
    ad.set("spent_all", ctx.t("pb.spent_all", {{"count", std::to_string(es.spent_all)}}));
    ad.set("spent_some", ctx.t("pb.spent_some", {{"count", std::to_string(es.spent_some)}}));
    ad.set("spent_none", ctx.t("pb.spent_none", {{"count", std::to_string(es.spent_none)}}));
    if (auto it = my_key.find(a.area_id); it != my_key.end()) {
      std::int64_t spent = 0;
      for (const auto& b : es.spending)
        if (b.ballot == it->second) spent = b.spent;
      ad.set("your_share", ctx.t(spent > 0 ? "pb.your_share" : "pb.your_share_none",
                                 {{"spent", pence_money(ctx, *p, spent)}, {"share", pence_money(ctx, *p, es.voter_share)}}));
    }
    ad.set("name", a.area_name);
    ad.set("ballots", ctx.t("pb.ballots_counted", {{"count", std::to_string(a.ballots)}}));
    areas.push_back(ad);
  }
  d.set("result_areas", areas);
  d.set("show_area_names", p->area_list.size() > 1);
  return ctx.page(ctx.t("pb.results_title", {{"title", p->title}}), "pb/results", d);
}

http::Response compare_page(Ctx& ctx) {
  auto p = process_from_path(ctx);
  if (!p) return ctx.not_found();
  if (!policy::can_see_results(ctx.actor, *p)) return closed_page(ctx, *p, "pb.closed_results");
  auto res = load_results(ctx, *p);
  web::Data d = process_data(ctx, *p);
  web::List areas;
  for (const auto& a : res->areas) {
    web::Data ad;
    ad.set("name", a.area_name);
    std::map<std::int64_t, bool> greedy, mes;
    for (const auto& x : a.greedy.projects) greedy[x.proposal_id] = x.selected;
    for (const auto& x : a.equal_shares.projects) mes[x.proposal_id] = x.selected;
    web::List rows;
    int differ = 0;
    for (const auto& x : a.equal_shares.projects) {
      bool g = greedy[x.proposal_id], m = mes[x.proposal_id];
      if (!g && !m) continue;
      web::Data o;
      o.set("title", x.title);
      o.set("href", "/pb/" + std::to_string(p->id) + "/proposals/" + std::to_string(x.proposal_id));
      o.set("cost", money(*p, x.cost));
      o.set("greedy", ctx.t(g ? "pb.yes_chosen" : "pb.not_chosen"));
      o.set("mes", ctx.t(m ? "pb.yes_chosen" : "pb.not_chosen"));
      o.set("differs", g != m);
      differ += g != m;
      rows.push_back(o);
    }
    ad.set("rows", rows);
    ad.set("differ", differ == 0 ? ctx.t("pb.compare_same") : ctx.t("pb.compare_differ", {{"count", std::to_string(differ)}}));
    auto pct = [](std::int64_t n, std::int64_t of) { return of ? std::to_string((n * 100 + of / 2) / of) : std::string("0"); };
    ad.set("greedy_reached", ctx.t("pb.compare_reached", {{"count", std::to_string(a.greedy.voters_with_a_project)},
                                                          {"voters", std::to_string(a.greedy.voters)},
                                                          {"percent", pct(a.greedy.voters_with_a_project, a.greedy.voters)}}));
    ad.set("mes_reached", ctx.t("pb.compare_reached", {{"count", std::to_string(a.equal_shares.voters_with_a_project)},
                                                       {"voters", std::to_string(a.equal_shares.voters)},
                                                       {"percent", pct(a.equal_shares.voters_with_a_project, a.equal_shares.voters)}}));
    ad.set("greedy_used", money(*p, a.greedy.cost));
    ad.set("mes_used", money(*p, a.equal_shares.cost));
    areas.push_back(ad);
  }
  d.set("compare_areas", areas);
  d.set("show_area_names", p->area_list.size() > 1);
  return ctx.page(ctx.t("pb.compare_title"), "pb/compare", d);
}

http::Response api_results(Ctx& ctx) {
  auto p = process_from_path(ctx);
  if (!p) return ctx.not_found();
  if (!policy::can_see_results(ctx.actor, *p))
    return ctx.problem(409, ctx.t("pb.api_not_ready_title"), ctx.t("pb.closed_results"), {{"phase", p->phase}});
  auto res = load_results(ctx, *p);
  return ctx.json(200, to_json(*res, *p));
}

// ------------------------------------------------------------ priority setting

std::string tenths(std::int64_t hundredths) {
  std::int64_t t = (hundredths + 5) / 10;
  return std::to_string(t / 10) + "." + std::to_string(t % 10);
}

bool rating_open(const PbProcess& p) { return phase_index(p.phase) < phase_index("voting"); }

http::Response priorities_with(Ctx& ctx, const PbProcess& p, const FormErrors& errors, int status) {
  std::vector<PbPriority> list;
  std::map<std::int64_t, std::pair<int, int>> mine;
  {
    auto w = ctx.read();
    list = db::priorities(w.scope(), p.id);
    if (ctx.actor) mine = db::my_ratings(w.scope(), p.id, voter_key(ctx));
  }
  web::Data d = process_data(ctx, p);
  errors.fill(d);
  web::List rows, points;
  int n = 0;
  for (const auto& pr : list) {
    ++n;
    web::Data o;
    o.set("number", std::to_string(n));
    o.set("pid", std::to_string(pr.id));
    o.set("ptitle", pr.title);
    if (pr.description.empty()) o.set("pdescription", web::Data(false));
    else o.set("pdescription", pr.description);
    o.set("rated", pr.ratings > 0);
    o.set("summary", pr.ratings == 0 ? ctx.t("pb.priority_unrated")
                                     : ctx.t(pr.ratings == 1 ? "pb.priority_scores_one" : "pb.priority_scores", {{"importance", tenths(pr.importance)},
                                                                     {"satisfaction", tenths(pr.satisfaction)},
                                                                     {"gap", tenths(std::max<std::int64_t>(0, pr.gap()))},
                                                                     {"count", std::to_string(pr.ratings)}}));
    o.set("big_gap", pr.ratings > 0 && pr.gap() >= 150);
    // Form values: what was just sent, else this person's earlier rating.
    auto pick = [&](const char* field, int stored) {
      std::string sent = ctx.req.method == "POST" ? ctx.field(std::string(field) + "_" + std::to_string(pr.id)) : "";
      std::string v = !sent.empty() ? sent : stored ? std::to_string(stored) : "";
      web::List opts;
      for (int k = 1; k <= 5; ++k) {
        web::Data op;
        op.set("value", std::to_string(k));
        op.set("label", ctx.t(std::string("pb.") + field + "_" + std::to_string(k)));
        op.set("selected", v == std::to_string(k));
        opts.push_back(op);
      }
      return opts;
    };
    auto it = mine.find(pr.id);
    o.set("importance_options", pick("importance", it == mine.end() ? 0 : it->second.first));
    o.set("satisfaction_options", pick("satisfaction", it == mine.end() ? 0 : it->second.second));
    std::string key = "importance_" + std::to_string(pr.id);
    o.set("error", errors.of(key));
    o.set("has_error", !errors.of(key).empty());
    rows.push_back(o);
    if (pr.ratings > 0) {
      // Satisfaction across (1 to 5 over 40..300), importance up (1 to 5 over 280..20).
      web::Data pt;
      pt.set("number", std::to_string(n));
      pt.set("x", std::to_string(40 + (pr.satisfaction - 100) * 260 / 400));
      pt.set("y", std::to_string(280 - (pr.importance - 100) * 260 / 400));
      pt.set("ty", std::to_string(280 - (pr.importance - 100) * 260 / 400 + 4));
      pt.set("big_gap", pr.gap() >= 150);
      points.push_back(pt);
    }
  }
  d.set("priorities", rows);
  d.set("points", points);
  d.set("none", list.empty());
  d.set("has_points", !points.empty());
  d.set("can_rate", ctx.signed_in() && rating_open(p) && !list.empty());
  d.set("rating_closed", !rating_open(p));
  d.set("can_add", policy::can_manage(ctx.actor) && rating_open(p) && !p.imported);
  d.set("new_title", ctx.req.method == "POST" ? ctx.field("title") : std::string());
  d.set("new_description", ctx.req.method == "POST" ? ctx.field("description") : std::string());
  d.set("sign_in_href", "/sign-in?next=" + http::url_encode(ctx.req.path));
  d.set("signed_in", ctx.signed_in());
  ctx.csrf();
  return ctx.page(ctx.t("pb.priorities_title", {{"title", p.title}}), "pb/priorities", d, status);
}

http::Response priorities_page(Ctx& ctx) {
  auto p = process_from_path(ctx);
  if (!p) return ctx.not_found();
  return priorities_with(ctx, *p, {}, 200);
}

http::Response priorities_rate(Ctx& ctx) {
  auto p = process_from_path(ctx);
  if (!p) return ctx.not_found();
  if (!policy::can_rate_priorities(ctx.actor, *p)) return ctx.deny();
  if (!rating_open(*p)) return closed_page(ctx, *p, "pb.closed_priorities");
  auto w = ctx.work();
  auto list = db::priorities(w.scope(), p->id);
  FormErrors e;
  std::vector<std::tuple<std::int64_t, int, int>> ratings;
  for (const auto& pr : list) {
    std::string id = std::to_string(pr.id);
    std::string i = ctx.field("importance_" + id), s = ctx.field("satisfaction_" + id);
    if (i.empty() && s.empty()) continue;  // not every priority has to be rated
    auto iv = parse_int(i), sv = parse_int(s);
    if (!iv || !sv || *iv < 1 || *iv > 5 || *sv < 1 || *sv > 5) {
      e.add("importance_" + id, ctx.t("pb.error_rating", {{"priority", pr.title}}));
      continue;
    }
    ratings.emplace_back(pr.id, static_cast<int>(*iv), static_cast<int>(*sv));
  }
  if (!e.any() && ratings.empty()) e.add(list.empty() ? "title" : "importance_" + std::to_string(list.front().id),
                                        ctx.t("pb.error_rating_none"));
  if (e.any()) return priorities_with(ctx, *p, e, 400);
  for (const auto& [id, i, s] : ratings) db::rate_priority(w.scope(), id, voter_key(ctx), i, s);
  w.commit();
  ctx.set_flash("pb.flash_rated");
  return http::Response::redirect("/pb/" + std::to_string(p->id) + "/priorities");
}

http::Response priorities_add(Ctx& ctx) {
  auto p = process_from_path(ctx);
  if (!p) return ctx.not_found();
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  if (!rating_open(*p) || p->imported) return closed_page(ctx, *p, "pb.closed_priorities");
  std::string title = ctx.field("title"), description = ctx.field("description");
  FormErrors e;
  if (title.empty()) e.add("title", ctx.t("pb.error_priority_title"));
  else if (title.size() > 200) e.add("title", ctx.t("pb.error_title_long"));
  if (description.size() > 1000) e.add("description", ctx.t("pb.error_reason_long"));
  if (e.any()) return priorities_with(ctx, *p, e, 400);
  auto w = ctx.work();
  db::add_priority(w.scope(), p->id, title, description);
  w.commit();
  ctx.set_flash("pb.flash_priority_added");
  return http::Response::redirect("/pb/" + std::to_string(p->id) + "/priorities");
}

}  // namespace

std::vector<PbProjectResult> pb_funded_projects(Ctx& ctx, const PbProcess& p) {
  std::vector<PbProjectResult> out;
  auto res = load_results(ctx, p);
  if (!res) return out;
  for (const auto& area : res->areas)
    for (const auto& pr : area.equal_shares.projects)
      if (pr.selected) out.push_back(pr);
  return out;
}

void PbModule::install(app::App& a) {
  a.route("GET", "/pb", "pb.list", list_page);
  a.route("GET", "/pb/new", "pb.new", new_page);
  a.route("POST", "/pb", "pb.create", create_submit);
  a.route("GET", "/pb/{id}", "pb.show", show_page);
  a.route("GET", "/pb/{id}/edit", "pb.edit", edit_page);
  a.route("POST", "/pb/{id}", "pb.update", update_submit);
  a.route("POST", "/pb/{id}/phase", "pb.phase", phase_submit);
  a.route("GET", "/pb/{id}/proposals", "pb.proposals", proposals_page);
  a.route("GET", "/pb/{id}/proposals/new", "pb.proposal_new", proposal_new_page);
  a.route("POST", "/pb/{id}/proposals", "pb.proposal_create", proposal_create);
  a.route("GET", "/pb/{id}/proposals/{pid}", "pb.proposal", proposal_page);
  a.route("POST", "/pb/{id}/proposals/{pid}/support", "pb.support", support_submit);
  a.route("POST", "/pb/{id}/proposals/{pid}/comments", "pb.comment", comment_submit);
  a.route("POST", "/pb/{id}/proposals/{pid}/comments/{cid}/hide", "pb.comment_hide", hide_submit);
  a.route("POST", "/pb/{id}/proposals/{pid}/review", "pb.review", review_submit);
  a.route("GET", "/pb/{id}/vote", "pb.vote", vote_page);
  a.route("POST", "/pb/{id}/vote", "pb.vote_submit", vote_submit);
  a.route("GET", "/pb/{id}/ballot", "pb.ballot", ballot_page);
  a.route("GET", "/pb/{id}/assisted", "pb.assisted", assisted_page);
  a.route("POST", "/pb/{id}/assisted", "pb.assisted_submit", assisted_submit);
  a.route("GET", "/pb/{id}/results", "pb.results", results_page);
  a.route("GET", "/pb/{id}/compare", "pb.compare", compare_page);
  a.route("GET", "/pb/{id}/priorities", "pb.priorities", priorities_page);
  a.route("POST", "/pb/{id}/priorities", "pb.priorities_rate", priorities_rate);
  a.route("POST", "/pb/{id}/priorities/new", "pb.priorities_add", priorities_add);
  pb_install_delivery(a);
  a.route("GET", "/api/v1/pb/{id}/results", "api.pb.results", api_results, app::RouteKind::api);
  a.nav({"pb.nav", "/pb", nullptr});
  // Process descriptions and proposals are what residents read before they vote, so the
  // plain-language report checks them. Imported processes are left out: their text was written
  // elsewhere and cannot be edited here.
  plain::register_texts("pb", [](store::Scope& s) {
    std::vector<plain::PublishedText> out;
    for (const auto& p : db::list_processes(s)) {
      if (p.imported) continue;
      std::string base = "/pb/" + std::to_string(p.id);
      if (!trim(p.description).empty()) out.push_back({p.title, base, p.description, ""});
      for (const auto& pr : db::proposals(s, p.id)) {
        std::string text = pr.title;
        if (!trim(pr.description).empty()) text += "\n\n" + pr.description;
        out.push_back({pr.title, base + "/proposals/" + std::to_string(pr.id), text, ""});
      }
    }
    return out;
  });
}

}  // namespace cp::modules
