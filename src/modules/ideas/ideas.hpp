// Idea boards: one per lab (an event) and one per service. Anyone signed in to the partnership puts
// an idea, comments and supports it (once each, enforced by the database); staff move it along
// new -> discussed -> being tried -> adopted / not adopted (with a reason), and an adopted idea can
// become an agreed action in the "we talked, we did together" tracker. Ideas and comments go
// through the partnership's moderation queue; hidden ones are not shown.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"

namespace cp::modules::ideas {

inline const std::vector<std::string> kStatuses = {"new", "discussed", "trying", "adopted", "not_adopted"};

// Which board an idea sits on: a lab ("event", its id) or a service ("service", its ORUK id).
struct Board {
  std::string kind;
  std::string ref;
  bool operator==(const Board&) const = default;
};

struct Idea {
  std::int64_t id = 0;
  Board board;
  std::string title, body, status, status_reason;
  std::string title_cy, body_cy;  // Welsh versions, "" when the author gave none (web/bilingual.hpp)
  std::int64_t author_id = 0;
  std::string author;  // the account's name
  bool hidden = false;
  std::int64_t supports = 0, comments = 0;
  std::int64_t created_at = 0, updated_at = 0;
};

struct Comment {
  std::int64_t id = 0, idea_id = 0, author_id = 0, created_at = 0;
  std::string author, body;
  bool hidden = false;
};

struct Problem {
  std::string field, key;
};

namespace policy {
bool can_view(const std::optional<auth::Actor>& a);
bool can_post(const std::optional<auth::Actor>& a);  // also refused for blocked accounts, in the handler
bool can_review(const std::optional<auth::Actor>& a);  // change status, agree an action
}  // namespace policy

namespace store_fn {
// A title is needed in English or in Welsh (either is enough); each text has a length limit.
std::vector<Problem> validate(const std::string& title, const std::string& body, const std::string& title_cy = "",
                              const std::string& body_cy = "");
std::int64_t create(store::Scope& s, const Board& b, const std::string& title, const std::string& body,
                    std::int64_t author, const std::string& title_cy = "", const std::string& body_cy = "");
std::optional<Idea> get(store::Scope& s, std::int64_t id);
// A board's ideas, most supported first; hidden ones only when `with_hidden`.
std::vector<Idea> board(store::Scope& s, const Board& b, bool with_hidden = false);
// Every visible idea on any board, newest first.
std::vector<Idea> recent(store::Scope& s, std::int64_t limit);
// False when the person already supports it (the primary key says so, even under a race).
bool support(store::Scope& s, std::int64_t idea_id, std::int64_t user_id);
bool supports(store::Scope& s, std::int64_t idea_id, std::int64_t user_id);
std::int64_t comment(store::Scope& s, std::int64_t idea_id, std::int64_t author, const std::string& body);
std::vector<Comment> comments(store::Scope& s, std::int64_t idea_id, bool with_hidden = false);
std::optional<Comment> get_comment(store::Scope& s, std::int64_t id);
// "not_adopted" needs a reason; returns the problem key when refused.
std::optional<std::string> set_status(store::Scope& s, std::int64_t id, const std::string& status,
                                      const std::string& reason);
void set_hidden(store::Scope& s, const char* table, std::int64_t id, bool hidden);
// Visible ideas, all of them ("") or in one status (for contribution evidence; figures.cpp).
std::int64_t count(store::Scope& s, const std::string& status);
}  // namespace store_fn

// Demo data: ideas on a board (idempotent). Returns the ideas' ids.
std::vector<std::int64_t> seed_demo(app::App& a, store::Scope& s, const Board& b, std::int64_t author,
                                    std::int64_t other);

class IdeasModule : public app::Module {
 public:
  std::string name() const override { return "ideas"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
};

}  // namespace cp::modules::ideas
