#include "modules/charters/charters.hpp"

namespace cp::modules::charters {

void ChartersModule::migrations(store::Migrations& m) const {
  // Versions are never edited: a change is a new row with the next number. Publishing stamps
  // published_at once and points the charter at it. A signature names the exact version agreed to,
  // so "agreed to version 2" stays true after version 3 is published.
  m.add({"charters", 1, "charters, their versions and signatures",
         R"SQL(
CREATE TABLE charters (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  title TEXT NOT NULL,
  current_version_id BIGINT,
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id)
);

CREATE TABLE charter_versions (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  charter_id BIGINT NOT NULL,
  number BIGINT NOT NULL,
  roles TEXT NOT NULL DEFAULT '',
  responsibilities TEXT NOT NULL DEFAULT '',
  agency_commits TEXT NOT NULL DEFAULT '',
  disagreements TEXT NOT NULL DEFAULT '',
  expenses TEXT NOT NULL DEFAULT '',
  recognition TEXT NOT NULL DEFAULT '',
  change_note TEXT NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  published_at BIGINT,
  UNIQUE (partnership_id, id),
  UNIQUE (partnership_id, charter_id, number),
  FOREIGN KEY (partnership_id, charter_id) REFERENCES charters (partnership_id, id)
);

CREATE TABLE charter_signatures (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  charter_id BIGINT NOT NULL,
  version_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  signed_at BIGINT NOT NULL,
  UNIQUE (partnership_id, version_id, user_id),
  FOREIGN KEY (partnership_id, version_id) REFERENCES charter_versions (partnership_id, id),
  FOREIGN KEY (partnership_id, charter_id) REFERENCES charters (partnership_id, id)
);
CREATE INDEX charter_signatures_by_user ON charter_signatures (partnership_id, user_id, charter_id);
CREATE INDEX charter_signatures_by_charter ON charter_signatures (partnership_id, charter_id, signed_at);
)SQL",
         {"charters", "charter_versions", "charter_signatures"}});
  // Welsh versions beside the English (web/bilingual.hpp): the title on the charter, the sections
  // on each version, so a new version can change either language.
  m.add({"charters", 2, "Welsh charter titles and sections",
         R"SQL(
ALTER TABLE charters ADD COLUMN title_cy TEXT NOT NULL DEFAULT '';
ALTER TABLE charter_versions ADD COLUMN roles_cy TEXT NOT NULL DEFAULT '';
ALTER TABLE charter_versions ADD COLUMN responsibilities_cy TEXT NOT NULL DEFAULT '';
ALTER TABLE charter_versions ADD COLUMN agency_commits_cy TEXT NOT NULL DEFAULT '';
ALTER TABLE charter_versions ADD COLUMN disagreements_cy TEXT NOT NULL DEFAULT '';
ALTER TABLE charter_versions ADD COLUMN expenses_cy TEXT NOT NULL DEFAULT '';
ALTER TABLE charter_versions ADD COLUMN recognition_cy TEXT NOT NULL DEFAULT '';
)SQL",
         {}});
}

}  // namespace cp::modules::charters
