// Service briefs for other modules, and the registry of panels they add to a service's page. The
// directory owns its tables; modules that rate, inspect or track a service reach it only here.
#include <algorithm>
#include <mutex>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "modules/directory/fields.hpp"

namespace cp::modules {

namespace directory_store {

namespace {
constexpr const char* kBriefColumns = "SELECT id, uuid, name, organisation_id FROM directory_services WHERE partnership_id = $1";

ServiceBrief to_brief(const store::Row& r) { return {r.i64(0), r.text(1), r.text(2), r.opt_i64(3)}; }
}  // namespace

std::optional<ServiceBrief> brief(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string(kBriefColumns) + " AND id = $2", {id});
  if (r.empty()) return std::nullopt;
  return to_brief(r.one());
}

std::optional<ServiceBrief> brief_by_uuid(store::Scope& s, const std::string& uuid) {
  if (!directory_fields::is_uuid(uuid)) return std::nullopt;
  auto r = s.read(std::string(kBriefColumns) + " AND uuid = $2", {to_lower(uuid)});
  if (r.empty()) return std::nullopt;
  return to_brief(r.one());
}

std::vector<ServiceBrief> briefs(store::Scope& s) {
  std::vector<ServiceBrief> out;
  for (const auto& r : s.read(std::string(kBriefColumns) + " AND status <> 'defunct' ORDER BY name, id").rows)
    out.push_back(to_brief(r));
  return out;
}

}  // namespace directory_store

namespace {

struct Panel {
  std::string name;
  int order = 0;
  ServicePanel fn;
};

std::mutex panels_mu;
std::vector<Panel>& panel_list() {
  static std::vector<Panel> list;
  return list;
}

}  // namespace

void register_service_panel(const std::string& name, int order, ServicePanel panel) {
  std::lock_guard lock(panels_mu);
  auto& list = panel_list();
  // A module installed again (each test builds a fresh App) replaces its own panel.
  list.erase(std::remove_if(list.begin(), list.end(), [&](const Panel& p) { return p.name == name; }), list.end());
  list.push_back({name, order, std::move(panel)});
  std::sort(list.begin(), list.end(), [](const Panel& a, const Panel& b) {
    return a.order != b.order ? a.order < b.order : a.name < b.name;
  });
}

std::vector<std::string> service_panels(app::Ctx& ctx, store::Scope& s, const directory_store::ServiceBrief& service) {
  std::vector<Panel> copy;
  {
    std::lock_guard lock(panels_mu);
    copy = panel_list();
  }
  std::vector<std::string> out;
  for (const auto& p : copy)
    if (auto html = p.fn(ctx, s, service); !html.empty()) out.push_back(std::move(html));
  return out;
}

}  // namespace cp::modules
