// The learning lens's pages: the dashboard for a scope, its exports and the learning log.
#include <algorithm>
#include <map>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/lens/chart_view.hpp"
#include "modules/lens/lens.hpp"
#include "modules/lens/publish.hpp"
#include "modules/lens/svg.hpp"
#include "modules/organisations/organisations.hpp"
#include "web/format.hpp"

namespace cp::modules::lens {

namespace {

using app::Ctx;
using app::FormErrors;

constexpr std::size_t kMaxText = 4000;

std::string today() { return journeys::iso_date(now_seconds()); }

std::string dashboard_path(const LensScope& sc) {
  if (sc.kind == "organisation") return "/lens/organisations/" + std::to_string(sc.id);
  if (sc.kind == "service") return "/lens/services/" + (sc.service_uuid.empty() ? std::to_string(sc.id) : sc.service_uuid);
  return "/lens";
}

std::string scope_query(const LensScope& sc) {
  if (sc.kind == "organisation") return "?organisation=" + std::to_string(sc.id);
  if (sc.kind == "service") return "?service=" + (sc.service_uuid.empty() ? std::to_string(sc.id) : sc.service_uuid);
  return "";
}

// The organisation an actor manages (their first manager grant), if any.
std::optional<std::int64_t> managed(const std::optional<auth::Actor>& a) {
  if (!a) return std::nullopt;
  for (const auto& g : a->grants)
    if (g.role == auth::Role::manager && g.organisation_id) return g.organisation_id;
  return std::nullopt;
}

std::optional<LensScope> organisation_scope(store::Scope& s, std::int64_t id) {
  auto o = organisations_store::get(s, id);
  if (!o || o->archived) return std::nullopt;
  return LensScope{"organisation", o->id, o->name, ""};
}

std::optional<directory_store::ServiceBrief> service_of(store::Scope& s, const std::string& ref) {
  if (auto id = parse_int(ref); id && *id > 0) return directory_store::brief(s, *id);
  if (ref.empty()) return std::nullopt;
  return directory_store::brief_by_uuid(s, ref);
}

// A scope written "partnership", "organisation:ID" or "service:ID" (forms carry it this way).
std::optional<LensScope> parse_scope(store::Scope& s, const std::string& key) {
  if (key == "partnership" || key.empty()) return LensScope{};
  auto colon = key.find(':');
  if (colon == std::string::npos) return std::nullopt;
  auto kind = key.substr(0, colon);
  auto id = parse_int(key.substr(colon + 1));
  if (!id || *id <= 0) return std::nullopt;
  if (kind == "organisation") return organisation_scope(s, *id);
  if (kind == "service") {
    auto b = directory_store::brief(s, *id);
    if (!b) return std::nullopt;
    return LensScope{"service", b->id, b->name, b->uuid};
  }
  return std::nullopt;
}

// Whether the actor may see a scope; a service asks about the organisation that runs it.
bool may_view(store::Scope& s, const std::optional<auth::Actor>& a, const LensScope& sc) {
  if (sc.kind == "partnership") return lens_policy::can_view_partnership(a);
  if (sc.kind == "organisation") return lens_policy::can_view_organisation(a, sc.id);
  auto b = directory_store::brief(s, sc.id);
  return b && lens_policy::can_view_service(a, b->organisation_id);
}

std::string scope_label(Ctx& ctx, const LensScope& sc) {
  return sc.kind == "partnership" ? ctx.partnership.name : sc.name;
}

std::string chart_title(Ctx& ctx, const std::string& key) { return ctx.t("lens.chart_" + key); }

std::vector<std::string> titles_of(Ctx& ctx, const Dashboard& d) {
  std::vector<std::string> out;
  for (const auto& c : d.charts) out.push_back(chart_title(ctx, c.key));
  return out;
}

web::Data entry_data(Ctx& ctx, const LogEntry& e, const std::string& scope_name, const std::string& chart_href) {
  web::Data d;
  d.set("id", std::to_string(e.id));
  d.set("chart_title", chart_title(ctx, e.chart_key));
  d.set("chart_href", chart_href);
  d.set("scope_name", scope_name);
  d.set("concluded", e.concluded);
  d.set("will_try", e.will_try);
  d.set("by_name", e.by_name.empty() ? ctx.t("lens.by_unknown") : e.by_name);
  d.set("when", web::format_date(ctx.lang, e.created_at));
  if (!e.review_on.empty()) d.set("review", web::format_day(ctx.lang, e.review_on));
  return d;
}

// ------------------------------------------------------------ the dashboard

http::Response dashboard_render(Ctx& ctx, store::Work& w, const LensScope& sc) {
  auto t = tr_of(ctx);
  auto d = build(w.scope(), sc, today(), ctx.lang, t);
  std::map<std::string, std::vector<LogEntry>> log;
  for (auto& e : lens_store::entries(w.scope(), sc.kind, sc.id)) log[e.chart_key].push_back(std::move(e));

  web::Data page;
  page.set("scope_name", scope_label(ctx, sc));
  page.set("is_partnership", sc.kind == "partnership");
  page.set("is_organisation", sc.kind == "organisation");
  page.set("is_service", sc.kind == "service");
  page.set("as_of", web::format_day(ctx.lang, d.today));
  page.set("csv_href", "/lens/export.csv" + scope_query(sc));
  page.set("xlsx_href", "/lens/export.xlsx" + scope_query(sc));
  page.set("log_href", "/lens/log?scope=" + sc.key());
  if (sc.kind != "partnership" && lens_policy::can_view_partnership(ctx.actor)) page.set("partnership_href", "/lens");
  if (sc.kind == "partnership" && lens_publish_policy::can_publish(ctx.actor)) page.set("publish_href", "/lens/publish");
  if (sc.kind == "service") {
    auto b = directory_store::brief(w.scope(), sc.id);
    if (b && b->organisation_id)
      if (auto o = organisation_scope(w.scope(), *b->organisation_id); o && may_view(w.scope(), ctx.actor, *o)) {
        page.set("organisation_href", dashboard_path(*o));
        page.set("organisation_name", o->name);
      }
    page.set("service_href", "/services/" + sc.service_uuid);
  }
  // Who can look closer: organisations and services to choose from, for those who may see them.
  if (sc.kind == "partnership") {
    web::List orgs;
    for (const auto& o : organisations_store::list(w.scope(), "", 1, 1000).items) {
      web::Data x;
      x.set("value", std::to_string(o.id));
      x.set("label", o.name);
      orgs.push_back(x);
    }
    page.set("organisations", orgs);
  }
  if (sc.kind != "service") {
    web::List services;
    for (const auto& b : directory_store::briefs(w.scope())) {
      if (sc.kind == "organisation" && (!b.organisation_id || *b.organisation_id != sc.id)) continue;
      web::Data x;
      x.set("value", b.uuid);
      x.set("label", b.name);
      x.set("href", "/lens/services/" + b.uuid);
      services.push_back(x);
    }
    page.set("services", services);
    page.set("has_services", !services.empty());
  }

  std::map<std::string, web::List> sections;
  web::List contents;
  for (const auto& c : d.charts) {
    auto title = chart_title(ctx, c.key);
    web::Data cd = chart_view(ctx, c, title);
    cd.set("key", c.key);
    cd.set("prompt", ctx.t("lens.prompt_" + c.key));
    web::List entries;
    auto it = log.find(c.key);
    if (it != log.end())
      for (const auto& e : it->second) entries.push_back(entry_data(ctx, e, scope_label(ctx, sc), ""));
    cd.set("entries", entries);
    cd.set("has_entries", !entries.empty());
    cd.set("write_href", "/lens/log?scope=" + sc.key() + "&chart=" + c.key + "#new-entry");
    sections[c.section].push_back(cd);
    web::Data link;
    link.set("href", "#chart-" + c.key);
    link.set("title", title);
    contents.push_back(link);
  }
  page.set("employability", sections["employability"]);
  page.set("other", sections["other"]);
  page.set("groups", sections["groups"]);
  page.set("contents", contents);
  auto title = sc.kind == "partnership" ? ctx.t("lens.title") : ctx.t("lens.title_for", {{"name", sc.name}});
  return ctx.page(title, "lens/dashboard", page);
}

http::Response partnership_page(Ctx& ctx) {
  if (!lens_policy::can_view_partnership(ctx.actor)) {
    // A manager's own organisation is their dashboard.
    if (auto org = managed(ctx.actor)) return http::Response::redirect("/lens/organisations/" + std::to_string(*org));
    return ctx.deny();
  }
  // The "look closer" form sends organisation= or service=.
  if (auto org = parse_int(ctx.req.query_param("organisation")); org && *org > 0)
    return http::Response::redirect("/lens/organisations/" + std::to_string(*org));
  if (auto sv = ctx.req.query_param("service"); !sv.empty())
    return http::Response::redirect("/lens/services/" + http::url_encode(sv));
  auto w = ctx.read();
  return dashboard_render(ctx, w, LensScope{});
}

http::Response organisation_page(Ctx& ctx) {
  if (!lens_policy::can_use(ctx.actor)) return ctx.deny();
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return ctx.not_found();
  auto w = ctx.read();
  auto sc = organisation_scope(w.scope(), *id);
  if (!sc) return ctx.not_found();
  if (!may_view(w.scope(), ctx.actor, *sc)) return ctx.deny();
  if (auto sv = ctx.req.query_param("service"); !sv.empty())
    return http::Response::redirect("/lens/services/" + http::url_encode(sv));
  return dashboard_render(ctx, w, *sc);
}

http::Response service_page(Ctx& ctx) {
  if (!lens_policy::can_use(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  auto b = service_of(w.scope(), ctx.req.path_params["id"]);
  if (!b) return ctx.not_found();
  LensScope sc{"service", b->id, b->name, b->uuid};
  if (!may_view(w.scope(), ctx.actor, sc)) return ctx.deny();
  return dashboard_render(ctx, w, sc);
}

// ------------------------------------------------------------ exports

http::Response export_response(Ctx& ctx, bool xlsx) {
  if (!lens_policy::can_use(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  std::optional<LensScope> sc = LensScope{};
  if (auto org = ctx.req.query_param("organisation"); !org.empty()) {
    auto id = parse_int(org);
    sc = id && *id > 0 ? organisation_scope(w.scope(), *id) : std::nullopt;
  } else if (auto sv = ctx.req.query_param("service"); !sv.empty()) {
    auto b = service_of(w.scope(), sv);
    sc = b ? std::optional<LensScope>(LensScope{"service", b->id, b->name, b->uuid}) : std::nullopt;
  }
  if (!sc) return ctx.not_found();
  if (!may_view(w.scope(), ctx.actor, *sc)) return ctx.deny();
  auto t = tr_of(ctx);
  auto d = build(w.scope(), *sc, today(), ctx.lang, t);
  // Every export names what it is, when it was made, and the suppression rule.
  std::vector<std::string> note = {ctx.t("lens.export_heading", {{"name", scope_label(ctx, *sc)}}),
                                   ctx.t("lens.export_date", {{"date", d.today}}), ctx.t("lens.export_small"),
                                   ctx.t("lens.export_secondary"), ctx.t("lens.export_means")};
  std::string base = "learning-lens-" + (sc->kind == "partnership" ? ctx.partnership.slug : sc->kind + "-" + std::to_string(sc->id)) +
                     "-" + d.today;
  http::Response r;
  if (xlsx) {
    r.body = export_xlsx(d, titles_of(ctx, d), note);
    r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    r.header("Content-Disposition", "attachment; filename=\"" + base + ".xlsx\"");
  } else {
    r.body = export_csv(d, titles_of(ctx, d), note);
    r.content_type = "text/csv; charset=utf-8";
    r.header("Content-Disposition", "attachment; filename=\"" + base + ".csv\"");
  }
  r.header("Cache-Control", "no-store");
  return r;
}

// ------------------------------------------------------------ the learning log

struct EntryForm {
  std::string scope, chart, concluded, will_try, day, month, year;
};

http::Response log_render(Ctx& ctx, const EntryForm& in, const FormErrors& errors, int status) {
  auto w = ctx.read();
  web::Data d;
  errors.fill(d);
  // The scope the form writes for: the one asked for, else the viewer's widest.
  std::optional<LensScope> sc = parse_scope(w.scope(), in.scope);
  if (in.scope.empty() && !lens_policy::can_view_partnership(ctx.actor))
    if (auto org = managed(ctx.actor)) sc = organisation_scope(w.scope(), *org);
  if (sc && may_view(w.scope(), ctx.actor, *sc)) {
    d.set("can_write", true);
    d.set("scope", sc->key());
    d.set("scope_name", scope_label(ctx, *sc));
    d.set("dashboard_href", dashboard_path(*sc));
    web::List charts;
    for (const auto& k : chart_keys()) {
      web::Data o;
      o.set("value", k);
      o.set("label", chart_title(ctx, k));
      o.set("selected", k == in.chart);
      charts.push_back(o);
    }
    d.set("charts", charts);
    d.set("concluded", in.concluded);
    d.set("will_try", in.will_try);
    d.set("day", in.day);
    d.set("month", in.month);
    d.set("year", in.year);
    ctx.csrf();
  }
  // Every entry the viewer may see, newest first.
  std::map<std::string, std::pair<bool, LensScope>> seen;
  web::List items;
  for (const auto& e : lens_store::entries(w.scope(), "", 0)) {
    std::string key = e.scope_kind == "partnership" ? "partnership" : e.scope_kind + ":" + std::to_string(e.scope_id);
    auto it = seen.find(key);
    if (it == seen.end()) {
      auto s2 = parse_scope(w.scope(), key);
      bool ok = s2 && may_view(w.scope(), ctx.actor, *s2);
      it = seen.emplace(key, std::make_pair(ok, s2.value_or(LensScope{}))).first;
    }
    if (!it->second.first) continue;
    const auto& s2 = it->second.second;
    items.push_back(entry_data(ctx, e, scope_label(ctx, s2), dashboard_path(s2) + "#chart-" + e.chart_key));
  }
  d.set("entries", items);
  d.set("has_entries", !items.empty());
  return ctx.page(ctx.t("lens.log_title"), "lens/log", d, status);
}

EntryForm form_of(Ctx& ctx, bool from_body) {
  EntryForm in;
  if (from_body) {
    in.scope = ctx.field("scope");
    in.chart = ctx.field("chart");
    in.concluded = ctx.field("concluded");
    in.will_try = ctx.field("will_try");
    in.day = ctx.field("review_day");
    in.month = ctx.field("review_month");
    in.year = ctx.field("review_year");
  } else {
    in.scope = ctx.req.query_param("scope");
    in.chart = ctx.req.query_param("chart");
  }
  return in;
}

http::Response log_page(Ctx& ctx) {
  if (!lens_policy::can_use(ctx.actor)) return ctx.deny();
  return log_render(ctx, form_of(ctx, false), {}, 200);
}

http::Response log_submit(Ctx& ctx) {
  if (!lens_policy::can_use(ctx.actor)) return ctx.deny();
  auto in = form_of(ctx, true);
  std::optional<LensScope> sc;
  {
    auto r = ctx.read();
    sc = parse_scope(r.scope(), in.scope);
    if (!sc) return ctx.not_found();
    if (!may_view(r.scope(), ctx.actor, *sc)) return ctx.deny();
  }
  FormErrors e;
  auto keys = chart_keys();
  if (std::find(keys.begin(), keys.end(), in.chart) == keys.end()) e.add("chart", ctx.t("lens.error_chart"));
  if (in.concluded.empty()) e.add("concluded", ctx.t("lens.error_concluded"));
  else if (in.concluded.size() > kMaxText) e.add("concluded", ctx.t("lens.error_too_long"));
  if (in.will_try.size() > kMaxText) e.add("will_try", ctx.t("lens.error_too_long"));
  std::string review;
  if (!in.day.empty() || !in.month.empty() || !in.year.empty()) {
    review = journeys::make_date(in.day, in.month, in.year);
    if (review.empty()) e.add("review_day", ctx.t("lens.error_review"));
  }
  if (e.any()) return log_render(ctx, in, e, 400);
  auto w = ctx.work();
  LogEntry entry;
  entry.chart_key = in.chart;
  entry.scope_kind = sc->kind;
  entry.scope_id = sc->id;
  entry.concluded = in.concluded;
  entry.will_try = in.will_try;
  entry.review_on = review;
  entry.written_by = ctx.actor->user_id;
  entry.by_name = ctx.actor->name;
  lens_store::add_entry(w.scope(), entry);
  w.commit();
  ctx.set_flash("lens.flash_logged");
  return http::Response::redirect(dashboard_path(*sc) + "#chart-" + in.chart);
}

}  // namespace

void LensModule::install(app::App& a) {
  a.route("GET", "/lens", "lens.partnership", partnership_page);
  a.route("GET", "/lens/organisations/{id}", "lens.organisation", organisation_page);
  a.route("GET", "/lens/services/{id}", "lens.service", service_page);
  a.route("GET", "/lens/export.csv", "lens.export_csv", [](Ctx& c) { return export_response(c, false); });
  a.route("GET", "/lens/export.xlsx", "lens.export_xlsx", [](Ctx& c) { return export_response(c, true); });
  a.route("GET", "/lens/log", "lens.log", log_page);
  a.route("POST", "/lens/log", "lens.log_save", log_submit);
  install_published(a);  // publish_routes.cpp
  install_api(a);        // api.cpp
  a.nav({"lens.nav", "/lens", [](const Ctx& c) { return lens_policy::can_use(c.actor); }});
}

}  // namespace cp::modules::lens
