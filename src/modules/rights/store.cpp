#include <set>

#include "core/util.hpp"
#include "modules/rights/rights.hpp"

namespace cp::modules {

void RightsModule::migrations(store::Migrations& m) const {
  m.add({"rights", 1, "correction requests and the record of erasures",
         R"SQL(
CREATE TABLE rights_requests (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  person_id BIGINT NOT NULL,
  user_id BIGINT,
  what_wrong TEXT NOT NULL,
  should_say TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'corrected', 'declined')),
  note TEXT NOT NULL DEFAULT '',
  resolved_by BIGINT,
  resolved_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX rights_requests_person ON rights_requests (partnership_id, person_id, created_at);
CREATE INDEX rights_requests_status ON rights_requests (partnership_id, status, created_at);
CREATE TABLE rights_erasures (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  at BIGINT NOT NULL,
  by_user BIGINT,
  by_role TEXT NOT NULL CHECK (by_role IN ('self', 'worker')),
  holders TEXT NOT NULL,
  counts TEXT NOT NULL
);
{{append_only:rights_erasures}}
)SQL",
         {"rights_requests", "rights_erasures"}});
}

namespace rights {

std::optional<TableRule> Registry::rule_for(const std::string& table) const {
  for (const auto& h : holders_)
    for (const auto& t : h.tables)
      if (t.table == table) return t;
  for (const auto& t : kept_)
    if (t.table == table) return t;
  return std::nullopt;
}

bool is_person_column(const std::string& c) {
  static const std::set<std::string> kExact = {"provider_id", "receiver_id", "from_member", "to_member"};
  if (kExact.count(c)) return true;
  for (const char* w : {"user", "person", "member", "author", "viewer", "worker", "nominee", "nominator", "volunteer"})
    if (c.find(w) != std::string::npos) return true;
  return c.size() > 3 && (c.compare(c.size() - 3, 3, "_by") == 0 || c.rfind("by_", 0) == 0);
}

boost::json::object export_all(const Registry& r, store::Scope& s, const Subject& who) {
  boost::json::object out;
  out["made_at"] = format_iso8601(now_seconds());
  out["name"] = who.name;
  if (who.user_id) out["account_id"] = who.user_id;
  if (who.person_id) out["record_id"] = *who.person_id;
  boost::json::object parts;
  for (const auto& h : r.holders()) parts[h.name] = h.exporter(s, who);
  out["held"] = std::move(parts);
  return out;
}

std::map<std::string, Counts> erase_all(const Registry& r, store::Scope& s, const Subject& who,
                                        std::optional<std::int64_t> by_user, const std::string& by_role) {
  std::map<std::string, Counts> all;
  std::string names;
  boost::json::object counts;
  for (const auto& h : r.holders()) {
    auto c = h.eraser(s, who);
    names += (names.empty() ? "" : ",") + h.name;
    boost::json::object o;
    for (const auto& [table, n] : c) o[table] = n;
    counts[h.name] = std::move(o);
    all[h.name] = std::move(c);
  }
  s.insert({"rights.erasure", "rights_erasure", std::nullopt, by_role},
           "INSERT INTO rights_erasures (partnership_id, at, by_user, by_role, holders, counts)"
           " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
           {now_seconds(), by_user ? store::Value{*by_user} : store::Value{nullptr}, by_role, names,
            boost::json::serialize(counts)});
  return all;
}

// The rights module's own holder: the person's correction requests.
void register_rights_holder(Registry& r) {
  r.add({"rights",
         {{"rights_requests", Treatment::deleted, "correction requests are about the person; once they are gone so is this"},
          {"rights_erasures", Treatment::kept,
           "the record that an erasure happened: when, who asked, which holders and how many rows; no erased data"}},
         [](store::Scope& s, const Subject& who) -> boost::json::value {
           boost::json::array a;
           if (!who.person_id) return a;
           for (const auto& q : rights_store::requests_of(s, *who.person_id))
             a.push_back({{"what_is_wrong", q.what_wrong},
                          {"what_it_should_say", q.should_say},
                          {"status", q.status},
                          {"note", q.note},
                          {"asked_at", format_iso8601(q.created_at)}});
           return a;
         },
         [](store::Scope& s, const Subject& who) {
           Counts c;
           if (who.person_id)
             c["rights_requests"] = s.write({"rights_request.erase", "journey_person", *who.person_id, "erasure"},
                                            "DELETE FROM rights_requests WHERE partnership_id = $1 AND person_id = $2",
                                            {*who.person_id});
           return c;
         }});
}

}  // namespace rights

