#include "modules/priorities/priorities.hpp"

namespace cp::modules::priorities {

void PrioritiesModule::migrations(store::Migrations& m) const {
  // A rating is one row per person per initiative (the primary key says so); NULL in impact or
  // effort is "don't know". Decisions are append-only: the newest is the one that stands, and the
  // older ones stay as the history of how the partnership changed its mind. An idea is linked by
  // its id only, because ideas live in the ideas module's tables.
  m.add({"priorities", 1, "priority exercises, initiatives, ratings and decisions",
         R"SQL(
CREATE TABLE priority_exercises (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  title TEXT NOT NULL,
  intro TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id)
);
CREATE INDEX priority_exercises_recent ON priority_exercises (partnership_id, created_at);

CREATE TABLE priority_initiatives (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  exercise_id BIGINT NOT NULL,
  number BIGINT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  idea_id BIGINT,
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  UNIQUE (partnership_id, exercise_id, number),
  FOREIGN KEY (partnership_id, exercise_id) REFERENCES priority_exercises (partnership_id, id)
);

CREATE TABLE priority_ratings (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  initiative_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  impact INTEGER CHECK (impact BETWEEN 1 AND 5),
  effort INTEGER CHECK (effort BETWEEN 1 AND 5),
  updated_at BIGINT NOT NULL,
  UNIQUE (partnership_id, initiative_id, user_id),
  FOREIGN KEY (partnership_id, initiative_id) REFERENCES priority_initiatives (partnership_id, id)
);
CREATE INDEX priority_ratings_by_user ON priority_ratings (partnership_id, user_id);

CREATE TABLE priority_decisions (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  initiative_id BIGINT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('take_on', 'back_burner', 'drop')),
  reason TEXT NOT NULL,
  owner TEXT NOT NULL DEFAULT '',
  decided_by BIGINT NOT NULL,
  decided_at BIGINT NOT NULL,
  FOREIGN KEY (partnership_id, initiative_id) REFERENCES priority_initiatives (partnership_id, id)
);
CREATE INDEX priority_decisions_by_initiative ON priority_decisions (partnership_id, initiative_id, id);
{{append_only:priority_decisions}}
)SQL",
         {"priority_exercises", "priority_initiatives", "priority_ratings", "priority_decisions"}});
  // The second axis is chosen per exercise; exercises made before the choice rated effort. Ratings
  // keep the second answer in `effort` either way (priorities.hpp). Initiatives may carry Welsh
  // versions of their words beside the English (web/bilingual.hpp).
  m.add({"priorities", 2, "second axis per exercise (effort or feasibility) and Welsh initiative text",
         R"SQL(
ALTER TABLE priority_exercises ADD COLUMN axis TEXT NOT NULL DEFAULT 'effort' CHECK (axis IN ('effort', 'feasibility'));
ALTER TABLE priority_initiatives ADD COLUMN title_cy TEXT NOT NULL DEFAULT '';
ALTER TABLE priority_initiatives ADD COLUMN description_cy TEXT NOT NULL DEFAULT '';
)SQL",
         {}});
}

}  // namespace cp::modules::priorities
