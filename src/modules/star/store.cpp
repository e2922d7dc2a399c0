// The star's storage, always inside the caller's partnership Scope.
#include <algorithm>
#include <map>
#include <stdexcept>

#include "core/util.hpp"
#include "modules/star/star.hpp"

namespace cp::modules::star::star_store {

namespace {

constexpr const char* kAuditCols =
    "id, subject_kind, subject_id, subject_name, title, period, status, previous_id, created_by, created_at, closed_at,"
    " version";

store::Value opt(std::optional<std::int64_t> v) { return v ? store::Value(*v) : store::Value(nullptr); }

Audit audit_of(const store::Row& r) {
  Audit a;
  a.id = r.i64(0);
  a.subject_kind = r.text(1);
  a.subject_id = r.opt_i64(2);
  a.subject_name = r.text(3);
  a.title = r.text(4);
  a.period = r.text(5);
  a.status = r.text(6);
  a.previous_id = r.opt_i64(7);
  a.created_by = r.opt_i64(8);
  a.created_at = r.i64(9);
  a.closed_at = r.opt_i64(10);
  a.version = r.i64(11);
  return a;
}

int co_index(const std::string& co) {
  auto it = std::find(kCos.begin(), kCos.end(), co);
  return it == kCos.end() ? -1 : static_cast<int>(it - kCos.begin());
}

// Responses with their ratings, for one audit or one account.
std::vector<Response> load(store::Scope& s, const std::string& where, store::Params p) {
  std::vector<Response> out;
  std::map<std::int64_t, std::size_t> at;
  for (const auto& row : s.read("SELECT id, audit_id, user_id, actor_group, created_at, updated_at FROM star_responses"
                                " WHERE partnership_id = $1 AND " + where + " ORDER BY created_at, id",
                                p)
                             .rows) {
    Response r;
    r.id = row.i64(0);
    r.audit_id = row.i64(1);
    r.user_id = row.opt_i64(2);
    r.group = row.text(3);
    r.created_at = row.i64(4);
    r.updated_at = row.i64(5);
    at[r.id] = out.size();
    out.push_back(std::move(r));
  }
  if (out.empty()) return out;
  std::string in = "r.partnership_id = $1 AND r." + where;
  for (const auto& row : s.read("SELECT g.response_id, g.co, g.level, g.examples, g.evidence FROM star_ratings g"
                                " JOIN star_responses r ON r.partnership_id = $1 AND r.id = g.response_id"
                                " WHERE g.partnership_id = $1 AND " + in,
                                p)
                             .rows) {
    auto it = at.find(row.i64(0));
    int i = co_index(row.text(1));
    if (it == at.end() || i < 0) continue;
    auto& rating = out[it->second].ratings[static_cast<std::size_t>(i)];
    if (!row.null(2)) rating.level = static_cast<int>(row.i64(2));
    rating.examples = row.text(3);
    rating.evidence = row.text(4);
  }
  return out;
}

}  // namespace

std::int64_t create(store::Scope& s, const NewAudit& a, std::optional<std::int64_t> by_user) {
  if (std::find(kSubjects.begin(), kSubjects.end(), a.subject_kind) == kSubjects.end())
    throw std::invalid_argument("unknown subject kind: " + a.subject_kind);
  if (a.subject_kind != "partnership" && !a.subject_id) throw std::invalid_argument("an organisation or service needs its id");
  if (trim(a.title).empty()) throw std::invalid_argument("an audit needs a title");
  if (trim(a.period).empty()) throw std::invalid_argument("an audit needs a period");
  std::optional<std::int64_t> subject = a.subject_kind == "partnership" ? std::nullopt : a.subject_id;
  return s.insert({"star.create", "star_audit", std::nullopt, a.subject_kind},
                  "INSERT INTO star_audits (partnership_id, subject_kind, subject_id, subject_name, title, period, status,"
                  " previous_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9) RETURNING id",
                  {a.subject_kind, opt(subject), trim(a.subject_name), trim(a.title), trim(a.period), opt(a.previous_id),
                   opt(by_user), now_seconds()});
}

std::optional<Audit> get(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string("SELECT ") + kAuditCols + " FROM star_audits WHERE partnership_id = $1 AND id = $2", {id});
  if (r.empty()) return std::nullopt;
  return audit_of(r.one());
}

std::vector<Audit> list(store::Scope& s) {
  std::vector<Audit> out;
  for (const auto& row :
       s.read(std::string("SELECT ") + kAuditCols + " FROM star_audits WHERE partnership_id = $1 ORDER BY created_at DESC, id DESC")
           .rows)
    out.push_back(audit_of(row));
  return out;
}

std::vector<Audit> same_subject(store::Scope& s, const Audit& a) {
  std::vector<Audit> out;
  store::Result r;
  if (a.subject_id)
    r = s.read(std::string("SELECT ") + kAuditCols +
                   " FROM star_audits WHERE partnership_id = $1 AND subject_kind = $2 AND subject_id = $3 AND id <> $4"
                   " ORDER BY created_at DESC, id DESC",
               {a.subject_kind, *a.subject_id, a.id});
  else
    r = s.read(std::string("SELECT ") + kAuditCols +
                   " FROM star_audits WHERE partnership_id = $1 AND subject_kind = $2 AND subject_id IS NULL AND id <> $3"
                   " ORDER BY created_at DESC, id DESC",
               {a.subject_kind, a.id});
  for (const auto& row : r.rows) out.push_back(audit_of(row));
  return out;
}

