#include <algorithm>

#include "core/util.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/selfassess/selfassess.hpp"
#include "web/format.hpp"

namespace cp::modules {

namespace {

using app::Ctx;
using app::FormErrors;
using namespace selfassess;
namespace policy = selfassess_policy;
namespace db = selfassess_store;
namespace jdb = journeys_store;

std::optional<std::int64_t> path_id(Ctx& ctx) {
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

std::string shown(Ctx& ctx, const web::Bilingual& b) { return web::pick(b, ctx.lang).text; }

FormErrors to_errors(Ctx& ctx, const std::vector<Problem>& problems) {
  FormErrors e;
  for (const auto& p : problems) e.add(p.field, ctx.t(p.key));
  return e;
}

// ------------------------------------------------------------ admin: the scales

ScaleInput scale_from_form(Ctx& ctx) {
  ScaleInput in;
  in.name = {ctx.field("name"), ctx.field("name_cy")};
  in.question = {ctx.field("question"), ctx.field("question_cy")};
  in.low = {ctx.field("low"), ctx.field("low_cy")};
  in.middle = {ctx.field("middle"), ctx.field("middle_cy")};
  in.high = {ctx.field("high"), ctx.field("high_cy")};
  in.active = ctx.field("active") != "0";
  return in;
}

http::Response scale_form(Ctx& ctx, const ScaleInput& in, std::optional<std::int64_t> id, const FormErrors& e, int status) {
  web::Data d;
  e.fill(d);
  for (auto& [field, b] : std::vector<std::pair<std::string, const web::Bilingual*>>{
           {"name", &in.name}, {"question", &in.question}, {"low", &in.low}, {"middle", &in.middle}, {"high", &in.high}}) {
    d.set(field, b->en);
    d.set(field + "_cy", b->cy);
  }
  d.set("editing", id.has_value());
  d.set("active", in.active);
  d.set("retired", !in.active);
  d.set("action", id ? "/admin/scales/" + std::to_string(*id) : std::string("/admin/scales/new"));
  ctx.csrf();
  return ctx.page(ctx.t(id ? "selfassess.scale_edit_title" : "selfassess.scale_new_title"), "selfassess/scale_form", d,
                  status);
}

http::Response scales_page(Ctx& ctx) {
  if (!policy::can_manage_scales(ctx.actor)) return ctx.deny();
  std::vector<Scale> list;
  {
    auto w = ctx.read();
    list = db::scales(w.scope(), false);
  }
  web::List rows;
  for (const auto& x : list) {
    web::Data r;
    r.set("id", std::to_string(x.id));
    r.set("name", web::bilingual_data(x.name, ctx.lang));
    r.set("question", shown(ctx, x.question));
    r.set("status", ctx.t(x.active ? "selfassess.status_active" : "selfassess.status_retired"));
    r.set("missing_cy", !web::has_both(x.name) || !web::has_both(x.question) || !web::has_both(x.low) ||
                            !web::has_both(x.middle) || !web::has_both(x.high));
    rows.push_back(r);
  }
  web::Data d;
  d.set("scales", rows);
  d.set("has_scales", !rows.empty());
  return ctx.page(ctx.t("selfassess.scales_title"), "selfassess/scales", d);
}

http::Response scale_new(Ctx& ctx) {
  if (!policy::can_manage_scales(ctx.actor)) return ctx.deny();
  return scale_form(ctx, {}, std::nullopt, {}, 200);
}

http::Response scale_create(Ctx& ctx) {
  if (!policy::can_manage_scales(ctx.actor)) return ctx.deny();
  auto in = scale_from_form(ctx);
  in.active = true;
  auto e = to_errors(ctx, db::validate(in));
  if (e.any()) return scale_form(ctx, in, std::nullopt, e, 400);
  auto w = ctx.work();
  db::add_scale(w.scope(), in);
  w.commit();
  ctx.set_flash("selfassess.flash_scale_saved");
  return http::Response::redirect("/admin/scales");
}

http::Response scale_edit(Ctx& ctx) {
  if (!policy::can_manage_scales(ctx.actor)) return ctx.deny();
  auto id = path_id(ctx);
  std::optional<Scale> x;
  if (id) {
    auto w = ctx.read();
    x = db::scale(w.scope(), *id);
  }
  if (!x) return ctx.not_found();
  return scale_form(ctx, *x, x->id, {}, 200);
}

http::Response scale_save(Ctx& ctx) {
  if (!policy::can_manage_scales(ctx.actor)) return ctx.deny();
  auto id = path_id(ctx);
  auto w = ctx.work();
  std::optional<Scale> x;
  if (id) x = db::scale(w.scope(), *id);
  if (!x) return ctx.not_found();
  auto in = scale_from_form(ctx);
  auto e = to_errors(ctx, db::validate(in));
  if (e.any()) return scale_form(ctx, in, x->id, e, 400);
  db::save_scale(w.scope(), x->id, in);
  w.commit();
  ctx.set_flash("selfassess.flash_scale_saved");
  return http::Response::redirect("/admin/scales");
}

// ------------------------------------------------------------ a person's progress

// Whose progress a request is about: the signed-in person's own, or a person a worker opens through
// the journeys gate for the "outcomes" part.
struct Subject {
  journeys::Person person;
  bool own = true;
  std::string reason;
  std::string base;  // "/me/progress" or "/people/{id}/progress"
};

// Resolves the subject for /people/{id}/progress...; a refusal is logged and returned as 403. An
// unknown reason on a GET asks for one before anything is shown.
std::optional<http::Response> staff_subject(Ctx& ctx, store::Scope& s, Subject& sub, bool& ask_reason) {
  auto id = path_id(ctx);
  std::optional<journeys::Person> p;
  if (id) p = jdb::person(s, *id);
  if (!p) return ctx.not_found();
  if (!ctx.actor) return ctx.deny();
  sub.own = false;
  sub.person = *p;
  sub.base = "/people/" + std::to_string(p->id) + "/progress";
  sub.reason = ctx.req.method == "GET" ? ctx.req.query_param("reason") : ctx.field("reason");
  bool known = journeys::one_of(journeys::kViewReasons, sub.reason);
  std::int64_t org = journeys_policy::worker_organisation(ctx.actor).value_or(0);
  auto access = journeys_policy::can_keep_caseload(ctx.actor)
                    ? jdb::staff_access(s, p->id, ctx.actor->user_id, "outcomes", org)
                    : jdb::Access::not_on_caseload;
  journeys::Who who{ctx.actor->user_id, ctx.actor->name};
  if (access != jdb::Access::allowed) {
    if (ctx.actor->is_staff() && !(p->user_id && *p->user_id == ctx.actor->user_id))
      jdb::log_access(s, p->id, who, org, "outcomes", known ? sub.reason : "none", "refused");
    return ctx.forbidden();
  }
  if (!known) {
    if (ctx.req.method == "GET") {
      ask_reason = true;
      return std::nullopt;
    }
    sub.reason = "follow_up";
  }
  if (ctx.req.method == "GET") jdb::log_access(s, p->id, who, org, "outcomes", sub.reason, "opened");
  return std::nullopt;
}

http::Response reason_page(Ctx& ctx, const Subject& sub, const std::string& action) {
  web::Data d;
  d.set("name", sub.person.name);
  d.set("action", action);
  web::List reasons;
  for (std::size_t i = 0; i < journeys::kViewReasons.size(); ++i) {
    web::Data r;
    r.set("value", journeys::kViewReasons[i]);
    r.set("id", i == 0 ? std::string("reason") : "reason-" + journeys::kViewReasons[i]);
    r.set("label", ctx.t("selfassess.reason_" + journeys::kViewReasons[i]));
    reasons.push_back(r);
  }
  d.set("reasons", reasons);
  return ctx.page(ctx.t("selfassess.reason_title"), "selfassess/reason", d);
}

web::Data progress_data(Ctx& ctx, store::Scope& s, const Subject& sub) {
  auto all = db::scales(s, false);
  auto done = db::completions(s, sub.person.id);
  web::List charts;
  for (const auto& x : all) {
    std::vector<std::pair<std::string, int>> points;
    web::List rows;
    for (const auto& c : done) {
      auto it = c.scores.find(x.id);
      if (it == c.scores.end()) continue;
      auto label = web::format_day(ctx.lang, c.completed_on);
      points.emplace_back(label, it->second);
      web::Data r;
      r.set("date", label);
      r.set("score", std::to_string(it->second));
      r.set("with_worker", c.with_worker);
      rows.push_back(r);
    }
    if (points.empty() && !x.active) continue;
    web::Data ch;
    auto name = shown(ctx, x.name);
    ch.set("id", "scale-" + std::to_string(x.id));
    ch.set("name", web::bilingual_data(x.name, ctx.lang));
    ch.set("retired", !x.active);
    ch.set("has_points", !points.empty());
    ch.set("rows", rows);
    if (!points.empty()) {
      std::string desc;
      if (points.size() == 1)
        desc = ctx.t("selfassess.chart_desc_one", {{"score", std::to_string(points[0].second)}, {"date", points[0].first}});
      else
        desc = ctx.t("selfassess.chart_desc",
                     {{"first", std::to_string(points.front().second)}, {"first_date", points.front().first},
                      {"last", std::to_string(points.back().second)}, {"last_date", points.back().first},
                      {"count", std::to_string(points.size())}});
      ch.set("desc", desc);
      ch.set("svg", chart_svg("chart-" + std::to_string(x.id), ctx.t("selfassess.chart_title", {{"scale", name}}), desc,
                              points, shown(ctx, x.low), shown(ctx, x.high)));
      if (points.size() > 1) {
        int change = points.back().second - points.front().second;
        ch.set("change", ctx.t(change > 0 ? "selfassess.change_up" : change < 0 ? "selfassess.change_down"
                                                                             : "selfassess.change_same",
                               {{"n", std::to_string(std::abs(change))}}));
      }
    }
    charts.push_back(ch);
  }
  web::Data d;
  d.set("own", sub.own);
  d.set("name", sub.person.name);
  d.set("charts", charts);
  d.set("has_any", !done.empty());
  d.set("count", std::to_string(done.size()));
  d.set("new_href", sub.base + "/new" + (sub.own ? "" : "?reason=" + sub.reason));
  return d;
}

// Whose scales a page is about: the signed-in person's own (/me/progress), or the person in the
// path through the staff gate. Returns the refusal to send, if any; `ask` is set when a worker must
// first say why they are opening the record.
std::optional<http::Response> open_subject(Ctx& ctx, store::Scope& s, bool own, Subject& sub, bool& ask) {
  if (!own) return staff_subject(ctx, s, sub, ask);
  if (!policy::can_keep_own(ctx.actor)) return ctx.deny();
  sub.person = jdb::ensure_person_for_user(s, ctx.actor->user_id, ctx.actor->name);
  sub.base = "/me/progress";
  return std::nullopt;
}

http::Response show_progress(Ctx& ctx, bool own) {
  auto w = ctx.work();
  Subject sub;
  bool ask = false;
  if (auto refused = open_subject(ctx, w.scope(), own, sub, ask)) {
    w.commit();
    return *refused;
  }
  if (ask) {
    w.commit();
    return reason_page(ctx, sub, sub.base);
  }
  auto d = progress_data(ctx, w.scope(), sub);
  w.commit();
  return ctx.page(ctx.t(own ? "selfassess.progress_title" : "selfassess.progress_other_title"), "selfassess/progress", d);
}

http::Response answer_form(Ctx& ctx, store::Scope& s, const Subject& sub, const std::map<std::string, std::string>& typed,
                           const FormErrors& e, int status) {
  web::List items;
  for (const auto& x : db::scales(s, true)) {
    std::string field = "score-" + std::to_string(x.id);
    auto it = typed.find(field);
    std::string value = it == typed.end() ? "" : it->second;
    web::Data q;
    q.set("field", field);
    q.set("name", web::bilingual_data(x.name, ctx.lang));
    q.set("question", web::bilingual_data(x.question, ctx.lang));
    q.set("low", shown(ctx, x.low));
    q.set("middle", shown(ctx, x.middle));
    q.set("high", shown(ctx, x.high));
    q.set("error", e.of(field).empty() ? web::Data(false) : web::Data(e.of(field)));
    web::List options;
    for (int v = kMin; v <= kMax; ++v) {
      web::Data o;
      o.set("value", std::to_string(v));
      o.set("id", v == kMin ? field : field + "-" + std::to_string(v));
      o.set("checked", value == std::to_string(v));
      options.push_back(o);
    }
    q.set("options", options);
    q.set("skip_id", field + "-skip");
    q.set("skipped", value.empty());
    items.push_back(q);
  }
  web::Data d;
  e.fill(d);
  d.set("own", sub.own);
  d.set("name", sub.person.name);
  d.set("reason", sub.reason);
  d.set("questions", items);
  d.set("has_questions", !items.empty());
  d.set("action", sub.base + "/new");
  d.set("back", sub.base + (sub.own ? "" : "?reason=" + sub.reason));
  ctx.csrf();
  return ctx.page(ctx.t("selfassess.answer_title"), "selfassess/answer", d, status);
}

http::Response answer_get(Ctx& ctx, bool own) {
  auto w = ctx.work();
  Subject sub;
  bool ask = false;
  if (auto refused = open_subject(ctx, w.scope(), own, sub, ask)) {
    w.commit();
    return *refused;
  }
  if (ask) {
    w.commit();
    return reason_page(ctx, sub, sub.base + "/new");
  }
  auto res = answer_form(ctx, w.scope(), sub, {}, {}, 200);
  w.commit();
  return res;
}

http::Response answer_post(Ctx& ctx, bool own) {
  auto w = ctx.work();
  Subject sub;
  bool ask = false;  // a POST carries its reason; staff_subject never asks on one
  if (auto refused = open_subject(ctx, w.scope(), own, sub, ask)) {
    w.commit();
    return *refused;
  }
  std::vector<Answer> answers;
  std::map<std::string, std::string> typed;
  for (const auto& [k, v] : ctx.form()) {
    if (!starts_with(k, "score-")) continue;
    answers.push_back({k.substr(6), v});
    typed[k] = trim(v);
  }
  std::map<std::int64_t, int> scores;
  auto problems = db::check_answers(w.scope(), answers, scores);
  if (!problems.empty()) {
    // A person's own record made on first use is kept; nothing of the answers is.
    auto res = answer_form(ctx, w.scope(), sub, typed, to_errors(ctx, problems), 400);
    w.commit();
    return res;
  }
  db::record(w.scope(), sub.person.id, ctx.actor->user_id, !own, journeys::iso_date(now_seconds()), scores);
  w.commit();
  ctx.set_flash("selfassess.flash_saved");
  return http::Response::redirect(sub.base + (own ? "" : "?reason=" + sub.reason));
}

}  // namespace

void SelfassessModule::install(app::App& a) {
  a.route("GET", "/admin/scales", "selfassess.scales", scales_page);
  a.route("GET", "/admin/scales/new", "selfassess.scale_new", scale_new);
  a.route("POST", "/admin/scales/new", "selfassess.scale_create", scale_create);
  a.route("GET", "/admin/scales/{id}", "selfassess.scale_edit", scale_edit);
  a.route("POST", "/admin/scales/{id}", "selfassess.scale_save", scale_save);
  a.route("GET", "/me/progress", "selfassess.mine", [](Ctx& c) { return show_progress(c, true); });
  a.route("GET", "/me/progress/new", "selfassess.answer", [](Ctx& c) { return answer_get(c, true); });
  a.route("POST", "/me/progress/new", "selfassess.answer_save", [](Ctx& c) { return answer_post(c, true); });
  a.route("GET", "/people/{id}/progress", "selfassess.person", [](Ctx& c) { return show_progress(c, false); });
  a.route("GET", "/people/{id}/progress/new", "selfassess.person_answer", [](Ctx& c) { return answer_get(c, false); });
  a.route("POST", "/people/{id}/progress/new", "selfassess.person_answer_save",
          [](Ctx& c) { return answer_post(c, false); });
  a.nav({"selfassess.nav", "/me/progress", [](const Ctx& c) { return c.signed_in(); }});
  a.nav({"selfassess.nav_admin", "/admin/scales", [](const Ctx& c) { return policy::can_manage_scales(c.actor); }});
}

}  // namespace cp::modules
