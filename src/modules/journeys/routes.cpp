#include <algorithm>
#include <ctime>
#include <map>
#include <set>

#include "core/util.hpp"
#include "http/message.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/journeys/kpi.hpp"
#include "modules/journeys/web.hpp"
#include "modules/organisations/organisations.hpp"
#include "modules/postcodes/postcodes.hpp"
#include "web/format.hpp"

namespace cp::modules {

namespace journeys_web {

std::optional<std::int64_t> path_id(Ctx& ctx) {
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

Who who(Ctx& ctx) { return {ctx.actor->user_id, ctx.actor->name}; }

web::Data opt_text(const std::string& s) { return s.empty() ? web::Data(false) : web::Data(s); }

// Radios or select options from a fixed list, labelled from the catalogue.
web::List choices(Ctx& ctx, const std::vector<std::string>& values, const std::string& prefix, const std::string& selected,
                  const std::string& field) {
  web::List list;
  for (std::size_t i = 0; i < values.size(); ++i) {
    web::Data o;
    o.set("value", values[i]);
    o.set("id", i == 0 ? field : field + "-" + values[i]);
    o.set("label", ctx.t("journeys." + prefix + "_" + values[i]));
    o.set("checked", values[i] == selected);
    list.push_back(o);
  }
  return list;
}

// Select options from a fixed list: first "choose one" (journeys.PREFIX_choose, no value), then each
// value labelled journeys.PREFIX_VALUE, with `selected` marked.
web::List select_options(Ctx& ctx, const std::vector<std::string>& values, const std::string& prefix,
                         const std::string& selected) {
  web::List list;
  web::Data none;
  none.set("value", "");
  none.set("label", ctx.t("journeys." + prefix + "_choose"));
  list.push_back(none);
  for (const auto& v : values) {
    web::Data o;
    o.set("value", v);
    o.set("label", ctx.t("journeys." + prefix + "_" + v));
    o.set("selected", v == selected);
    list.push_back(o);
  }
  return list;
}

std::string org_name(Ctx& ctx, store::Scope& s, std::map<std::int64_t, std::string>& cache, std::int64_t id) {
  auto it = cache.find(id);
  if (it != cache.end()) return it->second;
  auto o = organisations_store::get(s, id);
  std::string name = o ? o->name : ctx.t("journeys.unknown_organisation");
  cache[id] = name;
  return name;
}

void check_length(Ctx& ctx, FormErrors& e, const std::string& field, const std::string& value, std::size_t max) {
  if (value.size() > max) e.add(field, ctx.t("journeys.error_too_long", {{"max", std::to_string(max)}}));
}

// ------------------------------------------------------------ the person's own record

Profile profile_from_form(Ctx& ctx) {
  Profile p;
  p.what_matters = ctx.field("what_matters");
  p.good_life = ctx.field("good_life");
  p.strengths = ctx.field("strengths");
  p.barriers = ctx.field("barriers");
  p.contact_pref = ctx.field("contact_pref");
  p.language = ctx.field("language");
  p.postcode = ctx.field("postcode");
  if (auto y = parse_int(ctx.field("birth_year"))) p.birth_year = *y;
  p.lone_parent = ctx.field("lone_parent").empty() ? "not_asked" : ctx.field("lone_parent");
  p.disability = ctx.field("disability").empty() ? "not_asked" : ctx.field("disability");
  return p;
}

web::Data profile_data(Ctx& ctx, const Profile& p) {
  web::Data d;
  d.set("what_matters", p.what_matters);
  d.set("good_life", p.good_life);
  d.set("strengths", p.strengths);
  d.set("barriers", p.barriers);
  d.set("contact_pref", p.contact_pref);
  d.set("postcode", p.postcode);
  d.set("birth_year", p.birth_year ? std::to_string(*p.birth_year) : std::string());
  // Monitoring questions (kpi.hpp): no answer stays "not asked".
  d.set("lone_parent_options", choices(ctx, {"yes", "no", "prefer_not"}, "monitoring", p.lone_parent, "lone_parent"));
  d.set("disability_options", choices(ctx, {"yes", "no", "prefer_not"}, "monitoring", p.disability, "disability"));
  d.set("languages", choices(ctx, {"en", "cy"}, "language", p.language, "language"));
  d.set("language_label", ctx.t("journeys.language_" + (p.language == "cy" ? std::string("cy") : std::string("en"))));
  return d;
}

// `version` is the one the form saves over; `saved` (after a clash) is what is saved now, shown
// beside what this user typed so nothing is lost.
http::Response record_form(Ctx& ctx, const Profile& p, const FormErrors& errors, int status,
                           const Person* for_other = nullptr, const std::string& reason = "", std::int64_t version = 0,
                           const Person* saved = nullptr) {
  auto d = profile_data(ctx, p);
  errors.fill(d);
  d.set("version", std::to_string(version));
  d.set("conflict", saved != nullptr);
  if (saved) {
    d.set("saved_what_matters", opt_text(saved->profile.what_matters));
    d.set("saved_good_life", opt_text(saved->profile.good_life));
    d.set("saved_strengths", opt_text(saved->profile.strengths));
    d.set("saved_barriers", opt_text(saved->profile.barriers));
    d.set("saved_contact_pref", opt_text(saved->profile.contact_pref));
  }
  d.set("own", for_other == nullptr);
  d.set("action", for_other ? "/people/" + std::to_string(for_other->id) + "/profile" : std::string("/me/record"));
  d.set("person_name", for_other ? for_other->name : std::string());
  d.set("back", for_other ? "/people/" + std::to_string(for_other->id) + "?part=profile&reason=" + reason : std::string());
  d.set("reason", reason);
  ctx.csrf();
  return ctx.page(ctx.t("journeys.record_title"), "journeys/me_record", d, status);
}

Profile checked_profile(Ctx& ctx, FormErrors& e) {
  auto p = profile_from_form(ctx);
  check_length(ctx, e, "what_matters", p.what_matters, kLongText);
  check_length(ctx, e, "good_life", p.good_life, kLongText);
  check_length(ctx, e, "strengths", p.strengths, kLongText);
  check_length(ctx, e, "barriers", p.barriers, kLongText);
  check_length(ctx, e, "contact_pref", p.contact_pref, kShortText);
  if (p.language != "en" && p.language != "cy") e.add("language", ctx.t("journeys.error_language"));
  if (!p.postcode.empty()) {
    if (auto n = postcodes::normalise(p.postcode)) p.postcode = n->text;
    else e.add("postcode", ctx.t("journeys.error_postcode"));
  }
  std::string year = ctx.field("birth_year");
  auto this_year = parse_int(iso_date(now_seconds()).substr(0, 4)).value_or(2100);
  if (!year.empty() && (!p.birth_year || *p.birth_year < 1900 || *p.birth_year > this_year)) {
    e.add("birth_year", ctx.t("journeys.error_birth_year"));
    p.birth_year.reset();
  }
  for (auto* f : {"lone_parent", "disability"}) {
    std::string& v = std::string(f) == "lone_parent" ? p.lone_parent : p.disability;
    if (!one_of(kMonitoringAnswers, v)) {
      e.add(f, ctx.t("journeys.error_monitoring"));
      v = "not_asked";
    }
  }
  return p;
}

http::Response me_record(Ctx& ctx) {
  if (!policy::can_keep_own(ctx.actor)) return ctx.deny();
  Profile p;
  std::int64_t version = 0;
  {
    auto w = ctx.read();
    if (auto person = db::person_for_user(w.scope(), ctx.actor->user_id)) {
      p = person->profile;
      version = person->version;
    }
  }
  return record_form(ctx, p, {}, 200, nullptr, "", version);
}

http::Response me_record_save(Ctx& ctx) {
  if (!policy::can_keep_own(ctx.actor)) return ctx.deny();
  FormErrors e;
  auto p = checked_profile(ctx, e);
  // 0: the form was opened before there was a record, so there is nothing to save over.
  auto version = parse_int(ctx.field("version")).value_or(0);
  if (e.any()) return record_form(ctx, p, e, 400, nullptr, "", version);
  auto w = ctx.work();
  auto person = db::ensure_person_for_user(w.scope(), ctx.actor->user_id, ctx.actor->name);
  if (db::save_profile(w.scope(), person.id, p, version ? version : person.version) == SaveResult::conflict) {
    FormErrors c;
    c.add("what_matters", ctx.t("journeys.error_profile_conflict"));
    return record_form(ctx, p, c, 409, nullptr, "", person.version, &person);
  }
  w.commit();
  ctx.set_flash("journeys.flash_record_saved");
  return http::Response::redirect("/me/record");
}

// A key worker writes the profile with someone who has no account (their words, typed by the
// worker). Account holders write their own. Needs profile consent like reading it.
std::optional<http::Response> with_gate(Ctx& ctx, store::Scope& s, std::optional<Person>& p, std::string& reason) {
  auto id = path_id(ctx);
  if (id) p = db::person(s, *id);
  if (!p) return ctx.not_found();
  if (!ctx.actor) return ctx.deny();
  reason = ctx.req.method == "GET" ? ctx.req.query_param("reason") : ctx.field("reason");
  if (!one_of(kViewReasons, reason)) reason = "planned_contact";
  std::int64_t org = policy::worker_organisation(ctx.actor).value_or(0);
  auto access = policy::can_keep_caseload(ctx.actor) ? db::staff_access(s, p->id, ctx.actor->user_id, "profile", org)
                                                      : db::Access::not_on_caseload;
  if (access != db::Access::allowed || p->user_id) {
    if (ctx.actor->is_staff() && !(p->user_id && *p->user_id == ctx.actor->user_id))
      db::log_access(s, p->id, who(ctx), org, "profile", reason, "refused");
    return ctx.forbidden();
  }
  if (ctx.req.method == "GET") db::log_access(s, p->id, who(ctx), org, "profile", reason, "opened");
  return std::nullopt;
}

http::Response with_profile(Ctx& ctx) {
  auto w = ctx.work();
  std::optional<Person> p;
  std::string reason;
  auto refused = with_gate(ctx, w.scope(), p, reason);
  w.commit();
  if (refused) return *refused;
  return record_form(ctx, p->profile, {}, 200, &*p, reason, p->version);
}

http::Response with_profile_save(Ctx& ctx) {
  auto w = ctx.work();
  std::optional<Person> p;
  std::string reason;
  if (auto refused = with_gate(ctx, w.scope(), p, reason)) {
    w.commit();
    return *refused;
  }
  FormErrors e;
  auto profile = checked_profile(ctx, e);
  auto version = parse_int(ctx.field("version")).value_or(0);
  if (e.any()) return record_form(ctx, profile, e, 400, &*p, reason, version);
  // A form from before profiles had versions sends none: it saves as before.
  auto over = version ? std::optional<std::int64_t>(version) : std::nullopt;
  if (db::save_profile(w.scope(), p->id, profile, over) == SaveResult::conflict) {
    FormErrors c;
    c.add("what_matters", ctx.t("journeys.error_profile_conflict"));
    return record_form(ctx, profile, c, 409, &*p, reason, p->version, &*p);
  }
  w.commit();
  ctx.set_flash("journeys.flash_record_saved_other");
  return http::Response::redirect("/people/" + std::to_string(p->id) + "?part=profile&reason=" + reason);
}

http::Response me_views(Ctx& ctx) {
  if (!policy::can_keep_own(ctx.actor)) return ctx.deny();
  web::List rows;
  {
    auto w = ctx.read();
    std::map<std::int64_t, std::string> orgs;
    if (auto person = db::person_for_user(w.scope(), ctx.actor->user_id)) {
      for (const auto& a : db::access_log(w.scope(), person->id)) {
        web::Data r;
        r.set("who", a.viewer_name);
        r.set("organisation", org_name(ctx, w.scope(), orgs, a.organisation_id));
        r.set("when", format_date(a.at));
        r.set("part", ctx.t("journeys.part_" + a.part));
        r.set("reason", one_of(kViewReasons, a.reason) ? ctx.t("journeys.reason_" + a.reason) : ctx.t("journeys.reason_none"));
        r.set("refused", a.outcome == "refused");
        rows.push_back(r);
      }
    }
  }
  web::Data d;
  d.set("has_views", !rows.empty());
  d.set("views", rows);
  return ctx.page(ctx.t("journeys.views_title"), "journeys/views", d);
}

// ------------------------------------------------------------ consents

http::Response consents_page(Ctx& ctx, int status = 200, const FormErrors& errors = {}) {
  web::Data d;
  errors.fill(d);
  auto w = ctx.read();
  std::map<std::int64_t, std::string> names;
  auto person = db::person_for_user(w.scope(), ctx.actor->user_id);
  std::vector<Consent> current;
  std::vector<std::int64_t> orgs;
  web::List history;
  if (person) {
    current = db::consents(w.scope(), person->id);
    for (const auto& c : current)
      if (std::find(orgs.begin(), orgs.end(), c.organisation_id) == orgs.end()) orgs.push_back(c.organisation_id);
    for (const auto& r : w->read("SELECT organisation_id FROM journey_keyworkers WHERE partnership_id = $1"
                                 " AND person_id = $2 ORDER BY id",
                                 {person->id})
                             .rows)
      if (std::find(orgs.begin(), orgs.end(), r.i64(0)) == orgs.end()) orgs.push_back(r.i64(0));
    for (const auto& e : db::consent_history(w.scope(), person->id)) {
      web::Data h;
      h.set("when", format_date(e.at));
      h.set("organisation", org_name(ctx, w.scope(), names, e.organisation_id));
      h.set("part", ctx.t("journeys.part_" + e.part));
      h.set("action", ctx.t("journeys.consent_action_" + e.action));
      h.set("by", e.by_name);
      history.push_back(h);
    }
  }
  web::List blocks;
  for (auto org : orgs) {
    web::Data b;
    b.set("organisation_id", std::to_string(org));
    b.set("organisation", org_name(ctx, w.scope(), names, org));
    auto basis = db::lawful_basis(w.scope(), org);
    b.set("basis", basis ? web::Data(ctx.t("journeys.basis_" + *basis)) : web::Data(false));
    web::List parts;
    for (const auto& part : kParts) {
      web::Data p;
      p.set("value", part);
      p.set("id", "parts-" + std::to_string(org) + "-" + part);
      p.set("label", ctx.t("journeys.part_" + part));
      bool on = std::any_of(current.begin(), current.end(), [&](const Consent& c) {
        return c.organisation_id == org && c.part == part && c.granted;
      });
      p.set("checked", on);
      parts.push_back(p);
    }
    b.set("parts", parts);
    blocks.push_back(b);
  }
  web::List all;
  for (const auto& o : organisations_store::list(w.scope(), "", 1, 500).items) {
    if (std::find(orgs.begin(), orgs.end(), o.id) != orgs.end()) continue;
    web::Data x;
    x.set("value", std::to_string(o.id));
    x.set("label", o.name);
    all.push_back(x);
  }
  d.set("has_blocks", !blocks.empty());
  d.set("blocks", blocks);
  d.set("other_orgs", all);
  d.set("has_other_orgs", !all.empty());
  d.set("has_history", !history.empty());
  d.set("history", history);
  ctx.csrf();
  return ctx.page(ctx.t("journeys.consents_title"), "journeys/consents", d, status);
}

http::Response me_consents(Ctx& ctx) {
  if (!policy::can_keep_own(ctx.actor)) return ctx.deny();
  return consents_page(ctx);
}

http::Response me_consents_save(Ctx& ctx) {
  if (!policy::can_keep_own(ctx.actor)) return ctx.deny();
  auto org = parse_int(ctx.field("organisation"));
  std::vector<std::string> parts;
  auto range = ctx.form().equal_range("parts");
  for (auto it = range.first; it != range.second; ++it) parts.push_back(trim(it->second));
  FormErrors e;
  for (const auto& p : parts)
    if (!one_of(kParts, p)) e.add("organisation", ctx.t("journeys.error_part"));
  auto w = ctx.work();
  std::optional<Organisation> o;
  if (org) o = organisations_store::get(w.scope(), *org);
  if (!o || o->archived) e.add("organisation", ctx.t("journeys.error_organisation"));
  if (e.any()) {
    w.commit();
    return consents_page(ctx, 400, e);
  }
  auto person = db::ensure_person_for_user(w.scope(), ctx.actor->user_id, ctx.actor->name);
  db::set_consents(w.scope(), person.id, o->id, parts, who(ctx));
  w.commit();
  ctx.set_flash("journeys.flash_consent_saved");
  return http::Response::redirect("/me/consents");
}

// ------------------------------------------------------------ notes

web::List notes_list(Ctx& ctx, store::Scope& s, const std::vector<Note>& list, bool staff) {
  std::map<std::int64_t, std::string> names;
  web::List out;
  for (const auto& n : list) {
    web::Data d;
    d.set("when", format_date(n.created_at));
    d.set("kind", ctx.t("journeys.contact_" + n.kind));
    d.set("author", n.author_name);
    d.set("organisation", org_name(ctx, s, names, n.organisation_id));
    bool hidden = n.restricted && !staff;
    d.set("hidden", hidden);
    d.set("restricted", n.restricted && staff);
    if (!hidden) {
      d.set("talked_about", n.talked_about);
      d.set("strengths", opt_text(n.strengths));
      d.set("next_steps", opt_text(n.next_steps));
      d.set("restrict_reason", n.restricted ? ctx.t("journeys.restrict_" + n.restrict_reason) : std::string());
    }
    out.push_back(d);
  }
  return out;
}

http::Response me_notes(Ctx& ctx) {
  if (!policy::can_keep_own(ctx.actor)) return ctx.deny();
  web::Data d;
  auto w = ctx.read();
  web::List list;
  if (auto person = db::person_for_user(w.scope(), ctx.actor->user_id))
    list = notes_list(ctx, w.scope(), db::notes(w.scope(), person->id), false);
  d.set("has_notes", !list.empty());
  d.set("notes", list);
  return ctx.page(ctx.t("journeys.notes_title"), "journeys/me_notes", d);
}

// ------------------------------------------------------------ the plan


std::string plan_home(const PlanView& v) {
  if (v.own) return "/me/plan";
  return "/people/" + std::to_string(v.person.id) + "?part=plan&reason=" + v.reason;
}

web::Data step_form_data(Ctx& ctx, const StepInput& in, const std::string& day, const std::string& month,
                         const std::string& year) {
  web::Data d;
  d.set("action", in.action);
  d.set("who_options", choices(ctx, kStepWho, "who", in.who, "who"));
  d.set("who_detail", in.who_detail);
  d.set("status_options", choices(ctx, kStepStatus, "status", in.status, "status"));
  d.set("person_notes", in.person_notes);
  d.set("due_day", day);
  d.set("due_month", month);
  d.set("due_year", year);
  return d;
}

void split_date(const std::string& iso, std::string& day, std::string& month, std::string& year) {
  if (iso.size() != 10) return;
  year = iso.substr(0, 4);
  month = std::to_string(parse_int(iso.substr(5, 2)).value_or(0));
  day = std::to_string(parse_int(iso.substr(8, 2)).value_or(0));
}

std::optional<http::Response> staff_gate(Ctx& ctx, store::Scope& s, const std::string& part, std::optional<Person>& p,
                                         std::int64_t& org, std::string& reason, bool log_open) {
  auto id = path_id(ctx);
  if (id) p = db::person(s, *id);
  if (!p) return ctx.not_found();
  if (!ctx.actor) return ctx.deny();
  reason = ctx.req.method == "GET" ? ctx.req.query_param("reason") : ctx.field("reason");
  if (!one_of(kViewReasons, reason)) reason = "follow_up";
  org = policy::worker_organisation(ctx.actor).value_or(0);
  auto access = policy::can_keep_caseload(ctx.actor) ? db::staff_access(s, p->id, ctx.actor->user_id, part, org)
                                                      : db::Access::not_on_caseload;
  if (access != db::Access::allowed) {
    if (ctx.actor->is_staff() && !(p->user_id && *p->user_id == ctx.actor->user_id))
      db::log_access(s, p->id, who(ctx), org, part, reason, "refused");
    return ctx.forbidden();
  }
  if (log_open) db::log_access(s, p->id, who(ctx), org, part, reason, "opened");
  return std::nullopt;
}

web::Data plan_data(Ctx& ctx, store::Scope& s, const PlanView& v) {
  auto goals = db::goals(s, v.person.id);
  auto steps = db::steps(s, v.person.id);
  std::string today = iso_date(now_seconds());
  std::string q = v.own ? "" : "?reason=" + v.reason;
  web::List gl, goal_options;
  for (const auto& g : goals) {
    web::Data gd;
    gd.set("id", std::to_string(g.id));
    gd.set("text", g.text);
    gd.set("edit_href", "/plan/goals/" + std::to_string(g.id) + q);
    gd.set("options_href", "/plan/goals/" + std::to_string(g.id) + "/options" + q);
    web::List sl;
    for (const auto& st : steps) {
      if (st.goal_id != g.id) continue;
      web::Data sd;
      sd.set("action", st.action);
      sd.set("who", ctx.t("journeys.who_" + st.who) + (st.who_detail.empty() ? "" : " (" + st.who_detail + ")"));
      sd.set("due", opt_text(st.due_on));
      sd.set("overdue", st.status != "done" && !st.due_on.empty() && st.due_on < today);
      sd.set("status", ctx.t("journeys.status_" + st.status));
      sd.set("person_notes", opt_text(st.person_notes));
      sd.set("edit_href", "/plan/steps/" + std::to_string(st.id) + q);
      sl.push_back(sd);
    }
    gd.set("has_steps", !sl.empty());
    gd.set("steps", sl);
    gl.push_back(gd);
    web::Data o;
    o.set("value", std::to_string(g.id));
    o.set("label", g.text);
    goal_options.push_back(o);
  }
  web::Data d = step_form_data(ctx, {}, "", "", "");
  d.set("has_goals", !gl.empty());
  d.set("goals", gl);
  d.set("goal_options", goal_options);
  std::string base = v.own ? "/me/plan" : "/people/" + std::to_string(v.person.id) + "/plan";
  d.set("goal_action", base + "/goals");
  d.set("step_action", base + "/steps");
  d.set("reason", v.reason);
  return d;
}

http::Response me_plan(Ctx& ctx) {
  if (!policy::can_keep_own(ctx.actor)) return ctx.deny();
  web::Data d;
  {
    auto w = ctx.read();
    PlanView v;
    v.own = true;
    if (auto p = db::person_for_user(w.scope(), ctx.actor->user_id)) v.person = *p;
    d = plan_data(ctx, w.scope(), v);
  }
  ctx.csrf();
  return ctx.page(ctx.t("journeys.plan_title"), "journeys/me_plan", d);
}

// Resolves whose plan a POST adds to: the actor's own (/me/plan/...) or a person on the worker's
// caseload with plan consent (/people/{id}/plan/...). Refusals are logged like any other.
std::optional<http::Response> plan_target(Ctx& ctx, store::Scope& s, PlanView& v) {
  if (ctx.req.path.rfind("/me/", 0) == 0) {
    if (!policy::can_keep_own(ctx.actor)) return ctx.deny();
    v.own = true;
    v.person = db::ensure_person_for_user(s, ctx.actor->user_id, ctx.actor->name);
    return std::nullopt;
  }
  auto id = path_id(ctx);
  std::optional<Person> p;
  if (id) p = db::person(s, *id);
  if (!p) return ctx.not_found();
  if (!ctx.actor) return ctx.deny();
  v.person = *p;
  v.reason = ctx.field("reason");
  if (!one_of(kViewReasons, v.reason)) v.reason = "follow_up";
  std::int64_t org = policy::worker_organisation(ctx.actor).value_or(0);
  auto access = policy::can_keep_caseload(ctx.actor) ? db::staff_access(s, p->id, ctx.actor->user_id, "plan", org)
                                                      : db::Access::not_on_caseload;
  if (access != db::Access::allowed) {
    if (ctx.actor->is_staff()) db::log_access(s, p->id, who(ctx), org, "plan", v.reason, "refused");
    return ctx.forbidden();
  }
  return std::nullopt;
}

http::Response add_goal(Ctx& ctx) {
  auto w = ctx.work();
  PlanView v;
  if (auto r = plan_target(ctx, w.scope(), v)) {
    w.commit();  // keeps the refusal in the access log
    return *r;
  }
  std::string text = ctx.field("goal");
  FormErrors e;
  if (text.empty()) e.add("goal", ctx.t("journeys.error_goal_empty"));
  check_length(ctx, e, "goal", text, kLongText);
  if (e.any()) {
    w.commit();
    web::Data d;
    e.fill(d);
    d.set("goal", text);
    d.set("goal_action", ctx.req.path);
    d.set("back", plan_home(v));
    d.set("reason", v.reason);
    ctx.csrf();
    return ctx.page(ctx.t("journeys.goal_new_title"), "journeys/goal_new", d, 400);
  }
  db::add_goal(w.scope(), v.person.id, text, who(ctx));
  w.commit();
  ctx.set_flash("journeys.flash_goal_added");
  return http::Response::redirect(plan_home(v));
}

// Reads a step form; `due_on` is set when the date is valid, errors name each problem.
StepInput step_from_form(Ctx& ctx, FormErrors& e) {
  StepInput in;
  in.action = ctx.field("action");
  in.who = ctx.field("who");
  in.who_detail = ctx.field("who_detail");
  in.status = ctx.field("status");
  if (in.status.empty()) in.status = "not_started";
  in.person_notes = ctx.field("person_notes");
  if (in.action.empty()) e.add("action", ctx.t("journeys.error_action_empty"));
  check_length(ctx, e, "action", in.action, kLongText);
  if (!one_of(kStepWho, in.who)) e.add("who", ctx.t("journeys.error_who"));
  check_length(ctx, e, "who_detail", in.who_detail, kShortText);
  if (!one_of(kStepStatus, in.status)) e.add("status", ctx.t("journeys.error_status"));
  check_length(ctx, e, "person_notes", in.person_notes, kLongText);
  std::string day = ctx.field("due_day"), month = ctx.field("due_month"), year = ctx.field("due_year");
  if (!day.empty() || !month.empty() || !year.empty()) {
    in.due_on = make_date(day, month, year);
    if (in.due_on.empty()) e.add("due_day", ctx.t("journeys.error_due"));
  }
  return in;
}

http::Response add_step(Ctx& ctx) {
  auto w = ctx.work();
  PlanView v;
  if (auto r = plan_target(ctx, w.scope(), v)) {
    w.commit();
    return *r;
  }
  FormErrors e;
  auto in = step_from_form(ctx, e);
  auto goal_id = parse_int(ctx.field("goal_id"));
  std::optional<Goal> g;
  if (goal_id) g = db::goal(w.scope(), *goal_id);
  if (!g || g->person_id != v.person.id) e.add("goal_id", ctx.t("journeys.error_goal_choice"));
  if (e.any()) {
    w.commit();
    auto d = step_form_data(ctx, in, ctx.field("due_day"), ctx.field("due_month"), ctx.field("due_year"));
    e.fill(d);
    web::List goal_options;
    for (const auto& x : db::goals(w.scope(), v.person.id)) {
      web::Data o;
      o.set("value", std::to_string(x.id));
      o.set("label", x.text);
      o.set("selected", goal_id && *goal_id == x.id);
      goal_options.push_back(o);
    }
    d.set("goal_options", goal_options);
    d.set("step_action", ctx.req.path);
    d.set("back", plan_home(v));
    d.set("reason", v.reason);
    ctx.csrf();
    return ctx.page(ctx.t("journeys.step_new_title"), "journeys/step_new", d, 400);
  }
  db::add_step(w.scope(), v.person.id, g->id, in, who(ctx));
  w.commit();
  ctx.set_flash("journeys.flash_step_added");
  return http::Response::redirect(plan_home(v));
}

std::optional<http::Response> plan_item_access(Ctx& ctx, store::Scope& s, std::int64_t person_id, PlanView& v,
                                               bool log_open) {
  auto p = db::person(s, person_id);
  if (!p) return ctx.not_found();
  if (!ctx.actor) return ctx.deny();
  v.person = *p;
  if (p->user_id && *p->user_id == ctx.actor->user_id) {
    v.own = true;
    return std::nullopt;
  }
  v.reason = ctx.req.method == "GET" ? ctx.req.query_param("reason") : ctx.field("reason");
  if (!one_of(kViewReasons, v.reason)) v.reason = "review_plan";
  std::int64_t org = policy::worker_organisation(ctx.actor).value_or(0);
  auto access = policy::can_keep_caseload(ctx.actor) ? db::staff_access(s, p->id, ctx.actor->user_id, "plan", org)
                                                      : db::Access::not_on_caseload;
  if (access != db::Access::allowed) {
    if (ctx.actor->is_staff()) db::log_access(s, p->id, who(ctx), org, "plan", v.reason, "refused");
    return ctx.forbidden();
  }
  if (log_open) db::log_access(s, p->id, who(ctx), org, "plan", v.reason, "opened");
  return std::nullopt;
}

web::List history_list(const std::vector<PlanChange>& changes) {
  web::List out;
  for (const auto& c : changes) {
    web::Data d;
    d.set("version", std::to_string(c.version));
    d.set("when", format_date(c.at));
    d.set("by", c.by_name);
    d.set("summary", c.summary);
    out.push_back(d);
  }
  return out;
}

http::Response goal_page(Ctx& ctx, store::Scope& s, const Goal& g, const std::string& text, std::int64_t version,
                         const PlanView& v, const FormErrors& e, const Goal* saved, int status) {
  web::Data d;
  e.fill(d);
  d.set("id", std::to_string(g.id));
  d.set("goal", text);
  d.set("version", std::to_string(version));
  d.set("back", plan_home(v));
  d.set("reason", v.reason);
  d.set("conflict", saved != nullptr);
  if (saved) {
    d.set("saved_text", saved->text);
    d.set("saved_by", saved->updated_by_name);
  }
  d.set("history", history_list(db::plan_history(s, "goal", g.id)));
  ctx.csrf();
  return ctx.page(ctx.t("journeys.goal_edit_title"), "journeys/goal_edit", d, status);
}

http::Response goal_edit(Ctx& ctx) {
  return with_plan_item(ctx, true, db::goal, [&](auto& w, auto& g, PlanView& v) {
    auto res = goal_page(ctx, w.scope(), *g, g->text, g->version, v, {}, nullptr, 200);
    w.commit();
    return res;
  });
}

http::Response goal_save(Ctx& ctx) {
  return with_plan_item(ctx, false, db::goal, [&](auto& w, auto& g, PlanView& v) {
    std::string text = ctx.field("goal");
    auto version = parse_int(ctx.field("version")).value_or(0);
    FormErrors e;
    if (text.empty()) e.add("goal", ctx.t("journeys.error_goal_empty"));
    check_length(ctx, e, "goal", text, kLongText);
    if (e.any()) return goal_page(ctx, w.scope(), *g, text, version, v, e, nullptr, 400);
    auto r = db::save_goal(w.scope(), g->id, text, version, who(ctx));
    if (r == SaveResult::conflict) {
      // Someone saved first: keep what this user typed, show what is saved, and offer to save over it
      // knowingly (the form now carries the current version).
      FormErrors c;
      c.add("goal", ctx.t("journeys.error_conflict"));
      return goal_page(ctx, w.scope(), *g, text, g->version, v, c, &*g, 409);
    }
    w.commit();
    ctx.set_flash("journeys.flash_plan_saved");
    return http::Response::redirect(plan_home(v));
  });
}

http::Response step_page(Ctx& ctx, store::Scope& s, const Step& st, const StepInput& in, const std::string& day,
                         const std::string& month, const std::string& year, std::int64_t version, const PlanView& v,
                         const FormErrors& e, const Step* saved, int status) {
  auto d = step_form_data(ctx, in, day, month, year);
  e.fill(d);
  d.set("id", std::to_string(st.id));
  d.set("version", std::to_string(version));
  d.set("back", plan_home(v));
  d.set("reason", v.reason);
  d.set("conflict", saved != nullptr);
  if (saved) {
    d.set("saved_action", saved->action);
    d.set("saved_who", ctx.t("journeys.who_" + saved->who));
    d.set("saved_due", opt_text(saved->due_on));
    d.set("saved_status", ctx.t("journeys.status_" + saved->status));
    d.set("saved_notes", opt_text(saved->person_notes));
    d.set("saved_by", saved->updated_by_name);
  }
  d.set("history", history_list(db::plan_history(s, "step", st.id)));
  ctx.csrf();
  return ctx.page(ctx.t("journeys.step_edit_title"), "journeys/step_edit", d, status);
}

http::Response step_edit(Ctx& ctx) {
  return with_plan_item(ctx, true, db::step, [&](auto& w, auto& st, PlanView& v) {
    std::string day, month, year;
    split_date(st->due_on, day, month, year);
    auto res = step_page(ctx, w.scope(), *st, *st, day, month, year, st->version, v, {}, nullptr, 200);
    w.commit();
    return res;
  });
}

http::Response step_save(Ctx& ctx) {
  return with_plan_item(ctx, false, db::step, [&](auto& w, auto& st, PlanView& v) {
    FormErrors e;
    auto in = step_from_form(ctx, e);
    auto version = parse_int(ctx.field("version")).value_or(0);
    std::string day = ctx.field("due_day"), month = ctx.field("due_month"), year = ctx.field("due_year");
    if (e.any()) return step_page(ctx, w.scope(), *st, in, day, month, year, version, v, e, nullptr, 400);
    auto r = db::save_step(w.scope(), st->id, in, version, who(ctx));
    if (r == SaveResult::conflict) {
      FormErrors c;
      c.add("action", ctx.t("journeys.error_conflict"));
      return step_page(ctx, w.scope(), *st, in, day, month, year, st->version, v, c, &*st, 409);
    }
    w.commit();
    ctx.set_flash("journeys.flash_plan_saved");
    return http::Response::redirect(plan_home(v));
  });
}

// ------------------------------------------------------------ staff: a person's record

http::Response person_page(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.work();
  auto p = db::person(w.scope(), *id);
  if (!p) return ctx.not_found();
  if (!ctx.actor) return ctx.deny();
  std::string part = ctx.req.query_param("part");
  if (!one_of(kOpenParts, part)) part = "profile";
  std::string reason = ctx.req.query_param("reason");
  std::int64_t org = policy::worker_organisation(ctx.actor).value_or(0);
  auto access = policy::can_keep_caseload(ctx.actor) ? db::staff_access(w.scope(), p->id, ctx.actor->user_id, part, org)
                                                      : db::Access::not_on_caseload;
  bool known_reason = one_of(kViewReasons, reason);
  if (access != db::Access::allowed) {
    if (ctx.actor->is_staff() && !(p->user_id && *p->user_id == ctx.actor->user_id))
      db::log_access(w.scope(), p->id, who(ctx), org, part, known_reason ? reason : "none", "refused");
    w.commit();
    return ctx.forbidden();
  }
  web::Data d;
  d.set("id", std::to_string(p->id));
  d.set("name", p->name);
  d.set("part_label", ctx.t("journeys.part_" + part));
  if (!known_reason) {
    // No record content yet: the worker first says why they are opening it.
    w.commit();
    d.set("part", part);
    d.set("reasons", choices(ctx, kViewReasons, "reason", "", "reason"));
    return ctx.page(ctx.t("journeys.reason_title"), "journeys/reason", d);
  }
  db::log_access(w.scope(), p->id, who(ctx), org, part, reason, "opened");
  web::List tabs;
  for (const auto& t : kOpenParts) {
    web::Data x;
    x.set("label", ctx.t("journeys.part_" + t));
    x.set("href", "/people/" + std::to_string(p->id) + "?part=" + t + "&reason=" + reason);
    x.set("current", t == part);
    tabs.push_back(x);
  }
  d.set("tabs", tabs);
  d.set("reason", reason);
  d.set("progress_href", "/people/" + std::to_string(p->id) + "/outcomes?reason=" + reason);
  d.set("refer_href", "/people/" + std::to_string(p->id) + "/referrals/new?reason=" + reason);
  d.set("selfassess_href", "/people/" + std::to_string(p->id) + "/progress?reason=" + reason);
  d.set("data_href", "/people/" + std::to_string(p->id) + "/data?reason=" + reason);
  auto inv = involvement_list(ctx, w.scope(), p->id, org);
  d.set("involvement", inv);
  d.set("has_involvement", !inv.empty());
  d.set("is_profile", part == "profile");
  d.set("is_notes", part == "notes");
  d.set("is_plan", part == "plan");
  d.set("has_account", p->user_id.has_value());
  if (part == "profile") {
    d.set("what_matters", opt_text(p->profile.what_matters));
    d.set("good_life", opt_text(p->profile.good_life));
    d.set("strengths", opt_text(p->profile.strengths));
    d.set("barriers", opt_text(p->profile.barriers));
    d.set("contact_pref", opt_text(p->profile.contact_pref));
    d.set("language_label", ctx.t("journeys.language_" + (p->profile.language == "cy" ? std::string("cy") : std::string("en"))));
  } else if (part == "notes") {
    auto list = notes_list(ctx, w.scope(), db::notes(w.scope(), p->id), true);
    d.set("has_notes", !list.empty());
    d.set("notes", list);
  } else {
    PlanView v;
    v.person = *p;
    v.reason = reason;
    d.set("plan", plan_data(ctx, w.scope(), v));
  }
  w.commit();
  ctx.csrf();
  return ctx.page(p->name, "journeys/person", d);
}

http::Response note_form(Ctx& ctx, const Person& p, const NoteInput& in, const std::string& reason, const FormErrors& e,
                         int status) {
  web::Data d;
  e.fill(d);
  d.set("id", std::to_string(p.id));
  d.set("name", p.name);
  d.set("reason", reason);
  d.set("kinds", choices(ctx, kContactKinds, "contact", in.kind, "kind"));
  d.set("talked_about", in.talked_about);
  d.set("strengths", in.strengths);
  d.set("next_steps", in.next_steps);
  d.set("restricted", in.restricted);
  d.set("restrict_reasons", select_options(ctx, kRestrictReasons, "restrict", in.restrict_reason));
  ctx.csrf();
  return ctx.page(ctx.t("journeys.note_title"), "journeys/note_new", d, status);
}

// Adding a note needs the same two gates as reading notes.
std::optional<http::Response> notes_gate(Ctx& ctx, store::Scope& s, std::optional<Person>& p, std::int64_t& org,
                                         const std::string& reason) {
  auto id = path_id(ctx);
  if (id) p = db::person(s, *id);
  if (!p) return ctx.not_found();
  if (!ctx.actor) return ctx.deny();
  org = policy::worker_organisation(ctx.actor).value_or(0);
  auto access = policy::can_keep_caseload(ctx.actor) ? db::staff_access(s, p->id, ctx.actor->user_id, "notes", org)
                                                      : db::Access::not_on_caseload;
  if (access != db::Access::allowed) {
    if (ctx.actor->is_staff()) db::log_access(s, p->id, who(ctx), org, "notes", reason, "refused");
    return ctx.forbidden();
  }
  return std::nullopt;
}

http::Response note_new(Ctx& ctx) {
  auto w = ctx.work();
  std::optional<Person> p;
  std::int64_t org = 0;
  std::string reason = ctx.req.query_param("reason");
  if (!one_of(kViewReasons, reason)) reason = "planned_contact";
  auto refused = notes_gate(ctx, w.scope(), p, org, reason);
  w.commit();
  if (refused) return *refused;
  NoteInput in;
  in.kind = "meeting";
  return note_form(ctx, *p, in, reason, {}, 200);
}

http::Response note_create(Ctx& ctx) {
  auto w = ctx.work();
  std::optional<Person> p;
  std::int64_t org = 0;
  std::string reason = ctx.field("reason");
  if (!one_of(kViewReasons, reason)) reason = "planned_contact";
  if (auto refused = notes_gate(ctx, w.scope(), p, org, reason)) {
    w.commit();
    return *refused;
  }
  NoteInput in;
  in.kind = ctx.field("kind");
  in.talked_about = ctx.field("talked_about");
  in.strengths = ctx.field("strengths");
  in.next_steps = ctx.field("next_steps");
  in.restricted = ctx.field("restricted") == "1";
  in.restrict_reason = ctx.field("restrict_reason");
  FormErrors e;
  if (!one_of(kContactKinds, in.kind)) e.add("kind", ctx.t("journeys.error_kind"));
  if (in.talked_about.empty()) e.add("talked_about", ctx.t("journeys.error_talked_about"));
  check_length(ctx, e, "talked_about", in.talked_about, kLongText);
  check_length(ctx, e, "strengths", in.strengths, kLongText);
  check_length(ctx, e, "next_steps", in.next_steps, kLongText);
  if (in.restricted && !one_of(kRestrictReasons, in.restrict_reason))
    e.add("restrict_reason", ctx.t("journeys.error_restrict_reason"));
  if (!in.restricted && !in.restrict_reason.empty())
    e.add("restricted", ctx.t("journeys.error_restrict_unticked"));
  if (e.any()) return note_form(ctx, *p, in, reason, e, 400);
  db::add_note(w.scope(), p->id, who(ctx), org, in);
  w.commit();
  ctx.set_flash("journeys.flash_note_added");
  return http::Response::redirect("/people/" + std::to_string(p->id) + "?part=notes&reason=" + reason);
}

// ------------------------------------------------------------ caseload and new people

http::Response caseload_page(Ctx& ctx) {
  if (!policy::can_keep_caseload(ctx.actor)) return ctx.deny();
  std::string sort = ctx.req.query_param("sort");
  static const std::vector<std::string> kSorts = {"name", "last_contact", "next_due", "overdue", "plan_change", "stage"};
  if (!one_of(kSorts, sort)) sort = "name";
  auto weeks = std::clamp<std::int64_t>(parse_int(ctx.req.query_param("weeks")).value_or(4), 1, 52);
  static const std::vector<std::string> kShows = {"all", "quiet", "stalled", "checks", "overdue"};
  std::string show = ctx.req.query_param("show");
  if (ctx.req.query_param("quiet") == "1") show = "quiet";  // older links
  if (!one_of(kShows, show)) show = "all";
  bool only_quiet = show == "quiet";
  auto now = now_seconds();
  std::string today = iso_date(now);
  std::vector<CaseloadEntry> list;
  std::vector<db::DueCheck> due;
  {
    auto w = ctx.read();
    list = db::caseload(w.scope(), ctx.actor->user_id, today);
    due = db::checks_due(w.scope(), ctx.actor->user_id, add_days(today, kCheckNoticeDays));
  }
  auto quiet = [&](const CaseloadEntry& e) { return !e.last_contact || *e.last_contact < now - weeks * kWeek; };
  // Stalled: a plan with something still to do, where nothing has changed for N weeks.
  auto stalled = [&](const CaseloadEntry& e) {
    return e.last_plan_change && e.open_steps > 0 && *e.last_plan_change < now - weeks * kWeek;
  };
  if (sort == "last_contact")
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
      return a.last_contact.value_or(0) < b.last_contact.value_or(0);
    });
  else if (sort == "next_due")
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
      if (a.next_due.empty() != b.next_due.empty()) return b.next_due.empty();
      return a.next_due < b.next_due;
    });
  else if (sort == "overdue")
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.overdue > b.overdue; });
  else if (sort == "plan_change")
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
      return a.last_plan_change.value_or(0) < b.last_plan_change.value_or(0);
    });
  else if (sort == "stage")
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.stage < b.stage; });
  web::List cards;
  std::int64_t quiet_count = 0, overdue_people = 0, stalled_count = 0, checks_people = 0;
  for (const auto& e : list) {
    bool q = quiet(e), st = stalled(e);
    quiet_count += q ? 1 : 0;
    overdue_people += e.overdue > 0 ? 1 : 0;
    stalled_count += st ? 1 : 0;
    checks_people += e.checks_due > 0 ? 1 : 0;
    if (show == "quiet" && !q) continue;
    if (show == "stalled" && !st) continue;
    if (show == "checks" && e.checks_due == 0) continue;
    if (show == "overdue" && e.overdue == 0) continue;
    web::Data c;
    c.set("id", std::to_string(e.person_id));
    c.set("name", e.name);
    c.set("last_contact", e.last_contact ? web::Data(format_date(*e.last_contact)) : web::Data(false));
    c.set("next_due", opt_text(e.next_due));
    c.set("overdue", e.overdue > 0 ? web::Data(std::to_string(e.overdue)) : web::Data(false));
    c.set("quiet", q);
    c.set("stalled", st);
    c.set("stage", e.stage ? web::Data(ctx.t("journeys.stage_" + std::to_string(e.stage))) : web::Data(false));
    c.set("checks_due", e.checks_due > 0 ? web::Data(std::to_string(e.checks_due)) : web::Data(false));
    c.set("checks_overdue", e.checks_overdue > 0);
    c.set("no_account", !e.has_account);
    cards.push_back(c);
  }
  web::Data d;
  d.set("cards", cards);
  d.set("has_cards", !cards.empty());
  d.set("total", std::to_string(list.size()));
  d.set("quiet_count", std::to_string(quiet_count));
  d.set("overdue_people", std::to_string(overdue_people));
  d.set("weeks", std::to_string(weeks));
  d.set("only_quiet", only_quiet);
  d.set("stalled_count", std::to_string(stalled_count));
  d.set("checks_people", std::to_string(checks_people));
  web::List shows;
  for (const auto& x : kShows) {
    web::Data o;
    o.set("value", x);
    o.set("label", ctx.t("journeys.show_" + x));
    o.set("selected", x == show);
    shows.push_back(o);
  }
  d.set("shows", shows);
  web::List checks;
  for (const auto& c : due) {
    web::Data x;
    x.set("person", c.person_name);
    x.set("label", ctx.t("journeys.check_week", {{"weeks", std::to_string(c.check.week)}}));
    x.set("due", web::format_day(ctx.lang, c.check.due_on));
    x.set("overdue", c.check.due_on < today);
    x.set("href", "/people/" + std::to_string(c.check.person_id) + "/outcomes?reason=follow_up#check-" +
                      std::to_string(c.check.id));
    checks.push_back(x);
  }
  d.set("checks", checks);
  d.set("has_checks", !checks.empty());
  d.set("is_manager", policy::managed_organisation(ctx.actor).has_value());
  web::List sorts;
  for (const auto& s : kSorts) {
    web::Data o;
    o.set("value", s);
    o.set("label", ctx.t("journeys.sort_" + s));
    o.set("selected", s == sort);
    sorts.push_back(o);
  }
  d.set("sorts", sorts);
  return ctx.page(ctx.t("journeys.caseload_title"), "journeys/caseload", d);
}

