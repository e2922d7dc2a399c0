#include "modules/moderation/moderation.hpp"

namespace cp::modules::moderation {

void ModerationModule::migrations(store::Migrations& m) const {
  // One row per reported item (the queue), every report behind it, every decision taken on it, and
  // the accounts blocked from posting. Decisions and reports are never rewritten: the history of
  // who hid what and why stays readable.
  m.add({"moderation", 1, "moderation queue, reports, decisions and blocks",
         R"SQL(
CREATE TABLE moderation_items (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  kind TEXT NOT NULL,
  item_id BIGINT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'hidden', 'kept')),
  author_user_id BIGINT NOT NULL DEFAULT 0,
  excerpt TEXT NOT NULL DEFAULT '',
  link TEXT NOT NULL DEFAULT '',
  report_count BIGINT NOT NULL DEFAULT 0,
  open_reports BIGINT NOT NULL DEFAULT 0,
  first_reported_at BIGINT NOT NULL,
  last_reported_at BIGINT NOT NULL,
  decided_at BIGINT,
  UNIQUE (partnership_id, kind, item_id),
  UNIQUE (partnership_id, id)
);
CREATE INDEX moderation_items_queue ON moderation_items (partnership_id, status, last_reported_at);

CREATE TABLE moderation_reports (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  queue_id BIGINT NOT NULL,
  reporter_user_id BIGINT NOT NULL,
  reason TEXT NOT NULL,
  details TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  resolved_at BIGINT,
  UNIQUE (partnership_id, queue_id, reporter_user_id),
  FOREIGN KEY (partnership_id, queue_id) REFERENCES moderation_items (partnership_id, id)
);

CREATE TABLE moderation_decisions (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  queue_id BIGINT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('hide', 'restore', 'keep')),
  reason TEXT NOT NULL,
  by_user_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  FOREIGN KEY (partnership_id, queue_id) REFERENCES moderation_items (partnership_id, id)
);
{{append_only:moderation_decisions}}

CREATE TABLE moderation_blocks (
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  user_id BIGINT NOT NULL,
  reason TEXT NOT NULL,
  by_user_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (partnership_id, user_id),
  FOREIGN KEY (partnership_id, user_id) REFERENCES users (partnership_id, id)
);

CREATE TABLE moderation_block_log (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  user_id BIGINT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('block', 'unblock')),
  reason TEXT NOT NULL,
  by_user_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
{{append_only:moderation_block_log}}
)SQL",
         {"moderation_items", "moderation_reports", "moderation_decisions", "moderation_blocks", "moderation_block_log"}});
}

}  // namespace cp::modules::moderation
