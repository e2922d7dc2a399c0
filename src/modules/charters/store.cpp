#include <stdexcept>

#include "core/util.hpp"
#include "modules/charters/charters.hpp"

namespace cp::modules::charters {

namespace {

std::vector<std::string> paragraphs(const std::string& text) {
  std::vector<std::string> out;
  for (auto& line : split(text, '\n')) {
    auto t = trim(line);
    if (!t.empty()) out.push_back(t);
  }
  return out;
}

}  // namespace

std::vector<DiffLine> diff(const std::string& before, const std::string& after) {
  auto a = paragraphs(before), b = paragraphs(after);
  // lcs[i][j]: the longest common run of a[i..] and b[j..].
  std::vector<std::vector<int>> lcs(a.size() + 1, std::vector<int>(b.size() + 1, 0));
  for (std::size_t i = a.size(); i-- > 0;)
    for (std::size_t j = b.size(); j-- > 0;)
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::vector<DiffLine> out;
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) {
      out.push_back({"same", a[i]});
      ++i, ++j;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      out.push_back({"removed", a[i++]});
    } else {
      out.push_back({"added", b[j++]});
    }
  }
  while (i < a.size()) out.push_back({"removed", a[i++]});
  while (j < b.size()) out.push_back({"added", b[j++]});
  return out;
}

std::vector<Pending> needs_signature(store::Scope& s, std::int64_t user_id) {
  std::vector<Pending> out;
  auto r = s.read(
      "SELECT c.id, c.title, v.number, c.title_cy, (SELECT MAX(sv.number) FROM charter_signatures g JOIN charter_versions sv"
      " ON sv.partnership_id = g.partnership_id AND sv.id = g.version_id WHERE g.partnership_id = $1"
      " AND sv.partnership_id = $1 AND g.charter_id = c.id AND g.user_id = $2)"
      " FROM charters c JOIN charter_versions v ON v.partnership_id = c.partnership_id AND v.id = c.current_version_id"
      " WHERE c.partnership_id = $1 AND v.partnership_id = $1 ORDER BY c.id",
      {user_id});
  for (const auto& row : r.rows) {
    auto signed_number = row.i64(4);
    if (signed_number >= row.i64(2)) continue;
    out.push_back({row.i64(0), row.text(1), "/toolkit/charters/" + std::to_string(row.i64(0)), row.i64(2), signed_number,
                   row.text(3)});
  }
  return out;
}

namespace store_fn {

namespace {

constexpr const char* kVersion =
    "SELECT id, charter_id, number, roles, responsibilities, agency_commits, disagreements, expenses, recognition,"
    " change_note, created_by, created_at, published_at, roles_cy, responsibilities_cy, agency_commits_cy,"
    " disagreements_cy, expenses_cy, recognition_cy FROM charter_versions";

Version version_from(const store::Row& r) {
  Version v;
  v.id = r.i64(0);
  v.charter_id = r.i64(1);
  v.number = r.i64(2);
  for (std::size_t i = 0; i < kSections.size(); ++i) v.sections.push_back(r.text(3 + i));
  v.change_note = r.text(9);
  v.created_by = r.i64(10);
  v.created_at = r.i64(11);
  v.published_at = r.opt_i64(12);
  for (std::size_t i = 0; i < kSections.size(); ++i) v.sections_cy.push_back(r.text(13 + i));
  return v;
}

Charter charter_from(const store::Row& r) { return {r.i64(0), r.text(1), r.opt_i64(2), r.i64(3), r.text(4)}; }
constexpr const char* kCharter = "SELECT id, title, current_version_id, created_at, title_cy FROM charters";

// The Welsh sections as stored: none given is no Welsh at all.
std::vector<std::string> welsh_or_empty(const std::vector<std::string>& sections_cy) {
  if (sections_cy.empty()) return std::vector<std::string>(kSections.size());
  if (sections_cy.size() != kSections.size()) throw std::invalid_argument("a charter has six sections");
  std::vector<std::string> out;
  for (const auto& x : sections_cy) out.push_back(trim(x));
  return out;
}

std::int64_t add_version(store::Scope& s, std::int64_t charter_id, std::int64_t number,
                         const std::vector<std::string>& sections, const std::string& note, std::int64_t by,
                         const std::vector<std::string>& sections_cy) {
  if (sections.size() != kSections.size()) throw std::invalid_argument("a charter has six sections");
  store::Params p{charter_id, number};
  for (const auto& x : sections) p.push_back(trim(x));
  p.push_back(trim(note));
  p.push_back(by);
  p.push_back(now_seconds());
  for (const auto& x : welsh_or_empty(sections_cy)) p.push_back(x);
  return s.insert({"charters.version", "charter", charter_id, "version " + std::to_string(number)},
                  "INSERT INTO charter_versions (partnership_id, charter_id, number, roles, responsibilities,"
                  " agency_commits, disagreements, expenses, recognition, change_note, created_by, created_at,"
                  " roles_cy, responsibilities_cy, agency_commits_cy, disagreements_cy, expenses_cy, recognition_cy)"
                  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
                  std::move(p));
}

Signature signature_from(const store::Row& r) { return {r.i64(0), r.i64(1), r.i64(2), r.i64(3), r.i64(4)}; }
constexpr const char* kSignature =
    "SELECT g.version_id, v.number, g.charter_id, g.user_id, g.signed_at FROM charter_signatures g JOIN charter_versions v"
    " ON v.partnership_id = g.partnership_id AND v.id = g.version_id WHERE g.partnership_id = $1 AND v.partnership_id = $1";

}  // namespace

std::int64_t create(store::Scope& s, const std::string& title, const std::vector<std::string>& sections,
                    std::int64_t by, const std::string& title_cy, const std::vector<std::string>& sections_cy) {
  if (trim(title).empty()) throw std::invalid_argument("a charter needs a title");
  auto id = s.insert({"charters.create", "charter", std::nullopt, ""},
                     "INSERT INTO charters (partnership_id, title, created_by, created_at, title_cy)"
                     " VALUES ($1, $2, $3, $4, $5) RETURNING id",
                     {trim(title), by, now_seconds(), trim(title_cy)});
  add_version(s, id, 1, sections, "", by, sections_cy);
  return id;
}

bool set_title_cy(store::Scope& s, std::int64_t charter_id, const std::string& title_cy) {
  return s.write({"charters.title_cy", "charter", charter_id, ""},
                 "UPDATE charters SET title_cy = $3 WHERE partnership_id = $1 AND id = $2 AND title_cy <> $3",
                 {charter_id, trim(title_cy)}) == 1;
}

std::vector<Charter> charters(store::Scope& s) {
  std::vector<Charter> out;
  for (const auto& r : s.read(std::string(kCharter) + " WHERE partnership_id = $1 ORDER BY id")
                           .rows)
    out.push_back(charter_from(r));
  return out;
}

std::optional<Charter> charter(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string(kCharter) + " WHERE partnership_id = $1 AND id = $2", {id});
  if (r.empty()) return std::nullopt;
  return charter_from(r.one());
}