// A manager's view: how many people each key worker of their organisation supports.
http::Response caseload_team(Ctx& ctx) {
  auto org = policy::managed_organisation(ctx.actor);
  if (!org) return ctx.deny();
  web::List rows;
  std::int64_t total = 0;
  std::string org_label;
  {
    auto w = ctx.read();
    std::map<std::int64_t, std::string> names;
    org_label = org_name(ctx, w.scope(), names, *org);
    // Every key worker of the organisation appears, those with nobody on their caseload with 0,
    // after the ones who have people (largest caseload first).
    auto sizes = db::caseload_sizes(w.scope(), *org);
    std::set<std::int64_t> listed;
    for (const auto& x : sizes) listed.insert(x.first);
    for (auto worker : AccountsModule::holders(w.scope(), auth::Role::worker, *org))
      if (listed.insert(worker).second) sizes.emplace_back(worker, 0);
    for (const auto& [worker, n] : sizes) {
      auto c = AccountsModule::contact(w.scope(), worker);
      web::Data r;
      r.set("worker", c ? c->name : ctx.t("journeys.unknown_worker"));
      r.set("count", web::format_number(ctx.lang, n));
      total += n;
      rows.push_back(r);
    }
  }
  web::Data d;
  d.set("organisation", org_label);
  d.set("rows", rows);
  d.set("has_rows", !rows.empty());
  d.set("total", web::format_number(ctx.lang, total));
  d.set("workers", web::format_number(ctx.lang, static_cast<std::int64_t>(rows.size())));
  return ctx.page(ctx.t("journeys.team_title"), "journeys/team", d);
}

