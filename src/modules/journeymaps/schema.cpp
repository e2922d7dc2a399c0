#include "modules/journeymaps/journeymaps.hpp"

namespace cp::modules::journeymaps {

void JourneymapsModule::migrations(store::Migrations& m) const {
  m.add({"journeymaps", 1, "customer journey maps",
         R"SQL(
CREATE TABLE journey_maps (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  service_ref TEXT NOT NULL,
  title TEXT NOT NULL,
  current_version BIGINT NOT NULL DEFAULT 0,
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id)
);
CREATE INDEX journey_maps_service ON journey_maps (partnership_id, service_ref);
CREATE TABLE journey_map_versions (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  map_id BIGINT NOT NULL,
  number BIGINT NOT NULL,
  stages TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  author_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  UNIQUE (partnership_id, map_id, number),
  FOREIGN KEY (partnership_id, map_id) REFERENCES journey_maps (partnership_id, id)
);
{{append_only:journey_map_versions}}
)SQL",
         {"journey_maps", "journey_map_versions"}});
}

}  // namespace cp::modules::journeymaps
