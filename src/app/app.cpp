#include "app/app.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <thread>

#include "core/util.hpp"
#include "http/multipart.hpp"

namespace cp::app {

std::vector<std::unique_ptr<Module>> all_modules();  // src/modules/modules.cpp
void core_migrations(store::Migrations& m);         // app/schema.cpp

namespace json = boost::json;

std::string default_share_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto share = exe.parent_path() / "share";
    if (std::filesystem::is_directory(share)) return share.string();
  }
  return "build/share";
}

// ---------------------------------------------------------------- FormErrors

std::string FormErrors::of(const std::string& field) const {
  for (const auto& [f, m] : items)
    if (f == field) return m;
  return {};
}

void FormErrors::fill(web::Data& data) const {
  web::List list;
  for (const auto& [f, m] : items) {
    web::Data item;
    item.set("field", f);
    item.set("message", m);
    list.push_back(item);
    data.set("error_" + f, m);
  }
  data.set("errors_list", list);
  data.set("has_errors", any());
}

// ---------------------------------------------------------------- Ctx

store::AuditContext Ctx::audit_context() const {
  store::AuditContext a;
  if (actor) {
    a.user_id = actor->user_id;
    a.actor = "user:" + std::to_string(actor->user_id);
  } else {
    a.actor = "anonymous";
  }
  a.ip = req.remote_addr;
  a.request_id = req.request_id;
  return a;
}

store::Work Ctx::work(store::Transaction::Mode mode) { return app.work(partnership.id, audit_context(), mode); }

std::string Ctx::t(const std::string& key, const std::vector<std::pair<std::string, std::string>>& args) const {
  return app.catalogue.t(lang, key, args);
}

const std::multimap<std::string, std::string>& Ctx::form() {
  if (form_) return *form_;
  // A file upload's text fields (the CSRF token among them) are parts of a multipart body.
  const auto* ct = req.header("content-type");
  if (ct && !http::multipart_boundary(*ct).empty()) {
    form_.emplace();
    if (auto parts = http::parse_multipart(req.body, *ct))
      for (const auto& p : *parts)
        if (!p.is_file) form_->emplace(p.name, p.data);
    return *form_;
  }
  form_ = http::parse_urlencoded(req.body);
  return *form_;
}

std::string Ctx::field(const std::string& name) {
  auto& f = form();
  auto it = f.find(name);
  return it == f.end() ? std::string() : trim(it->second);
}

const std::string& Ctx::csrf() {
  if (!csrf_token.empty()) return csrf_token;
  // No session yet: start an anonymous one so this form can carry a token.
  std::string token = random_token();
  csrf_token = random_token();
  auto now = now_seconds();
  auto w = work();
  // An anonymous session only carries a form's token: it lives no longer than the idle limit.
  session_id = w->insert({"session.start", "session", std::nullopt, "anonymous"},
                         "INSERT INTO sessions (partnership_id, token_hash, user_id, csrf_token, created_at, last_seen_at,"
                         " expires_at) VALUES ($1, $2, NULL, $3, $4, $4, $5) RETURNING id",
                         {sha256_hex(token), csrf_token, now, now + app.cfg.session_idle_minutes * 60});
  // Every visit to a form page makes one of these, so clear out the expired ones as we go.
  w->bookkeeping("DELETE FROM sessions WHERE partnership_id = $1 AND expires_at < $2", {now});
  w.commit();
  session_token_hash = sha256_hex(token);
  std::string attrs = "; Path=/; HttpOnly; SameSite=Lax";
  if (app.cfg.secure_cookies) attrs += "; Secure";
  set_cookies.push_back(app.cookie_name() + "=" + token + attrs);
  return csrf_token;
}

