// `coproduce journeys rebuild-kpis [--partnership SLUG]`, and the counters `coproduce migrate` builds
// for partnerships that have records but no counter state (kpi.hpp).
#include <chrono>
#include <cstdio>
#include <iostream>
#include <stdexcept>

#include "modules/journeys/kpi.hpp"

namespace cp::modules::journeys {

namespace {

struct Target {
  std::int64_t id = 0;
  std::string slug;
};

std::vector<Target> partnerships(app::App& a) {
  std::vector<Target> out;
  auto lease = a.db->lease();
  for (const auto& r : lease->run("SELECT id, slug FROM partnerships ORDER BY id", {}).rows)
    out.push_back({r.i64(0), r.text(1)});
  return out;
}

}  // namespace

int rebuild_kpis_command(const Config& cfg, const std::string& partnership_slug) {
  app::App a(cfg);
  a.migrate();
  auto all = partnerships(a);
  std::vector<Target> targets;
  for (const auto& p : all)
    if (partnership_slug.empty() || p.slug == partnership_slug) targets.push_back(p);
  if (!partnership_slug.empty() && targets.empty())
    throw std::invalid_argument("there is no partnership with the slug '" + partnership_slug + "'");
  const auto t0 = std::chrono::steady_clock::now();
  std::int64_t people = 0;
  for (const auto& p : targets) {
    auto w = a.work(p.id, {std::nullopt, "cli", "", ""});
    rebuild_kpis(w.scope());
    people += w->read("SELECT COUNT(*) FROM journey_people WHERE partnership_id = $1").one().i64(0);
    w.commit();
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  char took[32];
  std::snprintf(took, sizeof took, "%.1f", secs);
  std::cout << "Rebuilt the learning lens figures of " << targets.size()
            << (targets.size() == 1 ? " partnership" : " partnerships") << " (" << people
            << (people == 1 ? " person's record" : " people's records") << ") in " << took << " s.\n";
  return 0;
}

int build_missing_kpis(app::App& a) {
  int built = 0;
  for (const auto& p : partnerships(a)) {
    auto w = a.work(p.id, {std::nullopt, "migrate", "", ""});
    if (w->read("SELECT 1 FROM journey_people WHERE partnership_id = $1 LIMIT 1").empty()) continue;
    if (ensure_kpis(w.scope())) ++built;
    w.commit();
  }
  return built;
}

}  // namespace cp::modules::journeys
