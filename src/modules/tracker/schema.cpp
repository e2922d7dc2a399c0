#include "modules/tracker/tracker.hpp"

namespace cp::modules::tracker {

void TrackerModule::migrations(store::Migrations& m) const {
  // An action keeps where it came from as plain fields (kind, id, title, link) rather than a
  // foreign key: ideas, findings and feedback live in other modules' tables, which this module
  // never reads. Every status change and piece of evidence is a row in tracker_updates, which is
  // append-only, so the public history of what was done cannot be quietly rewritten.
  m.add({"tracker", 1, "agreed actions and their updates",
         R"SQL(
CREATE TABLE tracker_actions (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  title TEXT NOT NULL,
  title_cy TEXT NOT NULL DEFAULT '',
  owner TEXT NOT NULL DEFAULT '',
  service_id BIGINT,
  due_on TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'agreed' CHECK (status IN ('agreed', 'in_progress', 'done', 'not_possible')),
  status_reason TEXT NOT NULL DEFAULT '',
  origin_kind TEXT NOT NULL DEFAULT '',
  origin_id BIGINT NOT NULL DEFAULT 0,
  origin_title TEXT NOT NULL DEFAULT '',
  origin_link TEXT NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  UNIQUE (partnership_id, id)
);
CREATE INDEX tracker_actions_recent ON tracker_actions (partnership_id, updated_at, id);
CREATE INDEX tracker_actions_status ON tracker_actions (partnership_id, status, updated_at);
CREATE INDEX tracker_actions_service ON tracker_actions (partnership_id, service_id, status, updated_at);
CREATE INDEX tracker_actions_origin ON tracker_actions (partnership_id, origin_kind, origin_id);

CREATE TABLE tracker_updates (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  action_id BIGINT NOT NULL,
  status TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  note_cy TEXT NOT NULL DEFAULT '',
  evidence_link TEXT NOT NULL DEFAULT '',
  by_user_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  FOREIGN KEY (partnership_id, action_id) REFERENCES tracker_actions (partnership_id, id)
);
CREATE INDEX tracker_updates_by_action ON tracker_updates (partnership_id, action_id, created_at);
{{append_only:tracker_updates}}
)SQL",
         {"tracker_actions", "tracker_updates"}});
  // The public list filtered by where actions came from ("from ideas", "from inspections") reads
  // WHERE partnership_id AND origin_kind ORDER BY updated_at DESC, id DESC: this index answers it in
  // order, where tracker_actions_origin (made for one idea's actions) left a sort of every match.
  m.add({"tracker", 2, "actions by origin, newest change first",
         R"SQL(
CREATE INDEX tracker_actions_origin_recent ON tracker_actions (partnership_id, origin_kind, updated_at, id);
)SQL",
         {}});
}

}  // namespace cp::modules::tracker