void Ctx::start_session(std::int64_t user_id) {
  auto now = now_seconds();
  std::string token = random_token();
  std::string new_csrf = random_token();
  auto w = work();
  if (session_id)  // the old id dies at sign-in, so a planted session id cannot be carried across it
    w->write({"session.rotate", "session", session_id, ""}, "DELETE FROM sessions WHERE partnership_id = $1 AND id = $2",
             {*session_id});
  store::AuditContext a = audit_context();
  session_id = w->insert({"session.sign_in", "user", user_id, ""},
                         "INSERT INTO sessions (partnership_id, token_hash, user_id, csrf_token, created_at, last_seen_at,"
                         " expires_at) VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING id",
                         {sha256_hex(token), user_id, new_csrf, now, now + app.cfg.session_absolute_hours * 3600});
  w.commit();
  csrf_token = new_csrf;
  std::string attrs = "; Path=/; HttpOnly; SameSite=Lax";
  if (app.cfg.secure_cookies) attrs += "; Secure";
  set_cookies.push_back(app.cookie_name() + "=" + token + attrs);
}

void Ctx::end_session() {
  if (session_id) {
    auto w = work();
    w->write({"session.sign_out", "session", session_id, ""}, "DELETE FROM sessions WHERE partnership_id = $1 AND id = $2",
             {*session_id});
    w.commit();
  }
  session_id.reset();
  csrf_token.clear();
  actor.reset();
  set_cookies.push_back(app.cookie_name() + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" +
                        std::string(app.cfg.secure_cookies ? "; Secure" : ""));
}

http::Response Ctx::page(const std::string& title, const std::string& tpl, web::Data data, int status) {
  data.set("csrf_token", csrf_token);
  return wrap(title, app.templates->render(tpl, lang, data), status);
}

http::Response Ctx::wrap(const std::string& title, const std::string& body, int status) {
  http::Response res;
  res.status = status;
  res.body = app.layout(*this, title, body);
  return res;
}

http::Response Ctx::not_found() {
  if (req.path.rfind("/api/", 0) == 0) return problem(404, t("site.not_found_title"), t("site.not_found_api"));
  return page(t("site.not_found_title"), "site/not_found", {}, 404);
}

http::Response Ctx::forbidden() {
  if (req.path.rfind("/api/", 0) == 0) return problem(403, t("site.forbidden_title"), t("site.forbidden_api"));
  return page(t("site.forbidden_title"), "site/forbidden", {}, 403);
}

http::Response Ctx::deny() {
  if (actor) return forbidden();
  if (req.path.rfind("/api/", 0) == 0)
    return problem(401, t("site.sign_in_required_title"), t("site.sign_in_required_api"));
  if (req.method == "GET") return http::Response::redirect("/sign-in?next=" + http::url_encode(req.target));
  return http::Response::redirect("/sign-in");
}

http::Response Ctx::problem(int status, const std::string& title, const std::string& detail, json::object extra) {
  // RFC 9457 problem details.
  json::object o;
  o["type"] = "about:blank";
  o["title"] = title;
  o["status"] = status;
  o["detail"] = detail;
  o["instance"] = req.path;
  o["request_id"] = req.request_id;
  for (auto& [k, v] : extra) o[k] = v;
  http::Response res;
  res.status = status;
  res.content_type = "application/problem+json";
  res.body = json::serialize(o);
  return res;
}

http::Response Ctx::json(int status, const json::value& v) {
  http::Response res;
  res.status = status;
  res.content_type = "application/json";
  res.body = json::serialize(v);
  return res;
}

std::optional<json::object> Ctx::json_body(http::Response& error) {
  const std::string* ct = req.header("content-type");
  if (!ct || ct->rfind("application/json", 0) != 0) {
    error = problem(415, t("site.api_bad_content_type_title"), t("site.api_bad_content_type"));
    return std::nullopt;
  }
  json::error_code ec;
  auto v = json::parse(req.body, ec);
  if (ec || !v.is_object()) {
    error = problem(400, t("site.api_bad_json_title"), t("site.api_bad_json"));
    return std::nullopt;
  }
  return v.as_object();
}

// ---------------------------------------------------------------- App

