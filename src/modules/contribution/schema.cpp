#include "modules/contribution/contribution.hpp"

namespace cp::modules::contribution {

void ContributionModule::migrations(store::Migrations& m) const {
  // Every child row points at its parent with (partnership_id, id), so a result, link, note or piece
  // of evidence can never hang off another partnership's theory. Who wrote what is left to the
  // audit trail: these tables hold no account ids. Ratings keep their history (one row per rating)
  // so the story can show how confidence changed as evidence came in (Mayne's step 6).
  m.add({"contribution", 1, "theories of change, results chains, evidence and confidence",
         R"SQL(
CREATE TABLE contribution_theories (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  title TEXT NOT NULL CHECK (title <> ''),
  question TEXT NOT NULL CHECK (question <> ''),
  summary TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  UNIQUE (partnership_id, id)
);
CREATE INDEX contribution_theories_recent ON contribution_theories (partnership_id, updated_at);

CREATE TABLE contribution_results (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  theory_id BIGINT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('activities', 'reactions', 'learning', 'behaviour', 'outcomes')),
  statement TEXT NOT NULL CHECK (statement <> ''),
  position BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, theory_id) REFERENCES contribution_theories (partnership_id, id)
);
CREATE INDEX contribution_results_theory ON contribution_results (partnership_id, theory_id, level, position);

CREATE TABLE contribution_links (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  theory_id BIGINT NOT NULL,
  from_result BIGINT NOT NULL,
  to_result BIGINT NOT NULL,
  confidence TEXT NOT NULL DEFAULT 'not_assessed' CHECK (confidence IN ('not_assessed', 'low', 'medium', 'high')),
  reason TEXT NOT NULL DEFAULT '',
  rated_at BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  CHECK (confidence = 'not_assessed' OR reason <> ''),
  UNIQUE (partnership_id, id),
  UNIQUE (partnership_id, from_result, to_result),
  FOREIGN KEY (partnership_id, theory_id) REFERENCES contribution_theories (partnership_id, id),
  FOREIGN KEY (partnership_id, from_result) REFERENCES contribution_results (partnership_id, id),
  FOREIGN KEY (partnership_id, to_result) REFERENCES contribution_results (partnership_id, id)
);
CREATE INDEX contribution_links_theory ON contribution_links (partnership_id, theory_id);

CREATE TABLE contribution_notes (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  link_id BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('assumption', 'influence')),
  body TEXT NOT NULL CHECK (body <> ''),
  created_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, link_id) REFERENCES contribution_links (partnership_id, id)
);
CREATE INDEX contribution_notes_link ON contribution_notes (partnership_id, link_id, kind);

CREATE TABLE contribution_evidence (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  link_id BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('figure', 'document', 'quote')),
  figure_key TEXT NOT NULL DEFAULT '',
  figure_value BIGINT NOT NULL DEFAULT 0,
  title TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  quote_text TEXT NOT NULL DEFAULT '',
  quote_who TEXT NOT NULL DEFAULT '',
  quote_consent INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  CHECK (kind <> 'figure' OR figure_key <> ''),
  CHECK (kind <> 'document' OR (title <> '' AND url <> '')),
  CHECK (kind <> 'quote' OR (quote_text <> '' AND quote_who <> '' AND quote_consent = 1)),
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, link_id) REFERENCES contribution_links (partnership_id, id)
);
CREATE INDEX contribution_evidence_link ON contribution_evidence (partnership_id, link_id, created_at);

CREATE TABLE contribution_ratings (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  link_id BIGINT NOT NULL,
  confidence TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  rated_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, link_id) REFERENCES contribution_links (partnership_id, id)
);
CREATE INDEX contribution_ratings_link ON contribution_ratings (partnership_id, link_id, rated_at);
)SQL",
         {"contribution_theories", "contribution_results", "contribution_links", "contribution_notes",
          "contribution_evidence", "contribution_ratings"}});
}

}  // namespace cp::modules::contribution