std::optional<Version> version(store::Scope& s, std::int64_t version_id) {
  auto r = s.read(std::string(kVersion) + " WHERE partnership_id = $1 AND id = $2", {version_id});
  if (r.empty()) return std::nullopt;
  return version_from(r.one());
}

std::vector<Version> versions(store::Scope& s, std::int64_t charter_id) {
  std::vector<Version> out;
  for (const auto& r :
       s.read(std::string(kVersion) + " WHERE partnership_id = $1 AND charter_id = $2 ORDER BY number DESC", {charter_id}).rows)
    out.push_back(version_from(r));
  return out;
}

std::optional<Version> latest(store::Scope& s, std::int64_t charter_id) {
  auto r = s.read(std::string(kVersion) + " WHERE partnership_id = $1 AND charter_id = $2 ORDER BY number DESC LIMIT 1",
                  {charter_id});
  if (r.empty()) return std::nullopt;
  return version_from(r.one());
}

std::optional<std::int64_t> revise(store::Scope& s, std::int64_t charter_id, const std::vector<std::string>& sections,
                                   const std::string& change_note, std::int64_t by,
                                   const std::vector<std::string>& sections_cy) {
  auto last = latest(s, charter_id);
  if (!last) throw std::invalid_argument("no such charter");
  auto welsh = welsh_or_empty(sections_cy);
  bool same = true;
  for (std::size_t i = 0; i < kSections.size(); ++i)
    if (trim(sections.at(i)) != last->sections[i] || welsh[i] != last->sections_cy[i]) same = false;
  if (same) return std::nullopt;
  return add_version(s, charter_id, last->number + 1, sections, change_note, by, welsh);
}

void publish(store::Scope& s, const Version& v) {
  auto now = now_seconds();
  s.write({"charters.publish", "charter_version", v.id, "version " + std::to_string(v.number)},
          "UPDATE charter_versions SET published_at = $3 WHERE partnership_id = $1 AND id = $2 AND published_at IS NULL",
          {v.id, now});
  s.write({"charters.current", "charter", v.charter_id, "version " + std::to_string(v.number)},
          "UPDATE charters SET current_version_id = $3 WHERE partnership_id = $1 AND id = $2", {v.charter_id, v.id});
}

Signed sign(store::Scope& s, std::int64_t version_id, std::int64_t user_id) {
  auto v = version(s, version_id);
  if (!v) return Signed::not_current;
  auto c = charter(s, v->charter_id);
  if (!c || c->current_version_id != version_id) return Signed::not_current;
  auto id = s.insert({"charters.sign", "charter_version", version_id, ""},
                     "INSERT INTO charter_signatures (partnership_id, charter_id, version_id, user_id, signed_at)"
                     " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (partnership_id, version_id, user_id) DO NOTHING RETURNING id",
                     {v->charter_id, version_id, user_id, now_seconds()});
  return id ? Signed::ok : Signed::already;
}

std::vector<Signature> signatures(store::Scope& s, std::int64_t charter_id) {
  std::vector<Signature> out;
  for (const auto& r : s.read(std::string(kSignature) + " AND g.charter_id = $2 ORDER BY g.signed_at DESC, g.id DESC",
                              {charter_id})
                           .rows)
    out.push_back(signature_from(r));
  return out;
}

std::optional<Signature> my_latest(store::Scope& s, std::int64_t charter_id, std::int64_t user_id) {
  auto r = s.read(std::string(kSignature) + " AND g.charter_id = $2 AND g.user_id = $3 ORDER BY v.number DESC LIMIT 1",
                  {charter_id, user_id});
  if (r.empty()) return std::nullopt;
  return signature_from(r.one());
}

std::vector<Signature> signatures_of(store::Scope& s, std::int64_t user_id) {
  std::vector<Signature> out;
  for (const auto& r : s.read(std::string(kSignature) + " AND g.user_id = $2 ORDER BY g.id", {user_id}).rows)
    out.push_back(signature_from(r));
  return out;
}

std::int64_t erase_signatures_of(store::Scope& s, std::int64_t user_id) {
  return s.write({"charters.erase_signatures", "user", user_id, ""},
                 "DELETE FROM charter_signatures WHERE partnership_id = $1 AND user_id = $2", {user_id});
}

}  // namespace store_fn

}  // namespace cp::modules::charters
