#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/util.hpp"
#include "modules/plain/web.hpp"
#include "modules/directory/directory.hpp"
#include "modules/directory/welsh.hpp"
#include "modules/organisations/organisations.hpp"
#include "web/format.hpp"
#include "web/fragment_cache.hpp"

namespace cp::modules {

namespace {

using app::Ctx;
using app::FormErrors;
namespace json = boost::json;
namespace policy = organisations_policy;
namespace db = organisations_store;

constexpr std::int64_t kPerPage = 20;
constexpr std::int64_t kMaxApiPerPage = 100;

std::optional<std::int64_t> path_id(Ctx& ctx) {
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

std::string kind_label(Ctx& ctx, const std::string& kind) { return ctx.t("organisations.kind_" + kind); }

web::Data org_data(Ctx& ctx, const Organisation& o) {
  web::Data d;
  d.set("id", std::to_string(o.id));
  d.set("name", o.name);
  d.set("kind", o.kind);
  d.set("kind_label", kind_label(ctx, o.kind));
  d.set("summary", o.summary);
  d.set("expertise", o.expertise);
  d.set("partnership_role", o.partnership_role);
  d.set("services", o.services);
  d.set("contact_name", o.contact_name);
  d.set("contact_email", o.contact_email);
  d.set("contact_phone", o.contact_phone);
  d.set("website", o.website);
  d.set("address", o.address);
  d.set("archived", o.archived);
  d.set("easy_read", o.easy_read);
  d.set("version", std::to_string(o.version));
  d.set("updated", web::format_date(ctx.lang, o.updated_at));
  d.set("has_contact", !o.contact_name.empty() || !o.contact_email.empty() || !o.contact_phone.empty() ||
                           !o.website.empty() || !o.address.empty());
  return d;
}

// Pagination in the GOV.UK pattern: first, last, and the pages either side of the current one.
web::Data pagination(Ctx& ctx, const std::string& base, std::int64_t page, std::int64_t total, std::int64_t per_page) {
  web::Data d;
  std::int64_t pages = std::max<std::int64_t>(1, (total + per_page - 1) / per_page);
  if (pages <= 1) return web::Data(false);
  auto href = [&](std::int64_t p) { return base + (base.find('?') == std::string::npos ? "?" : "&") + "page=" + std::to_string(p); };
  if (page > 1) d.set("prev_href", href(page - 1));
  if (page < pages) d.set("next_href", href(page + 1));
  web::List items;
  std::int64_t last_shown = 0;
  for (std::int64_t p = 1; p <= pages; ++p) {
    if (p != 1 && p != pages && std::abs(p - page) > 1) continue;
    if (last_shown && p > last_shown + 1) {
      web::Data e;
      e.set("ellipsis", true);
      items.push_back(e);
    }
    web::Data item;
    item.set("number", std::to_string(p));
    item.set("href", href(p));
    item.set("label", ctx.t("site.page_label", {{"number", std::to_string(p)}}));
    item.set("current", p == page);
    items.push_back(item);
    last_shown = p;
  }
  d.set("pages", items);
  return d;
}

OrganisationInput input_from_form(Ctx& ctx) {
  OrganisationInput in;
  in.name = ctx.field("name");
  in.kind = ctx.field("kind");
  in.summary = ctx.field("summary");
  in.expertise = ctx.field("expertise");
  in.partnership_role = ctx.field("partnership_role");
  in.services = ctx.field("services");
  in.contact_name = ctx.field("contact_name");
  in.contact_email = ctx.field("contact_email");
  in.contact_phone = ctx.field("contact_phone");
  in.website = ctx.field("website");
  in.address = ctx.field("address");
  in.easy_read = ctx.field("easy_read") == "1";
  return in;
}

web::List kind_options(Ctx& ctx, const std::string& selected) {
  web::List list;
  for (const auto& k : kOrganisationKinds) {
    web::Data o;
    o.set("value", k);
    o.set("label", kind_label(ctx, k));
    o.set("selected", k == selected);
    list.push_back(o);
  }
  return list;
}


// ------------------------------------------------------------ plain-language check

// The public text fields, with the catalogue key of each one's label.
const std::vector<std::pair<std::string OrganisationInput::*, const char*>> kPublicText = {
    {&OrganisationInput::summary, "summary"},
    {&OrganisationInput::expertise, "expertise"},
    {&OrganisationInput::partnership_role, "partnership_role"},
    {&OrganisationInput::services, "services"}};

// The public text fields as the plain-language check takes them. The check is fast enough (well
// under a millisecond for a form like this) to run again each time an editor looks at the page,
// so nothing about it is stored.
std::vector<plain::TextField> public_text(Ctx& ctx, const OrganisationInput& in) {
  std::vector<plain::TextField> out;
  for (const auto& [member, field] : kPublicText)
    out.push_back({field, ctx.t(std::string("organisations.field_") + field), in.*member, ""});
  return out;
}

// ------------------------------------------------------------ pages

// The directory list is read far more than it changes: its rendered body is cached under the
// partnership's directory generation, which every organisation write bumps in the same transaction.
web::FragmentCache list_cache;

http::Response list_page(Ctx& ctx) {
  if (!policy::can_list(ctx.actor)) return ctx.deny();
  std::string q = trim(ctx.req.query_param("q")).substr(0, 200);
  std::int64_t page = std::clamp<std::int64_t>(parse_int(ctx.req.query_param("page")).value_or(1), 1, 100000);
  bool can_create = policy::can_create(ctx.actor);
  auto w = ctx.read();
  auto stats = db::stats(w.scope());
  std::string key = std::to_string(ctx.partnership.id) + "|" + std::to_string(stats.generation) + "|" + ctx.lang + "|" +
                    (can_create ? "1" : "0") + "|" + std::to_string(page) + "|" + q;
  if (auto hit = list_cache.get(key)) return ctx.wrap(ctx.t("organisations.list_title"), *hit);
  // Welsh readers get Welsh alphabetical order (ch after c, ll after l ...).
  auto result = ctx.lang == "cy" ? db::list_welsh(w.scope(), q, page, kPerPage) : db::list(w.scope(), q, page, kPerPage);
  web::Data d;
  web::List items;
  items.reserve(result.items.size());
  for (const auto& o : result.items) items.push_back(org_data(ctx, o));
  d.set("organisations", items);
  d.set("q", q);
  d.set("searched", !q.empty());
  d.set("none", result.items.empty());
  d.set("can_create", can_create);
  d.set("count", web::plural(ctx.app.catalogue, ctx.lang, q.empty() ? "organisations.count" : "organisations.count_search",
                             result.total, {{"q", q}}));
  d.set("pagination", pagination(ctx, q.empty() ? "/organisations" : "/organisations?q=" + http::url_encode(q), page,
                                 result.total, kPerPage));
  std::string body = ctx.app.templates->render("organisations/list", ctx.lang, d);
  list_cache.put(key, body);
  return ctx.wrap(ctx.t("organisations.list_title"), body);
}

http::Response form_page(Ctx& ctx, const OrganisationInput& in, const Organisation* existing, const FormErrors& errors,
                         int status, bool conflict = false, bool check = false) {
  web::Data d = existing ? org_data(ctx, *existing) : web::Data();
  errors.fill(d);
  d.set("name", in.name);
  d.set("summary", in.summary);
  d.set("expertise", in.expertise);
  d.set("partnership_role", in.partnership_role);
  d.set("services", in.services);
  d.set("contact_name", in.contact_name);
  d.set("contact_email", in.contact_email);
  d.set("contact_phone", in.contact_phone);
  d.set("website", in.website);
  d.set("address", in.address);
  d.set("easy_read", in.easy_read);
  d.set("kinds", kind_options(ctx, in.kind));
  d.set("editing", existing != nullptr);
  d.set("conflict", conflict);
  plain::form_support(ctx, d);
  if (check) d.set("plain", plain::check_fields(ctx, public_text(ctx, in)));
  d.set("action", existing ? "/organisations/" + std::to_string(existing->id) : std::string("/organisations"));
  ctx.csrf();
  std::string title = existing ? ctx.t("organisations.edit_title", {{"name", existing->name}}) : ctx.t("organisations.new_title");
  return ctx.page(title, "organisations/form", d, status);
}

FormErrors to_errors(Ctx& ctx, const std::vector<FieldProblem>& problems) {
  FormErrors e;
  for (const auto& p : problems) e.add(p.field, ctx.t(p.key));
  return e;
}

http::Response new_page(Ctx& ctx) {
  if (!policy::can_create(ctx.actor)) return ctx.deny();
  return form_page(ctx, {}, nullptr, {}, 200);
}

http::Response create_submit(Ctx& ctx) {
  if (!policy::can_create(ctx.actor)) return ctx.deny();
  auto in = input_from_form(ctx);
  // "Check my writing" shows the form again with the results and saves nothing.
  if (ctx.field("action") == "check") return form_page(ctx, in, nullptr, {}, 200, false, true);
  auto problems = db::validate(in);
  if (!problems.empty()) return form_page(ctx, in, nullptr, to_errors(ctx, problems), 400);
  auto w = ctx.work();
  auto id = db::create(w.scope(), in);
  w.commit();
  ctx.set_flash("organisations.flash_created");
  return http::Response::redirect("/organisations/" + std::to_string(id));
}

// The organisation named by the path's {id}, when this actor may see it; otherwise nothing (a 404,
// so that an archived or other partnership's organisation looks the same as one that never was).
std::optional<Organisation> visible_from_path(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id) return std::nullopt;
  auto w = ctx.read();
  auto o = db::get(w.scope(), *id);
  if (!o || !policy::can_view(ctx.actor, *o)) return std::nullopt;
  return o;
}

http::Response show_page(Ctx& ctx) {
  auto o = visible_from_path(ctx);
  if (!o) return ctx.not_found();
  web::Data d = org_data(ctx, *o);
  bool can_edit = policy::can_edit(ctx.actor, *o);
  d.set("can_edit", can_edit);
  // Only those who can change the text are told it may be hard to read; visitors never see it.
  if (can_edit) {
    auto check = plain::check_fields(ctx, public_text(ctx, *o), true);
    if (const auto* hard = check.get("hard"); hard && hard->is_true()) d.set("plain", check);
  }
  d.set("can_archive", policy::can_archive(ctx.actor, *o));
  // Its managers are told when their directory entries are overdue for a check.
  if (can_edit) {
    auto w = ctx.read();
    auto n = directory_store::stale_count_for_organisation(w.scope(), o->id, now_seconds());
    if (n > 0)
      d.set("stale_notice", ctx.t(n == 1 ? "directory.stale_count_one" : "directory.stale_count", {{"count", std::to_string(n)}}));
  }
  web::List services;
  for (const auto& line : split(o->services, '\n'))
    if (!trim(line).empty()) services.push_back(web::Data("line", trim(line)));
  d.set("service_lines", services);
  d.set("has_services", !o->services.empty());
  {
    // Its entries in the service directory, each in the reader's language; the people who write
    // them see which still lack a Welsh (or English) version.
    bool author = directory_policy::can_edit_text(ctx.actor, o->id);
    auto w = ctx.read();
    web::List entries;
    for (const auto& sv : directory_welsh::of_organisation(w.scope(), o->id)) {
      if (!author && sv.status != "active" && sv.status != "temporarily closed") continue;
      web::Data e;
      e.set("uuid", sv.uuid);
      e.set("name", web::bilingual_data(sv.name(), ctx.lang));
      if (author) {
        e.set("welsh_missing", directory_welsh::welsh_missing(sv.texts));
        e.set("english_missing", directory_welsh::english_missing(sv.texts));
      }
      entries.push_back(e);
    }
    d.set("directory_entries", entries);
    d.set("has_directory_entries", !entries.empty());
  }
  // Marked Easy Read by its author: a sentence on each line, large and well spaced.
  if (o->easy_read) d.set("easy_read", plain::easy_read(o->summary, ctx.lang));
  // To Mustache any string is true, even an empty one, so an optional field left blank would
  // show an empty heading and an empty link with no text. Blank ones become false instead.
  for (const char* key : {"expertise", "partnership_role", "contact_name", "contact_email", "contact_phone", "website",
                          "address"})
    if (const auto* v = d.get(key); v && v->is_string() && v->string_value().empty()) d.set(key, false);
  ctx.csrf();
  return ctx.page(o->name, "organisations/show", d);
}

http::Response edit_page(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  std::optional<Organisation> o;
  {
    auto w = ctx.read();
    o = db::get(w.scope(), *id);
  }
  if (!o) return ctx.not_found();
  if (!policy::can_edit(ctx.actor, *o)) return ctx.deny();
  return form_page(ctx, *o, &*o, {}, 200);
}

http::Response update_submit(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.work();
  auto o = db::get(w.scope(), *id);
  if (!o) return ctx.not_found();
  if (!policy::can_edit(ctx.actor, *o)) return ctx.deny();
  auto in = input_from_form(ctx);
  if (ctx.field("action") == "check") return form_page(ctx, in, &*o, {}, 200, false, true);
  auto problems = db::validate(in);
  if (!problems.empty()) return form_page(ctx, in, &*o, to_errors(ctx, problems), 400);
  auto version = parse_int(ctx.field("version"));
  auto result = db::update(w.scope(), *id, in, version);
  if (result == db::UpdateResult::not_found) return ctx.not_found();
  if (result == db::UpdateResult::conflict) {
    // Someone saved first. Show their version's number but keep what this person typed.
    FormErrors e;
    e.add("name", ctx.t("organisations.error_conflict"));
    return form_page(ctx, in, &*o, e, 409, true);
  }
  w.commit();
  ctx.set_flash("organisations.flash_updated");
  return http::Response::redirect("/organisations/" + std::to_string(*id));
}

http::Response archive_submit(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.work();
  auto o = db::get(w.scope(), *id);
  if (!o) return ctx.not_found();
  if (!policy::can_archive(ctx.actor, *o)) return ctx.deny();
  db::archive(w.scope(), *id);
  w.commit();
  ctx.set_flash("organisations.flash_archived");
  return http::Response::redirect("/organisations");
}

// ------------------------------------------------------------ API

json::array problems_json(Ctx& ctx, const std::vector<FieldProblem>& problems) {
  json::array a;
  for (const auto& p : problems) {
    json::object e;
    e["field"] = p.field;
    e["message"] = ctx.t(p.key);
    a.push_back(e);
  }
  return a;
}

// Reads an API body into `in`. Unknown or mistyped fields are errors, not silently dropped.
bool input_from_json(Ctx& ctx, const json::object& body, OrganisationInput& in, std::optional<std::int64_t>& version,
                     std::vector<FieldProblem>& problems) {
  static const std::vector<std::pair<const char*, std::string OrganisationInput::*>> fields = {
      {"name", &OrganisationInput::name},
      {"kind", &OrganisationInput::kind},
      {"summary", &OrganisationInput::summary},
      {"expertise", &OrganisationInput::expertise},
      {"partnership_role", &OrganisationInput::partnership_role},
      {"services", &OrganisationInput::services},
      {"website", &OrganisationInput::website},
      {"address", &OrganisationInput::address}};
  static const std::vector<std::pair<const char*, std::string OrganisationInput::*>> contact_fields = {
      {"name", &OrganisationInput::contact_name},
      {"email", &OrganisationInput::contact_email},
      {"phone", &OrganisationInput::contact_phone}};
  bool ok = true;
  for (const auto& [k, v] : body) {
    std::string key(k);
    if (key == "version") {
      if (!v.is_int64()) problems.push_back({"version", "organisations.error_api_type"}), ok = false;
      else version = v.as_int64();
      continue;
    }
    if (key == "easy_read") {
      if (!v.is_bool()) problems.push_back({"easy_read", "organisations.error_api_type"}), ok = false;
      else in.easy_read = v.as_bool();
      continue;
    }
    if (key == "contact") {
      if (!v.is_object()) {
        problems.push_back({"contact", "organisations.error_api_type"});
        ok = false;
        continue;
      }
      for (const auto& [ck, cv] : v.as_object()) {
        auto it = std::find_if(contact_fields.begin(), contact_fields.end(), [&](auto& f) { return ck == f.first; });
        if (it == contact_fields.end()) problems.push_back({"contact." + std::string(ck), "organisations.error_api_unknown"}), ok = false;
        else if (!cv.is_string()) problems.push_back({"contact." + std::string(ck), "organisations.error_api_type"}), ok = false;
        else in.*(it->second) = trim(std::string(cv.as_string()));
      }
      continue;
    }
    if (key == "id" || key == "slug" || key == "archived" || key == "created_at" || key == "updated_at") continue;  // read-only
    auto it = std::find_if(fields.begin(), fields.end(), [&](auto& f) { return key == f.first; });
    if (it == fields.end()) problems.push_back({key, "organisations.error_api_unknown"}), ok = false;
    else if (!v.is_string()) problems.push_back({key, "organisations.error_api_type"}), ok = false;
    else in.*(it->second) = trim(std::string(v.as_string()));
  }
  return ok;
}

http::Response api_invalid(Ctx& ctx, const std::vector<FieldProblem>& problems) {
  return ctx.problem(422, ctx.t("site.api_invalid_title"), ctx.t("site.api_invalid"),
                     {{"errors", problems_json(ctx, problems)}});
}

http::Response api_list(Ctx& ctx) {
  if (!policy::can_list(ctx.actor)) return ctx.deny();
  auto page = parse_int(ctx.req.query_param("page").empty() ? "1" : ctx.req.query_param("page"));
  auto per_page = parse_int(ctx.req.query_param("per_page").empty() ? "20" : ctx.req.query_param("per_page"));
  if (!page || *page < 1 || !per_page || *per_page < 1 || *per_page > kMaxApiPerPage)
    return ctx.problem(400, ctx.t("organisations.api_paging_title"), ctx.t("organisations.api_paging"));
  std::string q = trim(ctx.req.query_param("q")).substr(0, 200);
  OrganisationPage result;
  {
    auto w = ctx.read();
    result = db::list(w.scope(), q, *page, *per_page);
  }
  json::array items;
  for (const auto& o : result.items) items.push_back(to_json(o));
  json::object out;
  out["items"] = items;
  out["page"] = *page;
  out["per_page"] = *per_page;
  out["total"] = result.total;
  out["total_pages"] = (result.total + *per_page - 1) / *per_page;
  return ctx.json(200, out);
}

http::Response api_get(Ctx& ctx) {
  auto o = visible_from_path(ctx);
  if (!o) return ctx.not_found();
  auto res = ctx.json(200, to_json(*o));
  res.header("ETag", "\"" + std::to_string(o->version) + "\"");
  return res;
}

http::Response api_create(Ctx& ctx) {
  if (!policy::can_create(ctx.actor)) return ctx.deny();
  http::Response err;
  auto body = ctx.json_body(err);
  if (!body) return err;
  OrganisationInput in;
  std::optional<std::int64_t> version;
  std::vector<FieldProblem> problems;
  input_from_json(ctx, *body, in, version, problems);
  if (problems.empty()) problems = db::validate(in);
  if (!problems.empty()) return api_invalid(ctx, problems);
  auto w = ctx.work();
  auto id = db::create(w.scope(), in);
  auto o = db::get(w.scope(), id);
  w.commit();
  auto res = ctx.json(201, to_json(*o));
  res.header("Location", "/api/v1/organisations/" + std::to_string(id));
  return res;
}

// PUT replaces every field; PATCH changes only the fields sent.
http::Response api_update(Ctx& ctx, bool partial) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  http::Response err;
  auto body = ctx.json_body(err);
  if (!body) return err;
  auto w = ctx.work();
  auto o = db::get(w.scope(), *id);
  if (!o || !policy::can_view(ctx.actor, *o)) return ctx.not_found();
  if (!policy::can_edit(ctx.actor, *o)) return ctx.deny();
  OrganisationInput in = partial ? static_cast<OrganisationInput>(*o) : OrganisationInput{};
  std::optional<std::int64_t> version;
  std::vector<FieldProblem> problems;
  input_from_json(ctx, *body, in, version, problems);
  if (const auto* im = ctx.req.header("if-match"); im && !version) {
    std::string tag = trim(*im);  // "3", as sent back from the ETag of a GET
    if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') tag = tag.substr(1, tag.size() - 2);
    version = parse_int(tag);
    if (!version) problems.push_back({"If-Match", "organisations.error_api_type"});
  }
  if (problems.empty()) problems = db::validate(in);
  if (!problems.empty()) return api_invalid(ctx, problems);
  auto result = db::update(w.scope(), *id, in, version);
  if (result == db::UpdateResult::not_found) return ctx.not_found();
  if (result == db::UpdateResult::conflict)
    return ctx.problem(409, ctx.t("site.api_conflict_title"), ctx.t("site.api_conflict"));
  auto updated = db::get(w.scope(), *id);
  w.commit();
  return ctx.json(200, to_json(*updated));
}

http::Response api_archive(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.work();
  auto o = db::get(w.scope(), *id);
  if (!o || !policy::can_view(ctx.actor, *o)) return ctx.not_found();
  // Only admins and its managers can see an archived organisation; for them, a second archive is a conflict.
  if (o->archived)
    return ctx.problem(409, ctx.t("organisations.api_archived_title"), ctx.t("organisations.api_archived"));
  if (!policy::can_archive(ctx.actor, *o)) return ctx.deny();
  db::archive(w.scope(), *id);
  auto updated = db::get(w.scope(), *id);
  w.commit();
  return ctx.json(200, to_json(*updated));
}

http::Response openapi(Ctx& ctx) {
  static const std::string doc = [&] {
    std::ifstream in(ctx.app.cfg.share_dir + "/data/openapi.json");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }();
  http::Response res;
  res.content_type = "application/json";
  res.body = doc;
  res.header("Access-Control-Allow-Origin", "*");
  return res;
}

}  // namespace

