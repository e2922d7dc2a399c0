#include "modules/lens/lens.hpp"
#include "modules/lens/publish.hpp"

namespace cp::modules::lens {

void LensModule::migrations(store::Migrations& m) const {
  // The learning log: what the partnership concluded from one chart of one dashboard, what it will
  // try, and when it will look again. Entries are not edited (a new entry says what changed); the
  // author's name is kept as written so the log reads the same after the account is gone, and is
  // blanked when that person asks for their data to be erased.
  m.add({"lens", 1, "learning log",
         R"SQL(
CREATE TABLE lens_log (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  chart_key TEXT NOT NULL,
  scope_kind TEXT NOT NULL CHECK (scope_kind IN ('partnership', 'organisation', 'service')),
  scope_id BIGINT NOT NULL DEFAULT 0,
  concluded TEXT NOT NULL,
  will_try TEXT NOT NULL DEFAULT '',
  review_on TEXT NOT NULL DEFAULT '',
  written_by BIGINT,
  by_name TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id)
);
CREATE INDEX lens_log_scope ON lens_log (partnership_id, scope_kind, scope_id, chart_key, created_at);
CREATE INDEX lens_log_author ON lens_log (partnership_id, written_by);
)SQL",
         {"lens_log"}});
  published_migrations(m);  // lens 2: published summaries (publish_store.cpp)
}

}  // namespace cp::modules::lens