http::Response new_person_form(Ctx& ctx, const std::string& name, const std::string& email, const FormErrors& e,
                               int status) {
  web::Data d;
  e.fill(d);
  d.set("name", name);
  d.set("email", email);
  ctx.csrf();
  return ctx.page(ctx.t("journeys.new_person_title"), "journeys/person_new", d, status);
}

http::Response new_person(Ctx& ctx) {
  if (!policy::can_keep_caseload(ctx.actor)) return ctx.deny();
  return new_person_form(ctx, "", "", {}, 200);
}

http::Response create_person(Ctx& ctx) {
  if (!policy::can_keep_caseload(ctx.actor)) return ctx.deny();
  std::string name = ctx.field("name"), email = ctx.field("email");
  FormErrors e;
  auto org = policy::worker_organisation(ctx.actor);
  if (!org) e.add("name", ctx.t("journeys.error_no_organisation"));
  if (name.empty()) e.add("name", ctx.t("journeys.error_name"));
  check_length(ctx, e, "name", name, 120);
  auto w = ctx.work();
  std::optional<std::int64_t> user;
  if (!email.empty()) {
    user = AccountsModule::find_user(w.scope(), to_lower(email));
    if (!user) e.add("email", ctx.t("journeys.error_email"));
  }
  if (e.any()) return new_person_form(ctx, name, email, e, 400);
  db::create_person(w.scope(), name, user, ctx.actor->user_id, *org);
  w.commit();
  ctx.set_flash("journeys.flash_person_added");
  return http::Response::redirect("/caseload");
}

