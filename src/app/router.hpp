// Routes: method + path pattern ("/organisations/{id}") -> handler, with a stable name used in
// metrics, logs and the permission-matrix test.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace cp::app {

class Ctx;
using RouteFn = std::function<http::Response(Ctx&)>;

enum class RouteKind { page, api, open };  // open: no session, no CSRF (health, metrics, assets)

struct Route {
  std::string method;
  std::string pattern;
  std::string name;
  RouteFn fn;
  RouteKind kind = RouteKind::page;
  std::vector<std::string> segments;
};

class Router {
 public:
  void add(std::string method, std::string pattern, std::string name, RouteFn fn, RouteKind kind = RouteKind::page);
  // The route for method + path, filling `params`. When the path matches under another method only,
  // returns nullptr and sets `path_known` (so the caller can answer 405).
  const Route* match(const std::string& method, const std::string& path, std::map<std::string, std::string>& params,
                     bool& path_known) const;
  // The methods registered for a path, for a 405's Allow header ("GET, HEAD, POST").
  std::string allowed_methods(const std::string& path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace cp::app
