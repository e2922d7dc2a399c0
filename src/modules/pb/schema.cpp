#include "modules/pb/process.hpp"

namespace cp::modules {

void PbModule::migrations(store::Migrations& m) const {
  m.add({"pb", 1, "participatory budgeting",
         R"SQL(
CREATE TABLE pb_processes (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  budget BIGINT NOT NULL,
  currency TEXT NOT NULL DEFAULT 'GBP',
  ballot_kind TEXT NOT NULL CHECK (ballot_kind IN ('approval', 'cumulative', 'knapsack')),
  max_choices BIGINT NOT NULL DEFAULT 0,
  points BIGINT NOT NULL DEFAULT 0,
  per_area INTEGER NOT NULL DEFAULT 0,
  phase TEXT NOT NULL CHECK (phase IN ('information', 'proposals', 'supports', 'voting', 'results')),
  information_date TEXT NOT NULL DEFAULT '',
  proposals_date TEXT NOT NULL DEFAULT '',
  supports_date TEXT NOT NULL DEFAULT '',
  voting_date TEXT NOT NULL DEFAULT '',
  results_date TEXT NOT NULL DEFAULT '',
  source_hash TEXT,
  ballot_generation BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  UNIQUE (partnership_id, source_hash)
);
CREATE TABLE pb_areas (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  process_id BIGINT NOT NULL,
  name TEXT NOT NULL,
  budget BIGINT NOT NULL CHECK (budget > 0),
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, process_id) REFERENCES pb_processes (partnership_id, id)
);
CREATE INDEX pb_areas_process ON pb_areas (partnership_id, process_id, id);
CREATE TABLE pb_proposals (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  process_id BIGINT NOT NULL,
  area_id BIGINT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  cost BIGINT NOT NULL CHECK (cost > 0),
  proposer_id BIGINT,
  proposer_name TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('submitted', 'accepted', 'rejected')),
  reject_reason TEXT NOT NULL DEFAULT '',
  external_id TEXT NOT NULL DEFAULT '',
  supports BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, process_id) REFERENCES pb_processes (partnership_id, id),
  FOREIGN KEY (partnership_id, area_id) REFERENCES pb_areas (partnership_id, id)
);
CREATE INDEX pb_proposals_process ON pb_proposals (partnership_id, process_id, status, id);
CREATE TABLE pb_supports (
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  proposal_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (partnership_id, proposal_id, user_id),
  FOREIGN KEY (partnership_id, proposal_id) REFERENCES pb_proposals (partnership_id, id)
);
CREATE TABLE pb_comments (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  proposal_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  author TEXT NOT NULL,
  body TEXT NOT NULL,
  hidden INTEGER NOT NULL DEFAULT 0,
  hidden_reason TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, proposal_id) REFERENCES pb_proposals (partnership_id, id)
);
CREATE INDEX pb_comments_proposal ON pb_comments (partnership_id, proposal_id, id);
CREATE TABLE pb_ballots (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  process_id BIGINT NOT NULL,
  area_id BIGINT NOT NULL,
  voter_key TEXT NOT NULL,
  user_id BIGINT,
  choices TEXT NOT NULL,
  assisted INTEGER NOT NULL DEFAULT 0,
  paper_ref TEXT NOT NULL DEFAULT '',
  voter_name TEXT NOT NULL DEFAULT '',
  entered_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (partnership_id, process_id, area_id, voter_key),
  FOREIGN KEY (partnership_id, process_id) REFERENCES pb_processes (partnership_id, id),
  FOREIGN KEY (partnership_id, area_id) REFERENCES pb_areas (partnership_id, id)
);
CREATE TABLE pb_results (
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  process_id BIGINT NOT NULL,
  generation BIGINT NOT NULL,
  computed_at BIGINT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (partnership_id, process_id),
  FOREIGN KEY (partnership_id, process_id) REFERENCES pb_processes (partnership_id, id)
);
)SQL",
         {"pb_processes", "pb_areas", "pb_proposals", "pb_supports", "pb_comments", "pb_ballots", "pb_results"}});
  // Priority setting before the money: people rate candidate commissioning priorities on how much
  // they matter and how well they are met now; the gap between the two is what commissioners read.
  m.add({"pb", 2, "priority setting",
         R"SQL(
CREATE TABLE pb_priorities (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  process_id BIGINT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, process_id) REFERENCES pb_processes (partnership_id, id)
);
CREATE INDEX pb_priorities_process ON pb_priorities (partnership_id, process_id, id);
CREATE TABLE pb_priority_ratings (
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  priority_id BIGINT NOT NULL,
  rater_key TEXT NOT NULL,
  importance INTEGER NOT NULL CHECK (importance BETWEEN 1 AND 5),
  satisfaction INTEGER NOT NULL CHECK (satisfaction BETWEEN 1 AND 5),
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (partnership_id, priority_id, rater_key),
  FOREIGN KEY (partnership_id, priority_id) REFERENCES pb_priorities (partnership_id, id)
);
)SQL",
         {"pb_priorities", "pb_priority_ratings"}});
  // Delivery after the count: each funded project's milestones (done when done_date is set) and
  // one percent figure, so residents can see what their vote turned into.
  m.add({"pb", 3, "delivery tracking",
         R"SQL(
CREATE TABLE pb_milestones (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  proposal_id BIGINT NOT NULL,
  title TEXT NOT NULL,
  due_date TEXT NOT NULL DEFAULT '',
  done_date TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, proposal_id) REFERENCES pb_proposals (partnership_id, id)
);
CREATE INDEX pb_milestones_proposal ON pb_milestones (partnership_id, proposal_id, id);
CREATE TABLE pb_delivery (
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  proposal_id BIGINT NOT NULL,
  progress INTEGER NOT NULL CHECK (progress BETWEEN 0 AND 100),
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (partnership_id, proposal_id),
  FOREIGN KEY (partnership_id, proposal_id) REFERENCES pb_proposals (partnership_id, id)
);
)SQL",
         {"pb_milestones", "pb_delivery"}});
  // Who may vote (postcode areas, an age threshold, a least and most number of choices), richer
  // proposals (summary, Welsh versions, a place, an organisation proposing), and the organisation
  // that delivers a funded project. A ballot keeps only how its voter was found eligible, never
  // the postcode or date of birth given (docs/security.md).
  m.add({"pb", 4, "eligibility, richer proposals, delivering organisations",
         R"SQL(
ALTER TABLE pb_processes ADD COLUMN min_choices BIGINT NOT NULL DEFAULT 0;
ALTER TABLE pb_processes ADD COLUMN min_age BIGINT NOT NULL DEFAULT 0;
ALTER TABLE pb_areas ADD COLUMN postcodes TEXT NOT NULL DEFAULT '';
ALTER TABLE pb_areas ADD COLUMN min_choices BIGINT NOT NULL DEFAULT 0;
ALTER TABLE pb_areas ADD COLUMN max_choices BIGINT NOT NULL DEFAULT 0;
ALTER TABLE pb_ballots ADD COLUMN eligibility TEXT NOT NULL DEFAULT '';
ALTER TABLE pb_proposals ADD COLUMN summary TEXT NOT NULL DEFAULT '';
ALTER TABLE pb_proposals ADD COLUMN title_cy TEXT NOT NULL DEFAULT '';
ALTER TABLE pb_proposals ADD COLUMN summary_cy TEXT NOT NULL DEFAULT '';
ALTER TABLE pb_proposals ADD COLUMN place_uuid TEXT NOT NULL DEFAULT '';
ALTER TABLE pb_proposals ADD COLUMN place_name TEXT NOT NULL DEFAULT '';
ALTER TABLE pb_proposals ADD COLUMN postcode TEXT NOT NULL DEFAULT '';
ALTER TABLE pb_proposals ADD COLUMN organisation_id BIGINT;
ALTER TABLE pb_proposals ADD COLUMN organisation_name TEXT NOT NULL DEFAULT '';
ALTER TABLE pb_proposals ADD COLUMN delivery_org_id BIGINT;
ALTER TABLE pb_proposals ADD COLUMN delivery_org_name TEXT NOT NULL DEFAULT '';
)SQL",
         {}});
}

}  // namespace cp::modules
