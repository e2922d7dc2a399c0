#include "modules/inspections/inspections.hpp"

namespace cp::modules::inspections {

void InspectionsModule::migrations(store::Migrations& m) const {
  // A template's questions are kept per version as one JSON document: they are only ever read and
  // written whole, and an inspection points at the version it used, which is never changed again.
  m.add({"inspections", 1, "citizen-led inspections",
         R"SQL(
CREATE TABLE inspections_inspectors (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  user_id BIGINT NOT NULL,
  trained_on TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  UNIQUE (partnership_id, user_id),
  FOREIGN KEY (partnership_id, user_id) REFERENCES users (partnership_id, id)
);
CREATE TABLE inspections_templates (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  name TEXT NOT NULL,
  current_version INTEGER NOT NULL DEFAULT 1,
  updated_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id)
);
CREATE TABLE inspections_template_versions (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  template_id BIGINT NOT NULL,
  version INTEGER NOT NULL,
  questions TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  UNIQUE (partnership_id, template_id, version),
  FOREIGN KEY (partnership_id, template_id) REFERENCES inspections_templates (partnership_id, id)
);
CREATE TABLE inspections (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  service_id BIGINT NOT NULL,
  template_version_id BIGINT NOT NULL,
  title TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('planned', 'sent', 'published')),
  lead_user_id BIGINT NOT NULL,
  report TEXT NOT NULL DEFAULT '',
  report_cy TEXT NOT NULL DEFAULT '',
  response_days INTEGER NOT NULL CHECK (response_days >= 14),
  sent_at BIGINT,
  response TEXT NOT NULL DEFAULT '',
  response_at BIGINT,
  published_at BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, service_id) REFERENCES directory_services (partnership_id, id),
  FOREIGN KEY (partnership_id, template_version_id) REFERENCES inspections_template_versions (partnership_id, id),
  FOREIGN KEY (partnership_id, lead_user_id) REFERENCES users (partnership_id, id)
);
CREATE INDEX inspections_service ON inspections (partnership_id, service_id, status);
CREATE TABLE inspections_visits (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  inspection_id BIGINT NOT NULL,
  visit_on TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, inspection_id) REFERENCES inspections (partnership_id, id)
);
CREATE TABLE inspections_team (
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  inspection_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('lead', 'inspector')),
  PRIMARY KEY (partnership_id, inspection_id, user_id),
  FOREIGN KEY (partnership_id, inspection_id) REFERENCES inspections (partnership_id, id),
  FOREIGN KEY (partnership_id, user_id) REFERENCES users (partnership_id, id)
);
CREATE INDEX inspections_team_user ON inspections_team (partnership_id, user_id);
CREATE TABLE inspections_answers (
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  inspection_id BIGINT NOT NULL,
  question_no INTEGER NOT NULL,
  score INTEGER CHECK (score BETWEEN 1 AND 5),
  note TEXT NOT NULL DEFAULT '',
  link TEXT NOT NULL DEFAULT '',
  updated_by BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (partnership_id, inspection_id, question_no),
  FOREIGN KEY (partnership_id, inspection_id) REFERENCES inspections (partnership_id, id)
);
CREATE TABLE inspections_findings (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  inspection_id BIGINT NOT NULL,
  text TEXT NOT NULL,
  evidence TEXT NOT NULL DEFAULT '',
  link TEXT NOT NULL DEFAULT '',
  by_user BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, inspection_id) REFERENCES inspections (partnership_id, id)
);
)SQL",
         {"inspections_inspectors", "inspections_templates", "inspections_template_versions", "inspections",
          "inspections_visits", "inspections_team", "inspections_answers", "inspections_findings"}});
}

}  // namespace cp::modules::inspections
