#include "modules/notifications/notifications.hpp"

namespace cp::modules::notifications {

void NotificationsModule::migrations(store::Migrations& m) const {
  // email_state follows a notice through the sender: 'none' (page only), 'pending' (immediate,
  // waiting or retrying), 'sending' (claimed by a sender), 'sent', 'failed' (gave up), 'digest'
  // (waiting for the weekly digest), 'digested' (went out in one), 'expired' (too old to be worth
  // emailing, e.g. queued while no mail server was configured).
  m.add({"notifications", 1, "notices and delivery preferences",
         R"SQL(
CREATE TABLE notices (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  user_id BIGINT NOT NULL,
  msg_key TEXT NOT NULL,
  args TEXT NOT NULL DEFAULT '{}',
  link TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  read_at BIGINT,
  email_state TEXT NOT NULL DEFAULT 'none'
    CHECK (email_state IN ('none', 'pending', 'sending', 'sent', 'failed', 'digest', 'digested', 'expired')),
  email_attempts BIGINT NOT NULL DEFAULT 0,
  email_next_at BIGINT NOT NULL DEFAULT 0,
  email_error TEXT NOT NULL DEFAULT '',
  FOREIGN KEY (partnership_id, user_id) REFERENCES users (partnership_id, id)
);
CREATE INDEX notices_by_user ON notices (partnership_id, user_id, created_at);
CREATE INDEX notices_unread ON notices (partnership_id, user_id, read_at);
CREATE INDEX notices_email ON notices (email_state, email_next_at);

CREATE TABLE notice_prefs (
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  user_id BIGINT NOT NULL,
  delivery TEXT NOT NULL DEFAULT 'immediate' CHECK (delivery IN ('immediate', 'digest', 'none')),
  digest_attempts BIGINT NOT NULL DEFAULT 0,
  digest_retry_at BIGINT NOT NULL DEFAULT 0,
  last_digest_at BIGINT NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (partnership_id, user_id),
  FOREIGN KEY (partnership_id, user_id) REFERENCES users (partnership_id, id)
);
)SQL",
         {"notices", "notice_prefs"}});
}

}  // namespace cp::modules::notifications