App::App(Config c) : cfg(std::move(c)) {
  if (cfg.share_dir.empty()) cfg.share_dir = default_share_dir();
  hash_cost = auth::parse_cost(cfg.password_cost);
  int threads = cfg.threads > 0 ? cfg.threads : std::max(2u, std::thread::hardware_concurrency());
  std::size_t pool = cfg.db_pool > 0 ? static_cast<std::size_t>(cfg.db_pool) : static_cast<std::size_t>(threads + 2);
  db = std::make_unique<store::Database>(cfg.db_url, pool);
  catalogue.load_dir(cfg.share_dir + "/messages");
  templates = std::make_unique<web::Templates>(cfg.share_dir + "/templates", catalogue);
  assets = std::make_unique<web::Assets>(cfg.share_dir);
  std::string pw_list = cfg.share_dir + "/data/passwords/common-passwords.txt";
  if (std::filesystem::exists(pw_list)) password_rules.load_common(pw_list);
  core_migrations(migrations);
  modules_ = all_modules();
  for (auto& m : modules_) m->migrations(migrations);
  for (auto& m : modules_) m->install(*this);
}

App::~App() = default;

int App::migrate() {
  auto lease = db->lease();
  return migrations.apply(*lease);
}

store::Work App::work(std::int64_t partnership_id, store::AuditContext ctx, store::Transaction::Mode mode) {
  return store::Work(*db, partnership_id, migrations.tenant_tables(), std::move(ctx), mode);
}

std::optional<Partnership> App::partnership_by_slug(const std::string& slug) {
  auto lease = db->lease();
  auto r = lease->run("SELECT id, slug, name, COALESCE(host, ''), summary FROM partnerships WHERE slug = $1", {slug});
  if (r.empty()) return std::nullopt;
  const auto& row = r.one();
  return Partnership{row.i64(0), row.text(1), row.text(2), row.text(3), row.text(4)};
}

std::optional<Partnership> App::partnership_for_host(const std::string& host_header) {
  std::string host = to_lower(host_header.substr(0, host_header.rfind(':') == std::string::npos ||
                                                            host_header.find(']') != std::string::npos
                                                        ? host_header.size()
                                                        : host_header.rfind(':')));
  {
    std::lock_guard lock(partnerships_mu_);
    if (auto it = by_host_.find(host); it != by_host_.end()) return it->second;
    if (auto it = by_host_.find("\n" + cfg.default_partnership); it != by_host_.end() && now_millis() - last_miss_ms_ < 2000)
      return it->second;
  }
  // Not cached: look it up (partnerships are added by the CLI while the server runs).
  auto lease = db->lease();
  auto r = lease->run("SELECT id, slug, name, COALESCE(host, ''), summary FROM partnerships WHERE host = $1", {host});
  bool by_host = !r.empty();
  if (!by_host)
    r = lease->run("SELECT id, slug, name, COALESCE(host, ''), summary FROM partnerships WHERE slug = $1",
                   {cfg.default_partnership});
  if (r.empty()) return std::nullopt;
  const auto& row = r.one();
  Partnership p{row.i64(0), row.text(1), row.text(2), row.text(3), row.text(4)};
  std::lock_guard lock(partnerships_mu_);
  if (by_host) by_host_[host] = p;
  else {
    by_host_["\n" + cfg.default_partnership] = p;
    last_miss_ms_ = now_millis();
  }
  return p;
}

Partnership App::create_partnership(const std::string& slug, const std::string& name, const std::string& host,
                                    const std::string& summary) {
  auto lease = db->lease();
  store::Transaction tx(*lease);
  auto r = lease->run(
      "INSERT INTO partnerships (slug, name, host, summary, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
      {slug, name, host.empty() ? store::Value{nullptr} : store::Value{to_lower(host)}, summary, now_seconds()});
  tx.commit();
  return Partnership{r.one().i64(0), slug, name, host, summary};
}

std::string App::cookie_name() const { return cfg.secure_cookies ? "__Host-cp_session" : "cp_session"; }