// ------------------------------------------------------------ for someone without an account

// A key worker records consent on behalf of a person without an account (after asking them), and
// later gives the record to the person's account. Once there is an account, only the person decides.
std::optional<http::Response> on_behalf_gate(Ctx& ctx, store::Scope& s, std::optional<Person>& p, std::int64_t& org) {
  auto id = path_id(ctx);
  if (id) p = db::person(s, *id);
  if (!p) return ctx.not_found();
  if (!policy::can_keep_caseload(ctx.actor)) return ctx.deny();
  auto link = db::key_worker_link(s, p->id, ctx.actor->user_id);
  if (!link || p->user_id) return ctx.forbidden();
  org = link->organisation_id;
  return std::nullopt;
}

http::Response on_behalf_page(Ctx& ctx, store::Scope& s, const Person& p, std::int64_t org, const FormErrors& e,
                              const std::string& email, int status) {
  web::Data d;
  e.fill(d);
  d.set("id", std::to_string(p.id));
  d.set("name", p.name);
  std::map<std::int64_t, std::string> names;
  d.set("organisation", org_name(ctx, s, names, org));
  auto current = db::consents(s, p.id);
  web::List parts;
  for (const auto& part : kParts) {
    web::Data x;
    x.set("value", part);
    x.set("id", part == kParts.front() ? std::string("parts") : "parts-" + part);
    x.set("label", ctx.t("journeys.part_" + part));
    x.set("checked", std::any_of(current.begin(), current.end(), [&](const Consent& c) {
      return c.organisation_id == org && c.part == part && c.granted;
    }));
    parts.push_back(x);
  }
  d.set("parts", parts);
  d.set("email", email);
  ctx.csrf();
  return ctx.page(ctx.t("journeys.behalf_title"), "journeys/behalf", d, status);
}

