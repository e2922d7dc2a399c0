#include "modules/directory/directory.hpp"
#include "modules/directory/welsh.hpp"

namespace cp::modules {

// Each table keeps the ORUK id in `uuid`, unique within the partnership. Children point at their
// parent by (partnership_id, id), so a row can never hang off another partnership's record.
void DirectoryModule::migrations(store::Migrations& m) const {
  m.add({"directory", 1, "service and community asset directory",
         R"SQL(
CREATE TABLE directory_organisations (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  uuid TEXT NOT NULL,
  organisation_id BIGINT NOT NULL,
  logo TEXT,
  uri TEXT,
  parent_uuid TEXT,
  UNIQUE (partnership_id, uuid),
  UNIQUE (partnership_id, organisation_id),
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, organisation_id) REFERENCES organisations (partnership_id, id)
);
CREATE TABLE directory_services (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  uuid TEXT NOT NULL,
  organisation_id BIGINT,
  name TEXT NOT NULL,
  description TEXT,
  url TEXT,
  email TEXT,
  status TEXT NOT NULL,
  fees TEXT,
  accreditations TEXT,
  minimum_age BIGINT,
  maximum_age BIGINT,
  assured_date TEXT,
  assurer_email TEXT,
  alert TEXT,
  last_modified TEXT,
  asset_kind TEXT,
  modified_at BIGINT NOT NULL,
  search_text TEXT NOT NULL,
  feed_hash TEXT,
  UNIQUE (partnership_id, uuid),
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, organisation_id) REFERENCES organisations (partnership_id, id)
);
CREATE INDEX directory_services_order ON directory_services (partnership_id, name, id);
CREATE INDEX directory_services_org ON directory_services (partnership_id, organisation_id);
CREATE TABLE directory_locations (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  uuid TEXT NOT NULL,
  location_type TEXT NOT NULL,
  name TEXT,
  description TEXT,
  latitude DOUBLE PRECISION,
  longitude DOUBLE PRECISION,
  external_identifier TEXT,
  external_identifier_type TEXT,
  is_private INTEGER NOT NULL DEFAULT 0,
  UNIQUE (partnership_id, uuid),
  UNIQUE (partnership_id, id)
);
CREATE TABLE directory_addresses (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  uuid TEXT NOT NULL,
  location_id BIGINT NOT NULL,
  attention TEXT,
  address_1 TEXT NOT NULL,
  city TEXT NOT NULL,
  region TEXT,
  state_province TEXT NOT NULL,
  postal_code TEXT NOT NULL,
  country TEXT NOT NULL,
  address_type TEXT NOT NULL,
  UNIQUE (partnership_id, uuid),
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, location_id) REFERENCES directory_locations (partnership_id, id)
);
CREATE INDEX directory_addresses_postcode ON directory_addresses (partnership_id, postal_code);
CREATE TABLE directory_accessibility (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  uuid TEXT NOT NULL,
  location_id BIGINT NOT NULL,
  description TEXT,
  details TEXT,
  url TEXT,
  accessibility_text TEXT,
  UNIQUE (partnership_id, uuid),
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, location_id) REFERENCES directory_locations (partnership_id, id)
);
CREATE TABLE directory_service_at_locations (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  uuid TEXT NOT NULL,
  service_id BIGINT NOT NULL,
  location_id BIGINT NOT NULL,
  UNIQUE (partnership_id, uuid),
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, service_id) REFERENCES directory_services (partnership_id, id),
  FOREIGN KEY (partnership_id, location_id) REFERENCES directory_locations (partnership_id, id)
);
CREATE INDEX directory_sal_service ON directory_service_at_locations (partnership_id, service_id);
CREATE TABLE directory_schedules (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  uuid TEXT NOT NULL,
  service_id BIGINT,
  service_at_location_id BIGINT,
  valid_from TEXT,
  valid_to TEXT,
  dtstart TEXT,
  freq TEXT,
  repeat_interval DOUBLE PRECISION,
  byday TEXT,
  bymonthday TEXT,
  description TEXT,
  opens_at TEXT,
  closes_at TEXT,
  schedule_link TEXT,
  attending_type TEXT,
  notes TEXT,
  UNIQUE (partnership_id, uuid),
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, service_id) REFERENCES directory_services (partnership_id, id),
  FOREIGN KEY (partnership_id, service_at_location_id) REFERENCES directory_service_at_locations (partnership_id, id)
);
CREATE INDEX directory_schedules_service ON directory_schedules (partnership_id, service_id);
CREATE TABLE directory_cost_options (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  uuid TEXT NOT NULL,
  service_id BIGINT NOT NULL,
  option_text TEXT,
  amount DOUBLE PRECISION,
  amount_description TEXT,
  valid_from TEXT,
  valid_to TEXT,
  UNIQUE (partnership_id, uuid),
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, service_id) REFERENCES directory_services (partnership_id, id)
);
CREATE INDEX directory_cost_options_service ON directory_cost_options (partnership_id, service_id);
CREATE TABLE directory_contacts (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  uuid TEXT NOT NULL,
  service_id BIGINT NOT NULL,
  name TEXT,
  title TEXT,
  is_private INTEGER NOT NULL DEFAULT 0,
  UNIQUE (partnership_id, uuid),
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, service_id) REFERENCES directory_services (partnership_id, id)
);
CREATE INDEX directory_contacts_service ON directory_contacts (partnership_id, service_id);
CREATE TABLE directory_phones (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  uuid TEXT NOT NULL,
  contact_id BIGINT NOT NULL,
  number TEXT NOT NULL,
  description TEXT,
  UNIQUE (partnership_id, uuid),
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, contact_id) REFERENCES directory_contacts (partnership_id, id)
);
CREATE TABLE directory_service_areas (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  uuid TEXT NOT NULL,
  service_id BIGINT NOT NULL,
  name TEXT,
  extent TEXT,
  extent_type TEXT,
  uri TEXT,
  service_area TEXT,
  UNIQUE (partnership_id, uuid),
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, service_id) REFERENCES directory_services (partnership_id, id)
);
CREATE INDEX directory_service_areas_service ON directory_service_areas (partnership_id, service_id);
CREATE TABLE directory_languages (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  uuid TEXT NOT NULL,
  service_id BIGINT NOT NULL,
  name TEXT,
  code TEXT,
  note TEXT,
  UNIQUE (partnership_id, uuid),
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, service_id) REFERENCES directory_services (partnership_id, id)
);
CREATE INDEX directory_languages_service ON directory_languages (partnership_id, service_id);
CREATE TABLE directory_funding (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  uuid TEXT NOT NULL,
  service_id BIGINT NOT NULL,
  source TEXT,
  UNIQUE (partnership_id, uuid),
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, service_id) REFERENCES directory_services (partnership_id, id)
);
CREATE INDEX directory_funding_service ON directory_funding (partnership_id, service_id);
CREATE TABLE directory_organisation_identifiers (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  uuid TEXT NOT NULL,
  directory_organisation_id BIGINT NOT NULL,
  identifier_scheme TEXT,
  identifier_type TEXT NOT NULL,
  identifier TEXT NOT NULL,
  UNIQUE (partnership_id, uuid),
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, directory_organisation_id) REFERENCES directory_organisations (partnership_id, id)
);
CREATE TABLE directory_taxonomies (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  uuid TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  uri TEXT,
  version TEXT,
  UNIQUE (partnership_id, uuid),
  UNIQUE (partnership_id, id)
);
CREATE TABLE directory_taxonomy_terms (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  uuid TEXT NOT NULL,
  taxonomy_id BIGINT,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  parent_uuid TEXT,
  taxonomy_name TEXT,
  term_uri TEXT,
  term TEXT,
  UNIQUE (partnership_id, uuid),
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, taxonomy_id) REFERENCES directory_taxonomies (partnership_id, id)
);
CREATE TABLE directory_attributes (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  uuid TEXT NOT NULL,
  service_id BIGINT NOT NULL,
  taxonomy_term_id BIGINT NOT NULL,
  link_type TEXT,
  UNIQUE (partnership_id, uuid),
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, service_id) REFERENCES directory_services (partnership_id, id),
  FOREIGN KEY (partnership_id, taxonomy_term_id) REFERENCES directory_taxonomy_terms (partnership_id, id)
);
CREATE INDEX directory_attributes_service ON directory_attributes (partnership_id, service_id);
CREATE INDEX directory_attributes_term ON directory_attributes (partnership_id, taxonomy_term_id);
)SQL",
         {"directory_organisations", "directory_services", "directory_locations", "directory_addresses",
          "directory_accessibility", "directory_service_at_locations", "directory_schedules", "directory_cost_options",
          "directory_contacts", "directory_phones", "directory_taxonomies", "directory_taxonomy_terms",
          "directory_attributes", "directory_service_areas", "directory_languages", "directory_funding",
          "directory_organisation_identifiers"}});
  // Places near a point: a box on latitude and longitude narrows the rows before the exact distance.
  m.add({"directory", 2, "directory locations by position",
         "CREATE INDEX directory_locations_position ON directory_locations (partnership_id, latitude, longitude);",
         {}});
  // Who checked a service and when (the page's "Mark as checked"), and the Community Asset Survey's
  // suggestions, which wait for a moderator before they are published as assets.
  m.add({"directory", 3, "service checks and community asset suggestions",
         R"SQL(
CREATE TABLE directory_service_checks (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  service_id BIGINT NOT NULL,
  checked_by BIGINT,
  checked_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, service_id) REFERENCES directory_services (partnership_id, id)
);
CREATE INDEX directory_service_checks_service ON directory_service_checks (partnership_id, service_id, checked_at);
CREATE TABLE directory_asset_suggestions (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  suggested_by BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('waiting', 'approved', 'rejected')),
  name TEXT NOT NULL,
  asset_kind TEXT NOT NULL,
  what TEXT NOT NULL,
  place_name TEXT NOT NULL,
  address TEXT NOT NULL,
  town TEXT NOT NULL,
  postcode TEXT NOT NULL,
  when_text TEXT NOT NULL,
  who_for TEXT NOT NULL,
  contact_name TEXT NOT NULL,
  contact_phone TEXT NOT NULL,
  contact_email TEXT NOT NULL,
  website TEXT NOT NULL,
  told_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  decided_by BIGINT,
  decided_at BIGINT,
  reason TEXT,
  service_id BIGINT,
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, service_id) REFERENCES directory_services (partnership_id, id)
);
CREATE INDEX directory_asset_suggestions_queue ON directory_asset_suggestions (partnership_id, status, created_at);
CREATE INDEX directory_asset_suggestions_mine ON directory_asset_suggestions (partnership_id, suggested_by, created_at);
)SQL",
         {"directory_service_checks", "directory_asset_suggestions"}});
  directory_import_migrations(m);  // version 4: background imports (admin.cpp)
  // Children found by their parent: an import replaces a service's nested records and the API reads
  // them back per service and per place. Without these, each such statement read the whole table, so
  // importing 100,000 services took time that grew with the square of their number (bench/people_run).
  // "Near a postcode" reads thousands of places: the position index now carries everything that
  // search needs (is_private, the id) and so does the place-to-service one (with the service, for
  // matching), so neither table's rows are read until the page is chosen. It replaces the narrower
  // position index of version 2.
  m.add({"directory", 5, "directory children by parent, places by position",
         R"SQL(
DROP INDEX directory_locations_position;
CREATE INDEX directory_locations_near ON directory_locations (partnership_id, latitude, longitude, is_private, id);
CREATE INDEX directory_addresses_location ON directory_addresses (partnership_id, location_id);
CREATE INDEX directory_accessibility_location ON directory_accessibility (partnership_id, location_id);
CREATE INDEX directory_phones_contact ON directory_phones (partnership_id, contact_id);
CREATE INDEX directory_schedules_sal ON directory_schedules (partnership_id, service_at_location_id);
CREATE INDEX directory_sal_location ON directory_service_at_locations (partnership_id, location_id, service_id, id);
CREATE INDEX directory_org_identifiers_org ON directory_organisation_identifiers (partnership_id, directory_organisation_id);
)SQL",
         {}});
  // A stamp per partnership that changes in the same transaction as any change to what the in-memory
  // place index (place_index.cpp) holds: places, the services at them, services and their topics.
  // Triggers rather than code in each writer, so no writer (importer, edit form, survey, a later
  // module, a hand-run SQL fix) can forget, and every process sharing the database sees the change.
  // The stamp is random, not a counter, so an index cached for one database can never be taken for
  // another's (tests open many databases in one process). On PostgreSQL the stamp changes once per
  // transaction (a transaction-local setting remembers it did): rewriting one row 400,000 times in an
  // import's single transaction would leave a chain of row versions each later write must walk; and
  // its triggers run once per statement (a multi-row INSERT of the importer is one), not per row.
  std::string sqlite_triggers, pg_triggers;
  for (const char* t : {"directory_locations", "directory_service_at_locations", "directory_services",
                        "directory_attributes"}) {
    std::string table = t;
    for (const auto& [op, row] : {std::pair<std::string, std::string>{"INSERT", "NEW"}, {"UPDATE", "NEW"}, {"DELETE", "OLD"}})
      sqlite_triggers += "CREATE TRIGGER " + table + "_stamp_" + op + " AFTER " + op + " ON " + table +
                         " BEGIN INSERT INTO directory_generations (partnership_id, stamp) VALUES (" + row +
                         ".partnership_id, random()) ON CONFLICT (partnership_id) DO UPDATE SET stamp = excluded.stamp; END;\n";
    for (const auto& [op, row] : {std::pair<std::string, std::string>{"INSERT", "NEW"}, {"UPDATE", "NEW"}, {"DELETE", "OLD"}})
      pg_triggers += "CREATE TRIGGER " + table + "_stamp_" + op + " AFTER " + op + " ON " + table + " REFERENCING " + row +
                     " TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION directory_restamp();\n";
  }
  m.add({"directory", 6, "directory change stamp for the in-memory place index",
         R"SQL(
CREATE TABLE directory_generations (
  partnership_id BIGINT PRIMARY KEY REFERENCES partnerships (id),
  stamp BIGINT NOT NULL
);
{{sqlite}}
INSERT INTO directory_generations (partnership_id, stamp) SELECT id, random() FROM partnerships;
{{end}}
{{postgres}}
INSERT INTO directory_generations (partnership_id, stamp)
  SELECT id, (random() * 9.0e18)::bigint FROM partnerships;
CREATE FUNCTION directory_restamp() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  p BIGINT;
  done TEXT := coalesce(current_setting('coproduce.directory_restamped', true), '');
BEGIN
  FOR p IN SELECT DISTINCT partnership_id FROM changed LOOP
    IF position(',' || p || ',' IN done) = 0 THEN
      INSERT INTO directory_generations (partnership_id, stamp) VALUES (p, (random() * 9.0e18)::bigint)
        ON CONFLICT (partnership_id) DO UPDATE SET stamp = excluded.stamp;
      done := done || ',' || p || ',';
      PERFORM set_config('coproduce.directory_restamped', done, true);
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
{{end}}
)SQL" + std::string("{{sqlite}}") + sqlite_triggers + "{{end}}{{postgres}}" + pg_triggers + "{{end}}",
         {"directory_generations"}});
  // Matching's candidates now come whole from the kept services index (place_index.cpp), details and
  // all: opening days (schedules), cost options and the names of topics and eligibility groups. So a
  // change to any of those must move the stamp as well, in the same way as version 6.
  std::string sqlite_more, pg_more;
  for (const char* t : {"directory_schedules", "directory_cost_options", "directory_taxonomy_terms"}) {
    std::string table = t;
    for (const auto& [op, row] : {std::pair<std::string, std::string>{"INSERT", "NEW"}, {"UPDATE", "NEW"}, {"DELETE", "OLD"}}) {
      sqlite_more += "CREATE TRIGGER " + table + "_stamp_" + op + " AFTER " + op + " ON " + table +
                     " BEGIN INSERT INTO directory_generations (partnership_id, stamp) VALUES (" + row +
                     ".partnership_id, random()) ON CONFLICT (partnership_id) DO UPDATE SET stamp = excluded.stamp; END;\n";
      pg_more += "CREATE TRIGGER " + table + "_stamp_" + op + " AFTER " + op + " ON " + table + " REFERENCING " + row +
                 " TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION directory_restamp();\n";
    }
  }
  m.add({"directory", 7, "directory change stamp also for schedules, costs and topic names",
         "{{sqlite}}" + sqlite_more + "{{end}}{{postgres}}" + pg_more + "{{end}}", {}});
  // A nested record that must have its parent (an address its place, a phone its contact) is held to
  // its partnership by the parent: the key (partnership_id, parent) must match a row of the parent
  // with the same partnership, and the parent's own partnership must exist. Its separate key to
  // partnerships checked the same thing again for every row written: on PostgreSQL, where each such
  // check is a query of its own, that was about a tenth of a 100,000-service import (700,000 checks).
  // So PostgreSQL drops them; opening times, whose parent may be the service or the service at a
  // place, keep theirs, as do the records at the top (services, places, topics' lists). SQLite checks
  // keys inside the same call as the write, and its tables are left as they are.
  m.add({"directory", 8, "nested directory records held to their partnership through their parent",
         R"SQL(
{{postgres}}
DO $$
DECLARE
  c RECORD;
BEGIN
  FOR c IN
    SELECT k.conrelid::regclass AS tbl, k.conname
    FROM pg_constraint k
    WHERE k.contype = 'f' AND k.confrelid = 'partnerships'::regclass
      AND k.conrelid::regclass::text IN ('directory_addresses', 'directory_accessibility',
        'directory_service_at_locations', 'directory_cost_options', 'directory_contacts', 'directory_phones',
        'directory_service_areas', 'directory_languages', 'directory_funding',
        'directory_organisation_identifiers', 'directory_attributes')
  LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.tbl, c.conname);
  END LOOP;
END $$;
{{end}}
)SQL",
         {}});
  directory_welsh::migrations(m);  // Welsh text (welsh.cpp), under its own module name
  directory_moderation_migrations(m);  // assets hidden by moderators (moderation.cpp), its own name too
}

}  // namespace cp::modules