void App::load_session(Ctx& ctx) {
  std::string flash = ctx.req.cookie("cp_flash");
  if (!flash.empty() && catalogue.has("en", flash)) ctx.flash_in = flash;
  std::string token = ctx.req.cookie(cookie_name());
  if (token.empty()) return;
  auto hash = sha256_hex(token);
  auto now = now_seconds();
  std::int64_t last_seen = 0;
  {
    auto w = ctx.read();
    auto r = w->read(
        "SELECT s.id, s.user_id, s.csrf_token, s.expires_at, s.last_seen_at, u.name, u.email, u.language,"
        " u.must_change_password, u.disabled_at FROM sessions s LEFT JOIN users u ON u.partnership_id = $1 AND"
        " u.id = s.user_id WHERE s.partnership_id = $1 AND s.token_hash = $2",
        {hash});
    if (r.empty()) return;
    const auto& row = r.one();
    bool idle_expired = now - row.i64(4) > cfg.session_idle_minutes * 60;
    bool disabled = !row.null(9);
    if (row.i64(3) <= now || idle_expired || disabled) return;
    ctx.session_id = row.i64(0);
    ctx.session_token_hash = hash;
    ctx.csrf_token = row.text(2);
    last_seen = row.i64(4);
    if (auto uid = row.opt_i64(1)) {
      auth::Actor a;
      a.user_id = *uid;
      a.name = row.text(5);
      a.email = row.text(6);
      a.language = row.text(7);
      a.must_change_password = row.boolean(8);
      auto roles =
          w->read("SELECT role, organisation_id FROM user_roles WHERE partnership_id = $1 AND user_id = $2", {*uid});
      for (const auto& rr : roles.rows)
        if (auto role = auth::parse_role(rr.text(0))) a.grants.push_back({*role, rr.opt_i64(1)});
      ctx.actor = std::move(a);
    }
  }
  // Record activity at most every five minutes, so that reading pages writes nothing.
  if (now - last_seen > 300) {
    auto w = ctx.work();
    w->bookkeeping("UPDATE sessions SET last_seen_at = $2 WHERE partnership_id = $1 AND id = $3", {now, *ctx.session_id});
    w.commit();
  }
}

namespace {
bool supported_language(const std::string& lang) { return lang == "en" || lang == "cy"; }
}  // namespace

void App::choose_language(Ctx& ctx) {
  std::string asked = ctx.req.query_param("lang");
  if (supported_language(asked)) {
    ctx.lang = asked;
    // Remembered for a year so that people who are not signed in keep their choice between visits.
    ctx.set_cookies.push_back("cp_lang=" + asked + "; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax" +
                              std::string(cfg.secure_cookies ? "; Secure" : ""));
    if (ctx.actor && ctx.actor->language != asked) {
      auto w = ctx.work();
      w->write({"user.language", "user", ctx.actor->user_id, asked},
               "UPDATE users SET language = $2 WHERE partnership_id = $1 AND id = $3", {asked, ctx.actor->user_id});
      w.commit();
      ctx.actor->language = asked;
    }
    return;
  }
  if (ctx.actor && supported_language(ctx.actor->language)) {
    ctx.lang = ctx.actor->language;
    return;
  }
  std::string remembered = ctx.req.cookie("cp_lang");
  ctx.lang = supported_language(remembered) ? remembered : "en";
}

http::Response App::serve_static(const http::Request& req) {
  bool current = false;
  const web::Asset* a = assets->find(req.path, &current);
  if (!a) return http::Response::text(404, catalogue.t("en", "site.not_found_title") + "\n");
  http::Response res;
  res.content_type = a->content_type;
  res.body = a->body;
  res.header("Cache-Control", current ? "public, max-age=31536000, immutable" : "public, max-age=300");
  res.header("ETag", "\"" + a->hash + "\"");
  if (const auto* inm = req.header("if-none-match"); inm && *inm == "\"" + a->hash + "\"") {
    res.status = 304;
    res.body.clear();
  }
  return res;
}

void App::add_security_headers(http::Response& res, bool html) {
  res.header("X-Content-Type-Options", "nosniff");
  res.header("Referrer-Policy", "same-origin");
  res.header("Content-Security-Policy",
             "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
             "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'");
  res.header("X-Frame-Options", "DENY");
  res.header("Cross-Origin-Opener-Policy", "same-origin");
  if (cfg.hsts) res.header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  if (html) res.header("Cache-Control", "no-store");
}

