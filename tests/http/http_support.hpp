// Helpers shared by the HTTP integration tests: reading the database behind the server's back (to
// prove what a request did or did not change), picking pieces out of pages and problem documents,
// and the usual sign-in steps.
#pragma once
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "core/util.hpp"
#include "support/harness.hpp"

namespace cp::test {

using Fields = std::vector<std::pair<std::string, std::string>>;

inline const std::string kPassword = "a long enough passphrase";

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

inline std::size_t occurrences(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + needle.size())) ++n;
  return n;
}

// Reads rows as the given partnership, straight from the database and not through HTTP.
inline store::Result read_rows(TestApp& t, const app::Partnership& p, std::string_view sql, store::Params rest = {}) {
  auto w = t.app->work(p.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
  return w->read(sql, std::move(rest));
}

// The integer in the first column of the one row a query returns (a count, a flag, a version).
inline std::int64_t read_int(TestApp& t, const app::Partnership& p, std::string_view sql, store::Params rest = {}) {
  return read_rows(t, p, sql, std::move(rest)).one().i64(0);
}

inline std::int64_t organisation_count(TestApp& t, const app::Partnership& p) {
  return read_int(t, p, "SELECT COUNT(*) FROM organisations WHERE partnership_id = $1");
}

inline std::int64_t user_count(TestApp& t, const app::Partnership& p, const std::string& email) {
  return read_int(t, p, "SELECT COUNT(*) FROM users WHERE partnership_id = $1 AND lower(email) = $2", {to_lower(email)});
}

// Catalogue text as a {{t:...}} tag puts it on a page.
inline std::string shown(TestApp& t, const std::string& key) { return html_escape(t.app->catalogue.t("en", key)); }

// The list inside the GOV.UK error summary ("" when the page has none).
inline std::string error_summary(const std::string& html) {
  auto box = html.find("class=\"govuk-error-summary\"");
  if (box == std::string::npos) return {};
  auto list = html.find("govuk-error-summary__list", box);
  if (list == std::string::npos) return {};
  auto end = html.find("</ul>", list);
  return html.substr(list, end == std::string::npos ? std::string::npos : end - list);
}

// True when the page has an error summary with a link to the field with this id.
inline bool summary_links_to(const std::string& html, const std::string& field) {
  return contains(error_summary(html), "<a href=\"#" + field + "\">");
}

// The hidden version field of an organisation's edit form.
inline std::string version_in(const std::string& html) {
  static const std::regex re(R"re(name="version" value="([0-9]+)")re");
  std::smatch m;
  return std::regex_search(html, m, re) ? m[1].str() : std::string();
}

// The id at the end of a Location such as /organisations/12.
inline std::int64_t id_from_location(const std::string& location) {
  auto slash = location.rfind('/');
  return slash == std::string::npos ? 0 : parse_int(location.substr(slash + 1)).value_or(0);
}

// The smallest set of fields the organisation form accepts.
inline Fields org_form(const std::string& name, const std::string& summary = "Helps people in the area.") {
  return {{"name", name}, {"kind", "community_group"}, {"summary", summary}};
}

// A client signed in to `host` as a new account holding `role`.
inline Client signed_in_as(TestServer& s, auth::Role role, const std::string& email,
                           const std::string& host = "alpha.test") {
  s.add_user(host == "beta.test" ? s.beta : s.alpha, email, kPassword, role);
  Client c(s.port, host);
  auto r = c.sign_in(email, kPassword);
  EXPECT_EQ(r.status, 303) << "signing in " << email << " failed: " << r.body;
  return c;
}

// The CSRF token of a signed-in session, from the sign-out form that every page carries.
inline std::string session_csrf(Client& c) { return Client::csrf_in(c.get("/account").body); }

// A JSON API call with the session's CSRF token, as a script in the browser would send it.
inline HttpResult api(Client& c, const std::string& method, const std::string& target, const std::string& body,
                      const std::string& csrf, Fields headers = {}) {
  if (!csrf.empty()) headers.emplace_back("X-CSRF-Token", csrf);
  return c.request(method, target, body, body.empty() ? "" : "application/json", std::move(headers));
}

inline boost::json::object json_object(const HttpResult& r) {
  boost::json::error_code ec;
  auto v = boost::json::parse(r.body, ec);
  EXPECT_FALSE(ec) << "not JSON: " << r.body;
  EXPECT_TRUE(v.is_object()) << r.body;
  return v.is_object() ? v.as_object() : boost::json::object{};
}

inline std::string json_string(const boost::json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// Checks an RFC 9457 problem document and returns it.
inline boost::json::object expect_problem(const HttpResult& r, int status) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  auto o = json_object(r);
  EXPECT_FALSE(json_string(o, "type").empty()) << r.body;
  EXPECT_FALSE(json_string(o, "title").empty()) << r.body;
  EXPECT_FALSE(json_string(o, "detail").empty()) << r.body;
  auto* st = o.if_contains("status");
  EXPECT_TRUE(st && st->is_int64() && st->as_int64() == status) << r.body;
  return o;
}

// The fields named in a 422 problem's errors array.
inline std::vector<std::string> error_fields(const boost::json::object& problem) {
  std::vector<std::string> out;
  auto* errors = problem.if_contains("errors");
  if (!errors || !errors->is_array()) return out;
  for (const auto& e : errors->as_array())
    if (e.is_object()) out.push_back(json_string(e.as_object(), "field"));
  return out;
}

}  // namespace cp::test
