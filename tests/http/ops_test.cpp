// What operators and browsers rely on: health and metrics endpoints, security headers on every
// response, cacheable static files, HSTS and Secure cookies behind TLS, and plain HTTP behaviour
// (HEAD, 405, 404).
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <thread>

#include "http_support.hpp"

using namespace cp;
using namespace cp::test;

namespace {

// Headers of a raw response, names in lower case.
HttpResult parse_raw(const std::string& raw) {
  HttpResult out;
  auto head_end = raw.find("\r\n\r\n");
  std::string head = raw.substr(0, head_end);
  auto lines = split(head, '\n');
  if (lines.empty()) return out;
  auto first = lines[0];
  if (first.size() >= 12) out.status = parse_int(first.substr(9, 3)).value_or(0);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto colon = lines[i].find(':');
    if (colon == std::string::npos) continue;
    out.headers.emplace_back(to_lower(lines[i].substr(0, colon)), trim(lines[i].substr(colon + 1)));
  }
  if (head_end != std::string::npos) out.body = raw.substr(head_end + 4);
  return out;
}

void expect_security_headers(const HttpResult& r, const std::string& what) {
  SCOPED_TRACE(what + " (status " + std::to_string(r.status) + ")");
  auto csp = r.header("content-security-policy");
  EXPECT_FALSE(csp.empty());
  EXPECT_FALSE(contains(csp, "unsafe-inline"));
  EXPECT_FALSE(contains(csp, "unsafe-eval"));
  EXPECT_TRUE(contains(csp, "frame-ancestors 'none'"));
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
  EXPECT_FALSE(r.header("referrer-policy").empty());
}

std::string css_url(const std::string& html) {
  static const std::regex re(R"re(href="(/static/[0-9a-f]+/govuk-frontend\.min\.css)")re");
  std::smatch m;
  return std::regex_search(html, m, re) ? m[1].str() : std::string();
}

}  // namespace

TEST(HttpOps, HealthzSaysOk) {
  TestServer s;
  for (const char* host : {"alpha.test", "unknown.example"}) {
    SCOPED_TRACE(host);
    Client c(s.port, host);
    auto r = c.get("/healthz");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("content-type"), "application/json");
    EXPECT_EQ(json_string(json_object(r), "status"), "ok");
  }
}