http::Response App::handle(http::Request& req) {
  if (req.path.rfind("/static/", 0) == 0) {
    req.request_id += "";
    auto res = serve_static(req);
    add_security_headers(res, false);
    return res;
  }
  // Routes that need no partnership: health and metrics.
  std::map<std::string, std::string> params;
  bool path_known = false;
  const Route* route = router.match(req.method, req.path, params, path_known);
  const std::string* host = req.header("host");
  std::optional<Partnership> p;
  try {
    p = partnership_for_host(host ? *host : "");
  } catch (const store::DbError& e) {
    spdlog::error("partnership lookup failed: {}", e.what());
    if (!(route && route->kind == RouteKind::open)) {
      auto res = http::Response::text(503, catalogue.t("en", "site.unavailable") + "\n");
      add_security_headers(res, false);
      return res;
    }
  }
  Ctx ctx(*this, req, p.value_or(Partnership{}));
  http::Response res;
  try {
    if (route && route->kind == RouteKind::open) {
      req.path_params = std::move(params);
      res = route->fn(ctx);
    } else if (!p) {
      res = http::Response::text(404, catalogue.t("en", "site.no_partnership") + "\n");
    } else {
      load_session(ctx);
      choose_language(ctx);
      if (!route) {
        if (path_known) {
          res = http::Response::text(405, ctx.t("site.method_not_allowed") + "\n");
          res.header("Allow", router.allowed_methods(req.path));
        } else {
          res = ctx.not_found();
        }
      } else {
        req.path_params = std::move(params);
        // An API call that is not signed in carries no one's authority, so there is nothing to forge:
        // let it through to the handler, which answers 401 (sign in first) rather than a CSRF 403.
        bool check_token = req.method != "GET" && req.method != "HEAD" &&
                           !(route->kind == RouteKind::api && !ctx.actor);
        bool csrf_ok = true;
        if (check_token) {
          std::string sent;
          if (route->kind == RouteKind::api) {
            if (const auto* h = req.header("x-csrf-token")) sent = *h;
          } else {
            sent = ctx.field("csrf_token");
          }
          csrf_ok = !ctx.csrf_token.empty() && equal_secret(sent, ctx.csrf_token);
        }
        // After an admin reset, the one-time password only lets the person choose a new one.
        bool must_change = ctx.actor && ctx.actor->must_change_password && req.path != "/account/password" &&
                           req.path != "/sign-out";
        if (must_change && csrf_ok) {
          res = route->kind == RouteKind::api
                    ? ctx.problem(403, ctx.t("site.must_change_title"), ctx.t("site.must_change_api"))
                    : http::Response::redirect("/account/password");
        } else if (!csrf_ok) {
          res = route->kind == RouteKind::api
                    ? ctx.problem(403, ctx.t("site.csrf_title"), ctx.t("site.csrf_api"))
                    : ctx.page(ctx.t("site.csrf_title"), "site/csrf", {}, 403);
        } else {
          res = route->fn(ctx);
        }
      }
    }
  } catch (const store::ScopeViolation& e) {
    spdlog::critical("scope violation on {} {}: {}", req.method, req.path, e.what());
    res = http::Response::text(500, ctx.t("site.server_error") + "\n");
  } catch (const store::DbError& e) {
    spdlog::error("database error on {} {}: {}", req.method, req.path, e.what());
    bool busy = e.kind == store::DbError::Kind::busy || e.kind == store::DbError::Kind::unavailable;
    res = http::Response::text(busy ? 503 : 500, ctx.t(busy ? "site.busy" : "site.server_error") + "\n");
  } catch (const std::exception& e) {
    spdlog::error("error on {} {}: {}", req.method, req.path, e.what());
    res = http::Response::text(500, ctx.t("site.server_error") + "\n");
  }
  req.path_params["__route"] = route ? route->name : "unmatched";
  finish(ctx, res);
  return res;
}

void App::finish(Ctx& ctx, http::Response& res) {
  for (auto& c : ctx.set_cookies) res.header("Set-Cookie", c);
  if (!ctx.flash_out_.empty())
    res.header("Set-Cookie", "cp_flash=" + ctx.flash_out_ + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=60" +
                                 std::string(cfg.secure_cookies ? "; Secure" : ""));
  else if (!ctx.flash_in.empty() && res.status < 300)
    res.header("Set-Cookie", "cp_flash=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" +
                                 std::string(cfg.secure_cookies ? "; Secure" : ""));
  bool html = res.content_type.rfind("text/html", 0) == 0;
  add_security_headers(res, html || res.content_type.find("json") != std::string::npos);
  res.header("X-Request-Id", ctx.req.request_id);
}

