#include "modules/star/star.hpp"

namespace cp::modules::star {

void StarModule::migrations(store::Migrations& m) const {
  // An audit keeps its subject's name as it was when the audit began (the subject itself lives in the
  // organisations or directory module, which this module reaches only through their interfaces).
  // One response per account per audit is a UNIQUE constraint; a response's four ratings are rows
  // of star_ratings, one per Co. user_id is set to NULL when a person's data is erased, so the
  // numbers of a closed audit stay as they were.
  m.add({"star", 1, "co-production star audits, responses and ratings",
         R"SQL(
CREATE TABLE star_audits (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  subject_kind TEXT NOT NULL CHECK (subject_kind IN ('partnership', 'organisation', 'service')),
  subject_id BIGINT,
  subject_name TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  period TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  previous_id BIGINT,
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  closed_at BIGINT,
  version BIGINT NOT NULL DEFAULT 1,
  UNIQUE (partnership_id, id)
);
CREATE INDEX star_audits_subject ON star_audits (partnership_id, subject_kind, subject_id, created_at);

CREATE TABLE star_responses (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  audit_id BIGINT NOT NULL,
  user_id BIGINT,
  actor_group TEXT NOT NULL CHECK (actor_group IN ('councillor', 'manager', 'frontline', 'citizen')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  UNIQUE (partnership_id, audit_id, user_id),
  FOREIGN KEY (partnership_id, audit_id) REFERENCES star_audits (partnership_id, id)
);
CREATE INDEX star_responses_user ON star_responses (partnership_id, user_id);

CREATE TABLE star_ratings (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  response_id BIGINT NOT NULL,
  co TEXT NOT NULL CHECK (co IN ('commissioning', 'design', 'delivery', 'assessment')),
  level INTEGER CHECK (level IS NULL OR (level >= 1 AND level <= 5)),
  examples TEXT NOT NULL DEFAULT '',
  evidence TEXT NOT NULL DEFAULT '',
  UNIQUE (partnership_id, response_id, co),
  FOREIGN KEY (partnership_id, response_id) REFERENCES star_responses (partnership_id, id)
);
)SQL",
         {"star_audits", "star_responses", "star_ratings"}});
}

}  // namespace cp::modules::star
