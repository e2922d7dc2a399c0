// The Open Referral UK 3.0 read API. Open access by design (ORUK asks for no key and CORS *), so
// these routes never look at who is signed in, and only ever return what the directory publishes.
#include <cmath>
#include <cstdlib>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "modules/plain/web.hpp"

namespace cp::modules {

namespace {

using app::Ctx;
namespace json = boost::json;
namespace db = directory_store;

constexpr std::int64_t kDefaultPerPage = 50;
constexpr std::int64_t kMaxPerPage = 500;

http::Response open_json(Ctx& ctx, int status, const json::value& v) {
  auto res = ctx.json(status, v);
  res.header("Access-Control-Allow-Origin", "*");
  return res;
}

http::Response bad_request(Ctx& ctx, const std::string& key) {
  auto res = ctx.problem(400, ctx.t("directory.api_bad_request_title"), ctx.t(key));
  res.header("Access-Control-Allow-Origin", "*");
  return res;
}

// page and per_page: whole numbers in range, or a 400 naming the problem.
bool paging(Ctx& ctx, std::int64_t& page, std::int64_t& per_page, http::Response& error) {
  std::string p = ctx.req.query_param("page"), pp = ctx.req.query_param("per_page");
  page = 1;
  per_page = kDefaultPerPage;
  if (!p.empty()) {
    auto v = parse_int(p);
    if (!v || *v < 1 || *v > 1000000) return error = bad_request(ctx, "directory.api_bad_page"), false;
    page = *v;
  }
  if (!pp.empty()) {
    auto v = parse_int(pp);
    if (!v || *v < 1 || *v > kMaxPerPage) return error = bad_request(ctx, "directory.api_bad_per_page"), false;
    per_page = *v;
  }
  return true;
}

bool truthy(const std::string& v) { return v == "true" || v == "1" || v == "yes"; }

http::Response api_details(Ctx& ctx) {
  json::object o;
  o["version"] = "HSDS-UK-3.0";
  o["profile"] = "https://openreferraluk.org/specifications/3.0/";
  o["openapi_url"] = "https://openreferraluk.org/specifications/3.0/openapi.json";
  return open_json(ctx, 200, o);
}

http::Response services(Ctx& ctx) {
  db::ServiceQuery q;
  http::Response error;
  if (!paging(ctx, q.page, q.per_page, error)) return error;
  q.search = ctx.req.query_param("search").substr(0, 200);
  q.taxonomy_term_id = ctx.req.query_param("taxonomy_term_id");
  q.organization_id = ctx.req.query_param("organization_id");
  q.minimal = truthy(ctx.req.query_param("minimal"));
  if (std::string m = ctx.req.query_param("modified_after"); !m.empty()) {
    q.modified_after = db::parse_datetime(m);
    if (!q.modified_after) return bad_request(ctx, "directory.api_bad_modified_after");
  }
  std::string format = ctx.req.query_param("format");
  if (!format.empty() && format != "json" && format != "ndjson") return bad_request(ctx, "directory.api_bad_format");
  if (format == "ndjson") {
    // The whole matching set, one service per line, for consumers that want everything at once.
    if (!ctx.req.query_param("page").empty() || !ctx.req.query_param("per_page").empty())
      return bad_request(ctx, "directory.api_ndjson_unpaged");
    q.page = 1;
    q.per_page = 1000000000;
  }
  auto w = ctx.read();
  auto page = db::list_services(w.scope(), q);
  if (format != "ndjson") return open_json(ctx, 200, page);
  http::Response res;
  res.content_type = "application/x-ndjson";
  for (const auto& item : page["contents"].as_array()) res.body += json::serialize(item) + "\n";
  res.header("Access-Control-Allow-Origin", "*");
  return res;
}

http::Response service(Ctx& ctx) {
  auto w = ctx.read();
  auto s = db::service(w.scope(), ctx.req.path_params["id"]);
  if (!s) {
    auto res = ctx.problem(404, ctx.t("site.not_found_title"), ctx.t("directory.api_no_service"));
    res.header("Access-Control-Allow-Origin", "*");
    return res;
  }
  return open_json(ctx, 200, *s);
}

http::Response organization(Ctx& ctx) {
  auto w = ctx.read();
  auto o = db::organization(w.scope(), ctx.req.path_params["id"]);
  if (!o) {
    auto res = ctx.problem(404, ctx.t("site.not_found_title"), ctx.t("directory.api_no_organization"));
    res.header("Access-Control-Allow-Origin", "*");
    return res;
  }
  return open_json(ctx, 200, *o);
}

http::Response organizations(Ctx& ctx) {
  std::int64_t page, per_page;
  http::Response error;
  if (!paging(ctx, page, per_page, error)) return error;
  auto w = ctx.read();
  return open_json(ctx, 200, db::list_organizations(w.scope(), page, per_page));
}

http::Response taxonomies(Ctx& ctx) {
  std::int64_t page, per_page;
  http::Response error;
  if (!paging(ctx, page, per_page, error)) return error;
  auto w = ctx.read();
  return open_json(ctx, 200, db::list_taxonomies(w.scope(), page, per_page));
}

http::Response taxonomy_terms(Ctx& ctx) {
  std::int64_t page, per_page;
  http::Response error;
  if (!paging(ctx, page, per_page, error)) return error;
  auto w = ctx.read();
  return open_json(ctx, 200,
                   db::list_taxonomy_terms(w.scope(), ctx.req.query_param("taxonomy_id"), page, per_page));
}

// "Near KY1 1XX" or "near KY1": the postcode is national reference data, read outside the partnership.
http::Response service_at_locations(Ctx& ctx) {
  db::PlaceQuery q;
  http::Response error;
  if (!paging(ctx, q.page, q.per_page, error)) return error;
  std::string typed = ctx.req.query_param("postcode"), proximity = ctx.req.query_param("proximity");
  if (!proximity.empty()) {
    if (trim(typed).empty()) return bad_request(ctx, "directory.api_proximity_needs_postcode");
    char* end = nullptr;
    double v = std::strtod(proximity.c_str(), &end);
    if (end != proximity.c_str() + proximity.size() || !std::isfinite(v) || v <= 0 || v > 1000000)
      return bad_request(ctx, "directory.api_bad_proximity");
    q.within_m = v;
  }
  if (!trim(typed).empty()) {
    auto pc = postcodes::normalise(typed);
    if (!pc) return bad_request(ctx, "directory.api_bad_postcode");
    q.near = postcodes::locate(*ctx.app.db, *pc);
    if (!q.near) {
      auto res = ctx.problem(400, ctx.t("directory.api_bad_request_title"),
                             ctx.t("directory.api_unknown_postcode", {{"postcode", pc->text}}));
      res.header("Access-Control-Allow-Origin", "*");
      return res;
    }
  }
  auto w = ctx.read();
  return open_json(ctx, 200, db::list_service_at_locations(w.scope(), q));
}

}  // namespace

void DirectoryModule::install(app::App& a) {
  using app::RouteKind;
  // RouteKind::api: each needs the partnership from the Host header; GETs are never CSRF-checked.
  a.route("GET", "/openreferral/", "openreferral.api_details", api_details, RouteKind::api);
  a.route("GET", "/openreferral/services", "openreferral.services", services, RouteKind::api);
  a.route("GET", "/openreferral/services/{id}", "openreferral.service", service, RouteKind::api);
  a.route("GET", "/openreferral/organizations", "openreferral.organizations", organizations, RouteKind::api);
  a.route("GET", "/openreferral/organizations/{id}", "openreferral.organization", organization, RouteKind::api);
  a.route("GET", "/openreferral/taxonomies", "openreferral.taxonomies", taxonomies, RouteKind::api);
  a.route("GET", "/openreferral/service_at_locations", "openreferral.service_at_locations", service_at_locations,
          RouteKind::api);
  a.route("GET", "/openreferral/taxonomy_terms", "openreferral.taxonomy_terms", taxonomy_terms, RouteKind::api);
  install_directory_pages(a);
  install_directory_survey(a);
  install_directory_admin(a);
  install_directory_welsh(a);
  install_directory_moderation(a);
  // Service and asset descriptions are what people read when they look for help, so the
  // plain-language report checks them with the partnership's other published text.
  plain::register_texts("directory", [](store::Scope& s) {
    std::vector<plain::PublishedText> out;
    db::ServiceQuery q;
    q.per_page = 200;
    for (;; ++q.page) {
      auto page = db::list_services(s, q);
      const auto& items = page.at("contents").as_array();
      for (const auto& v : items) {
        const auto& o = v.as_object();
        auto text_of = [&](const char* key) {
          const auto* x = o.if_contains(key);
          return x && x->is_string() ? std::string(x->as_string()) : std::string();
        };
        std::string description = text_of("description");
        if (trim(description).empty()) continue;
        out.push_back({text_of("name"), "/services/" + text_of("id"), description, ""});
      }
      if (items.size() < static_cast<std::size_t>(q.per_page)) break;
    }
    return out;
  });
}

}  // namespace cp::modules
