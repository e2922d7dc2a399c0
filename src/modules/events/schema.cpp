#include "modules/events/events.hpp"

namespace cp::modules::events {

void EventsModule::migrations(store::Migrations& m) const {
  m.add({"events", 1, "co-production labs and events",
         R"SQL(
CREATE TABLE events (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  title TEXT NOT NULL,
  title_cy TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  description_cy TEXT NOT NULL DEFAULT '',
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  location_id TEXT NOT NULL DEFAULT '',
  place TEXT NOT NULL DEFAULT '',
  online_link TEXT NOT NULL DEFAULT '',
  access_info TEXT NOT NULL DEFAULT '',
  access_info_cy TEXT NOT NULL DEFAULT '',
  supports TEXT NOT NULL DEFAULT '',
  capacity BIGINT NOT NULL CHECK (capacity > 0),
  organiser_id BIGINT NOT NULL,
  uid TEXT NOT NULL,
  seat_generation BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  CHECK (ends_at > starts_at),
  UNIQUE (partnership_id, id),
  UNIQUE (partnership_id, uid)
);
CREATE INDEX events_when ON events (partnership_id, ends_at);
CREATE TABLE event_signups (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  event_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('booked', 'waiting', 'cancelled')),
  needs TEXT NOT NULL DEFAULT '',
  queued_at BIGINT NOT NULL,
  attended INTEGER,
  reminded_at BIGINT,
  UNIQUE (partnership_id, id),
  UNIQUE (partnership_id, event_id, user_id),
  FOREIGN KEY (partnership_id, event_id) REFERENCES events (partnership_id, id)
);
CREATE INDEX event_signups_event ON event_signups (partnership_id, event_id, status, queued_at);
CREATE TABLE event_expenses (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  event_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  amount_pence BIGINT NOT NULL CHECK (amount_pence > 0),
  what_for TEXT NOT NULL,
  paid_on TEXT NOT NULL,
  recorded_by BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, event_id) REFERENCES events (partnership_id, id)
);
CREATE INDEX event_expenses_event ON event_expenses (partnership_id, event_id, user_id);
)SQL",
         {"events", "event_signups", "event_expenses"}});
}

}  // namespace cp::modules::events
