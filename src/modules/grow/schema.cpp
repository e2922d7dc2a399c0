#include "modules/grow/grow.hpp"

namespace cp::modules::grow {

void GrowModule::migrations(store::Migrations& m) const {
  // Champions. A champion may be a member (user_id) or a named person with no account. What the
  // list shows is chosen per champion (listed, show_organisation, show_contact).
  m.add({"grow", 1, "champions",
         R"SQL(
CREATE TABLE grow_champions (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  user_id BIGINT,
  name TEXT NOT NULL,
  organisation TEXT NOT NULL DEFAULT '',
  area TEXT NOT NULL CHECK (area IN ('co_design', 'co_delivery', 'co_commissioning', 'co_assessment', 'topic')),
  topic TEXT NOT NULL DEFAULT '',
  since_on TEXT NOT NULL DEFAULT '',
  contact_pref TEXT NOT NULL CHECK (contact_pref IN ('email', 'phone', 'through_staff')),
  contact_detail TEXT NOT NULL DEFAULT '',
  listed INTEGER NOT NULL DEFAULT 1,
  show_organisation INTEGER NOT NULL DEFAULT 1,
  show_contact INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed')),
  created_by BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id)
);
CREATE INDEX grow_champions_by_name ON grow_champions (partnership_id, name, id);
CREATE INDEX grow_champions_by_user ON grow_champions (partnership_id, user_id);
)SQL",
         {"grow_champions"}});

  // The business case. Assumptions are the partnership's own unit costs and values; every change
  // is a row in grow_assumption_changes (append-only), so the history cannot be rewritten.
  m.add({"grow", 2, "business cases and unit-cost assumptions",
         R"SQL(
CREATE TABLE grow_assumptions (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  name TEXT NOT NULL,
  unit TEXT NOT NULL CHECK (unit IN ('hour', 'day', 'week', 'year', 'each')),
  value_pence BIGINT NOT NULL CHECK (value_pence >= 0),
  source TEXT NOT NULL DEFAULT '',
  updated_by BIGINT NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  UNIQUE (partnership_id, id),
  UNIQUE (partnership_id, name)
);
CREATE TABLE grow_assumption_changes (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  assumption_id BIGINT NOT NULL,
  value_pence BIGINT NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  changed_by BIGINT NOT NULL DEFAULT 0,
  changed_at BIGINT NOT NULL,
  FOREIGN KEY (partnership_id, assumption_id) REFERENCES grow_assumptions (partnership_id, id)
);
CREATE INDEX grow_assumption_changes_by ON grow_assumption_changes (partnership_id, assumption_id, changed_at);
{{append_only:grow_assumption_changes}}
CREATE TABLE grow_cases (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  title TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  service_id BIGINT,
  created_by BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id)
);
CREATE TABLE grow_case_costs (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  case_id BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('staff', 'volunteer', 'expenses', 'venue', 'other')),
  description TEXT NOT NULL DEFAULT '',
  hours BIGINT NOT NULL DEFAULT 0,
  assumption_id BIGINT,
  amount_pence BIGINT NOT NULL DEFAULT 0,
  FOREIGN KEY (partnership_id, case_id) REFERENCES grow_cases (partnership_id, id),
  FOREIGN KEY (partnership_id, assumption_id) REFERENCES grow_assumptions (partnership_id, id)
);
CREATE INDEX grow_case_costs_by_case ON grow_case_costs (partnership_id, case_id, id);
CREATE TABLE grow_case_outcomes (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  case_id BIGINT NOT NULL,
  description TEXT NOT NULL,
  number BIGINT NOT NULL DEFAULT 0,
  source TEXT NOT NULL DEFAULT 'typed',
  assumption_id BIGINT,
  FOREIGN KEY (partnership_id, case_id) REFERENCES grow_cases (partnership_id, id),
  FOREIGN KEY (partnership_id, assumption_id) REFERENCES grow_assumptions (partnership_id, id)
);
CREATE INDEX grow_case_outcomes_by_case ON grow_case_outcomes (partnership_id, case_id, id);
)SQL",
         {"grow_assumptions", "grow_assumption_changes", "grow_cases", "grow_case_costs", "grow_case_outcomes"}});

  // Staff competencies: the framework, dated self-assessments (one per person per date), and the
  // share toggle that lets the line manager see them.
  m.add({"grow", 3, "staff co-production competencies",
         R"SQL(
CREATE TABLE grow_competencies (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  level1 TEXT NOT NULL DEFAULT '',
  level2 TEXT NOT NULL DEFAULT '',
  level3 TEXT NOT NULL DEFAULT '',
  level4 TEXT NOT NULL DEFAULT '',
  position BIGINT NOT NULL DEFAULT 0,
  archived INTEGER NOT NULL DEFAULT 0,
  UNIQUE (partnership_id, id)
);
CREATE TABLE grow_assessments (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  user_id BIGINT NOT NULL,
  organisation_id BIGINT,
  assessed_on TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  UNIQUE (partnership_id, user_id, assessed_on)
);
CREATE TABLE grow_assessment_ratings (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  assessment_id BIGINT NOT NULL,
  competency_id BIGINT NOT NULL,
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
  example TEXT NOT NULL DEFAULT '',
  UNIQUE (partnership_id, assessment_id, competency_id),
  FOREIGN KEY (partnership_id, assessment_id) REFERENCES grow_assessments (partnership_id, id),
  FOREIGN KEY (partnership_id, competency_id) REFERENCES grow_competencies (partnership_id, id)
);
CREATE TABLE grow_competency_shares (
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  user_id BIGINT NOT NULL,
  organisation_id BIGINT,
  shared INTEGER NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (partnership_id, user_id)
);
CREATE INDEX grow_competency_shares_by_org ON grow_competency_shares (partnership_id, organisation_id, shared);
)SQL",
         {"grow_competencies", "grow_assessments", "grow_assessment_ratings", "grow_competency_shares"}});
}

}  // namespace cp::modules::grow