void App::observe(const http::Request& req, const http::Response& res, double seconds) {
  auto it = req.path_params.find("__route");
  std::string route = it == req.path_params.end() ? (req.path.rfind("/static/", 0) == 0 ? "static" : "unmatched")
                                                   : it->second;
  metrics.observe(route, req.method, res.status, seconds);
  if (!cfg.access_log) return;
  json::object line;
  line["ts"] = format_iso8601(now_seconds());
  line["request_id"] = req.request_id;
  line["remote"] = req.remote_addr;
  line["method"] = req.method;
  line["path"] = req.path;
  line["route"] = route;
  line["status"] = res.status;
  line["bytes"] = res.body.size();
  line["ms"] = std::round(seconds * 100000.0) / 100.0;
  static auto logger = [] {
    auto l = spdlog::stdout_logger_mt("access");
    l->set_pattern("%v");
    return l;
  }();
  logger->info(json::serialize(line));
}

namespace {
// The page being shown, with lang=<to> in place of any lang it already had, so switching keeps the
// person where they are, search terms and page number included.
std::string language_switch_href(const http::Request& req, const std::string& to) {
  std::string path = req.target.substr(0, req.target.find('?'));
  // "//host/..." (or "/\host", which browsers read the same way) would lead to another site.
  auto first = path.find_first_not_of("/\\");
  path = first == std::string::npos ? "/" : "/" + path.substr(first);
  std::string query;
  for (const auto& [k, v] : req.query) {
    if (k == "lang") continue;
    // A value that names another site (say a planted ?next=) is not carried into a link on our page.
    std::string lower = to_lower(v);
    if (lower.find("//") != std::string::npos || lower.find('\\') != std::string::npos ||
        lower.rfind("javascript:", 0) == 0 || lower.rfind("data:", 0) == 0)
      continue;
    query += http::url_encode(k) + "=" + http::url_encode(v) + "&";
  }
  return path + "?" + query + "lang=" + to;
}
}  // namespace

std::string App::layout(Ctx& ctx, const std::string& title, const std::string& body) {
  web::Data d;
  d.set("title", title);
  d.set("content", body);
  d.set("lang", ctx.lang);
  d.set("other_lang", ctx.lang == "cy" ? "en" : "cy");
  d.set("language_switch_href", language_switch_href(ctx.req, ctx.lang == "cy" ? "en" : "cy"));
  d.set("partnership_name", ctx.partnership.name);
  d.set("css_url", assets->url("govuk-frontend.min.css"));
  d.set("app_css_url", assets->url("app.css"));
  d.set("app_js_url", assets->url("app.js"));
  d.set("init_js_url", assets->url("init.js"));
  d.set("favicon_url", assets->url("favicon.svg"));
  d.set("signed_in", ctx.signed_in());
  if (ctx.actor) d.set("user_name", ctx.actor->name);
  d.set("csrf_token", ctx.signed_in() ? ctx.csrf() : std::string());
  web::List nav;
  for (const auto& n : nav_) {
    if (n.visible && !n.visible(ctx)) continue;
    web::Data item;
    item.set("label", catalogue.t(ctx.lang, n.label_key));
    item.set("href", n.href);
    bool active = n.href == "/" ? ctx.req.path == "/" : ctx.req.path.rfind(n.href, 0) == 0;
    item.set("active", active);
    nav.push_back(item);
  }
  d.set("nav", nav);
  if (ctx.signed_in()) {
    web::List links;
    for (const auto& fn : header_links_)
      if (auto l = fn(ctx)) {
        web::Data item;
        item.set("label", l->label);
        item.set("href", l->href);
        item.set("active", ctx.req.path == l->href);
        links.push_back(item);
      }
    d.set("header_links", links);
  }
  if (!ctx.flash_in.empty()) d.set("flash", catalogue.t(ctx.lang, ctx.flash_in));
  return templates->render("site/layout", ctx.lang, d);
}

}  // namespace cp::app
