#include "modules/ideas/ideas.hpp"

namespace cp::modules::ideas {

void IdeasModule::migrations(store::Migrations& m) const {
  m.add({"ideas", 1, "idea boards",
         R"SQL(
CREATE TABLE ideas (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  board_kind TEXT NOT NULL CHECK (board_kind IN ('event', 'service')),
  board_ref TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  author_id BIGINT NOT NULL,
  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'discussed', 'trying', 'adopted', 'not_adopted')),
  status_reason TEXT NOT NULL DEFAULT '',
  hidden INTEGER NOT NULL DEFAULT 0,
  supports BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK (status <> 'not_adopted' OR status_reason <> ''),
  UNIQUE (partnership_id, id)
);
CREATE INDEX ideas_board ON ideas (partnership_id, board_kind, board_ref, supports);
CREATE TABLE idea_supports (
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  idea_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (partnership_id, idea_id, user_id),
  FOREIGN KEY (partnership_id, idea_id) REFERENCES ideas (partnership_id, id)
);
CREATE TABLE idea_comments (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  idea_id BIGINT NOT NULL,
  author_id BIGINT NOT NULL,
  body TEXT NOT NULL,
  hidden INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, idea_id) REFERENCES ideas (partnership_id, id)
);
CREATE INDEX idea_comments_idea ON idea_comments (partnership_id, idea_id, id);
)SQL",
         {"ideas", "idea_supports", "idea_comments"}});
  // Welsh versions of an idea's title and words, beside the English (web/bilingual.hpp). An idea may
  // be written in Welsh only, so the English title may now be empty when the Welsh one is not.
  m.add({"ideas", 2, "Welsh versions of ideas",
         R"SQL(
ALTER TABLE ideas ADD COLUMN title_cy TEXT NOT NULL DEFAULT '';
ALTER TABLE ideas ADD COLUMN body_cy TEXT NOT NULL DEFAULT '';
)SQL",
         {}});
}

}  // namespace cp::modules::ideas
