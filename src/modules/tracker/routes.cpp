#include <algorithm>
#include <map>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "modules/plain/web.hpp"
#include "modules/tracker/store.hpp"
#include "web/bilingual.hpp"
#include "web/format.hpp"

namespace cp::modules::tracker {

namespace {

using app::Ctx;
using app::FormErrors;

constexpr std::int64_t kPerPage = 20;
constexpr std::size_t kMaxNote = 4000;

std::optional<std::int64_t> id_param(Ctx& ctx) {
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

bool known(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

std::string status_tag(const std::string& status) {
  if (status == "done") return "govuk-tag--green";
  if (status == "in_progress") return "govuk-tag--blue";
  if (status == "not_possible") return "govuk-tag--red";
  return "govuk-tag--grey";
}

// Service names for a page of actions, looked up once per service rather than once per row.
class ServiceNames {
 public:
  explicit ServiceNames(store::Scope& s) : s_(s) {}
  std::optional<directory_store::ServiceBrief> get(std::optional<std::int64_t> id) {
    if (!id) return std::nullopt;
    auto it = cache_.find(*id);
    if (it == cache_.end()) it = cache_.emplace(*id, directory_store::brief(s_, *id)).first;
    return it->second;
  }

 private:
  store::Scope& s_;
  std::map<std::int64_t, std::optional<directory_store::ServiceBrief>> cache_;
};

web::Data action_data(Ctx& ctx, const Action& a, ServiceNames& services) {
  web::Data d;
  d.set("id", std::to_string(a.id));
  d.set("href", "/we-did-together/" + std::to_string(a.id));
  d.set("title", web::bilingual_data({a.title, a.title_cy}, ctx.lang));
  d.set("status", a.status);
  d.set("status_label", ctx.t("tracker.status_" + a.status));
  d.set("status_class", status_tag(a.status));
  d.set("status_reason", a.status_reason);
  d.set("not_possible", a.status == "not_possible");
  d.set("owner", a.owner);
  d.set("due_on", a.due_on);
  // Shown in the reader's language; the stored form stays YYYY-MM-DD.
  if (!a.due_on.empty()) d.set("due", web::format_day(ctx.lang, a.due_on));
  d.set("updated", web::format_date(ctx.lang, a.updated_at));
  if (auto sv = services.get(a.service_id)) {
    d.set("service_name", sv->name);
    d.set("service_href", "/services/" + sv->uuid);
    d.set("service_actions_href", "/we-did-together/service/" + std::to_string(sv->id));
  }
  if (!a.origin.kind.empty()) {
    d.set("origin_label", ctx.t("tracker.origin_" + a.origin.kind));
    d.set("origin_title", a.origin.title);
    d.set("origin_link", a.origin.link);
  }
  d.set("version", std::to_string(a.version));
  return d;
}

web::Data counts_data(Ctx& ctx, const Counts& c, const std::string& base, const std::string& current) {
  web::List items;
  auto add = [&](const std::string& status, std::int64_t n) {
    web::Data d;
    d.set("status", status);
    d.set("label", ctx.t("tracker.status_" + status));
    d.set("number", web::format_number(ctx.lang, n));
    d.set("href", base + (base.find('?') == std::string::npos ? "?" : "&") + "status=" + status);
    d.set("current", status == current);
    items.push_back(d);
  };
  add("agreed", c.agreed);
  add("in_progress", c.in_progress);
  add("done", c.done);
  add("not_possible", c.not_possible);
  web::Data d;
  d.set("items", items);
  d.set("total", web::plural(ctx.app.catalogue, ctx.lang, "tracker.total", c.total()));
  return d;
}

web::List options(Ctx& ctx, const std::vector<std::string>& values, const std::string& prefix, const std::string& selected) {
  web::List out;
  for (const auto& v : values) {
    web::Data o;
    o.set("value", v);
    o.set("label", ctx.t(prefix + v));
    o.set("selected", v == selected);
    out.push_back(o);
  }
  return out;
}

web::List service_options(store::Scope& s, std::optional<std::int64_t> selected) {
  web::List out;
  for (const auto& b : directory_store::briefs(s)) {
    web::Data o;
    o.set("value", std::to_string(b.id));
    o.set("label", b.name);
    o.set("selected", selected && *selected == b.id);
    out.push_back(o);
  }
  return out;
}

// The public list, for the whole partnership or (with `service`) one service.
http::Response list_render(Ctx& ctx, std::optional<directory_store::ServiceBrief> service) {
  if (!policy::can_view(ctx.actor)) return ctx.deny();
  Filter f;
  f.status = ctx.req.query_param("status");
  if (!known(kStatuses, f.status)) f.status.clear();
  f.origin_kind = ctx.req.query_param("origin");
  if (!known(kOriginKinds, f.origin_kind)) f.origin_kind.clear();
  auto w = ctx.read();
  if (service) f.service_id = service->id;
  else if (auto sid = parse_int(ctx.req.query_param("service")); sid && *sid > 0) f.service_id = *sid;
  std::int64_t page = std::clamp<std::int64_t>(parse_int(ctx.req.query_param("page")).value_or(1), 1, 100000);
  auto result = list(w.scope(), f, page, kPerPage);
  auto c = counts(w.scope(), f);
  ServiceNames names(w.scope());
  web::Data d;
  web::List items;
  for (const auto& a : result.items) items.push_back(action_data(ctx, a, names));
  d.set("actions", items);
  d.set("none", result.items.empty());
  d.set("filtered", !f.status.empty() || !f.origin_kind.empty() || (!service && f.service_id));
  d.set("shown", web::plural(ctx.app.catalogue, ctx.lang, "tracker.shown", result.total));
  std::string base = service ? "/we-did-together/service/" + std::to_string(service->id) : std::string("/we-did-together");
  // Links keep the other filters: counts choose a status, pagination keeps everything.
  std::string keep;
  if (!service && f.service_id) keep += "&service=" + std::to_string(*f.service_id);
  if (!f.origin_kind.empty()) keep += "&origin=" + f.origin_kind;
  std::string counts_base = base + (keep.empty() ? "" : "?" + keep.substr(1));
  d.set("counts", counts_data(ctx, c, counts_base, f.status));
  d.set("action_path", base);
  d.set("statuses", options(ctx, kStatuses, "tracker.status_", f.status));
  d.set("origins", options(ctx, kOriginKinds, "tracker.origin_", f.origin_kind));
  if (!service) d.set("services", service_options(w.scope(), f.service_id));
  d.set("for_service", service.has_value());
  if (service) {
    d.set("service_name", service->name);
    d.set("service_href", "/services/" + service->uuid);
  }
  d.set("can_manage", policy::can_manage(ctx.actor));
  if (service) d.set("new_href", "/we-did-together/new?service=" + std::to_string(service->id));
  else d.set("new_href", "/we-did-together/new");
  std::int64_t pages = std::max<std::int64_t>(1, (result.total + kPerPage - 1) / kPerPage);
  std::string page_base = base + "?status=" + f.status + keep + "&page=";
  if (page > 1) d.set("prev_href", page_base + std::to_string(page - 1));
  if (page < pages) d.set("next_href", page_base + std::to_string(page + 1));
  d.set("page_of", pages > 1 ? ctx.t("tracker.page_of", {{"page", web::format_number(ctx.lang, page)},
                                                         {"pages", web::format_number(ctx.lang, pages)}})
                             : std::string());
  std::string title = service ? ctx.t("tracker.service_title", {{"service", service->name}}) : ctx.t("tracker.title");
  return ctx.page(title, "tracker/list", d);
}

http::Response list_page(Ctx& ctx) { return list_render(ctx, std::nullopt); }

http::Response service_page(Ctx& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  std::optional<directory_store::ServiceBrief> sv;
  {
    auto w = ctx.read();
    sv = directory_store::brief(w.scope(), *id);
  }
  if (!sv) return ctx.not_found();
  return list_render(ctx, sv);
}

// ------------------------------------------------------------ one action

http::Response show_render(Ctx& ctx, std::int64_t id, const FormErrors& errors, int status, const std::string& to = "",
                           const std::string& note = "", const std::string& note_cy = "", const std::string& link = "") {
  auto w = ctx.read();
  auto a = get(w.scope(), id);
  if (!a) return ctx.not_found();
  ServiceNames names(w.scope());
  web::Data d = action_data(ctx, *a, names);
  errors.fill(d);
  web::List ups;
  for (const auto& u : updates(w.scope(), id)) {
    web::Data x;
    x.set("status_label", ctx.t("tracker.status_" + u.status));
    x.set("status_class", status_tag(u.status));
    x.set("note", web::bilingual_data({u.note, u.note_cy}, ctx.lang));
    x.set("has_note", !u.note.empty() || !u.note_cy.empty());
    x.set("link", u.evidence_link);
    x.set("when", web::format_date(ctx.lang, u.created_at));
    ups.push_back(x);
  }
  d.set("updates", ups);
  bool manage = policy::can_manage(ctx.actor);
  d.set("can_manage", manage);
  if (manage) {
    web::List moves;
    bool first = true;
    for (const auto& s : kStatuses) {
      if (!allowed_move(a->status, s)) continue;
      web::Data o;
      o.set("value", s);
      o.set("label", s == a->status ? ctx.t("tracker.move_same") : ctx.t("tracker.move_" + s));
      o.set("checked", s == (to.empty() ? a->status : to));
      o.set("input_id", first ? std::string("to") : "to-" + s);
      first = false;
      moves.push_back(o);
    }
    d.set("moves", moves);
    d.set("note_value", note);
    d.set("note_cy_value", note_cy);
    d.set("link_value", link);
    plain::form_support(ctx, d);
    if (ctx.field("action") == "check")
      d.set("plain", plain::check_fields(ctx, {{"note", ctx.t("tracker.field_note"), note, "en"},
                                               {"note_cy", ctx.t("tracker.field_note_cy"), note_cy, "cy"}}));
    ctx.csrf();
  }
  return ctx.page(web::pick({a->title, a->title_cy}, ctx.lang).text, "tracker/show", d, status);
}

http::Response show_page(Ctx& ctx) {
  if (!policy::can_view(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  return show_render(ctx, *id, {}, 200);
}

http::Response status_submit(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  auto to = ctx.field("to");
  auto note = ctx.field("note");
  auto note_cy = ctx.field("note_cy");
  auto link = ctx.field("link");
  auto version = parse_int(ctx.field("version"));
  if (ctx.field("action") == "check") return show_render(ctx, *id, {}, 200, to, note, note_cy, link);
  FormErrors e;
  if (!known(kStatuses, to)) e.add("to", ctx.t("tracker.error_status"));
  if (note.size() > kMaxNote || note_cy.size() > kMaxNote) e.add("note", ctx.t("tracker.error_note_long"));
  if (!link.empty()) {
    ActionInput probe;
    probe.title = "x";
    probe.owner = "x";
    probe.origin_link = link;
    if (!validate(probe).empty()) e.add("link", ctx.t("tracker.error_link"));
  }
  if (e.any()) return show_render(ctx, *id, e, 400, to, note, note_cy, link);
  auto w = ctx.work();
  auto before = get(w.scope(), *id);
  auto r = move(w.scope(), *id, to, note, note_cy, link, ctx.actor->user_id, version);
  switch (r) {
    case Moved::not_found: return ctx.not_found();
    case Moved::bad_move: e.add("to", ctx.t("tracker.error_move")); break;
    case Moved::reason_needed:
      e.add("note", ctx.t(to == "not_possible" ? "tracker.error_reason" : "tracker.error_nothing"));
      break;
    case Moved::conflict: e.add("to", ctx.t("tracker.error_conflict")); break;
    case Moved::ok: break;
  }
  if (e.any()) return show_render(ctx, *id, e, r == Moved::conflict ? 409 : 400, to, note, note_cy, link);
  w.commit();
  ctx.set_flash(before && before->status != to ? "tracker.flash_moved" : "tracker.flash_evidence");
  return http::Response::redirect("/we-did-together/" + std::to_string(*id));
}

// ------------------------------------------------------------ create and edit

ActionInput input_from_form(Ctx& ctx) {
  ActionInput in;
  in.title = ctx.field("title");
  in.title_cy = ctx.field("title_cy");
  in.owner = ctx.field("owner");
  in.due_on = ctx.field("due_on");
  in.service = ctx.field("service");
  in.origin_kind = ctx.field("origin_kind");
  in.origin_title = ctx.field("origin_title");
  in.origin_link = ctx.field("origin_link");
  return in;
}

http::Response form_render(Ctx& ctx, const ActionInput& in, std::optional<Action> existing, std::int64_t origin_id,
                           const FormErrors& errors, int status, bool check = false) {
  web::Data d;
  errors.fill(d);
  d.set("title", in.title);
  d.set("title_cy", in.title_cy);
  d.set("owner", in.owner);
  d.set("due_on", in.due_on);
  d.set("origin_title", in.origin_title);
  d.set("origin_link", in.origin_link);
  d.set("origin_id", std::to_string(origin_id));
  d.set("origins", options(ctx, kOriginKinds, "tracker.origin_", in.origin_kind));
  {
    auto w = ctx.read();
    auto sid = parse_int(in.service);
    d.set("services", service_options(w.scope(), sid ? std::optional<std::int64_t>(*sid) : std::nullopt));
  }
  d.set("editing", existing.has_value());
  if (existing) {
    d.set("id", std::to_string(existing->id));
    d.set("version", std::to_string(existing->version));
  }
  d.set("form_action", existing ? "/we-did-together/" + std::to_string(existing->id) : std::string("/we-did-together"));
  plain::form_support(ctx, d);
  if (check)
    d.set("plain", plain::check_fields(ctx, {{"title", ctx.t("tracker.field_title"), in.title, "en"},
                                             {"title_cy", ctx.t("tracker.field_title_cy"), in.title_cy, "cy"}}));
  ctx.csrf();
  return ctx.page(existing ? ctx.t("tracker.edit_title") : ctx.t("tracker.new_title"), "tracker/form", d, status);
}

FormErrors to_errors(Ctx& ctx, const std::vector<FieldProblem>& problems) {
  FormErrors e;
  for (const auto& p : problems) e.add(p.field, ctx.t(p.key));
  return e;
}

NewAction to_new(const ActionInput& in, std::int64_t origin_id) {
  NewAction a;
  a.title = in.title;
  a.owner = in.owner;
  a.due_on = in.due_on;
  if (auto sid = parse_int(in.service); sid && *sid > 0) a.service_id = *sid;
  a.origin = {in.origin_kind, in.origin_kind.empty() ? 0 : origin_id, in.origin_kind.empty() ? "" : in.origin_title,
              in.origin_kind.empty() ? "" : in.origin_link};
  return a;
}

http::Response new_page(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  // Other modules link here with the origin filled in ("Agree an action" from an idea or finding).
  ActionInput in;
  in.service = ctx.req.query_param("service");
  in.origin_kind = ctx.req.query_param("origin_kind");
  if (!known(kOriginKinds, in.origin_kind)) in.origin_kind.clear();
  in.origin_title = trim(ctx.req.query_param("origin_title")).substr(0, 300);
  in.origin_link = ctx.req.query_param("origin_link");
  if (!in.origin_link.empty() && (in.origin_link[0] != '/' || starts_with(in.origin_link, "//"))) in.origin_link.clear();
  auto origin_id = parse_int(ctx.req.query_param("origin_id")).value_or(0);
  return form_render(ctx, in, std::nullopt, std::max<std::int64_t>(origin_id, 0), {}, 200);
}

http::Response create_submit(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  auto in = input_from_form(ctx);
  auto origin_id = std::max<std::int64_t>(parse_int(ctx.field("origin_id")).value_or(0), 0);
  if (ctx.field("action") == "check") return form_render(ctx, in, std::nullopt, origin_id, {}, 200, true);
  auto problems = validate(in);
  auto w = ctx.work();
  auto a = to_new(in, origin_id);
  if (a.service_id && !directory_store::brief(w.scope(), *a.service_id)) problems.push_back({"service", "tracker.error_service"});
  if (!problems.empty()) return form_render(ctx, in, std::nullopt, origin_id, to_errors(ctx, problems), 400);
  auto id = agree(w.scope(), a, ctx.actor->user_id);
  if (!trim(in.title_cy).empty()) {
    auto cur = get(w.scope(), id);
    edit(w.scope(), id, a, in.title_cy, cur->version);
  }
  w.commit();
  ctx.set_flash("tracker.flash_created");
  return http::Response::redirect("/we-did-together/" + std::to_string(id));
}

ActionInput input_of(const Action& a) {
  ActionInput in;
  in.title = a.title;
  in.title_cy = a.title_cy;
  in.owner = a.owner;
  in.due_on = a.due_on;
  in.service = a.service_id ? std::to_string(*a.service_id) : "";
  in.origin_kind = a.origin.kind;
  in.origin_title = a.origin.title;
  in.origin_link = a.origin.link;
  return in;
}

http::Response edit_page(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  std::optional<Action> a;
  {
    auto w = ctx.read();
    a = get(w.scope(), *id);
  }
  if (!a) return ctx.not_found();
  return form_render(ctx, input_of(*a), a, a->origin.id, {}, 200);
}

http::Response update_submit(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  auto in = input_from_form(ctx);
  std::optional<Action> cur;
  {
    auto w = ctx.read();
    cur = get(w.scope(), *id);
  }
  if (!cur) return ctx.not_found();
  // The origin stays what it was agreed from; only its kind and words can be corrected here.
  auto origin_id = cur->origin.id;
  if (ctx.field("action") == "check") return form_render(ctx, in, cur, origin_id, {}, 200, true);
  auto problems = validate(in);
  auto w = ctx.work();
  auto a = to_new(in, origin_id);
  if (a.service_id && !directory_store::brief(w.scope(), *a.service_id)) problems.push_back({"service", "tracker.error_service"});
  if (!problems.empty()) return form_render(ctx, in, cur, origin_id, to_errors(ctx, problems), 400);
  auto r = edit(w.scope(), *id, a, in.title_cy, parse_int(ctx.field("version")));
  if (r == Saved::not_found) return ctx.not_found();
  if (r == Saved::conflict) {
    FormErrors e;
    e.add("title", ctx.t("tracker.error_conflict"));
    return form_render(ctx, in, cur, origin_id, e, 409);
  }
  w.commit();
  ctx.set_flash("tracker.flash_updated");
  return http::Response::redirect("/we-did-together/" + std::to_string(*id));
}

}  // namespace

void install_routes(app::App& a) {
  a.route("GET", "/we-did-together", "tracker.list", list_page);
  a.route("POST", "/we-did-together", "tracker.create", create_submit);
  a.route("GET", "/we-did-together/new", "tracker.new", new_page);
  a.route("GET", "/we-did-together/service/{id}", "tracker.service", service_page);
  a.route("GET", "/we-did-together/{id}", "tracker.show", show_page);
  a.route("GET", "/we-did-together/{id}/edit", "tracker.edit", edit_page);
  a.route("POST", "/we-did-together/{id}", "tracker.update", update_submit);
  a.route("POST", "/we-did-together/{id}/status", "tracker.status", status_submit);
  a.nav({"tracker.nav", "/we-did-together", nullptr});

  // A panel on each service's public page: the counts and the latest few actions.
  register_service_panel("tracker", 30, [](Ctx& ctx, store::Scope& s, const directory_store::ServiceBrief& sv) {
    Filter f;
    f.service_id = sv.id;
    auto c = counts(s, f);
    if (c.total() == 0) return std::string();
    auto recent = list(s, f, 1, 3);
    ServiceNames names(s);
    web::Data d;
    web::List items;
    for (const auto& a : recent.items) items.push_back(action_data(ctx, a, names));
    d.set("actions", items);
    d.set("counts", counts_data(ctx, c, "/we-did-together/service/" + std::to_string(sv.id), ""));
    d.set("all_href", "/we-did-together/service/" + std::to_string(sv.id));
    return ctx.app.templates->render("tracker/panel", ctx.lang, d);
  });

  // Action titles and evidence are published text: the hardest-to-read report lists them.
  plain::register_texts("tracker", [](store::Scope& s) {
    std::vector<plain::PublishedText> out;
    Filter f;
    for (const auto& a : list(s, f, 1, 200).items) {
      auto url = "/we-did-together/" + std::to_string(a.id);
      out.push_back({a.title, url, a.title, "en"});
      if (!a.title_cy.empty()) out.push_back({a.title_cy, url, a.title_cy, "cy"});
      for (const auto& u : updates(s, a.id)) {
        if (!u.note.empty()) out.push_back({a.title, url, u.note, "en"});
        if (!u.note_cy.empty()) out.push_back({a.title, url, u.note_cy, "cy"});
      }
    }
    return out;
  });
}

}  // namespace cp::modules::tracker