http::Response behalf_get(Ctx& ctx) {
  auto w = ctx.read();
  std::optional<Person> p;
  std::int64_t org = 0;
  if (auto r = on_behalf_gate(ctx, w.scope(), p, org)) return *r;
  return on_behalf_page(ctx, w.scope(), *p, org, {}, "", 200);
}

http::Response behalf_consents(Ctx& ctx) {
  auto w = ctx.work();
  std::optional<Person> p;
  std::int64_t org = 0;
  if (auto r = on_behalf_gate(ctx, w.scope(), p, org)) return *r;
  std::vector<std::string> parts;
  auto range = ctx.form().equal_range("parts");
  for (auto it = range.first; it != range.second; ++it)
    if (one_of(kParts, trim(it->second))) parts.push_back(trim(it->second));
  FormErrors e;
  if (ctx.field("asked") != "1") e.add("asked", ctx.t("journeys.error_asked"));
  if (e.any()) return on_behalf_page(ctx, w.scope(), *p, org, e, "", 400);
  db::set_consents(w.scope(), p->id, org, parts, who(ctx));
  w.commit();
  ctx.set_flash("journeys.flash_consent_saved");
  return http::Response::redirect("/people/" + std::to_string(p->id) + "/consents");
}

http::Response behalf_account(Ctx& ctx) {
  auto w = ctx.work();
  std::optional<Person> p;
  std::int64_t org = 0;
  if (auto r = on_behalf_gate(ctx, w.scope(), p, org)) return *r;
  std::string email = ctx.field("email");
  FormErrors e;
  auto user = email.empty() ? std::nullopt : AccountsModule::find_user(w.scope(), to_lower(email));
  if (!user) e.add("email", ctx.t("journeys.error_link_email"));
  else if (!db::link_account(w.scope(), p->id, *user)) e.add("email", ctx.t("journeys.error_link_taken"));
  if (e.any()) return on_behalf_page(ctx, w.scope(), *p, org, e, email, 400);
  w.commit();
  ctx.set_flash("journeys.flash_account_linked");
  return http::Response::redirect("/caseload");
}

