#include "support/harness.hpp"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <stdexcept>

#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/organisations/organisations.hpp"
#include "store/db.hpp"

namespace cp::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

std::string backend() {
  const char* b = std::getenv("COPRODUCE_TEST_BACKEND");
  return b && std::string(b) == "postgres" ? "postgres" : "sqlite";
}

TempDb::TempDb() {
  if (backend() == "sqlite") {
    dir_ = (std::filesystem::temp_directory_path() / ("coproduce-test-" + random_token(6))).string();
    std::filesystem::create_directories(dir_);
    url_ = "sqlite:" + dir_ + "/test.db";
    return;
  }
  const char* pg = std::getenv("COPRODUCE_TEST_PG");
  if (!pg || !*pg)
    throw std::runtime_error("COPRODUCE_TEST_BACKEND=postgres needs COPRODUCE_TEST_PG (./test starts a server and sets it)");
  admin_url_ = pg;
  std::string token = to_lower(random_token(8));
  for (auto& c : token)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = 'x';
  schema_ = "t_" + token;
  auto c = store::connect(admin_url_);
  c->run_script("CREATE SCHEMA " + schema_);
  url_ = admin_url_ + (admin_url_.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_;
}

TempDb::~TempDb() {
  try {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    if (!schema_.empty()) store::connect(admin_url_)->run_script("DROP SCHEMA " + schema_ + " CASCADE");
  } catch (...) {
  }
}

Config test_config(const std::string& db_url) {
  Config c;
  c.db_url = db_url;
  c.share_dir = COPRODUCE_SHARE;
  c.password_cost = "min";
  c.access_log = false;
  c.threads = 2;
  c.default_partnership = "alpha";
  return c;
}

TestApp::TestApp(Config overrides) {
  Config c = overrides;
  Config base = test_config(db.url());
  c.db_url = base.db_url;
  if (c.share_dir.empty()) c.share_dir = base.share_dir;
  c.password_cost = "min";
  c.access_log = false;
  c.default_partnership = "alpha";
  app = std::make_unique<app::App>(c);
  app->migrate();
  alpha = app->create_partnership("alpha", "Alpha Partnership", "alpha.test", "The first test partnership.");
  beta = app->create_partnership("beta", "Beta Partnership", "beta.test", "The second test partnership.");
}

std::int64_t TestApp::add_user(const app::Partnership& p, const std::string& email, const std::string& password,
                               auth::Role role, std::optional<std::int64_t> organisation) {
  auto w = app->work(p.id, {std::nullopt, "test", "", ""});
  modules::NewUser u;
  u.email = email;
  u.name = "User " + email.substr(0, email.find('@'));
  u.password = password;
  u.grants.push_back({role, organisation});
  auto id = modules::AccountsModule::create_user(*app, w.scope(), u);
  w.commit();
  return id;
}

std::int64_t TestApp::add_organisation(const app::Partnership& p, const std::string& name) {
  auto w = app->work(p.id, {std::nullopt, "test", "", ""});
  modules::OrganisationInput in;
  in.name = name;
  in.kind = "third_sector";
  in.summary = "Helps people with " + name + ".";
  auto id = modules::organisations_store::create(w.scope(), in);
  w.commit();
  return id;
}

TestServer::TestServer(Config overrides, const BeforeStart& before_start) : TestApp(std::move(overrides)) {
  if (before_start) before_start(*app);
  http::ServerOptions opts;
  opts.header_limit = app->cfg.header_limit;
  opts.body_limit = app->cfg.body_limit;
  opts.read_timeout_seconds = app->cfg.read_timeout_seconds;
  opts.idle_timeout_seconds = app->cfg.idle_timeout_seconds;
  opts.shutdown_grace_seconds = app->cfg.shutdown_grace_seconds;
  auto* a = app.get();
  server = std::make_unique<http::Server>(
      opts, [a](http::Request& r) { return a->handle(r); },
      [a](const http::Request& r, const http::Response& res, double s) { a->observe(r, res, s); });
  server->listen("127.0.0.1", 0);
  port = server->port();
  thread = std::thread([this] { server->run(2, false); });
}

TestServer::~TestServer() { stop(); }

void TestServer::stop() {
  if (thread.joinable()) {
    server->stop();
    thread.join();
  }
}

std::string HttpResult::header(const std::string& name) const {
  for (const auto& [k, v] : headers)
    if (k == name) return v;
  return {};
}

std::vector<std::string> HttpResult::all(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : headers)
    if (k == name) out.push_back(v);
  return out;
}

