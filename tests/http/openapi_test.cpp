// The OpenAPI document is served, and it describes exactly the API routes the code registers: a
// route added without documenting it, or documented but never added, fails here.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <set>
#include <string>
#include <utility>

#include "support/harness.hpp"

using namespace cp;
namespace json = boost::json;

namespace {

using Operation = std::pair<std::string, std::string>;  // path key, lower-case method

const std::set<std::string> kOperationKeys = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};
const std::string kDocumentPath = "/api/v1/openapi.json";

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

json::object fetch_document(std::uint16_t port) {
  test::Client c(port);
  auto r = c.get(kDocumentPath);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type").rfind("application/json", 0), 0u) << r.header("content-type");
  json::error_code ec;
  auto v = json::parse(r.body, ec);
  if (ec || !v.is_object()) {
    ADD_FAILURE() << "the document is not a JSON object: " << r.body.substr(0, 200);
    return {};
  }
  return v.as_object();
}

std::set<Operation> documented(const json::object& doc) {
  std::set<Operation> out;
  auto paths = doc.if_contains("paths");
  if (!paths || !paths->is_object()) return out;
  for (const auto& [path, item] : paths->as_object())
    if (item.is_object())
      for (const auto& [key, op] : item.as_object())
        if (kOperationKeys.count(std::string(key))) out.emplace(std::string(path), std::string(key));
  return out;
}

// The router writes parameters as {name}, the same template syntax OpenAPI path keys use, so a
// pattern is its own key. Keeping the names (not just the shape) also catches a renamed parameter.
std::set<Operation> registered(const app::App& a, bool api_only) {
  std::set<Operation> out;
  for (const auto& r : a.router.routes()) {
    if (api_only && (r.pattern.rfind("/api/v1/", 0) != 0 || r.pattern == kDocumentPath)) continue;
    out.emplace(r.pattern, lower(r.method));
  }
  return out;
}

}  // namespace

TEST(OpenApi, ServedAsOpenApi31Json) {
  test::TestServer s;
  auto doc = fetch_document(s.port);
  ASSERT_TRUE(doc.contains("openapi"));
  ASSERT_TRUE(doc.at("openapi").is_string());
  std::string version(doc.at("openapi").as_string());
  EXPECT_EQ(version.rfind("3.1.", 0), 0u) << version;
  EXPECT_TRUE(doc.contains("info"));
  EXPECT_FALSE(documented(doc).empty());
}

TEST(OpenApi, EveryApiRouteIsDocumented) {
  test::TestServer s;
  auto doc = fetch_document(s.port);
  auto in_doc = documented(doc);
  auto routes = registered(*s.app, true);
  ASSERT_FALSE(routes.empty());
  for (const auto& [path, method] : routes)
    EXPECT_TRUE(in_doc.count({path, method})) << "route " << method << " " << path << " is not in data/openapi.json";
}

TEST(OpenApi, EveryDocumentedOperationIsARoute) {
  test::TestServer s;
  auto doc = fetch_document(s.port);
  auto routes = registered(*s.app, false);
  auto in_doc = documented(doc);
  ASSERT_FALSE(in_doc.empty());
  for (const auto& [path, method] : in_doc)
    EXPECT_TRUE(routes.count({path, method})) << "data/openapi.json has " << method << " " << path
                                              << ", which the server does not register";
}

// Each {name} in a documented path must be declared as a path parameter of that name, either on
// the path or on the operation, so clients fill in the same name the handler reads.
TEST(OpenApi, PathTemplatesDeclareTheirParameters) {
  test::TestServer s;
  auto doc = fetch_document(s.port);
  const json::object* components = nullptr;
  if (auto c = doc.if_contains("components"); c && c->is_object()) components = &c->as_object();
  auto resolve = [&](const json::value& p) -> const json::object* {
    if (!p.is_object()) return nullptr;
    auto ref = p.as_object().if_contains("$ref");
    if (!ref) return &p.as_object();
    std::string target(ref->as_string());
    const std::string prefix = "#/components/parameters/";
    if (!components || target.rfind(prefix, 0) != 0) return nullptr;
    auto params = components->if_contains("parameters");
    if (!params || !params->is_object()) return nullptr;
    auto found = params->as_object().if_contains(target.substr(prefix.size()));
    return found && found->is_object() ? &found->as_object() : nullptr;
  };
  auto path_params = [&](const json::object& holder, std::set<std::string>& names) {
    auto list = holder.if_contains("parameters");
    if (!list || !list->is_array()) return;
    for (const auto& p : list->as_array())
      if (auto o = resolve(p); o && o->if_contains("in") && o->at("in") == "path")
        names.insert(std::string(o->at("name").as_string()));
  };
  auto paths = doc.at("paths").as_object();
  for (const auto& [key, item] : paths) {
    std::string path(key);
    std::set<std::string> wanted;
    for (std::size_t open = path.find('{'); open != std::string::npos; open = path.find('{', open + 1))
      wanted.insert(path.substr(open + 1, path.find('}', open) - open - 1));
    std::set<std::string> on_path;
    path_params(item.as_object(), on_path);
    for (const auto& [op_key, op] : item.as_object()) {
      if (!kOperationKeys.count(std::string(op_key))) continue;
      std::set<std::string> names = on_path;
      path_params(op.as_object(), names);
      EXPECT_EQ(names, wanted) << op_key << " " << path;
    }
  }
}