// ------------------------------------------------------------ lawful basis (partnership admin)

http::Response lawful_page(Ctx& ctx, int status = 200, const FormErrors& e = {}) {
  web::Data d;
  e.fill(d);
  web::List rows;
  {
    auto w = ctx.read();
    for (const auto& o : organisations_store::list(w.scope(), "", 1, 500).items) {
      web::Data r;
      r.set("id", std::to_string(o.id));
      r.set("name", o.name);
      auto basis = db::lawful_basis(w.scope(), o.id).value_or("");
      r.set("current", basis.empty() ? ctx.t("journeys.basis_unset") : ctx.t("journeys.basis_" + basis));
      web::List opts;
      for (const auto& b : kLawfulBases) {
        web::Data x;
        x.set("value", b);
        x.set("label", ctx.t("journeys.basis_" + b));
        x.set("selected", b == basis);
        opts.push_back(x);
      }
      r.set("options", opts);
      rows.push_back(r);
    }
  }
  d.set("rows", rows);
  ctx.csrf();
  return ctx.page(ctx.t("journeys.lawful_title"), "journeys/lawful", d, status);
}

http::Response lawful_get(Ctx& ctx) {
  if (!policy::can_set_lawful_basis(ctx.actor)) return ctx.deny();
  return lawful_page(ctx);
}

