#include <algorithm>

#include "core/util.hpp"
#include "modules/ratings/ratings.hpp"

namespace cp::modules::ratings::ratings_store {

namespace {

constexpr const char* kColumns =
    "SELECT id, service_id, user_id, stars, comment, verified_by, verified_at, hidden, response, response_by,"
    " response_at, created_at, updated_at FROM ratings WHERE partnership_id = $1";

Rating to_rating(const store::Row& r) {
  Rating x;
  x.id = r.i64(0);
  x.service_id = r.i64(1);
  x.user_id = r.i64(2);
  x.stars = static_cast<int>(r.i64(3));
  x.comment = r.text(4);
  x.verified_by = r.opt_i64(5);
  x.verified_at = r.opt_i64(6);
  x.hidden = r.boolean(7);
  x.response = r.text(8);
  x.response_by = r.opt_i64(9);
  x.response_at = r.opt_i64(10);
  x.created_at = r.i64(11);
  x.updated_at = r.i64(12);
  return x;
}

// Length in characters, not bytes, so Welsh accents count once.
std::size_t chars(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

Distribution distribution(store::Scope& s, std::int64_t service_id) {
  Distribution d;
  auto r = s.read("SELECT stars, COUNT(*) FROM ratings WHERE partnership_id = $1 AND service_id = $2 AND hidden = 0"
                  " GROUP BY stars",
                  {service_id});
  std::int64_t sum = 0;
  for (const auto& row : r.rows) {
    auto stars = row.i64(0);
    if (stars < 1 || stars > 5) continue;
    d.counts[static_cast<std::size_t>(stars - 1)] = row.i64(1);
    d.total += row.i64(1);
    sum += stars * row.i64(1);
  }
  if (d.total > 0) d.average = static_cast<double>(sum) / static_cast<double>(d.total);
  return d;
}

RatingPage list(store::Scope& s, std::int64_t service_id, std::int64_t page, std::int64_t per_page) {
  RatingPage out;
  out.total = s.read("SELECT COUNT(*) FROM ratings WHERE partnership_id = $1 AND service_id = $2 AND hidden = 0",
                     {service_id})
                  .one()
                  .i64(0);
  auto r = s.read(std::string(kColumns) +
                      " AND service_id = $2 AND hidden = 0 ORDER BY updated_at DESC, id DESC LIMIT $3 OFFSET $4",
                  {service_id, per_page, (page - 1) * per_page});
  for (const auto& row : r.rows) out.items.push_back(to_rating(row));
  return out;
}

std::optional<Rating> get(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string(kColumns) + " AND id = $2", {id});
  if (r.empty()) return std::nullopt;
  return to_rating(r.one());
}

std::optional<Rating> mine(store::Scope& s, std::int64_t service_id, std::int64_t user_id) {
  auto r = s.read(std::string(kColumns) + " AND service_id = $2 AND user_id = $3", {service_id, user_id});
  if (r.empty()) return std::nullopt;
  return to_rating(r.one());
}

std::vector<std::pair<std::string, std::string>> validate(int stars, const std::string& comment) {
  std::vector<std::pair<std::string, std::string>> out;
  if (stars < 1 || stars > 5) out.emplace_back("stars", "ratings.error_stars");
  if (chars(comment) > kMaxComment) out.emplace_back("comment", "ratings.error_comment_long");
  return out;
}

std::int64_t rate(store::Scope& s, std::int64_t service_id, std::int64_t user_id, int stars, const std::string& comment) {
  auto now = now_seconds();
  auto change = [&](std::int64_t id) {
    s.write({"rating.change", "rating", id, std::to_string(stars)},
            "UPDATE ratings SET stars = $3, comment = $4, updated_at = $5, verified_by = NULL, verified_at = NULL"
            " WHERE partnership_id = $1 AND id = $2",
            {id, static_cast<std::int64_t>(stars), comment, now});
    return id;
  };
  if (auto existing = mine(s, service_id, user_id)) return change(existing->id);
  // The unique key makes a second rating impossible; a double submit that races past the check
  // above gets the constraint, and the person's rating simply becomes the one they sent.
  auto id = s.insert({"rating.create", "rating", std::nullopt, std::to_string(stars)},
                     "INSERT INTO ratings (partnership_id, service_id, user_id, stars, comment, created_at, updated_at)"
                     " VALUES ($1, $2, $3, $4, $5, $6, $6)"
                     " ON CONFLICT (partnership_id, service_id, user_id) DO NOTHING RETURNING id",
                     {service_id, user_id, static_cast<std::int64_t>(stars), comment, now});
  if (id != 0) return id;
  return change(mine(s, service_id, user_id)->id);
}

bool verify(store::Scope& s, std::int64_t id, std::int64_t by_user) {
  return s.write({"rating.verify", "rating", id, ""},
                 "UPDATE ratings SET verified_by = $3, verified_at = $4 WHERE partnership_id = $1 AND id = $2"
                 " AND verified_by IS NULL",
                 {id, by_user, now_seconds()}) > 0;
}

bool respond(store::Scope& s, std::int64_t id, std::int64_t by_user, const std::string& text) {
  if (text.empty())
    return s.write({"rating.response.remove", "rating", id, ""},
                   "UPDATE ratings SET response = '', response_by = NULL, response_at = NULL"
                   " WHERE partnership_id = $1 AND id = $2",
                   {id}) > 0;
  return s.write({"rating.response", "rating", id, ""},
                 "UPDATE ratings SET response = $3, response_by = $4, response_at = $5 WHERE partnership_id = $1 AND id = $2",
                 {id, text, by_user, now_seconds()}) > 0;
}

bool set_hidden(store::Scope& s, std::int64_t id, bool hidden) {
  return s.write({hidden ? "rating.hide" : "rating.restore", "rating", id, ""},
                 "UPDATE ratings SET hidden = $3 WHERE partnership_id = $1 AND id = $2 AND hidden <> $3",
                 {id, static_cast<std::int64_t>(hidden ? 1 : 0)}) > 0;
}

}  // namespace cp::modules::ratings::ratings_store
