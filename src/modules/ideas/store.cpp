#include <algorithm>

#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/ideas/ideas.hpp"

namespace cp::modules::ideas::store_fn {

namespace {

const char* kIdeaColumns =
    "SELECT i.id, i.board_kind, i.board_ref, i.title, i.body, i.status, i.status_reason, i.author_id, i.hidden,"
    " i.supports, (SELECT COUNT(*) FROM idea_comments c WHERE c.partnership_id = $1 AND c.idea_id = i.id AND c.hidden = 0),"
    " i.created_at, i.updated_at, i.title_cy, i.body_cy FROM ideas i WHERE i.partnership_id = $1";

std::string name_of(store::Scope& s, std::int64_t user) {
  auto c = AccountsModule::contact(s, user);
  return c ? c->name : std::string();
}

Idea idea_from(store::Scope& s, const store::Row& r) {
  Idea i;
  i.id = r.i64(0);
  i.board = {r.text(1), r.text(2)};
  i.title = r.text(3);
  i.body = r.text(4);
  i.status = r.text(5);
  i.status_reason = r.text(6);
  i.author_id = r.i64(7);
  i.hidden = r.boolean(8);
  i.supports = r.i64(9);
  i.comments = r.i64(10);
  i.created_at = r.i64(11);
  i.updated_at = r.i64(12);
  i.title_cy = r.text(13);
  i.body_cy = r.text(14);
  i.author = name_of(s, i.author_id);
  return i;
}

}  // namespace

std::vector<Problem> validate(const std::string& title, const std::string& body, const std::string& title_cy,
                              const std::string& body_cy) {
  std::vector<Problem> p;
  if (trim(title).empty() && trim(title_cy).empty()) p.push_back({"title", "ideas.error_title"});
  if (title.size() > 200) p.push_back({"title", "ideas.error_title_long"});
  if (title_cy.size() > 200) p.push_back({"title_cy", "ideas.error_title_long"});
  if (body.size() > 5000) p.push_back({"body", "ideas.error_body_long"});
  if (body_cy.size() > 5000) p.push_back({"body_cy", "ideas.error_body_long"});
  return p;
}

std::int64_t create(store::Scope& s, const Board& b, const std::string& title, const std::string& body,
                    std::int64_t author, const std::string& title_cy, const std::string& body_cy) {
  auto now = now_seconds();
  return s.insert({"idea.create", "idea", std::nullopt, b.kind + ":" + b.ref},
                  "INSERT INTO ideas (partnership_id, board_kind, board_ref, title, body, author_id, created_at,"
                  " updated_at, title_cy, body_cy) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9) RETURNING id",
                  {b.kind, b.ref, title, body, author, now, title_cy, body_cy});
}

std::optional<Idea> get(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string(kIdeaColumns) + " AND i.id = $2", {id});
  if (r.empty()) return std::nullopt;
  return idea_from(s, r.rows.front());
}

std::vector<Idea> board(store::Scope& s, const Board& b, bool with_hidden) {
  auto r = s.read(std::string(kIdeaColumns) + " AND i.board_kind = $2 AND i.board_ref = $3" +
                      (with_hidden ? "" : " AND i.hidden = 0") + " ORDER BY i.supports DESC, i.id",
                  {b.kind, b.ref});
  std::vector<Idea> out;
  for (const auto& row : r.rows) out.push_back(idea_from(s, row));
  return out;
}

std::vector<Idea> recent(store::Scope& s, std::int64_t limit) {
  auto r = s.read(std::string(kIdeaColumns) + " AND i.hidden = 0 ORDER BY i.id DESC LIMIT $2", {limit});
  std::vector<Idea> out;
  for (const auto& row : r.rows) out.push_back(idea_from(s, row));
  return out;
}

bool support(store::Scope& s, std::int64_t idea_id, std::int64_t user_id) {
  auto added = s.insert({"idea.support", "idea", idea_id, ""},
                        "INSERT INTO idea_supports (partnership_id, idea_id, user_id, created_at) VALUES ($1, $2, $3, $4)"
                        " ON CONFLICT DO NOTHING RETURNING idea_id",
                        {idea_id, user_id, now_seconds()});
  if (added == 0) return false;
  s.bookkeeping("UPDATE ideas SET supports = supports + 1 WHERE partnership_id = $1 AND id = $2", {idea_id});
  return true;
}

bool supports(store::Scope& s, std::int64_t idea_id, std::int64_t user_id) {
  return !s.read("SELECT 1 FROM idea_supports WHERE partnership_id = $1 AND idea_id = $2 AND user_id = $3",
                 {idea_id, user_id})
              .empty();
}

std::int64_t comment(store::Scope& s, std::int64_t idea_id, std::int64_t author, const std::string& body) {
  return s.insert({"idea.comment", "idea_comment", std::nullopt, "idea " + std::to_string(idea_id)},
                  "INSERT INTO idea_comments (partnership_id, idea_id, author_id, body, created_at)"
                  " VALUES ($1, $2, $3, $4, $5) RETURNING id",
                  {idea_id, author, body, now_seconds()});
}

std::vector<Comment> comments(store::Scope& s, std::int64_t idea_id, bool with_hidden) {
  auto r = s.read(std::string("SELECT id, author_id, body, hidden, created_at FROM idea_comments WHERE partnership_id = $1"
                              " AND idea_id = $2") +
                      (with_hidden ? "" : " AND hidden = 0") + " ORDER BY id",
                  {idea_id});
  std::vector<Comment> out;
  for (const auto& row : r.rows) {
    Comment c;
    c.id = row.i64(0);
    c.idea_id = idea_id;
    c.author_id = row.i64(1);
    c.body = row.text(2);
    c.hidden = row.boolean(3);
    c.created_at = row.i64(4);
    c.author = name_of(s, c.author_id);
    out.push_back(std::move(c));
  }
  return out;
}

std::optional<Comment> get_comment(store::Scope& s, std::int64_t id) {
  auto r = s.read("SELECT idea_id, author_id, body, hidden, created_at FROM idea_comments WHERE partnership_id = $1"
                  " AND id = $2",
                  {id});
  if (r.empty()) return std::nullopt;
  const auto& row = r.rows.front();
  return Comment{id, row.i64(0), row.i64(1), row.i64(4), name_of(s, row.i64(1)), row.text(2), row.boolean(3)};
}

std::optional<std::string> set_status(store::Scope& s, std::int64_t id, const std::string& status,
                                      const std::string& reason) {
  if (std::find(kStatuses.begin(), kStatuses.end(), status) == kStatuses.end()) return "ideas.error_status";
  if (status == "not_adopted" && reason.empty()) return "ideas.error_reason";
  if (reason.size() > 2000) return "ideas.error_reason_long";
  s.write({"idea.status", "idea", id, status},
          "UPDATE ideas SET status = $2, status_reason = $3, updated_at = $4 WHERE partnership_id = $1 AND id = $5",
          {status, reason, now_seconds(), id});
  return std::nullopt;
}

void set_hidden(store::Scope& s, const char* table, std::int64_t id, bool hidden) {
  std::int64_t flag = hidden ? 1 : 0;
  if (std::string(table) == "ideas")
    s.write({hidden ? "idea.hide" : "idea.restore", "idea", id, ""},
            "UPDATE ideas SET hidden = $2 WHERE partnership_id = $1 AND id = $3", {flag, id});
  else
    s.write({hidden ? "idea_comment.hide" : "idea_comment.restore", "idea_comment", id, ""},
            "UPDATE idea_comments SET hidden = $2 WHERE partnership_id = $1 AND id = $3", {flag, id});
}

}  // namespace cp::modules::ideas::store_fn
