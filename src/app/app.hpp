// The application: wires configuration, storage, templates, catalogues and modules together, and
// runs every request through one pipeline:
//
//   static asset? -> partnership from the Host header -> session and actor from the cookie ->
//   route match (404/405) -> CSRF check on state-changing requests (403) -> handler (which asks its
//   module's policy and works through a partnership Scope) -> security headers, cookies.
#pragma once
#include <boost/json.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/router.hpp"
#include "auth/password.hpp"
#include "auth/roles.hpp"
#include "core/config.hpp"
#include "http/message.hpp"
#include "http/metrics.hpp"
#include "store/db.hpp"
#include "store/migrate.hpp"
#include "store/scope.hpp"
#include "web/assets.hpp"
#include "web/i18n.hpp"
#include "web/templates.hpp"

namespace cp::app {

struct Partnership {
  std::int64_t id = 0;
  std::string slug, name, host, summary;
};

class App;

// Form errors for the GOV.UK error-summary pattern: each names the field id it belongs to.
struct FormErrors {
  std::vector<std::pair<std::string, std::string>> items;
  void add(std::string field, std::string message) { items.emplace_back(std::move(field), std::move(message)); }
  bool any() const { return !items.empty(); }
  std::string of(const std::string& field) const;
  // {"errors_list": [...], "has_errors": bool, "error_<field>": message ...} for a template.
  void fill(web::Data& data) const;
};

// Everything a handler needs for one request.
class Ctx {
 public:
  Ctx(App& a, http::Request& r, Partnership p) : app(a), req(r), partnership(std::move(p)) {}

  App& app;
  http::Request& req;
  Partnership partnership;
  std::optional<auth::Actor> actor;
  std::string lang = "en";

  bool signed_in() const { return actor.has_value(); }
  store::AuditContext audit_context() const;
  // A unit of work on this partnership's data (a transaction; commit() to keep it).
  store::Work work(store::Transaction::Mode mode = store::Transaction::Mode::write);
  // Reads outside an explicit transaction.
  store::Work read() { return work(store::Transaction::Mode::read); }

  std::string t(const std::string& key, const std::vector<std::pair<std::string, std::string>>& args = {}) const;
  // The urlencoded form body, parsed once.
  const std::multimap<std::string, std::string>& form();
  std::string field(const std::string& name);  // trimmed
  // The CSRF token for forms on this page; starts an anonymous session when there is none.
  const std::string& csrf();
  void set_flash(const std::string& key) { flash_out_ = key; }

  // Sessions (used by the accounts module).
  void start_session(std::int64_t user_id);  // a fresh id: rotates on sign-in
  void end_session();

  // Responses.
  http::Response page(const std::string& title, const std::string& tpl, web::Data data, int status = 200);
  // A page whose body is already rendered (e.g. from a fragment cache), inside the layout.
  http::Response wrap(const std::string& title, const std::string& body, int status = 200);
  http::Response not_found();
  http::Response forbidden();
  // Anonymous: sign in first (HTML: redirect; API: 401). Signed in: 403.
  http::Response deny();
  http::Response problem(int status, const std::string& title, const std::string& detail,
                         boost::json::object extra = {});
  http::Response json(int status, const boost::json::value& v);
  std::optional<boost::json::object> json_body(http::Response& error);

  // Internal state the pipeline reads back.
  std::optional<std::int64_t> session_id;
  std::string session_token_hash;
  std::string csrf_token;
  std::vector<std::string> set_cookies;
  std::string flash_in;

 private:
  std::optional<std::multimap<std::string, std::string>> form_;
  std::string flash_out_;
  friend class App;
};

struct NavItem {
  std::string label_key;
  std::string href;
  std::function<bool(const Ctx&)> visible;
};

// One capability: its migrations, routes and navigation entries.
class Module {
 public:
  virtual ~Module() = default;
  virtual std::string name() const = 0;
  virtual void migrations(store::Migrations&) const {}
  virtual void install(App&) {}
};

class App {
 public:
  // Opens the database (without migrating), loads templates, catalogues and assets from
  // cfg.share_dir. Throws std::runtime_error with a clear message on any failure.
  explicit App(Config cfg);
  ~App();

  int migrate();
  http::Response handle(http::Request& req);
  // After the response is sent: access log line and metrics.
  void observe(const http::Request& req, const http::Response& res, double seconds);

  // Partnerships (the tenants).
  std::optional<Partnership> partnership_by_slug(const std::string& slug);
  std::optional<Partnership> partnership_for_host(const std::string& host);
  Partnership create_partnership(const std::string& slug, const std::string& name, const std::string& host,
                                 const std::string& summary);

  store::Work work(std::int64_t partnership_id, store::AuditContext ctx,
                   store::Transaction::Mode mode = store::Transaction::Mode::write);

  // Registration, for modules.
  void route(std::string method, std::string pattern, std::string name, RouteFn fn,
             RouteKind kind = RouteKind::page) {
    router.add(std::move(method), std::move(pattern), std::move(name), std::move(fn), kind);
  }
  void nav(NavItem item) { nav_.push_back(std::move(item)); }
  // A link for signed-in people in the header beside "Your account" (notifications with an unread
  // count); the function returns nullopt to show nothing.
  struct HeaderLink {
    std::string label, href;
  };
  void header_link(std::function<std::optional<HeaderLink>(Ctx&)> fn) { header_links_.push_back(std::move(fn)); }
  template <class M>
  M* module() const {
    for (auto& m : modules_)
      if (auto* p = dynamic_cast<M*>(m.get())) return p;
    return nullptr;
  }

  std::string cookie_name() const;
  // Renders a page body inside the layout.
  std::string layout(Ctx& ctx, const std::string& title, const std::string& body);

  Config cfg;
  std::unique_ptr<store::Database> db;
  store::Migrations migrations;
  web::Catalogue catalogue;
  std::unique_ptr<web::Templates> templates;
  std::unique_ptr<web::Assets> assets;
  http::Metrics metrics;
  auth::PasswordRules password_rules;
  auth::HashCost hash_cost;
  Router router;

 private:
  void load_session(Ctx& ctx);
  // Sets ctx.lang: ?lang= (remembered in a cookie and, when signed in, on the account), then the
  // account's stored language, then the cookie, then English.
  void choose_language(Ctx& ctx);
  void finish(Ctx& ctx, http::Response& res);
  void add_security_headers(http::Response& res, bool html);
  http::Response serve_static(const http::Request& req);

  std::vector<std::unique_ptr<Module>> modules_;
  std::vector<NavItem> nav_;
  std::vector<std::function<std::optional<HeaderLink>(Ctx&)>> header_links_;
  std::mutex partnerships_mu_;
  std::map<std::string, Partnership> by_host_;
  std::int64_t last_miss_ms_ = 0;
};

// The directory share files are read from when cfg.share_dir is empty: <binary dir>/share.
std::string default_share_dir();

}  // namespace cp::app
