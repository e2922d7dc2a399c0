#include "modules/ratings/ratings.hpp"

namespace cp::modules::ratings {

void RatingsModule::migrations(store::Migrations& m) const {
  // The response sits on the rating itself: a service answers each piece of feedback at most once
  // (and may edit that answer), so a table of its own would only add a join to the public page.
  m.add({"ratings", 1, "ratings and feedback",
         R"SQL(
CREATE TABLE ratings (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  service_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
  comment TEXT NOT NULL DEFAULT '',
  verified_by BIGINT,
  verified_at BIGINT,
  hidden INTEGER NOT NULL DEFAULT 0,
  response TEXT NOT NULL DEFAULT '',
  response_by BIGINT,
  response_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  UNIQUE (partnership_id, service_id, user_id),
  FOREIGN KEY (partnership_id, service_id) REFERENCES directory_services (partnership_id, id),
  FOREIGN KEY (partnership_id, user_id) REFERENCES users (partnership_id, id)
);
CREATE INDEX ratings_service ON ratings (partnership_id, service_id, hidden, updated_at, id);
CREATE INDEX ratings_stars ON ratings (partnership_id, service_id, hidden, stars);
)SQL",
         {"ratings"}});
}

}  // namespace cp::modules::ratings
