// Choice: for one goal, "See options" lists what every partner offers (services, community assets,
// groups, people's offers) through the matching module, narrowed to what fits the person (age, their
// pipeline stage where a service states stages, distance from their postcode, cost, days), each with
// a one-line reason. The person, or the worker with them, records a choice as a step in the
// person's own name, linked to what was chosen. The options shown are never stored: not choosing
// something is held against nobody.
#include <algorithm>

#include "core/util.hpp"
#include "modules/capabilities/capabilities.hpp"
#include "modules/directory/directory.hpp"
#include "modules/journeys/kpi.hpp"
#include "modules/journeys/web.hpp"
#include "modules/matching/matching.hpp"

namespace cp::modules {

namespace journeys_store {

std::int64_t record_choice(store::Scope& s, std::int64_t person_id, std::int64_t goal_id, const std::string& kind,
                           std::int64_t chosen_id, const std::string& action, const Who& by) {
  journeys::KpiChange kpi(s, person_id);
  auto now = now_seconds();
  auto id = s.insert({"journey_step.choice", "journey_person", person_id, kind + " " + std::to_string(chosen_id)},
                     "INSERT INTO journey_steps (partnership_id, person_id, goal_id, action, who, who_detail, due_on,"
                     " status, person_notes, version, updated_by_name, created_at, updated_at, chosen_kind, chosen_id)"
                     " VALUES ($1, $2, $3, $4, 'person', '', '', 'not_started', '', 1, $5, $6, $6, $7, $8) RETURNING id",
                     {person_id, goal_id, action, by.name, now, kind, chosen_id});
  s.insert({"journey_plan.step.version", "journey_step", id, "version 1"},
           "INSERT INTO journey_plan_history (partnership_id, item_type, item_id, version, summary, by_user, by_name, at)"
           " VALUES ($1, 'step', $2, 1, $3, $4, $5, $6) RETURNING id",
           {id, action + " | person | - | not_started",
            by.user_id ? store::Value{by.user_id} : store::Value{nullptr}, by.name, now});
  kpi.done();
  return id;
}

}  // namespace journeys_store

namespace journeys_web {

namespace {

const std::vector<std::string> kChoiceKinds = {"service", "asset", "group", "offer"};

std::int64_t age_of(const Person& p) {
  auto year = parse_int(iso_date(now_seconds()).substr(0, 4)).value_or(2000);
  return year - *p.profile.birth_year;
}

// The options page. `e` carries problems with the filters or with a choice just posted.
http::Response options_page(Ctx& ctx, store::Scope& s, const Goal& g, const PlanView& v, FormErrors e, int status) {
  bool post = ctx.req.method == "POST";
  auto q = [&](const std::string& k) { return post ? std::string() : ctx.req.query_param(k); };
  bool filtered = !post && ctx.req.query.count("filtered") > 0;
  matching::Need need;
  need.text = q("q").empty() ? g.text : q("q");
  need.postcode = filtered ? q("postcode") : v.person.profile.postcode;
  need.topic = q("topic");
  if (auto km = parse_int(q("within"))) need.within_km = static_cast<double>(*km);
  if (v.person.profile.birth_year) need.age = age_of(v.person);
  if (!post) {
    auto range = ctx.req.query.equal_range("days");
    for (auto it = range.first; it != range.second; ++it) need.days.push_back(it->second);
  }
  bool free_only = q("free") == "1";
  auto stage_list = db::stages(s, v.person.id);
  std::int64_t stage = stage_list.empty() ? 0 : stage_list.front().stage;
  // Fits the person's stage unless they asked to see every stage.
  bool stage_fit = stage > 0 && !(filtered && q("stage_fit") != "1");
  need.limit = 40;

  web::Data d;
  std::vector<matching::Match> found;
  for (const auto& p : matching::check(ctx.app, need)) e.add(p.field, ctx.t(p.key));
  if (!e.any() || post) {
    if (matching::check(ctx.app, need).empty())
      found = matching::match(s, need, matching::Viewer(viewer_for(ctx.actor)));
  }
  std::map<std::int64_t, std::string> orgs;
  auto own_org = policy::worker_organisation(ctx.actor);
  web::List items;
  for (const auto& m : found) {
    bool is_free = m.kind == matching::Kind::offer ||
                   std::any_of(m.reasons.begin(), m.reasons.end(), [](const auto& r) { return r.key == "matching.why_free"; });
    if (free_only && !is_free) continue;
    std::string line = matching::explain(ctx.app.catalogue, ctx.lang, m);
    std::optional<directory_store::ServiceRef> ref;
    if (m.kind != matching::Kind::offer) ref = directory_store::service_ref(s, m.id);
    if (ref && !ref->stages.empty()) {
      bool fits = std::find(ref->stages.begin(), ref->stages.end(), static_cast<int>(stage)) != ref->stages.end();
      if (stage_fit && !fits) continue;
      std::string list;
      for (auto n : ref->stages) list += (list.empty() ? "" : ", ") + std::to_string(n);
      line += (line.empty() ? "" : ", ") + ctx.t("journeys.options_for_stages", {{"stages", list}});
    }
    web::Data r;
    r.set("name", m.name);
    r.set("kind", matching::to_string(m.kind));
    r.set("kind_label", ctx.t("matching.kind_" + matching::to_string(m.kind)));
    r.set("ref_id", std::to_string(m.id));
    r.set("explanation", line);
    r.set("organisation", ref && ref->organisation_id ? web::Data(org_name(ctx, s, orgs, *ref->organisation_id))
                                                      : web::Data(false));
    // A worker may refer on to another organisation's service.
    bool refer = !v.own && ref && ref->organisation_id && own_org && *ref->organisation_id != *own_org;
    r.set("refer_href", refer ? web::Data("/people/" + std::to_string(v.person.id) + "/referrals/new?service=" +
                                          std::to_string(m.id) + "&reason=" + v.reason)
                              : web::Data(false));
    items.push_back(r);
    if (items.size() >= 20) break;
  }
  e.fill(d);
  d.set("goal_id", std::to_string(g.id));
  d.set("goal", g.text);
  d.set("own", v.own);
  d.set("person_name", v.person.name);
  d.set("back", plan_home(v));
  d.set("reason", v.reason);
  d.set("results", items);
  d.set("has_results", !items.empty());
  d.set("count", ctx.t("journeys.options_count", {{"count", std::to_string(items.size())}}));
  d.set("q", need.text);
  d.set("postcode", need.postcode);
  d.set("free", free_only);
  d.set("has_stage", stage > 0);
  d.set("stage_fit", stage_fit);
  d.set("stage_label", stage ? ctx.t("journeys.stage_" + std::to_string(stage)) : std::string());
  d.set("age", need.age ? web::Data(std::to_string(*need.age)) : web::Data(false));
  d.set("topics", directory_store::topic_options(directory_store::terms(s), need.topic, ctx.t("matching.any_topic")));
  d.set("days", day_choices(ctx, need.days));
  web::List within;
  for (int km : {2, 5, 10, 25, 50}) {
    web::Data o;
    o.set("value", std::to_string(km));
    o.set("label", ctx.t("matching.within_km", {{"km", std::to_string(km)}}));
    o.set("selected", static_cast<int>(need.within_km) == km);
    within.push_back(o);
  }
  d.set("within", within);
  ctx.csrf();
  return ctx.page(ctx.t("journeys.options_title"), "journeys/options", d, status);
}

}  // namespace

http::Response goal_options(Ctx& ctx) {
  return with_plan_item(ctx, true, db::goal, [&](auto& w, auto& g, PlanView& v) {
    FormErrors e;
    auto res = options_page(ctx, w.scope(), *g, v, e, 200);
    if (res.status == 200 && ctx.req.query.count("filtered") && res.body.find("govuk-error-summary") != std::string::npos)
      res.status = 400;
    w.commit();
    return res;
  });
}

http::Response goal_choose(Ctx& ctx) {
  return with_plan_item(ctx, false, db::goal, [&](auto& w, auto& g, PlanView& v) {
    std::string kind = ctx.field("kind");
    auto chosen = parse_int(ctx.field("option"));
    std::string name;
    if (chosen && kind == "offer") {
      if (auto o = capabilities_store::get(w.scope(), *chosen, viewer_for(ctx.actor))) name = o->title;
    } else if (chosen && one_of(kChoiceKinds, kind)) {
      auto ref = directory_store::service_ref(w.scope(), *chosen);
      if (ref && ref->status == "active") name = ref->name;
    }
    if (name.empty()) {
      FormErrors e;
      e.add("results", ctx.t("journeys.error_unknown_option"));
      auto res = options_page(ctx, w.scope(), *g, v, e, 400);
      w.commit();  // keeps the access-log line
      return res;
    }
    db::record_choice(w.scope(), v.person.id, g->id, kind, *chosen, ctx.t("journeys.choice_step", {{"name", name}}), who(ctx));
    w.commit();
    ctx.set_flash("journeys.flash_choice_saved");
    return http::Response::redirect(plan_home(v));
  });
}

}  // namespace journeys_web

}  // namespace cp::modules
