// Test harness shared by every suite: a fresh database on the backend under test, an in-process
// server on an ephemeral port, and an HTTP client with a cookie jar.
//
// The backend comes from COPRODUCE_TEST_BACKEND (sqlite, the default, or postgres). For postgres,
// COPRODUCE_TEST_PG is the URL of a throwaway server (./test starts one); each test gets its own
// schema there, dropped afterwards.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/app.hpp"
#include "core/config.hpp"
#include "http/server.hpp"

namespace cp::test {

std::string backend();  // "sqlite" or "postgres"

// A fresh, empty database; removed when this object dies.
class TempDb {
 public:
  TempDb();
  ~TempDb();
  const std::string& url() const { return url_; }

 private:
  std::string url_, dir_, schema_, admin_url_;
};

// Settings for tests: fast password hashing, no access log, the build's share folder.
Config test_config(const std::string& db_url);

// An App over a fresh database, migrated, with partnership "alpha" (host alpha.test) and
// "beta" (host beta.test).
struct TestApp {
  TempDb db;
  std::unique_ptr<app::App> app;
  app::Partnership alpha, beta;
  explicit TestApp(Config overrides = {});
  // Creates an account in `p` with one role; returns its id.
  std::int64_t add_user(const app::Partnership& p, const std::string& email, const std::string& password,
                        auth::Role role, std::optional<std::int64_t> organisation = std::nullopt);
  std::int64_t add_organisation(const app::Partnership& p, const std::string& name);
};

// Runs after the App is built and before the server accepts anything: a test can register extra
// routes there (say, a deliberately slow one) that the real modules do not have.
using BeforeStart = std::function<void(app::App&)>;

// TestApp plus a real server on 127.0.0.1:<ephemeral>, running on its own threads.
struct TestServer : TestApp {
  std::unique_ptr<http::Server> server;
  std::thread thread;
  std::uint16_t port = 0;
  explicit TestServer(Config overrides = {}) : TestServer(std::move(overrides), nullptr) {}
  TestServer(Config overrides, const BeforeStart& before_start);
  ~TestServer();
  void stop();  // graceful stop and join; idempotent
};

struct HttpResult {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower case
  std::string body;
  std::string header(const std::string& name) const;          // first, "" if none
  std::vector<std::string> all(const std::string& name) const;
};

// A client that keeps cookies, like a browser, and talks to one host name (which picks the partnership).
class Client {
 public:
  Client(std::uint16_t port, std::string host = "alpha.test") : port_(port), host_(std::move(host)) {}
  HttpResult get(const std::string& target, std::vector<std::pair<std::string, std::string>> headers = {});
  HttpResult post_form(const std::string& target, const std::vector<std::pair<std::string, std::string>>& fields,
                       std::vector<std::pair<std::string, std::string>> headers = {});
  HttpResult request(const std::string& method, const std::string& target, const std::string& body,
                     const std::string& content_type, std::vector<std::pair<std::string, std::string>> headers = {});
  // The csrf_token hidden field in a page ("" if none).
  static std::string csrf_in(const std::string& html);
  // GETs `form_page` and POSTs `fields` plus its CSRF token to `action`.
  HttpResult submit(const std::string& form_page, const std::string& action,
                    std::vector<std::pair<std::string, std::string>> fields);
  // Signs in through the real form; returns the final response of the POST.
  HttpResult sign_in(const std::string& email, const std::string& password);
  std::string cookie(const std::string& name) const;
  void set_cookie(const std::string& name, const std::string& value) { jar_[name] = value; }
  void clear_cookies() { jar_.clear(); }
  const std::string& host() const { return host_; }

 private:
  std::uint16_t port_;
  std::string host_;
  std::map<std::string, std::string> jar_;
};

// A client of `server` signed in as `email`; the test fails (and goes on) if the sign-in is refused.
Client signed_in(const TestServer& server, const std::string& email, const std::string& password);

// Sends raw bytes and returns whatever comes back before the server closes or `timeout_ms` passes.
std::string raw_exchange(std::uint16_t port, const std::string& bytes, int timeout_ms = 3000);

}  // namespace cp::test