http::Response lawful_post(Ctx& ctx) {
  if (!policy::can_set_lawful_basis(ctx.actor)) return ctx.deny();
  auto org = parse_int(ctx.field("organisation"));
  std::string basis = ctx.field("basis");
  auto w = ctx.work();
  std::optional<Organisation> o;
  if (org) o = organisations_store::get(w.scope(), *org);
  FormErrors e;
  if (!o) e.add("organisation", ctx.t("journeys.error_organisation"));
  if (!one_of(kLawfulBases, basis)) e.add("organisation", ctx.t("journeys.error_basis"));
  if (e.any()) {
    w.commit();
    return lawful_page(ctx, 400, e);
  }
  db::set_lawful_basis(w.scope(), o->id, basis, who(ctx));
  w.commit();
  ctx.set_flash("journeys.flash_basis_saved");
  return http::Response::redirect("/admin/lawful-basis");
}

}  // namespace journeys_web

void JourneysModule::install(app::App& a) {
  using namespace journeys_web;
  a.route("GET", "/me/record", "journeys.record", me_record);
  a.route("POST", "/me/record", "journeys.record_save", me_record_save);
  a.route("GET", "/me/record/views", "journeys.views", me_views);
  a.route("GET", "/me/consents", "journeys.consents", me_consents);
  a.route("POST", "/me/consents", "journeys.consents_save", me_consents_save);
  a.route("GET", "/me/notes", "journeys.notes", me_notes);
  a.route("GET", "/me/plan", "journeys.plan", me_plan);
  a.route("POST", "/me/plan/goals", "journeys.goal_add", add_goal);
  a.route("POST", "/me/plan/steps", "journeys.step_add", add_step);
  a.route("GET", "/plan/goals/{id}", "journeys.goal_edit", goal_edit);
  a.route("POST", "/plan/goals/{id}", "journeys.goal_save", goal_save);
  a.route("GET", "/plan/steps/{id}", "journeys.step_edit", step_edit);
  a.route("POST", "/plan/steps/{id}", "journeys.step_save", step_save);
  a.route("GET", "/caseload", "journeys.caseload", caseload_page);
  a.route("GET", "/people/new", "journeys.person_new", new_person);
  a.route("POST", "/people/new", "journeys.person_create", create_person);
  a.route("GET", "/people/{id}", "journeys.person", person_page);
  a.route("GET", "/people/{id}/notes/new", "journeys.note_new", note_new);
  a.route("POST", "/people/{id}/notes", "journeys.note_create", note_create);
  a.route("GET", "/people/{id}/profile", "journeys.with_profile", with_profile);
  a.route("POST", "/people/{id}/profile", "journeys.with_profile_save", with_profile_save);
  a.route("GET", "/people/{id}/consents", "journeys.behalf", behalf_get);
  a.route("POST", "/people/{id}/consents", "journeys.behalf_consents", behalf_consents);
  a.route("POST", "/people/{id}/account", "journeys.behalf_account", behalf_account);
  a.route("POST", "/people/{id}/plan/goals", "journeys.person_goal_add", add_goal);
  a.route("POST", "/people/{id}/plan/steps", "journeys.person_step_add", add_step);
  a.route("GET", "/plan/goals/{id}/options", "journeys.goal_options", goal_options);
  a.route("POST", "/plan/goals/{id}/choices", "journeys.goal_choose", goal_choose);
  a.route("GET", "/people/{id}/referrals/new", "journeys.referral_new", referral_new);
  a.route("POST", "/people/{id}/referrals", "journeys.referral_create", referral_create);
  a.route("GET", "/referrals", "journeys.referrals", referrals_inbox);
  a.route("GET", "/referrals/{id}", "journeys.referral", referral_page);
  a.route("POST", "/referrals/{id}/decision", "journeys.referral_decide", referral_decide);
  a.route("GET", "/me/referrals", "journeys.my_referrals", me_referrals);
  a.route("POST", "/me/referrals/{id}", "journeys.my_referral_answer", me_referral_answer);
  a.route("GET", "/people/{id}/outcomes", "journeys.progress", progress_page);
  a.route("POST", "/people/{id}/stages", "journeys.stage_add", stage_add);
  a.route("POST", "/people/{id}/outcomes", "journeys.outcome_add", outcome_add);
  a.route("POST", "/checks/{id}", "journeys.check_answer", check_answer);
  a.route("GET", "/me/outcomes", "journeys.my_progress", me_progress);
  a.route("GET", "/caseload/team", "journeys.caseload_team", caseload_team);
  a.route("GET", "/admin/lawful-basis", "journeys.lawful", lawful_get);
  a.route("POST", "/admin/lawful-basis", "journeys.lawful_save", lawful_post);
  a.nav({"journeys.nav_record", "/me/record", [](const Ctx& c) { return c.signed_in(); }});
  a.nav({"journeys.nav_caseload", "/caseload", [](const Ctx& c) { return policy::can_keep_caseload(c.actor); }});
  a.nav({"journeys.nav_team", "/caseload/team",
         [](const Ctx& c) { return policy::managed_organisation(c.actor) && !policy::can_keep_caseload(c.actor); }});
  a.nav({"journeys.nav_referrals", "/referrals",
         [](const Ctx& c) { return !policy::referral_organisations(c.actor).empty(); }});
}

}  // namespace cp::modules
