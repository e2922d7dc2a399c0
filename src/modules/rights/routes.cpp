#include "core/util.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/rights/rights.hpp"

namespace cp::modules {

namespace {

using app::Ctx;
using app::FormErrors;
using namespace rights;
namespace db = rights_store;
namespace jdb = journeys_store;
namespace policy = rights_policy;

constexpr std::size_t kMaxText = 2000;

std::optional<std::int64_t> path_id(Ctx& ctx) {
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

const Registry& registry(Ctx& ctx) { return ctx.app.module<RightsModule>()->registry(); }

// Whose data a request is about, and where its pages live.
struct Target {
  Subject who;
  bool own = true;
  std::string base;    // "/me/data" or "/people/{id}/data"
  std::string reason;  // the worker's reason, carried through their links
};

std::string query(const Target& t) { return t.own ? "" : "?reason=" + t.reason; }

Target own_target(Ctx& ctx, store::Scope& s) {
  Target t;
  t.who.user_id = ctx.actor->user_id;
  t.who.name = ctx.actor->name;
  if (auto p = jdb::person_for_user(s, ctx.actor->user_id)) t.who.person_id = p->id;
  t.base = "/me/data";
  return t;
}

// A worker acting for a person: the journeys gate for the record ("profile"), each opening and each
// refusal in the person's access log. Returns the response to send instead, if any.
std::optional<http::Response> staff_target(Ctx& ctx, store::Scope& s, Target& t) {
  auto id = path_id(ctx);
  std::optional<journeys::Person> p;
  if (id) p = jdb::person(s, *id);
  if (!p) return ctx.not_found();
  if (!ctx.actor) return ctx.deny();
  t.own = false;
  t.who.person_id = p->id;
  t.who.user_id = p->user_id.value_or(0);
  t.who.name = p->name;
  t.base = "/people/" + std::to_string(p->id) + "/data";
  t.reason = ctx.req.method == "GET" ? ctx.req.query_param("reason") : ctx.field("reason");
  if (!journeys::one_of(journeys::kViewReasons, t.reason)) t.reason = "follow_up";
  std::int64_t org = journeys_policy::worker_organisation(ctx.actor).value_or(0);
  auto access = journeys_policy::can_keep_caseload(ctx.actor)
                    ? jdb::staff_access(s, p->id, ctx.actor->user_id, "profile", org)
                    : jdb::Access::not_on_caseload;
  journeys::Who who{ctx.actor->user_id, ctx.actor->name};
  if (access != jdb::Access::allowed) {
    if (ctx.actor->is_staff() && !(p->user_id && *p->user_id == ctx.actor->user_id))
      jdb::log_access(s, p->id, who, org, "profile", t.reason, "refused");
    return ctx.forbidden();
  }
  jdb::log_access(s, p->id, who, org, "profile", t.reason, "opened");
  return std::nullopt;
}

// Resolves the target for this request (own or staff) inside `w`; returns a response on refusal.
std::optional<http::Response> resolve_target(Ctx& ctx, store::Work& w, bool own, Target& t) {
  if (own) {
    if (!policy::can_keep_own(ctx.actor)) return ctx.deny();
    t = own_target(ctx, w.scope());
    return std::nullopt;
  }
  auto refused = staff_target(ctx, w.scope(), t);
  if (refused) w.commit();  // the refusal stays in the person's access log
  return refused;
}

// ------------------------------------------------------------ the overview

http::Response overview(Ctx& ctx, bool own) {
  auto w = ctx.work();
  Target t;
  if (auto r = resolve_target(ctx, w, own, t)) return *r;
  web::List requests;
  if (t.who.person_id)
    for (const auto& q : db::requests_of(w.scope(), *t.who.person_id)) {
      web::Data r;
      r.set("what_wrong", q.what_wrong);
      r.set("should_say", q.should_say);
      r.set("status", ctx.t("rights.status_" + q.status));
      r.set("is_open", q.status == "open");
      r.set("note", q.note.empty() ? web::Data(false) : web::Data(q.note));
      r.set("asked", format_date(q.created_at));
      requests.push_back(r);
    }
  w.commit();
  web::Data d;
  d.set("own", t.own);
  d.set("name", t.who.name);
  d.set("base", t.base);
  d.set("q", query(t));
  d.set("requests", requests);
  d.set("has_requests", !requests.empty());
  ctx.csrf();
  return ctx.page(ctx.t(own ? "rights.overview_title" : "rights.overview_other_title"), "rights/overview", d);
}

// ------------------------------------------------------------ download

http::Response export_json(Ctx& ctx, bool own) {
  auto w = ctx.work();
  Target t;
  if (auto r = resolve_target(ctx, w, own, t)) return *r;
  auto data = export_all(registry(ctx), w.scope(), t.who);
  w.scope().audit({"rights.export", "journey_person", t.who.person_id, own ? "json self" : "json worker"});
  w.commit();
  auto res = ctx.json(200, data);
  res.header("Content-Disposition", "attachment; filename=\"my-data.json\"");
  res.header("Cache-Control", "no-store");
  return res;
}

std::string label_of(const std::string& key) {
  std::string s = key;
  for (auto& c : s)
    if (c == '_') c = ' ';
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

// Any JSON value as plain, readable HTML: objects become definition lists, arrays numbered lists.
void render(const boost::json::value& v, std::string& out) {
  if (v.is_object()) {
    if (v.as_object().empty()) {
      out += "<p class=\"govuk-body\">-</p>";
      return;
    }
    out += "<dl class=\"govuk-summary-list\">";
    for (const auto& [k, x] : v.as_object()) {
      out += "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">" +
             html_escape(label_of(std::string(k))) + "</dt><dd class=\"govuk-summary-list__value\">";
      render(x, out);
      out += "</dd></div>";
    }
    out += "</dl>";
  } else if (v.is_array()) {
    if (v.as_array().empty()) {
      out += "-";
      return;
    }
    out += "<ol class=\"govuk-list govuk-list--number\">";
    for (const auto& x : v.as_array()) {
      out += "<li>";
      render(x, out);
      out += "</li>";
    }
    out += "</ol>";
  } else if (v.is_string()) {
    auto s = std::string(v.as_string());
    out += s.empty() ? "-" : html_escape(s);
  } else if (v.is_bool()) {
    out += v.as_bool() ? "yes" : "no";
  } else if (v.is_null()) {
    out += "-";
  } else {
    out += html_escape(boost::json::serialize(v));
  }
}

http::Response export_html(Ctx& ctx, bool own) {
  auto w = ctx.work();
  Target t;
  if (auto r = resolve_target(ctx, w, own, t)) return *r;
  auto data = export_all(registry(ctx), w.scope(), t.who);
  w.scope().audit({"rights.export", "journey_person", t.who.person_id, own ? "html self" : "html worker"});
  w.commit();
  web::List sections;
  for (const auto& h : registry(ctx).holders()) {
    web::Data sct;
    sct.set("heading", ctx.t("rights.holder_" + h.name));
    std::string body;
    render(data["held"].as_object()[h.name], body);
    sct.set("body", body);
    sections.push_back(sct);
  }
  web::Data d;
  d.set("own", t.own);
  d.set("name", t.who.name);
  d.set("made", format_date(now_seconds()));
  d.set("sections", sections);
  d.set("back", t.base + query(t));
  auto res = ctx.page(ctx.t("rights.export_title"), "rights/export", d);
  res.header("Cache-Control", "no-store");
  return res;
}

// ------------------------------------------------------------ correction

http::Response correction_form(Ctx& ctx, const Target& t, const std::string& wrong, const std::string& should,
                               const FormErrors& e, int status) {
  web::Data d;
  e.fill(d);
  d.set("own", t.own);
  d.set("name", t.who.name);
  d.set("what_wrong", wrong);
  d.set("should_say", should);
  d.set("reason", t.reason);
  d.set("action", t.base + "/correction");
  d.set("back", t.base + query(t));
  ctx.csrf();
  return ctx.page(ctx.t("rights.correction_title"), "rights/correction", d, status);
}

http::Response correction_get(Ctx& ctx, bool own) {
  auto w = ctx.work();
  Target t;
  if (auto r = resolve_target(ctx, w, own, t)) return *r;
  w.commit();
  return correction_form(ctx, t, "", "", {}, 200);
}

http::Response correction_post(Ctx& ctx, bool own) {
  auto w = ctx.work();
  Target t;
  if (auto r = resolve_target(ctx, w, own, t)) return *r;
  auto wrong = ctx.field("what_wrong"), should = ctx.field("should_say");
  FormErrors e;
  if (wrong.empty()) e.add("what_wrong", ctx.t("rights.error_what_wrong"));
  else if (wrong.size() > kMaxText) e.add("what_wrong", ctx.t("rights.error_too_long"));
  if (should.empty()) e.add("should_say", ctx.t("rights.error_should_say"));
  else if (should.size() > kMaxText) e.add("should_say", ctx.t("rights.error_too_long"));
  if (e.any()) {
    w.commit();
    return correction_form(ctx, t, wrong, should, e, 400);
  }
  if (!t.who.person_id) t.who.person_id = jdb::ensure_person_for_user(w.scope(), ctx.actor->user_id, ctx.actor->name).id;
  db::add_correction(w.scope(), *t.who.person_id, ctx.actor->user_id, wrong, should);
  w.commit();
  ctx.set_flash("rights.flash_correction");
  return http::Response::redirect(t.base + query(t));
}

// ------------------------------------------------------------ erasure

http::Response erase_form(Ctx& ctx, const Target& t, const FormErrors& e, int status) {
  web::Data d;
  e.fill(d);
  d.set("own", t.own);
  d.set("name", t.who.name);
  d.set("reason", t.reason);
  d.set("has_account", t.who.user_id != 0);
  d.set("action", t.base + "/erase");
  d.set("back", t.base + query(t));
  web::List gone;
  for (const auto& h : registry(ctx).holders()) {
    web::Data x;
    x.set("label", ctx.t("rights.holder_" + h.name));
    gone.push_back(x);
  }
  d.set("holders", gone);
  ctx.csrf();
  return ctx.page(ctx.t("rights.erase_title"), "rights/erase", d, status);
}

http::Response erase_get(Ctx& ctx, bool own) {
  auto w = ctx.work();
  Target t;
  if (auto r = resolve_target(ctx, w, own, t)) return *r;
  w.commit();
  return erase_form(ctx, t, {}, 200);
}

http::Response erase_post(Ctx& ctx, bool own) {
  auto w = ctx.work();
  Target t;
  if (auto r = resolve_target(ctx, w, own, t)) return *r;
  if (ctx.field("confirm") != "yes") {
    w.commit();
    FormErrors e;
    e.add("confirm", ctx.t("rights.error_confirm"));
    return erase_form(ctx, t, e, 400);
  }
  // The erasure and its record happen together or not at all.
  erase_all(registry(ctx), w.scope(), t.who, ctx.actor->user_id, own ? "self" : "worker");
  w.commit();
  ctx.set_flash("rights.flash_erased");
  if (own) {
    ctx.end_session();
    return http::Response::redirect("/");
  }
  return http::Response::redirect("/caseload");
}

// ------------------------------------------------------------ admin: correction requests

http::Response requests_page(Ctx& ctx, const FormErrors& e = {}, int status = 200) {
  if (!policy::can_resolve(ctx.actor)) return ctx.deny();
  web::List open, erased;
  {
    auto w = ctx.read();
    for (const auto& q : db::open_requests(w.scope())) {
      web::Data r;
      r.set("id", std::to_string(q.id));
      auto p = jdb::person(w.scope(), q.person_id);
      r.set("person", p ? p->name : std::string());
      r.set("what_wrong", q.what_wrong);
      r.set("should_say", q.should_say);
      r.set("asked", format_date(q.created_at));
      r.set("error", e.of("note-" + std::to_string(q.id)).empty() ? web::Data(false)
                                                                   : web::Data(e.of("note-" + std::to_string(q.id))));
      open.push_back(r);
    }
    for (const auto& x : db::erasures(w.scope())) {
      web::Data r;
      r.set("at", format_date(x.at));
      r.set("by", ctx.t(x.by_role == "self" ? "rights.by_self" : "rights.by_worker"));
      std::string holders = x.holders;
      for (std::size_t at = holders.find(','); at != std::string::npos; at = holders.find(',', at + 2))
        holders.replace(at, 1, ", ");
      r.set("holders", holders);
      erased.push_back(r);
    }
  }
  web::Data d;
  e.fill(d);
  d.set("requests", open);
  d.set("has_requests", !open.empty());
  d.set("erasures", erased);
  d.set("has_erasures", !erased.empty());
  ctx.csrf();
  return ctx.page(ctx.t("rights.requests_title"), "rights/requests", d, status);
}

http::Response resolve_post(Ctx& ctx) {
  if (!policy::can_resolve(ctx.actor)) return ctx.deny();
  auto id = path_id(ctx);
  auto w = ctx.work();
  std::optional<Request> q;
  if (id) q = db::request(w.scope(), *id);
  if (!q) return ctx.not_found();
  std::string status = ctx.field("status"), note = ctx.field("note");
  FormErrors e;
  std::string field = "note-" + std::to_string(q->id);
  if (q->status != "open") e.add(field, ctx.t("rights.error_already_resolved"));
  else if (status != "corrected" && status != "declined") e.add(field, ctx.t("rights.error_status"));
  else if (note.empty()) e.add(field, ctx.t("rights.error_note"));
  else if (note.size() > kMaxText) e.add(field, ctx.t("rights.error_too_long"));
  if (e.any()) {
    w.commit();
    return requests_page(ctx, e, q->status != "open" ? 409 : 400);
  }
  db::resolve(w.scope(), q->id, status, note, ctx.actor->user_id);
  w.commit();
  ctx.set_flash("rights.flash_resolved");
  return http::Response::redirect("/admin/data-requests");
}

}  // namespace

void RightsModule::install(app::App& a) {
  register_selfassess_holder(registry_);
  register_peer_holder(registry_);
  register_capabilities_holder(registry_);
  register_timebank_holder(registry_);
  register_journeys_holder(registry_);
  register_grow_holder(registry_);
  register_star_holder(registry_);
  register_directory_holder(registry_);
  register_pb_holder(registry_);
  register_events_holder(registry_);
  register_ideas_holder(registry_);
  register_journeymaps_holder(registry_);
  register_inspections_holder(registry_);
  register_moderation_holder(registry_);
  register_notifications_holder(registry_);
  register_ratings_holder(registry_);
  register_tracker_holder(registry_);
  register_priorities_holder(registry_);
  register_charters_holder(registry_);
  register_rights_holder(registry_);
  register_lens_holder(registry_);
  register_accounts_holder(registry_);
  registry_.keep("login_attempts", "sign-in throttle counters keyed by a hash, purged as they age");

  for (bool own : {true, false}) {
    std::string base = own ? "/me/data" : "/people/{id}/data";
    std::string name = own ? "rights.own_" : "rights.person_";
    a.route("GET", base, name + "overview", [own](Ctx& c) { return overview(c, own); });
    a.route("GET", base + "/export.json", name + "export_json", [own](Ctx& c) { return export_json(c, own); });
    a.route("GET", base + "/export", name + "export_html", [own](Ctx& c) { return export_html(c, own); });
    a.route("GET", base + "/correction", name + "correction", [own](Ctx& c) { return correction_get(c, own); });
    a.route("POST", base + "/correction", name + "correction_save", [own](Ctx& c) { return correction_post(c, own); });
    a.route("GET", base + "/erase", name + "erase", [own](Ctx& c) { return erase_get(c, own); });
    a.route("POST", base + "/erase", name + "erase_confirm", [own](Ctx& c) { return erase_post(c, own); });
  }
  a.route("GET", "/admin/data-requests", "rights.requests", [](Ctx& c) { return requests_page(c); });
  a.route("POST", "/admin/data-requests/{id}", "rights.resolve", resolve_post);
}

}  // namespace cp::modules
