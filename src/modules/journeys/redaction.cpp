// Erasure inside the two append-only journeys tables.
//
// journey_plan_history (every saved version of a goal or step) and journey_consent_events (every
// grant and withdrawal) refuse UPDATE and DELETE, so nobody can rewrite a person's history. An
// erasure must still remove the words in them. This migration narrows the guard instead of removing
// it: one kind of UPDATE is let through, a redaction, which
//   - sets redacted_at (once: a row already redacted cannot be changed again),
//   - blanks the text columns (the plan item's summary and the name of who saved it; the name of
//     who changed a consent),
//   - and leaves every other column exactly as it was (ids, version, dates, who by account id,
//     which organisation, which part, grant or withdraw), so counts and the order of events stay.
// DELETE is still refused, and any other UPDATE still fails as before. The audit trail records
// that a redaction happened (action, record id and row count, never the text).
#include "core/util.hpp"
#include "modules/journeys/journeys.hpp"

namespace cp::modules {

void journeys_redaction_migrations(store::Migrations& m) {
  // Its own migration key, so the journeys module's own version numbers stay free.
  m.add({"journeys_redaction", 1, "let erasure blank the text of append-only plan and consent history",
         R"SQL(
ALTER TABLE journey_plan_history ADD COLUMN redacted_at BIGINT;
ALTER TABLE journey_consent_events ADD COLUMN redacted_at BIGINT;
{{sqlite}}
DROP TRIGGER journey_plan_history_no_update;
CREATE TRIGGER journey_plan_history_no_update BEFORE UPDATE ON journey_plan_history
WHEN NOT (OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL AND NEW.summary = '' AND NEW.by_name = ''
  AND NEW.id = OLD.id AND NEW.partnership_id = OLD.partnership_id AND NEW.item_type = OLD.item_type
  AND NEW.item_id = OLD.item_id AND NEW.version = OLD.version AND NEW.by_user IS OLD.by_user AND NEW.at = OLD.at)
BEGIN SELECT RAISE(ABORT, 'journey_plan_history is append-only'); END;
DROP TRIGGER journey_consent_events_no_update;
CREATE TRIGGER journey_consent_events_no_update BEFORE UPDATE ON journey_consent_events
WHEN NOT (OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL AND NEW.by_name = ''
  AND NEW.id = OLD.id AND NEW.partnership_id = OLD.partnership_id AND NEW.person_id = OLD.person_id
  AND NEW.organisation_id = OLD.organisation_id AND NEW.part = OLD.part AND NEW.action = OLD.action
  AND NEW.by_user IS OLD.by_user AND NEW.at = OLD.at)
BEGIN SELECT RAISE(ABORT, 'journey_consent_events is append-only'); END;
{{end}}
{{postgres}}
CREATE OR REPLACE FUNCTION journey_plan_history_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
  IF TG_OP = 'UPDATE' AND OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL AND NEW.summary = ''
     AND NEW.by_name = '' AND NEW.id = OLD.id AND NEW.partnership_id = OLD.partnership_id
     AND NEW.item_type = OLD.item_type AND NEW.item_id = OLD.item_id AND NEW.version = OLD.version
     AND NEW.by_user IS NOT DISTINCT FROM OLD.by_user AND NEW.at = OLD.at THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'journey_plan_history is append-only';
END $$;
CREATE OR REPLACE FUNCTION journey_consent_events_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
  IF TG_OP = 'UPDATE' AND OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL AND NEW.by_name = ''
     AND NEW.id = OLD.id AND NEW.partnership_id = OLD.partnership_id AND NEW.person_id = OLD.person_id
     AND NEW.organisation_id = OLD.organisation_id AND NEW.part = OLD.part AND NEW.action = OLD.action
     AND NEW.by_user IS NOT DISTINCT FROM OLD.by_user AND NEW.at = OLD.at THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'journey_consent_events is append-only';
END $$;
{{end}}
)SQL",
         {}});
}

namespace journeys_store {

Redacted redact_history(store::Scope& s, std::int64_t person_id) {
  Redacted out;
  auto at = now_seconds();
  // Before the goals and steps themselves are deleted: the history names them by item id only.
  out.plan = s.write({"journey_plan_history.redact", "journey_person", person_id, "erasure"},
                     "UPDATE journey_plan_history SET summary = '', by_name = '', redacted_at = $3"
                     " WHERE partnership_id = $1 AND redacted_at IS NULL AND ("
                     "(item_type = 'goal' AND item_id IN (SELECT id FROM journey_goals WHERE partnership_id = $1"
                     " AND person_id = $2)) OR"
                     " (item_type = 'step' AND item_id IN (SELECT id FROM journey_steps WHERE partnership_id = $1"
                     " AND person_id = $2)))",
                     {person_id, at});
  out.consent = s.write({"journey_consent_events.redact", "journey_person", person_id, "erasure"},
                        "UPDATE journey_consent_events SET by_name = '', redacted_at = $3 WHERE partnership_id = $1"
                        " AND person_id = $2 AND redacted_at IS NULL",
                        {person_id, at});
  return out;
}

}  // namespace journeys_store

}  // namespace cp::modules