TEST(HttpOps, MetricsCountTheRouteJustCalled) {
  TestServer s;
  Client c(s.port);
  ASSERT_EQ(c.get("/organisations").status, 200);
  const std::string counter = R"(coproduce_http_requests_total{route="organisations.list",method="GET",status="200"} )";
  // The count is recorded just after the response is sent, so give it a moment.
  HttpResult m;
  for (int i = 0; i < 50; ++i) {
    m = c.get("/metrics");
    if (contains(m.body, counter)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(m.status, 200);
  EXPECT_TRUE(starts_with(m.header("content-type"), "text/plain; version=0.0.4"));
  ASSERT_TRUE(contains(m.body, counter)) << m.body;
  auto at = m.body.find(counter) + counter.size();
  EXPECT_GE(parse_int(m.body.substr(at, m.body.find('\n', at) - at)).value_or(0), 1);
  EXPECT_TRUE(contains(m.body, "# TYPE coproduce_http_request_duration_seconds histogram"));
  EXPECT_TRUE(contains(m.body, R"(coproduce_http_request_duration_seconds_bucket{route="organisations.list",method="GET",le="+Inf"} )"));
  EXPECT_TRUE(contains(m.body, R"(coproduce_http_request_duration_seconds_count{route="organisations.list",method="GET"} )"));
  EXPECT_TRUE(contains(m.body, "\ncoproduce_db_pool_connections "));
  EXPECT_TRUE(contains(m.body, "\ncoproduce_db_pool_in_use "));
  EXPECT_TRUE(contains(m.body, "# TYPE coproduce_db_pool_in_use gauge"));
}

TEST(HttpOps, EveryResponseCarriesSecurityHeaders) {
  TestServer s;
  auto id = s.add_organisation(s.alpha, "Alder Trust");
  Client c(s.port);
  auto start = c.get("/");
  expect_security_headers(start, "start page");
  expect_security_headers(c.get("/organisations/" + std::to_string(id)), "organisation page");
  expect_security_headers(c.get("/api/v1/organisations"), "API list");
  expect_security_headers(c.get("/api/v1/organisations/999999"), "API problem");
  expect_security_headers(c.get("/no-such-page"), "404 page");
  expect_security_headers(c.get("/account"), "redirect");
  expect_security_headers(c.post_form("/sign-in", {}), "CSRF refusal");
  expect_security_headers(c.request("DELETE", "/organisations", "", ""), "405");
  expect_security_headers(c.get("/healthz"), "healthz");
  expect_security_headers(c.get("/metrics"), "metrics");
  expect_security_headers(c.get(css_url(start.body)), "stylesheet");
  expect_security_headers(c.get("/static/000000000000/nothing.css"), "missing static file");
  // Answers the server itself gives, before the application sees the request.
  expect_security_headers(parse_raw(raw_exchange(s.port, "GET /\r\n\r\n", 2000)), "400 from the server");
  expect_security_headers(
      parse_raw(raw_exchange(s.port, "GET / HTTP/1.1\r\nHost: alpha.test\r\nX-Filler: " + std::string(20000, 'a') + "\r\n\r\n")),
      "431 from the server");
  expect_security_headers(
      parse_raw(raw_exchange(s.port, "POST / HTTP/1.1\r\nHost: alpha.test\r\nContent-Length: 9999999\r\n\r\n")),
      "413 from the server");
}

TEST(HttpOps, StaticFilesAreFingerprintedAndCachedForAYear) {
  TestServer s;
  Client c(s.port);
  std::string url = css_url(c.get("/").body);
  ASSERT_FALSE(url.empty());
  auto css = c.get(url);
  ASSERT_EQ(css.status, 200);
  EXPECT_TRUE(starts_with(css.header("content-type"), "text/css"));
  auto cache = css.header("cache-control");
  EXPECT_TRUE(contains(cache, "max-age=31536000"));
  EXPECT_TRUE(contains(cache, "immutable"));
  auto etag = css.header("etag");
  ASSERT_FALSE(etag.empty());
  EXPECT_GT(css.body.size(), 10000u);
  EXPECT_TRUE(contains(css.body, ".govuk-button"));
  EXPECT_FALSE(contains(css.body, "GDS Transport"));

  auto again = c.get(url, {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(c.get(url, {{"If-None-Match", "\"something-else\""}}).status, 200);
}

TEST(HttpOps, HstsOnlyWhenAskedFor) {
  {
    TestServer s;
    Client c(s.port);
    EXPECT_TRUE(c.get("/").header("strict-transport-security").empty());
  }
  Config cfg;
  cfg.hsts = true;
  TestServer s(cfg);
  Client c(s.port);
  EXPECT_TRUE(contains(c.get("/").header("strict-transport-security"), "max-age="));
  EXPECT_TRUE(contains(c.get("/api/v1/organisations").header("strict-transport-security"), "max-age="));
}

TEST(HttpOps, SecureCookiesOnlyWhenAskedFor) {
  // Sign in and create an organisation, which sets the session cookie and the flash cookie.
  auto cookies_of_a_visit = [](TestServer& s, const std::string& session_cookie) {
    s.add_user(s.alpha, "admin@example.org", kPassword, auth::Role::admin);
    Client c(s.port);
    std::vector<std::string> seen;
    auto keep = [&](const HttpResult& r) {
      for (const auto& v : r.all("set-cookie")) seen.push_back(v);
    };
    keep(c.get("/sign-in"));
    keep(c.sign_in("admin@example.org", kPassword));
    EXPECT_FALSE(c.cookie(session_cookie).empty()) << "no " << session_cookie << " cookie";
    keep(c.submit("/organisations/new", "/organisations", org_form("Alder Trust")));
    keep(c.get("/organisations"));
    keep(c.post_form("/sign-out", {{"csrf_token", session_csrf(c)}}));
    return seen;
  };
  {
    TestServer s;
    auto seen = cookies_of_a_visit(s, "cp_session");
    ASSERT_GE(seen.size(), 4u);
    for (const auto& v : seen) {
      EXPECT_FALSE(contains(v, "Secure")) << v;
      EXPECT_TRUE(contains(v, "HttpOnly")) << v;
      EXPECT_TRUE(contains(v, "SameSite=Lax")) << v;
    }
  }
  Config cfg;
  cfg.secure_cookies = true;
  TestServer s(cfg);
  auto seen = cookies_of_a_visit(s, "__Host-cp_session");
  ASSERT_GE(seen.size(), 4u);
  for (const auto& v : seen) {
    EXPECT_TRUE(contains(v, "; Secure")) << v;
    EXPECT_TRUE(contains(v, "HttpOnly")) << v;
  }
}

TEST(HttpOps, HeadAnswersLikeGetWithoutABody) {
  TestServer s;
  Client c(s.port);
  for (const char* path : {"/", "/organisations", "/api/v1/organisations", "/healthz"}) {
    SCOPED_TRACE(path);
    auto get = c.get(path);
    auto head = c.request("HEAD", path, "", "");
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.header("content-type"), get.header("content-type"));
    EXPECT_TRUE(head.body.empty());
  }
}

TEST(HttpOps, WrongMethodOnAKnownPathIs405) {
  TestServer s;
  Client c(s.port);
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"DELETE", "/organisations"}, {"PUT", "/sign-in"}, {"POST", "/healthz"}, {"DELETE", "/api/v1/organisations"}}) {
    SCOPED_TRACE(method + " " + path);
    auto r = c.request(method, path, "", "");
    EXPECT_EQ(r.status, 405);
    EXPECT_FALSE(r.header("allow").empty());
  }
}

TEST(HttpOps, UnknownPathsGetA404Page) {
  TestServer s;
  Client c(s.port);
  auto page = c.get("/no-such-page");
  EXPECT_EQ(page.status, 404);
  EXPECT_TRUE(starts_with(page.header("content-type"), "text/html"));
  EXPECT_TRUE(contains(page.body, shown(s, "site.not_found_title")));
  EXPECT_TRUE(contains(page.body, "href=\"/\""));
  expect_problem(c.get("/api/v1/no-such-thing"), 404);
  EXPECT_EQ(c.get("/organisations/12/nothing").status, 404);
}
