#include "modules/timebank/extras.hpp"

namespace cp::modules {

void TimebankModule::migrations(store::Migrations& m) const {
  m.add({"timebank", 1, "timebank members, listings, exchanges and ledger",
         R"SQL(
CREATE TABLE timebank_settings (
  partnership_id BIGINT PRIMARY KEY REFERENCES partnerships (id),
  min_balance BIGINT NOT NULL DEFAULT -40,
  pot_member_id BIGINT,
  updated_at BIGINT NOT NULL
);
CREATE TABLE timebank_members (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  kind TEXT NOT NULL CHECK (kind IN ('person', 'organisation', 'pot')),
  user_id BIGINT,
  organisation_id BIGINT,
  name TEXT NOT NULL,
  sort_name TEXT NOT NULL,
  can_do TEXT NOT NULL DEFAULT '',
  outcode TEXT NOT NULL DEFAULT '',
  offline INTEGER NOT NULL DEFAULT 0,
  balance BIGINT NOT NULL DEFAULT 0,
  given BIGINT NOT NULL DEFAULT 0,
  joined_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  UNIQUE (partnership_id, user_id),
  UNIQUE (partnership_id, organisation_id)
);
CREATE INDEX timebank_members_by_name ON timebank_members (partnership_id, sort_name, id);

CREATE TABLE timebank_listings (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  member_id BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('offer', 'request')),
  title TEXT NOT NULL,
  details TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL,
  quarters BIGINT NOT NULL DEFAULT 0,
  outcode TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  search_text TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  FOREIGN KEY (partnership_id, member_id) REFERENCES timebank_members (partnership_id, id)
);
CREATE INDEX timebank_listings_browse ON timebank_listings (partnership_id, kind, status, created_at);
CREATE INDEX timebank_listings_member ON timebank_listings (partnership_id, member_id);

CREATE TABLE timebank_exchanges (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  provider_id BIGINT NOT NULL,
  receiver_id BIGINT NOT NULL,
  quarters BIGINT NOT NULL CHECK (quarters > 0 AND quarters <= 96),
  description TEXT NOT NULL,
  listing_id BIGINT,
  status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'disputed', 'cancelled')),
  recorded_by_member BIGINT NOT NULL,
  recorded_by_user BIGINT,
  broker_user_id BIGINT,
  transfer_id BIGINT,
  created_at BIGINT NOT NULL,
  decided_at BIGINT,
  UNIQUE (partnership_id, id),
  CHECK (provider_id <> receiver_id),
  FOREIGN KEY (partnership_id, provider_id) REFERENCES timebank_members (partnership_id, id),
  FOREIGN KEY (partnership_id, receiver_id) REFERENCES timebank_members (partnership_id, id)
);
CREATE INDEX timebank_exchanges_provider ON timebank_exchanges (partnership_id, provider_id, status);
CREATE INDEX timebank_exchanges_receiver ON timebank_exchanges (partnership_id, receiver_id, status);

-- The ledger. A transfer is the journal entry; its movements are the two postings.
CREATE TABLE timebank_transfers (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  kind TEXT NOT NULL,
  from_member BIGINT NOT NULL,
  to_member BIGINT NOT NULL,
  quarters BIGINT NOT NULL CHECK (quarters > 0),
  memo TEXT NOT NULL DEFAULT '',
  counted_given INTEGER NOT NULL DEFAULT 0,
  exchange_id BIGINT,
  reverses_id BIGINT,
  actor_user_id BIGINT,
  broker_user_id BIGINT,
  at_ms BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  UNIQUE (partnership_id, exchange_id),
  UNIQUE (partnership_id, reverses_id),
  CHECK (from_member <> to_member),
  FOREIGN KEY (partnership_id, from_member) REFERENCES timebank_members (partnership_id, id),
  FOREIGN KEY (partnership_id, to_member) REFERENCES timebank_members (partnership_id, id)
);
CREATE TABLE timebank_movements (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  transfer_id BIGINT NOT NULL,
  member_id BIGINT NOT NULL,
  quarters BIGINT NOT NULL CHECK (quarters <> 0),
  at_ms BIGINT NOT NULL,
  FOREIGN KEY (partnership_id, transfer_id) REFERENCES timebank_transfers (partnership_id, id),
  FOREIGN KEY (partnership_id, member_id) REFERENCES timebank_members (partnership_id, id)
);
-- Covers "balance for a member" (an index-only sum) and a member's history in order.
CREATE INDEX timebank_movements_member ON timebank_movements (partnership_id, member_id, id, quarters);
CREATE INDEX timebank_movements_transfer ON timebank_movements (partnership_id, transfer_id);
CREATE INDEX timebank_movements_time ON timebank_movements (partnership_id, at_ms);
{{append_only:timebank_transfers}}
{{append_only:timebank_movements}}

CREATE TABLE timebank_thanks (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  exchange_id BIGINT NOT NULL,
  from_member BIGINT NOT NULL,
  to_member BIGINT NOT NULL,
  message TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (partnership_id, exchange_id, from_member),
  FOREIGN KEY (partnership_id, exchange_id) REFERENCES timebank_exchanges (partnership_id, id)
);
CREATE INDEX timebank_thanks_to ON timebank_thanks (partnership_id, to_member, created_at);

CREATE TABLE timebank_milestones (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  member_id BIGINT NOT NULL,
  hours BIGINT NOT NULL,
  transfer_id BIGINT NOT NULL,
  reached_at BIGINT NOT NULL,
  UNIQUE (partnership_id, member_id, hours),
  FOREIGN KEY (partnership_id, member_id) REFERENCES timebank_members (partnership_id, id)
);
)SQL",
         {"timebank_settings", "timebank_members", "timebank_listings", "timebank_exchanges", "timebank_transfers",
          "timebank_movements", "timebank_thanks", "timebank_milestones"}});
  timebank::add_extra_migrations(m);
}

}  // namespace cp::modules