namespace rights_store {

namespace {
Request request_from(const store::Row& r) {
  Request q;
  q.id = r.i64(0);
  q.person_id = r.i64(1);
  q.user_id = r.opt_i64(2);
  q.what_wrong = r.text(3);
  q.should_say = r.text(4);
  q.status = r.text(5);
  q.note = r.text(6);
  q.resolved_by = r.opt_i64(7);
  q.resolved_at = r.opt_i64(8);
  q.created_at = r.i64(9);
  return q;
}
const char* kCols =
    "SELECT id, person_id, user_id, what_wrong, should_say, status, note, resolved_by, resolved_at, created_at"
    " FROM rights_requests";
}  // namespace

std::int64_t add_correction(store::Scope& s, std::int64_t person_id, std::optional<std::int64_t> user_id,
                            const std::string& what_wrong, const std::string& should_say) {
  return s.insert({"rights_request.create", "journey_person", person_id, "correction"},
                  "INSERT INTO rights_requests (partnership_id, person_id, user_id, what_wrong, should_say, created_at)"
                  " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                  {person_id, user_id ? store::Value{*user_id} : store::Value{nullptr}, what_wrong, should_say,
                   now_seconds()});
}

std::vector<Request> requests_of(store::Scope& s, std::int64_t person_id) {
  std::vector<Request> out;
  for (const auto& r : s.read(std::string(kCols) + " WHERE partnership_id = $1 AND person_id = $2 ORDER BY created_at DESC, id DESC",
                              {person_id}).rows)
    out.push_back(request_from(r));
  return out;
}

std::vector<Request> open_requests(store::Scope& s) {
  std::vector<Request> out;
  for (const auto& r : s.read(std::string(kCols) + " WHERE partnership_id = $1 AND status = 'open' ORDER BY created_at, id").rows)
    out.push_back(request_from(r));
  return out;
}

std::optional<Request> request(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string(kCols) + " WHERE partnership_id = $1 AND id = $2", {id});
  if (r.empty()) return std::nullopt;
  return request_from(r.rows[0]);
}

bool resolve(store::Scope& s, std::int64_t id, const std::string& status, const std::string& note, std::int64_t by) {
  return s.write({"rights_request.resolve", "rights_request", id, status},
                 "UPDATE rights_requests SET status = $2, note = $3, resolved_by = $4, resolved_at = $5"
                 " WHERE partnership_id = $1 AND id = $6 AND status = 'open'",
                 {status, note, by, now_seconds(), id}) > 0;
}

std::vector<Erasure> erasures(store::Scope& s) {
  std::vector<Erasure> out;
  for (const auto& r : s.read("SELECT id, at, by_user, by_role, holders, counts FROM rights_erasures"
                              " WHERE partnership_id = $1 ORDER BY at DESC, id DESC LIMIT 100").rows)
    {
    Erasure e;
    e.id = r.i64(0);
    e.at = r.i64(1);
    e.by_user = r.opt_i64(2);
    e.by_role = r.text(3);
    e.holders = r.text(4);
    e.counts = r.text(5);
    out.push_back(e);
  }
  return out;
}

}  // namespace rights_store

namespace rights_policy {
bool can_keep_own(const std::optional<auth::Actor>& a) { return a.has_value(); }
bool can_resolve(const std::optional<auth::Actor>& a) { return a && a->has(auth::Role::admin); }
}  // namespace rights_policy

}  // namespace cp::modules
