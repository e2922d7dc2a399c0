// Customer journey maps, co-edited by people who use a service and its staff: the service's stages
// as the person lives them ("first hears of it" -> "first appointment" -> ...), and at each stage the
// touchpoints, what works, what does not, how it feels (1-5), who is involved, and ideas from the
// service's idea board. Every save is a new version (optimistic locking: an edit made on an older
// version is refused with the person's text kept), so a redesign's before and after can be compared.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"

namespace cp::modules::journeymaps {

struct Stage {
  std::string key;  // stays the same across versions, so a compare can match stages
  std::string name, touchpoints, works, doesnt, who;
  int feeling = 3;  // 1 (very bad) to 5 (very good)
  std::vector<std::int64_t> ideas;
  bool operator==(const Stage&) const = default;
};

struct Version {
  std::int64_t number = 0, author_id = 0, created_at = 0;
  std::string note, author;
  std::vector<Stage> stages;
};

struct Map {
  std::int64_t id = 0;
  std::string service_ref;  // the service's ORUK id
  std::string title;
  std::int64_t current_version = 0, created_at = 0, updated_at = 0;
};

struct Problem {
  std::string field, key;
};

namespace policy {
bool can_view(const std::optional<auth::Actor>& a);
bool can_create(const std::optional<auth::Actor>& a);
bool can_edit(const std::optional<auth::Actor>& a);  // citizens and staff alike; blocked accounts refused in handlers
}  // namespace policy

namespace store_fn {
std::vector<Problem> validate(const std::vector<Stage>& stages);
std::int64_t create(store::Scope& s, const std::string& service_ref, const std::string& title, std::int64_t author);
std::optional<Map> get(store::Scope& s, std::int64_t id);
std::vector<Map> list(store::Scope& s, const std::string& service_ref = "");
std::optional<Version> version(store::Scope& s, std::int64_t map_id, std::int64_t number);
std::vector<Version> versions(store::Scope& s, std::int64_t map_id);  // newest first, without stages
enum class Saved { ok, not_found, conflict };
// Saves the stages as version base+1; `conflict` when someone saved after `base`.
Saved save(store::Scope& s, std::int64_t map_id, std::int64_t base, const std::vector<Stage>& stages,
           const std::string& note, std::int64_t author);
}  // namespace store_fn

// The SVG chart of feeling by stage, with a <title>, a <desc> and role="img".
std::string journey_svg(const std::vector<Stage>& stages, const std::string& title, const std::string& desc);

// Demo: a map for a service with two versions (before and after a redesign). Idempotent.
std::int64_t seed_demo(app::App& a, store::Scope& s, const std::string& service_ref, std::int64_t citizen,
                       std::int64_t worker, const std::vector<std::int64_t>& ideas);

// The whole co-design demo: a lab with a waiting list and its ideas (events, ideas) and a journey map
// with two versions on a carers' service, linked to that service's ideas. Idempotent.
void seed_labs_demo(app::App& a, store::Scope& s);

class JourneymapsModule : public app::Module {
 public:
  std::string name() const override { return "journeymaps"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
};

}  // namespace cp::modules::journeymaps
