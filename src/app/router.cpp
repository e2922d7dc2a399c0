#include "app/router.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/util.hpp"

namespace cp::app {

namespace {
std::vector<std::string> segments_of(const std::string& path) {
  std::vector<std::string> out;
  for (auto& s : split(path, '/'))
    if (!s.empty()) out.push_back(s);
  return out;
}
}  // namespace

void Router::add(std::string method, std::string pattern, std::string name, RouteFn fn, RouteKind kind) {
  for (const auto& r : routes_)
    if (r.name == name && r.method == method) throw std::logic_error("route registered twice: " + name);
  Route r{std::move(method), pattern, std::move(name), std::move(fn), kind, segments_of(pattern)};
  routes_.push_back(std::move(r));
}

const Route* Router::match(const std::string& method, const std::string& path,
                           std::map<std::string, std::string>& params, bool& path_known) const {
  auto segs = segments_of(path);
  path_known = false;
  for (const auto& r : routes_) {
    if (r.segments.size() != segs.size()) continue;
    std::map<std::string, std::string> found;
    bool ok = true;
    for (std::size_t i = 0; i < segs.size() && ok; ++i) {
      const auto& p = r.segments[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') found[p.substr(1, p.size() - 2)] = segs[i];
      else ok = p == segs[i];
    }
    if (!ok) continue;
    if (r.method != method && !(method == "HEAD" && r.method == "GET")) {
      path_known = true;
      continue;
    }
    params = std::move(found);
    return &r;
  }
  return nullptr;
}

std::string Router::allowed_methods(const std::string& path) const {
  std::vector<std::string> methods;
  auto segs = segments_of(path);
  for (const auto& r : routes_) {
    if (r.segments.size() != segs.size()) continue;
    bool ok = true;
    for (std::size_t i = 0; i < segs.size() && ok; ++i) {
      const auto& p = r.segments[i];
      ok = (p.size() > 2 && p.front() == '{' && p.back() == '}') || p == segs[i];
    }
    if (!ok) continue;
    methods.push_back(r.method);
    if (r.method == "GET") methods.push_back("HEAD");
  }
  std::sort(methods.begin(), methods.end());
  methods.erase(std::unique(methods.begin(), methods.end()), methods.end());
  std::string out;
  for (const auto& m : methods) out += (out.empty() ? "" : ", ") + m;
  return out;
}

}  // namespace cp::app