bool close(store::Scope& s, std::int64_t id) {
  return s.write({"star.close", "star_audit", id, ""},
                 "UPDATE star_audits SET status = 'closed', closed_at = $3, version = version + 1"
                 " WHERE partnership_id = $1 AND id = $2 AND status = 'open'",
                 {id, now_seconds()}) == 1;
}

std::optional<Response> response_of(store::Scope& s, std::int64_t audit_id, std::int64_t user_id) {
  auto r = load(s, "audit_id = $2 AND user_id = $3", {audit_id, user_id});
  if (r.empty()) return std::nullopt;
  return r.front();
}

std::vector<Response> responses(store::Scope& s, std::int64_t audit_id) { return load(s, "audit_id = $2", {audit_id}); }

Saved save_response(store::Scope& s, std::int64_t audit_id, std::int64_t user_id, const std::string& group,
                    const std::array<Rating, kCoCount>& ratings) {
  if (std::find(kGroups.begin(), kGroups.end(), group) == kGroups.end())
    throw std::invalid_argument("unknown actor group: " + group);
  for (const auto& r : ratings)
    if (r.level && (*r.level < 1 || *r.level > 5)) throw std::invalid_argument("a level is 1 to 5");
  // A no-op update of an open audit takes its row lock on PostgreSQL (SQLite writers already queue),
  // so a close and a save cannot cross: a save after the close sees it closed.
  if (s.bookkeeping("UPDATE star_audits SET version = version WHERE partnership_id = $1 AND id = $2 AND status = 'open'",
                    {audit_id})
          .affected != 1) {
    auto a = s.read("SELECT status FROM star_audits WHERE partnership_id = $1 AND id = $2", {audit_id});
    return a.empty() ? Saved::not_found : Saved::closed;
  }
  auto now = now_seconds();
  auto existing = s.read("SELECT id FROM star_responses WHERE partnership_id = $1 AND audit_id = $2 AND user_id = $3",
                         {audit_id, user_id});
  if (existing.empty()) {
    auto id = s.insert({"star.respond", "star_response", std::nullopt, group},
                       "INSERT INTO star_responses (partnership_id, audit_id, user_id, actor_group, created_at, updated_at)"
                       " VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
                       {audit_id, user_id, group, now});
    for (int i = 0; i < kCoCount; ++i) {
      const auto& r = ratings[static_cast<std::size_t>(i)];
      s.insert({"star.rate", "star_response", id, kCos[static_cast<std::size_t>(i)]},
               "INSERT INTO star_ratings (partnership_id, response_id, co, level, examples, evidence)"
               " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
               {id, kCos[static_cast<std::size_t>(i)], r.level ? store::Value(std::int64_t{*r.level}) : store::Value(nullptr),
                trim(r.examples), trim(r.evidence)});
    }
    return Saved::created;
  }
  auto id = existing.one().i64(0);
  s.write({"star.respond_change", "star_response", id, group},
          "UPDATE star_responses SET actor_group = $3, updated_at = $4 WHERE partnership_id = $1 AND id = $2",
          {id, group, now});
  for (int i = 0; i < kCoCount; ++i) {
    const auto& r = ratings[static_cast<std::size_t>(i)];
    s.write({"star.rate_change", "star_response", id, kCos[static_cast<std::size_t>(i)]},
            "UPDATE star_ratings SET level = $4, examples = $5, evidence = $6"
            " WHERE partnership_id = $1 AND response_id = $2 AND co = $3",
            {id, kCos[static_cast<std::size_t>(i)], r.level ? store::Value(std::int64_t{*r.level}) : store::Value(nullptr),
             trim(r.examples), trim(r.evidence)});
  }
  return Saved::updated;
}

Results results(store::Scope& s, std::int64_t audit_id) {
  std::vector<Answer> answers;
  for (const auto& r : responses(s, audit_id)) {
    Answer a;
    a.group = r.group;
    for (int i = 0; i < kCoCount; ++i) a.levels[static_cast<std::size_t>(i)] = r.ratings[static_cast<std::size_t>(i)].level;
    answers.push_back(std::move(a));
  }
  return compute(answers);
}

std::vector<std::pair<Audit, Response>> held(store::Scope& s, std::int64_t user_id) {
  std::vector<std::pair<Audit, Response>> out;
  for (auto& r : load(s, "user_id = $2", {user_id}))
    if (auto a = get(s, r.audit_id)) out.emplace_back(*a, std::move(r));
  return out;
}

std::int64_t erase_user(store::Scope& s, std::int64_t user_id) {
  // Their own words go; the level and group stay, with no link to them.
  s.write({"star.erase_words", "star_response", std::nullopt, ""},
          "UPDATE star_ratings SET examples = '', evidence = '' WHERE partnership_id = $1 AND response_id IN"
          " (SELECT id FROM star_responses WHERE partnership_id = $1 AND user_id = $2)",
          {user_id});
  return s.write({"star.erase", "star_response", std::nullopt, ""},
                 "UPDATE star_responses SET user_id = NULL WHERE partnership_id = $1 AND user_id = $2", {user_id});
}

std::int64_t forget_creator(store::Scope& s, std::int64_t user_id) {
  return s.write({"star.erase_creator", "star_audit", std::nullopt, ""},
                 "UPDATE star_audits SET created_by = NULL WHERE partnership_id = $1 AND created_by = $2", {user_id});
}

}  // namespace cp::modules::star::star_store