void OrganisationsModule::install(app::App& a) {
  a.route("GET", "/organisations", "organisations.list", list_page);
  a.route("GET", "/organisations/new", "organisations.new", new_page);
  a.route("POST", "/organisations", "organisations.create", create_submit);
  a.route("GET", "/organisations/{id}", "organisations.show", show_page);
  a.route("GET", "/organisations/{id}/edit", "organisations.edit", edit_page);
  a.route("POST", "/organisations/{id}", "organisations.update", update_submit);
  a.route("POST", "/organisations/{id}/archive", "organisations.archive", archive_submit);
  a.route("GET", "/api/v1/organisations", "api.organisations.list", api_list, app::RouteKind::api);
  a.route("POST", "/api/v1/organisations", "api.organisations.create", api_create, app::RouteKind::api);
  a.route("GET", "/api/v1/organisations/{id}", "api.organisations.get", api_get, app::RouteKind::api);
  a.route("PUT", "/api/v1/organisations/{id}", "api.organisations.replace",
          [](Ctx& c) { return api_update(c, false); }, app::RouteKind::api);
  a.route("PATCH", "/api/v1/organisations/{id}", "api.organisations.patch",
          [](Ctx& c) { return api_update(c, true); }, app::RouteKind::api);
  a.route("POST", "/api/v1/organisations/{id}/archive", "api.organisations.archive", api_archive, app::RouteKind::api);
  a.route("GET", "/api/v1/openapi.json", "api.openapi", openapi, app::RouteKind::open);
  a.nav({"organisations.nav", "/organisations", nullptr});
  // Organisation pages are public text: the plain-language report checks them with everything
  // else the partnership publishes.
  plain::register_texts("organisations", [](store::Scope& s) {
    std::vector<plain::PublishedText> out;
    for (const auto& o : db::list(s, "", 1, 1000000).items) {
      std::string text;
      for (const auto& [member, field] : kPublicText)
        if (!trim(o.*member).empty()) text += (text.empty() ? "" : "\n\n") + o.*member;
      out.push_back({o.name, "/organisations/" + std::to_string(o.id), text, ""});
    }
    return out;
  });
}

}  // namespace cp::modules
