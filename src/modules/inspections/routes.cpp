#include <algorithm>

#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/inspections/inspections.hpp"
#include "modules/notifications/notifications.hpp"
#include "modules/plain/web.hpp"
#include "modules/tracker/tracker.hpp"
#include "web/bilingual.hpp"
#include "web/format.hpp"

namespace cp::modules::inspections {

namespace {

using app::Ctx;
using app::FormErrors;
using directory_store::ServiceBrief;
namespace db = inspections_store;
namespace policy = inspections_policy;

constexpr std::size_t kMaxText = 10000;
constexpr int kBlankQuestionSlots = 3;

std::optional<std::int64_t> path_int(Ctx& ctx, const std::string& name) {
  auto id = parse_int(ctx.req.path_params[name]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

std::string path_of(std::int64_t id) { return "/inspections/" + std::to_string(id); }

std::size_t chars(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

FormErrors to_errors(Ctx& ctx, const std::vector<Problem>& problems) {
  FormErrors e;
  for (const auto& p : problems) e.add(p.field, ctx.t(p.key, p.args));
  return e;
}

std::string date_of(Ctx& ctx, std::optional<std::int64_t> t) { return t ? web::format_date(ctx.lang, *t) : ""; }

// "2027-01-31" as the reader's language writes a date.
std::string ymd_words(Ctx& ctx, const std::string& ymd) {
  if (!db::valid_date(ymd)) return ymd;
  auto t = directory_store::parse_datetime(ymd + "T12:00:00Z");
  return t ? web::format_date(ctx.lang, *t) : ymd;
}

web::Data summary_data(Ctx& ctx, store::Scope& s, const Inspection& i) {
  web::Data d;
  d.set("id", std::to_string(i.id));
  d.set("title", i.title);
  d.set("status", ctx.t("inspections.status_" + i.status));
  d.set("published", date_of(ctx, i.published_at));
  d.set("created", web::format_date(ctx.lang, i.created_at));
  auto service = directory_store::brief(s, i.service_id);
  d.set("service_name", service ? service->name : std::string());
  d.set("service_uuid", service ? service->uuid : std::string());
  return d;
}

// ------------------------------------------------------------ public lists

http::Response published_page(Ctx& ctx, const std::optional<ServiceBrief>& service, store::Scope& s) {
  web::Data d;
  web::List items;
  for (const auto& i : db::list(s, service ? service->id : 0, true)) items.push_back(summary_data(ctx, s, i));
  d.set("inspections", items);
  d.set("none", items.empty());
  d.set("can_manage", policy::can_manage(ctx.actor) ||
                          (ctx.actor && db::inspector_for_user(s, ctx.actor->user_id).has_value()));
  if (service) {
    d.set("service_name", service->name);
    d.set("service_uuid", service->uuid);
    return ctx.page(ctx.t("inspections.service_list_title", {{"service", service->name}}), "inspections/list", d);
  }
  return ctx.page(ctx.t("inspections.list_title"), "inspections/list", d);
}

http::Response list_page(Ctx& ctx) {
  if (!policy::can_read_published(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  return published_page(ctx, std::nullopt, w.scope());
}

http::Response service_list_page(Ctx& ctx) {
  if (!policy::can_read_published(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  auto service = directory_store::brief_by_uuid(w.scope(), ctx.req.path_params["id"]);
  if (!service) return ctx.not_found();
  return published_page(ctx, service, w.scope());
}

http::Response manage_page(Ctx& ctx) {
  if (!ctx.actor) return ctx.deny();
  auto w = ctx.read();
  bool manage = policy::can_manage(ctx.actor);
  auto me = db::inspector_for_user(w.scope(), ctx.actor->user_id);
  auto mine = db::list_for_member(w.scope(), ctx.actor->user_id);
  if (!manage && !me && mine.empty()) return ctx.deny();
  web::Data d;
  web::List items;
  for (const auto& i : manage ? db::list(w.scope(), 0, false) : mine) items.push_back(summary_data(ctx, w.scope(), i));
  d.set("inspections", items);
  d.set("none", items.empty());
  d.set("can_manage", manage);
  d.set("can_admin", policy::can_admin(ctx.actor));
  return ctx.page(ctx.t("inspections.manage_title"), "inspections/manage", d);
}

// ------------------------------------------------------------ inspectors

http::Response inspectors_form(Ctx& ctx, const std::string& email, const std::string& trained_on, const FormErrors& e,
                               int status) {
  auto w = ctx.read();
  web::Data d;
  e.fill(d);
  web::List items;
  for (const auto& x : db::inspectors(w.scope())) {
    web::Data xd;
    xd.set("id", std::to_string(x.id));
    xd.set("name", x.name);
    xd.set("email", x.email);
    xd.set("trained_on", ymd_words(ctx, x.trained_on));
    xd.set("active", x.active);
    items.push_back(xd);
  }
  d.set("inspectors", items);
  d.set("none", items.empty());
  d.set("email", email);
  d.set("trained_on", trained_on);
  ctx.csrf();
  return ctx.page(ctx.t("inspections.inspectors_title"), "inspections/inspectors", d, status);
}

http::Response inspectors_page(Ctx& ctx) {
  if (!policy::can_admin(ctx.actor)) return ctx.deny();
  return inspectors_form(ctx, "", "", {}, 200);
}

http::Response inspector_add(Ctx& ctx) {
  if (!policy::can_admin(ctx.actor)) return ctx.deny();
  std::string email = ctx.field("email"), trained_on = ctx.field("trained_on");
  FormErrors e;
  auto w = ctx.work();
  auto user = email.empty() ? std::nullopt : AccountsModule::find_user(w.scope(), email);
  if (email.empty()) e.add("email", ctx.t("inspections.error_email"));
  else if (!user) e.add("email", ctx.t("inspections.error_no_account"));
  if (!db::valid_date(trained_on)) e.add("trained_on", ctx.t("inspections.error_date"));
  if (!e.any() && db::add_inspector(w.scope(), *user, trained_on) == 0) e.add("email", ctx.t("inspections.error_already_inspector"));
  if (e.any()) return inspectors_form(ctx, email, trained_on, e, 400);
  w.commit();
  ctx.set_flash("inspections.flash_inspector_added");
  return http::Response::redirect("/inspections/inspectors");
}

http::Response inspector_update(Ctx& ctx) {
  auto id = path_int(ctx, "id");
  if (!id) return ctx.not_found();
  auto w = ctx.work();
  auto r = w->read("SELECT id FROM inspections_inspectors WHERE partnership_id = $1 AND id = $2", {*id});
  if (r.empty()) return ctx.not_found();
  if (!policy::can_admin(ctx.actor)) return ctx.deny();
  db::set_inspector_active(w.scope(), *id, ctx.field("active") == "1");
  w.commit();
  ctx.set_flash("inspections.flash_inspector_updated");
  return http::Response::redirect("/inspections/inspectors");
}

// ------------------------------------------------------------ templates

std::vector<Question> questions_from_form(Ctx& ctx) {
  std::vector<Question> out;
  for (std::size_t i = 0; i < kMaxQuestions + kBlankQuestionSlots; ++i) {
    std::string p = "q" + std::to_string(i) + "_";
    Question q{ctx.field(p + "kind"), ctx.field(p + "text"), ctx.field(p + "low"), ctx.field(p + "high")};
    if (q.text.empty()) continue;  // a blank slot, or a question the admin cleared to remove it
    out.push_back(q);
  }
  return out;
}

http::Response template_form(Ctx& ctx, const std::optional<Template>& existing, const std::string& name,
                             const std::vector<Question>& questions, const FormErrors& e, int status) {
  web::Data d;
  e.fill(d);
  d.set("editing", existing.has_value());
  if (existing) {
    d.set("id", std::to_string(existing->id));
    d.set("version", std::to_string(existing->version));
  }
  d.set("name", name);
  web::List slots;
  std::size_t n = std::min(questions.size() + kBlankQuestionSlots, kMaxQuestions);
  for (std::size_t i = 0; i < n; ++i) {
    Question q = i < questions.size() ? questions[i] : Question{"scale", "", "", ""};
    std::string p = "q" + std::to_string(i);
    web::Data s;
    s.set("p", p);
    s.set("number", std::to_string(i + 1));
    s.set("text", q.text);
    s.set("low", q.low);
    s.set("high", q.high);
    s.set("scale", q.kind != "text");
    s.set("is_text", q.kind == "text");
    for (const char* f : {"text", "kind", "low", "high"}) {
      auto msg = e.of(p + "_" + f);
      if (!msg.empty()) s.set(std::string("error_") + f, msg);
    }
    slots.push_back(s);
  }
  d.set("slots", slots);
  ctx.csrf();
  return ctx.page(existing ? ctx.t("inspections.template_edit_title", {{"name", existing->name}})
                           : ctx.t("inspections.template_new_title"),
                  "inspections/template_form", d, status);
}

http::Response templates_page(Ctx& ctx) {
  if (!policy::can_admin(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  web::Data d;
  web::List items;
  for (const auto& t : db::templates(w.scope())) {
    web::Data td;
    td.set("id", std::to_string(t.id));
    td.set("name", t.name);
    td.set("version", std::to_string(t.version));
    td.set("count", std::to_string(t.questions.size()));
    td.set("updated", web::format_date(ctx.lang, t.updated_at));
    items.push_back(td);
  }
  d.set("templates", items);
  d.set("none", items.empty());
  return ctx.page(ctx.t("inspections.templates_title"), "inspections/templates", d);
}

http::Response template_new(Ctx& ctx) {
  if (!policy::can_admin(ctx.actor)) return ctx.deny();
  return template_form(ctx, std::nullopt, "", {}, {}, 200);
}

http::Response template_create(Ctx& ctx) {
  if (!policy::can_admin(ctx.actor)) return ctx.deny();
  auto name = ctx.field("name");
  auto qs = questions_from_form(ctx);
  auto problems = db::validate_template(name, qs);
  if (!problems.empty()) return template_form(ctx, std::nullopt, name, qs, to_errors(ctx, problems), 400);
  auto w = ctx.work();
  db::create_template(w.scope(), name, qs);
  w.commit();
  ctx.set_flash("inspections.flash_template_saved");
  return http::Response::redirect("/inspections/templates");
}

http::Response template_edit(Ctx& ctx) {
  auto id = path_int(ctx, "id");
  if (!id) return ctx.not_found();
  std::optional<Template> t;
  {
    auto w = ctx.read();
    t = db::get_template(w.scope(), *id);
  }
  if (!t) return ctx.not_found();
  if (!policy::can_admin(ctx.actor)) return ctx.deny();
  return template_form(ctx, t, t->name, t->questions, {}, 200);
}

http::Response template_update(Ctx& ctx) {
  auto id = path_int(ctx, "id");
  if (!id) return ctx.not_found();
  auto w = ctx.work();
  auto t = db::get_template(w.scope(), *id);
  if (!t) return ctx.not_found();
  if (!policy::can_admin(ctx.actor)) return ctx.deny();
  auto name = ctx.field("name");
  auto qs = questions_from_form(ctx);
  auto problems = db::validate_template(name, qs);
  // Someone saved a newer version since this form was opened: show theirs, keep nothing silently.
  if (problems.empty() && parse_int(ctx.field("version")).value_or(0) != t->version)
    problems.push_back({"name", "inspections.error_template_conflict"});
  if (!problems.empty()) return template_form(ctx, t, name, qs, to_errors(ctx, problems), 400);
  db::revise_template(w.scope(), *id, name, qs);
  w.commit();
  ctx.set_flash("inspections.flash_template_saved");
  return http::Response::redirect("/inspections/templates");
}

// ------------------------------------------------------------ planning an inspection

http::Response new_form(Ctx& ctx, const db::NewInspection& in, const std::string& service_uuid,
                        const std::string& lead_email, const std::string& days, const FormErrors& e, int status) {
  auto w = ctx.read();
  web::Data d;
  e.fill(d);
  web::List services;
  for (const auto& s : directory_store::briefs(w.scope())) {
    web::Data sd;
    sd.set("value", s.uuid);
    sd.set("label", s.name);
    sd.set("selected", s.uuid == service_uuid);
    services.push_back(sd);
  }
  d.set("services", services);
  web::List templates;
  for (const auto& t : db::templates(w.scope())) {
    web::Data td;
    td.set("value", std::to_string(t.id));
    td.set("label", t.name);
    td.set("selected", t.id == in.template_id);
    templates.push_back(td);
  }
  d.set("templates", templates);
  d.set("no_templates", templates.empty());
  d.set("title", in.title);
  d.set("lead_email", lead_email);
  d.set("response_days", days);
  d.set("min_days", std::to_string(kMinResponseDays));
  ctx.csrf();
  return ctx.page(ctx.t("inspections.new_title"), "inspections/new", d, status);
}

http::Response new_page(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  return new_form(ctx, {}, ctx.req.query_param("service"), ctx.actor->email, "28", {}, 200);
}

http::Response create_submit(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  db::NewInspection in;
  in.title = ctx.field("title");
  std::string uuid = ctx.field("service"), lead = ctx.field("lead_email"), days = ctx.field("response_days");
  in.template_id = parse_int(ctx.field("template")).value_or(0);
  FormErrors e;
  auto w = ctx.work();
  auto service = directory_store::brief_by_uuid(w.scope(), uuid);
  if (!service) e.add("service", ctx.t("inspections.error_service"));
  if (!db::get_template(w.scope(), in.template_id)) e.add("template", ctx.t("inspections.error_template"));
  if (in.title.empty()) e.add("title", ctx.t("inspections.error_title"));
  else if (chars(in.title) > 200) e.add("title", ctx.t("inspections.error_title_long"));
  auto lead_id = lead.empty() ? std::nullopt : AccountsModule::find_user(w.scope(), lead);
  if (!lead_id) e.add("lead_email", ctx.t("inspections.error_lead"));
  auto n = parse_int(days);
  if (!n || *n < kMinResponseDays || *n > kMaxResponseDays)
    e.add("response_days", ctx.t("inspections.error_days", {{"min", std::to_string(kMinResponseDays)},
                                                             {"max", std::to_string(kMaxResponseDays)}}));
  if (e.any()) return new_form(ctx, in, uuid, lead, days, e, 400);
  in.service_id = service->id;
  in.lead_user_id = *lead_id;
  in.response_days = *n;
  auto id = db::create(w.scope(), in);
  if (*lead_id != ctx.actor->user_id)
    notifications::notify(w.scope(), *lead_id, "inspections.notice_lead", {{"title", in.title}}, path_of(id));
  w.commit();
  ctx.set_flash("inspections.flash_created");
  return http::Response::redirect(path_of(id));
}

// ------------------------------------------------------------ one inspection

struct Loaded {
  Inspection i;
  ServiceBrief service;
  bool member = false;
};

std::optional<Loaded> load(Ctx& ctx, store::Scope& s) {
  auto id = path_int(ctx, "id");
  if (!id) return std::nullopt;
  auto i = db::get(s, *id);
  if (!i) return std::nullopt;
  auto service = directory_store::brief(s, i->service_id);
  if (!service) return std::nullopt;
  bool member = ctx.actor && db::on_team(s, i->id, ctx.actor->user_id);
  return Loaded{*i, *service, member};
}

// What a form on the inspection page sent, kept when the page comes back with errors.
using Kept = std::vector<std::pair<std::string, std::string>>;

http::Response show(Ctx& ctx, store::Scope& s, const Loaded& l, const FormErrors& e = {}, int status = 200,
                    const Kept& kept = {}) {
  const auto& i = l.i;
  web::Data d = summary_data(ctx, s, i);
  e.fill(d);
  for (const auto& [k, v] : kept) d.set("kept_" + k, v);
  bool lead = policy::can_lead(ctx.actor, i);
  bool work = policy::can_work(ctx.actor, i, l.member);
  bool planned = i.status == "planned";
  d.set("template", ctx.t("inspections.template_version", {{"name", i.template_name},
                                                           {"version", std::to_string(i.template_version)}}));
  d.set("is_published", i.status == "published");
  d.set("can_plan", lead && planned);
  d.set("can_work", work);
  d.set("can_send", lead && planned);
  d.set("can_publish", lead && i.status == "sent");
  d.set("can_respond", policy::can_respond(ctx.actor, i, l.service));
  d.set("can_act", lead);

  web::List visits;
  for (const auto& v : db::visits(s, i.id)) {
    web::Data vd;
    vd.set("on", ymd_words(ctx, v.visit_on));
    vd.set("note", v.note.empty() ? web::Data(false) : web::Data(v.note));
    visits.push_back(vd);
  }
  d.set("visits", visits);
  d.set("has_visits", !visits.empty());

  web::List team;
  for (const auto& m : db::team(s, i.id)) {
    web::Data md;
    md.set("name", m.name);
    md.set("role", ctx.t("inspections.role_" + m.role));
    team.push_back(md);
  }
  d.set("team", team);

  auto answers = db::answers(s, i.id);
  web::List qs;
  for (std::size_t n = 0; n < i.questions.size(); ++n) {
    const auto& q = i.questions[n];
    web::Data qd;
    qd.set("number", std::to_string(n + 1));
    qd.set("text", q.text);
    qd.set("scale", q.kind == "scale");
    qd.set("low", q.low);
    qd.set("high", q.high);
    auto a = std::find_if(answers.begin(), answers.end(), [&](const Answer& x) { return x.question == static_cast<int>(n); });
    if (a != answers.end()) {
      if (a->score) qd.set("score", ctx.t("inspections.score_of_5", {{"score", std::to_string(*a->score)}}));
      qd.set("note", a->note.empty() ? web::Data(false) : web::Data(a->note));
      qd.set("link", a->link.empty() ? web::Data(false) : web::Data(a->link));
      qd.set("answered", true);
    }
    qs.push_back(qd);
  }
  d.set("questions", qs);

  web::List findings;
  for (const auto& f : db::findings(s, i.id)) {
    web::Data fd;
    fd.set("id", std::to_string(f.id));
    fd.set("inspection_id", std::to_string(i.id));
    fd.set("text", f.text);
    fd.set("evidence", f.evidence.empty() ? web::Data(false) : web::Data(f.evidence));
    fd.set("link", f.link.empty() ? web::Data(false) : web::Data(f.link));
    web::List actions;
    for (const auto& a : tracker::for_origin(s, "finding", f.id)) {
      web::Data ad;
      ad.set("title", a.title);
      ad.set("link", a.link);
      ad.set("status", ctx.t("inspections.action_status_" + a.status));
      actions.push_back(ad);
    }
    fd.set("actions", actions);
    fd.set("has_actions", !actions.empty());
    // Errors for this finding's action form name fields with its id, so each form keeps its own.
    std::string p = "a" + std::to_string(f.id) + "_";
    for (const char* k : {"title", "owner", "due_on"}) {
      auto msg = e.of(p + k);
      if (!msg.empty()) fd.set(std::string("error_") + k, msg);
      auto kv = std::find_if(kept.begin(), kept.end(), [&](const auto& x) { return x.first == p + k; });
      fd.set(std::string("kept_") + k, kv != kept.end() ? kv->second : (std::string(k) == "title" ? f.text.substr(0, 200) : ""));
    }
    findings.push_back(fd);
  }
  d.set("findings", findings);
  d.set("has_findings", !findings.empty());

  web::Bilingual report{i.report, i.report_cy};
  d.set("has_report", !trim(i.report).empty() || !trim(i.report_cy).empty());
  d.set("report", web::bilingual_data(report, ctx.lang));
  d.set("welsh_missing", work && !trim(i.report).empty() && trim(i.report_cy).empty());
  if (i.sent_at) {
    d.set("sent", web::format_date(ctx.lang, *i.sent_at));
    d.set("window_ends", web::format_date(ctx.lang, *i.window_ends()));
  }
  d.set("response", i.response.empty() ? web::Data(false) : web::Data(i.response));
  d.set("response_date", date_of(ctx, i.response_at));
  if (lead || work || l.member || policy::can_respond(ctx.actor, i, l.service)) ctx.csrf();
  return ctx.page(i.title, "inspections/show", d, status);
}

http::Response show_page(Ctx& ctx) {
  auto w = ctx.read();
  auto l = load(ctx, w.scope());
  if (!l) return ctx.not_found();
  if (!policy::can_see(ctx.actor, l->i, l->member, l->service)) return ctx.deny();
  // A staff view of work in progress about a service is recorded, as other staff views are.
  return show(ctx, w.scope(), *l);
}

http::Response visit_add(Ctx& ctx) {
  auto w = ctx.work();
  auto l = load(ctx, w.scope());
  if (!l) return ctx.not_found();
  if (!policy::can_lead(ctx.actor, l->i) || l->i.status != "planned") return ctx.deny();
  std::string on = ctx.field("visit_on"), note = ctx.field("visit_note");
  FormErrors e;
  if (!db::valid_date(on)) e.add("visit_on", ctx.t("inspections.error_date"));
  if (chars(note) > 500) e.add("visit_note", ctx.t("inspections.error_note_long"));
  if (e.any()) return show(ctx, w.scope(), *l, e, 400, {{"visit_on", on}, {"visit_note", note}});
  db::add_visit(w.scope(), l->i.id, on, note);
  w.commit();
  ctx.set_flash("inspections.flash_visit");
  return http::Response::redirect(path_of(l->i.id) + "#visits");
}

http::Response team_add(Ctx& ctx) {
  auto w = ctx.work();
  auto l = load(ctx, w.scope());
  if (!l) return ctx.not_found();
  if (!policy::can_lead(ctx.actor, l->i) || l->i.status != "planned") return ctx.deny();
  std::string email = ctx.field("member_email");
  FormErrors e;
  auto user = email.empty() ? std::nullopt : AccountsModule::find_user(w.scope(), email);
  // Only trained, active citizen inspectors join a team; the staff lead is set when it is planned.
  auto inspector = user ? db::inspector_for_user(w.scope(), *user) : std::nullopt;
  if (!user) e.add("member_email", ctx.t("inspections.error_no_account"));
  else if (!inspector || !inspector->active) e.add("member_email", ctx.t("inspections.error_not_inspector"));
  else if (!db::add_member(w.scope(), l->i.id, *user, "inspector")) e.add("member_email", ctx.t("inspections.error_on_team"));
  if (e.any()) return show(ctx, w.scope(), *l, e, 400, {{"member_email", email}});
  notifications::notify(w.scope(), *user, "inspections.notice_team", {{"title", l->i.title}}, path_of(l->i.id));
  w.commit();
  ctx.set_flash("inspections.flash_member");
  return http::Response::redirect(path_of(l->i.id) + "#team");
}

http::Response answers_form(Ctx& ctx, const Loaded& l, const std::vector<Answer>& answers, const FormErrors& e,
                            int status) {
  web::Data d;
  e.fill(d);
  d.set("id", std::to_string(l.i.id));
  d.set("title", l.i.title);
  web::List qs;
  for (std::size_t n = 0; n < l.i.questions.size(); ++n) {
    const auto& q = l.i.questions[n];
    auto a = std::find_if(answers.begin(), answers.end(), [&](const Answer& x) { return x.question == static_cast<int>(n); });
    std::string p = "q" + std::to_string(n);
    web::Data qd;
    qd.set("p", p);
    qd.set("number", std::to_string(n + 1));
    qd.set("text", q.text);
    qd.set("scale", q.kind == "scale");
    web::List choices;
    for (int sc = 1; sc <= 5; ++sc) {
      web::Data c;
      c.set("value", std::to_string(sc));
      c.set("id", sc == 1 ? p + "_score" : p + "_score-" + std::to_string(sc));
      std::string label = std::to_string(sc);
      if (sc == 1) label += " – " + q.low;
      if (sc == 5) label += " – " + q.high;
      c.set("label", label);
      c.set("checked", a != answers.end() && a->score == sc);
      choices.push_back(c);
    }
    qd.set("choices", choices);
    qd.set("note", a != answers.end() ? a->note : "");
    qd.set("link", a != answers.end() ? a->link : "");
    for (const char* f : {"score", "note", "link"}) {
      auto msg = e.of(p + "_" + f);
      if (!msg.empty()) qd.set(std::string("error_") + f, msg);
    }
    qs.push_back(qd);
  }
  d.set("questions", qs);
  ctx.csrf();
  return ctx.page(ctx.t("inspections.answers_title"), "inspections/answers", d, status);
}

http::Response answers_page(Ctx& ctx) {
  auto w = ctx.read();
  auto l = load(ctx, w.scope());
  if (!l) return ctx.not_found();
  if (!policy::can_work(ctx.actor, l->i, l->member)) return ctx.deny();
  return answers_form(ctx, *l, db::answers(w.scope(), l->i.id), {}, 200);
}

http::Response answers_submit(Ctx& ctx) {
  auto w = ctx.work();
  auto l = load(ctx, w.scope());
  if (!l) return ctx.not_found();
  if (!policy::can_work(ctx.actor, l->i, l->member)) return ctx.deny();
  std::vector<Answer> in;
  FormErrors e;
  for (std::size_t n = 0; n < l->i.questions.size(); ++n) {
    std::string p = "q" + std::to_string(n) + "_";
    Answer a;
    a.question = static_cast<int>(n);
    auto score = ctx.field(p + "score");
    if (!score.empty()) {
      auto v = parse_int(score);
      if (!v || *v < 1 || *v > 5 || l->i.questions[n].kind != "scale")
        e.add(p + "score", ctx.t("inspections.error_score", {{"number", std::to_string(n + 1)}}));
      else a.score = static_cast<int>(*v);
    }
    a.note = ctx.field(p + "note");
    a.link = ctx.field(p + "link");
    if (chars(a.note) > kMaxText) e.add(p + "note", ctx.t("inspections.error_text_long"));
    if (!db::valid_link(a.link)) e.add(p + "link", ctx.t("inspections.error_link"));
    in.push_back(a);
  }
  if (e.any()) return answers_form(ctx, *l, in, e, 400);
  db::save_answers(w.scope(), l->i.id, in, ctx.actor->user_id);
  w.commit();
  ctx.set_flash("inspections.flash_answers");
  return http::Response::redirect(path_of(l->i.id) + "#answers");
}

http::Response finding_add(Ctx& ctx) {
  auto w = ctx.work();
  auto l = load(ctx, w.scope());
  if (!l) return ctx.not_found();
  if (!policy::can_work(ctx.actor, l->i, l->member)) return ctx.deny();
  Finding f;
  f.text = ctx.field("finding_text");
  f.evidence = ctx.field("finding_evidence");
  f.link = ctx.field("finding_link");
  FormErrors e;
  if (f.text.empty()) e.add("finding_text", ctx.t("inspections.error_finding"));
  if (chars(f.text) > kMaxText || chars(f.evidence) > kMaxText) e.add("finding_text", ctx.t("inspections.error_text_long"));
  if (!db::valid_link(f.link)) e.add("finding_link", ctx.t("inspections.error_link"));
  if (e.any())
    return show(ctx, w.scope(), *l, e, 400,
                {{"finding_text", f.text}, {"finding_evidence", f.evidence}, {"finding_link", f.link}});
  db::add_finding(w.scope(), l->i.id, f, ctx.actor->user_id);
  w.commit();
  ctx.set_flash("inspections.flash_finding");
  return http::Response::redirect(path_of(l->i.id) + "#findings");
}

std::vector<plain::TextField> report_text(Ctx& ctx, const std::string& en, const std::string& cy) {
  return {{"report", ctx.t("inspections.field_report"), en, "en"}, {"report_cy", ctx.t("inspections.field_report_cy"), cy, "cy"}};
}

http::Response report_form(Ctx& ctx, const Loaded& l, const std::string& en, const std::string& cy, const FormErrors& e,
                           int status, bool check = false) {
  web::Data d;
  e.fill(d);
  d.set("id", std::to_string(l.i.id));
  d.set("title", l.i.title);
  d.set("report", en);
  d.set("report_cy", cy);
  plain::form_support(ctx, d);
  if (check) d.set("plain", plain::check_fields(ctx, report_text(ctx, en, cy)));
  ctx.csrf();
  return ctx.page(ctx.t("inspections.report_title"), "inspections/report", d, status);
}

http::Response report_page(Ctx& ctx) {
  auto w = ctx.read();
  auto l = load(ctx, w.scope());
  if (!l) return ctx.not_found();
  if (!policy::can_work(ctx.actor, l->i, l->member)) return ctx.deny();
  return report_form(ctx, *l, l->i.report, l->i.report_cy, {}, 200);
}

http::Response report_submit(Ctx& ctx) {
  auto w = ctx.work();
  auto l = load(ctx, w.scope());
  if (!l) return ctx.not_found();
  if (!policy::can_work(ctx.actor, l->i, l->member)) return ctx.deny();
  std::string en = ctx.field("report"), cy = ctx.field("report_cy");
  if (ctx.field("action") == "check") return report_form(ctx, *l, en, cy, {}, 200, true);
  FormErrors e;
  if (chars(en) > kMaxText) e.add("report", ctx.t("inspections.error_text_long"));
  if (chars(cy) > kMaxText) e.add("report_cy", ctx.t("inspections.error_text_long"));
  if (e.any()) return report_form(ctx, *l, en, cy, e, 400);
  db::save_report(w.scope(), l->i.id, en, cy);
  w.commit();
  ctx.set_flash("inspections.flash_report");
  return http::Response::redirect(path_of(l->i.id) + "#report");
}

// The managers of the organisation inspected (the one that runs the service), through the accounts
// interface; none when the service names no organisation.
std::vector<std::int64_t> service_managers(store::Scope& s, const directory_store::ServiceBrief& service) {
  if (!service.organisation_id) return {};
  return AccountsModule::holders(s, auth::Role::manager, *service.organisation_id);
}

http::Response send_submit(Ctx& ctx) {
  auto w = ctx.work();
  auto l = load(ctx, w.scope());
  if (!l) return ctx.not_found();
  if (!policy::can_lead(ctx.actor, l->i)) return ctx.deny();
  FormErrors e;
  if (l->i.status != "planned") e.add("send", ctx.t("inspections.error_already_sent"));
  else if (trim(l->i.report).empty() && trim(l->i.report_cy).empty()) e.add("send", ctx.t("inspections.error_no_report"));
  if (e.any()) return show(ctx, w.scope(), *l, e, 409);
  db::send(w.scope(), l->i.id, now_seconds());
  // The managers of the organisation that runs the service hear that the report waits for its reply.
  for (auto manager : service_managers(w.scope(), l->service))
    notifications::notify(w.scope(), manager, "inspections.notice_sent",
                          {{"title", l->i.title}, {"days", std::to_string(l->i.response_days)}}, path_of(l->i.id) + "#response");
  w.commit();
  ctx.set_flash("inspections.flash_sent");
  return http::Response::redirect(path_of(l->i.id) + "#report");
}

http::Response response_submit(Ctx& ctx) {
  auto w = ctx.work();
  auto l = load(ctx, w.scope());
  if (!l) return ctx.not_found();
  if (!policy::can_respond(ctx.actor, l->i, l->service)) return ctx.deny();
  std::string text = ctx.field("response");
  FormErrors e;
  if (text.empty()) e.add("response_text", ctx.t("inspections.error_response"));
  else if (chars(text) > kMaxText) e.add("response_text", ctx.t("inspections.error_text_long"));
  if (e.any()) return show(ctx, w.scope(), *l, e, 400, {{"response", text}});
  db::respond(w.scope(), l->i.id, text, now_seconds());
  notifications::notify(w.scope(), l->i.lead_user_id, "inspections.notice_response", {{"title", l->i.title}},
                        path_of(l->i.id) + "#response");
  w.commit();
  ctx.set_flash("inspections.flash_response");
  return http::Response::redirect(path_of(l->i.id) + "#response");
}

http::Response publish_submit(Ctx& ctx) {
  auto w = ctx.work();
  auto l = load(ctx, w.scope());
  if (!l) return ctx.not_found();
  if (!policy::can_lead(ctx.actor, l->i)) return ctx.deny();
  auto result = db::publish(w.scope(), l->i.id, now_seconds());
  FormErrors e;
  if (result == db::Publish::not_sent) e.add("publish", ctx.t("inspections.error_not_sent"));
  if (result == db::Publish::already) e.add("publish", ctx.t("inspections.error_already_published"));
  if (result == db::Publish::window_open)
    e.add("publish", ctx.t("inspections.error_window", {{"date", web::format_date(ctx.lang, *l->i.window_ends())},
                                                        {"days", std::to_string(l->i.response_days)}}));
  if (e.any()) return show(ctx, w.scope(), *l, e, 409);
  std::vector<std::int64_t> told;
  for (const auto& m : db::team(w.scope(), l->i.id)) {
    notifications::notify(w.scope(), m.user_id, "inspections.notice_published", {{"title", l->i.title}}, path_of(l->i.id));
    told.push_back(m.user_id);
  }
  for (auto manager : service_managers(w.scope(), l->service))
    if (std::find(told.begin(), told.end(), manager) == told.end())
      notifications::notify(w.scope(), manager, "inspections.notice_published", {{"title", l->i.title}}, path_of(l->i.id));
  w.commit();
  ctx.set_flash("inspections.flash_published");
  return http::Response::redirect(path_of(l->i.id));
}

http::Response action_submit(Ctx& ctx) {
  auto w = ctx.work();
  auto l = load(ctx, w.scope());
  if (!l) return ctx.not_found();
  auto fid = path_int(ctx, "finding");
  auto f = fid ? db::finding(w.scope(), l->i.id, *fid) : std::nullopt;
  if (!f) return ctx.not_found();
  if (!policy::can_lead(ctx.actor, l->i)) return ctx.deny();
  std::string p = "a" + std::to_string(f->id) + "_";
  std::string title = ctx.field(p + "title"), owner = ctx.field(p + "owner"), due = ctx.field(p + "due_on");
  FormErrors e;
  if (title.empty()) e.add(p + "title", ctx.t("inspections.error_action_title"));
  if (owner.empty()) e.add(p + "owner", ctx.t("inspections.error_action_owner"));
  if (!due.empty() && !db::valid_date(due)) e.add(p + "due_on", ctx.t("inspections.error_date"));
  Kept kept{{p + "title", title}, {p + "owner", owner}, {p + "due_on", due}};
  if (e.any()) return show(ctx, w.scope(), *l, e, 400, kept);
  tracker::NewAction a;
  a.title = title;
  a.owner = owner;
  a.service_id = l->service.id;
  a.due_on = due;
  a.origin = {"finding", f->id, f->text.substr(0, 120), path_of(l->i.id) + "#finding-" + std::to_string(f->id)};
  try {
    tracker::agree(w.scope(), a, ctx.actor->user_id);
  } catch (const std::invalid_argument&) {
    e.add(p + "due_on", ctx.t("inspections.error_date"));
    return show(ctx, w.scope(), *l, e, 400, kept);
  }
  w.commit();
  ctx.set_flash("inspections.flash_action");
  return http::Response::redirect(path_of(l->i.id) + "#finding-" + std::to_string(f->id));
}

// ------------------------------------------------------------ the panel on the service's page

std::string panel(Ctx& ctx, store::Scope& s, const ServiceBrief& service) {
  auto list = db::list(s, service.id, true);
  if (list.empty()) return "";
  web::Data d;
  web::List items;
  for (const auto& i : list) items.push_back(summary_data(ctx, s, i));
  d.set("inspections", items);
  d.set("service_uuid", service.uuid);
  return ctx.app.templates->render("inspections/panel", ctx.lang, d);
}

}  // namespace

void InspectionsModule::install(app::App& a) {
  a.route("GET", "/inspections", "inspections.list", list_page);
  a.route("GET", "/inspections/manage", "inspections.manage", manage_page);
  a.route("GET", "/inspections/new", "inspections.new", new_page);
  a.route("POST", "/inspections", "inspections.create", create_submit);
  a.route("GET", "/inspections/inspectors", "inspections.inspectors", inspectors_page);
  a.route("POST", "/inspections/inspectors", "inspections.inspector_add", inspector_add);
  a.route("POST", "/inspections/inspectors/{id}", "inspections.inspector_update", inspector_update);
  a.route("GET", "/inspections/templates", "inspections.templates", templates_page);
  a.route("GET", "/inspections/templates/new", "inspections.template_new", template_new);
  a.route("POST", "/inspections/templates", "inspections.template_create", template_create);
  a.route("GET", "/inspections/templates/{id}", "inspections.template_edit", template_edit);
  a.route("POST", "/inspections/templates/{id}", "inspections.template_update", template_update);
  a.route("GET", "/inspections/services/{id}", "inspections.service", service_list_page);
  a.route("GET", "/inspections/{id}", "inspections.show", show_page);
  a.route("POST", "/inspections/{id}/visits", "inspections.visit_add", visit_add);
  a.route("POST", "/inspections/{id}/team", "inspections.team_add", team_add);
  a.route("GET", "/inspections/{id}/answers", "inspections.answers", answers_page);
  a.route("POST", "/inspections/{id}/answers", "inspections.answers_save", answers_submit);
  a.route("POST", "/inspections/{id}/findings", "inspections.finding_add", finding_add);
  a.route("GET", "/inspections/{id}/report", "inspections.report", report_page);
  a.route("POST", "/inspections/{id}/report", "inspections.report_save", report_submit);
  a.route("POST", "/inspections/{id}/send", "inspections.send", send_submit);
  a.route("POST", "/inspections/{id}/response", "inspections.response", response_submit);
  a.route("POST", "/inspections/{id}/publish", "inspections.publish", publish_submit);
  a.route("POST", "/inspections/{id}/findings/{finding}/action", "inspections.action", action_submit);
  a.nav({"inspections.nav", "/inspections", nullptr});
  register_service_panel("inspections", 20, panel);
  // Published reports are public text: the plain-language report checks them with the rest.
  plain::register_texts("inspections", [](store::Scope& s) {
    std::vector<plain::PublishedText> out;
    for (const auto& i : db::list(s, 0, true)) {
      if (!trim(i.report).empty()) out.push_back({i.title, path_of(i.id), i.report, "en"});
      if (!trim(i.report_cy).empty()) out.push_back({i.title + " (Cymraeg)", path_of(i.id), i.report_cy, "cy"});
    }
    return out;
  });
}

}  // namespace cp::modules::inspections
