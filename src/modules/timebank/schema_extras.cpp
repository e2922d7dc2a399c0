// Tables for awards and rotas (migration 2). Reports need none: they aggregate the ledger.
#include "modules/timebank/extras.hpp"

namespace cp::modules::timebank {

void add_extra_migrations(store::Migrations& m) {
  m.add({"timebank", 2, "timebank recognition awards and volunteer rotas",
         R"SQL(
CREATE TABLE timebank_awards (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  nominee_id BIGINT NOT NULL,
  nominator_id BIGINT NOT NULL,
  kind TEXT NOT NULL,
  reason TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'declined')),
  decided_by BIGINT,
  created_at BIGINT NOT NULL,
  decided_at BIGINT,
  CHECK (nominee_id <> nominator_id),
  FOREIGN KEY (partnership_id, nominee_id) REFERENCES timebank_members (partnership_id, id),
  FOREIGN KEY (partnership_id, nominator_id) REFERENCES timebank_members (partnership_id, id)
);
-- One open nomination per nominator per member; once decided, a new one may be made.
CREATE UNIQUE INDEX timebank_awards_one_open ON timebank_awards (partnership_id, nominator_id, nominee_id)
  WHERE status = 'pending';
CREATE INDEX timebank_awards_by_status ON timebank_awards (partnership_id, status, decided_at);
CREATE INDEX timebank_awards_nominee ON timebank_awards (partnership_id, nominee_id, status);

CREATE TABLE timebank_rotas (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  title TEXT NOT NULL,
  details TEXT NOT NULL DEFAULT '',
  helped_member BIGINT NOT NULL,
  payer TEXT NOT NULL CHECK (payer IN ('helped', 'pot')),
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
  time_of_day TEXT NOT NULL,
  quarters BIGINT NOT NULL CHECK (quarters > 0 AND quarters <= 96),
  weeks INTEGER NOT NULL CHECK (weeks BETWEEN 1 AND 26),
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, helped_member) REFERENCES timebank_members (partnership_id, id)
);
CREATE TABLE timebank_rota_slots (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  rota_id BIGINT NOT NULL,
  slot_date TEXT NOT NULL,
  starts_at BIGINT NOT NULL,
  volunteer_member BIGINT,
  signed_up_at BIGINT,
  volunteer_confirmed_at BIGINT,
  helped_confirmed_at BIGINT,
  broker_user_id BIGINT,
  transfer_id BIGINT,
  UNIQUE (partnership_id, rota_id, slot_date),
  UNIQUE (partnership_id, transfer_id),
  FOREIGN KEY (partnership_id, rota_id) REFERENCES timebank_rotas (partnership_id, id),
  FOREIGN KEY (partnership_id, volunteer_member) REFERENCES timebank_members (partnership_id, id)
);
CREATE INDEX timebank_rota_slots_volunteer ON timebank_rota_slots (partnership_id, volunteer_member, starts_at);
)SQL",
         {"timebank_awards", "timebank_rotas", "timebank_rota_slots"}});
}

}  // namespace cp::modules::timebank
