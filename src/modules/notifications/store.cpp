#include <boost/json.hpp>

#include "core/util.hpp"
#include "modules/notifications/notifications.hpp"

namespace cp::modules::notifications {

namespace json = boost::json;

std::string to_string(Delivery d) {
  switch (d) {
    case Delivery::immediate: return "immediate";
    case Delivery::digest: return "digest";
    case Delivery::none: return "none";
  }
  return "immediate";
}

std::optional<Delivery> parse_delivery(const std::string& s) {
  if (s == "immediate") return Delivery::immediate;
  if (s == "digest") return Delivery::digest;
  if (s == "none") return Delivery::none;
  return std::nullopt;
}

namespace {

std::string encode_args(const std::vector<std::pair<std::string, std::string>>& args) {
  json::object o;
  for (const auto& [k, v] : args) o[k] = v;
  return json::serialize(o);
}

std::vector<std::pair<std::string, std::string>> decode_args(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return out;
  for (const auto& [k, val] : v.as_object())
    if (val.is_string()) out.emplace_back(std::string(k), std::string(val.as_string()));
  return out;
}

Notice from_row(const store::Row& r) {
  Notice n;
  n.id = r.i64(0);
  n.user_id = r.i64(1);
  n.key = r.text(2);
  n.args = decode_args(r.text(3));
  n.link = r.text(4);
  n.created_at = r.i64(5);
  n.read_at = r.opt_i64(6);
  return n;
}

constexpr const char* kCols = "id, user_id, msg_key, args, link, created_at, read_at";

}  // namespace

Notice notice_from_row(const store::Row& r) { return from_row(r); }

void notify(store::Scope& s, std::int64_t user_id, const std::string& key,
            const std::vector<std::pair<std::string, std::string>>& args, const std::string& link) {
  if (user_id <= 0 || key.empty()) return;
  // Only links inside the site: a notice is never a way to send someone elsewhere.
  std::string safe_link = (link.size() > 1 && link[0] == '/' && link[1] != '/') ? link : std::string();
  auto d = delivery(s, user_id);
  std::string state = d == Delivery::immediate ? "pending" : d == Delivery::digest ? "digest" : "none";
  auto now = now_seconds();
  s.insert({"notice.create", "notice", std::nullopt, key},
           "INSERT INTO notices (partnership_id, user_id, msg_key, args, link, created_at, email_state, email_next_at)"
           " VALUES ($1, $2, $3, $4, $5, $6, $7, $6) RETURNING id",
           {user_id, key, encode_args(args), safe_link, now, state});
}

std::int64_t unread_count(store::Scope& s, std::int64_t user_id) {
  return s.read("SELECT COUNT(*) FROM notices WHERE partnership_id = $1 AND user_id = $2 AND read_at IS NULL",
                {user_id})
      .one()
      .i64(0);
}

NoticePage list(store::Scope& s, std::int64_t user_id, bool unread_only, std::int64_t page, std::int64_t per_page) {
  NoticePage out;
  std::string where = " FROM notices WHERE partnership_id = $1 AND user_id = $2";
  if (unread_only) where += " AND read_at IS NULL";
  out.total = s.read("SELECT COUNT(*)" + where, {user_id}).one().i64(0);
  auto r = s.read(std::string("SELECT ") + kCols + where + " ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4",
                  {user_id, per_page, (page - 1) * per_page});
  for (const auto& row : r.rows) out.items.push_back(from_row(row));
  return out;
}

// Reading a notice is the person's own bookkeeping, not a change to a record anyone audits.
bool mark_read(store::Scope& s, std::int64_t user_id, std::int64_t notice_id) {
  return s.bookkeeping("UPDATE notices SET read_at = $4 WHERE partnership_id = $1 AND user_id = $2 AND id = $3"
                       " AND read_at IS NULL",
                       {user_id, notice_id, now_seconds()})
             .affected > 0;
}

std::int64_t mark_all_read(store::Scope& s, std::int64_t user_id) {
  return s.bookkeeping("UPDATE notices SET read_at = $3 WHERE partnership_id = $1 AND user_id = $2 AND read_at IS NULL",
                       {user_id, now_seconds()})
      .affected;
}

Delivery delivery(store::Scope& s, std::int64_t user_id) {
  auto r = s.read("SELECT delivery FROM notice_prefs WHERE partnership_id = $1 AND user_id = $2", {user_id});
  if (r.empty()) return Delivery::immediate;
  return parse_delivery(r.one().text(0)).value_or(Delivery::immediate);
}

void set_delivery(store::Scope& s, std::int64_t user_id, Delivery d) {
  auto now = now_seconds();
  auto changed = s.write({"notice.preference", "user", user_id, to_string(d)},
                         "UPDATE notice_prefs SET delivery = $3, updated_at = $4 WHERE partnership_id = $1 AND user_id = $2",
                         {user_id, to_string(d), now});
  if (changed == 0)
    s.insert({"notice.preference", "user", user_id, to_string(d)},
             "INSERT INTO notice_prefs (partnership_id, user_id, delivery, updated_at) VALUES ($1, $2, $3, $4)"
             " RETURNING user_id",
             {user_id, to_string(d), now});
  // Notices already waiting follow the new choice, so nobody gets mail they just turned off.
  // Notices that were page-only stay so: switching on email does not send a backlog.
  std::string to = d == Delivery::immediate ? "pending" : d == Delivery::digest ? "digest" : "none";
  std::string from = d == Delivery::immediate ? "'digest'" : d == Delivery::digest ? "'pending'" : "'pending', 'digest'";
  s.bookkeeping("UPDATE notices SET email_state = $3, email_next_at = $4 WHERE partnership_id = $1 AND user_id = $2"
                " AND email_state IN (" + from + ")",
                {user_id, to, now});
}

std::string render(const web::Catalogue& c, const std::string& lang, const Notice& n) {
  return c.t(lang, n.key, n.args);
}

}  // namespace cp::modules::notifications