HttpResult Client::request(const std::string& method, const std::string& target, const std::string& body,
                           const std::string& content_type, std::vector<std::pair<std::string, std::string>> headers) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  stream.expires_after(std::chrono::seconds(30));
  bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
  req.set(bhttp::field::host, host_);
  std::string cookies;
  for (const auto& [k, v] : jar_) cookies += (cookies.empty() ? "" : "; ") + k + "=" + v;
  if (!cookies.empty()) req.set(bhttp::field::cookie, cookies);
  if (!content_type.empty()) req.set(bhttp::field::content_type, content_type);
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  bhttp::write(stream, req);
  beast::flat_buffer buf;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  if (method == "HEAD") parser.skip(true);
  bhttp::read(stream, buf, parser);
  auto& res = parser.get();
  HttpResult out;
  out.status = res.result_int();
  for (const auto& f : res) out.headers.emplace_back(to_lower(f.name_string()), std::string(f.value()));
  out.body = res.body();
  for (const auto& c : out.all("set-cookie")) {
    auto semi = c.find(';');
    auto pair = c.substr(0, semi);
    auto eq = pair.find('=');
    if (eq == std::string::npos) continue;
    std::string name = pair.substr(0, eq), value = pair.substr(eq + 1);
    bool expired = c.find("Max-Age=0") != std::string::npos || value.empty();
    if (expired) jar_.erase(name);
    else jar_[name] = value;
  }
  beast::error_code ec;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  return out;
}

HttpResult Client::get(const std::string& target, std::vector<std::pair<std::string, std::string>> headers) {
  return request("GET", target, "", "", std::move(headers));
}

HttpResult Client::post_form(const std::string& target, const std::vector<std::pair<std::string, std::string>>& fields,
                             std::vector<std::pair<std::string, std::string>> headers) {
  std::string body;
  for (const auto& [k, v] : fields) body += (body.empty() ? "" : "&") + http::url_encode(k) + "=" + http::url_encode(v);
  return request("POST", target, body, "application/x-www-form-urlencoded", std::move(headers));
}

std::string Client::csrf_in(const std::string& html) {
  static const std::regex re(R"re(name="csrf_token" value="([^"]*)")re");
  std::smatch m;
  return std::regex_search(html, m, re) ? m[1].str() : std::string();
}

HttpResult Client::submit(const std::string& form_page, const std::string& action,
                          std::vector<std::pair<std::string, std::string>> fields) {
  auto page = get(form_page);
  fields.emplace_back("csrf_token", csrf_in(page.body));
  return post_form(action, fields);
}

HttpResult Client::sign_in(const std::string& email, const std::string& password) {
  return submit("/sign-in", "/sign-in", {{"email", email}, {"password", password}});
}

Client signed_in(const TestServer& server, const std::string& email, const std::string& password) {
  Client c(server.port);
  EXPECT_EQ(c.sign_in(email, password).status, 303) << email;
  return c;
}

std::string Client::cookie(const std::string& name) const {
  auto it = jar_.find(name);
  return it == jar_.end() ? std::string() : it->second;
}

std::string raw_exchange(std::uint16_t port, const std::string& bytes, int timeout_ms) {
  asio::io_context io;
  asio::ip::tcp::socket s(io);
  s.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  asio::write(s, asio::buffer(bytes));
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  s.non_blocking(true);
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    beast::error_code ec;
    auto n = s.read_some(asio::buffer(buf), ec);
    if (ec == asio::error::would_block) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    if (ec) break;
    out.append(buf, n);
  }
  return out;
}

}  // namespace cp::test
