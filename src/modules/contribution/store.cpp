#include <algorithm>
#include <map>

#include "core/util.hpp"
#include "modules/contribution/contribution.hpp"

namespace cp::modules::contribution {

namespace {

int level_index(const std::string& level) {
  auto it = std::find(kLevels.begin(), kLevels.end(), level);
  return it == kLevels.end() ? -1 : static_cast<int>(it - kLevels.begin());
}

bool known(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

std::string need(const std::string& raw, std::size_t max, const std::string& field, const std::string& empty_key,
                 const std::string& long_key = "error_too_long") {
  auto v = trim(raw);
  if (v.empty()) throw Invalid(field, empty_key);
  if (v.size() > max) throw Invalid(field, long_key);
  return v;
}

std::string optional_text(const std::string& raw, std::size_t max, const std::string& field) {
  auto v = trim(raw);
  if (v.size() > max) throw Invalid(field, "error_too_long");
  return v;
}

Theory theory_of(const store::Row& r) {
  return {r.i64(0), r.text(1), r.text(2), r.text(3), r.i64(4), r.i64(5), r.i64(6)};
}

constexpr const char* kTheoryCols = "id, title, question, summary, created_at, updated_at, version";

// The link, checked to belong to the theory.
std::optional<Link> link_in(store::Scope& s, std::int64_t theory_id, std::int64_t link_id) {
  auto r = s.read("SELECT id, from_result, to_result, confidence, reason, rated_at, version FROM contribution_links"
                  " WHERE partnership_id = $1 AND theory_id = $2 AND id = $3",
                  {theory_id, link_id});
  if (r.empty()) return std::nullopt;
  const auto& row = r.one();
  Link l;
  l.id = row.i64(0);
  l.theory_id = theory_id;
  l.from_result = row.i64(1);
  l.to_result = row.i64(2);
  l.confidence = row.text(3);
  l.reason = row.text(4);
  l.rated_at = row.i64(5);
  l.version = row.i64(6);
  return l;
}

void touch(store::Scope& s, std::int64_t theory_id) {
  s.write({"contribution.touch", "contribution_theory", theory_id, ""},
          "UPDATE contribution_theories SET updated_at = $3 WHERE partnership_id = $1 AND id = $2",
          {theory_id, now_seconds()});
}

// Deletes links (and what hangs off them) chosen by `where` on contribution_links, which may use
// parameters from $2 on.
void delete_links(store::Scope& s, const std::string& where, const store::Params& p, std::int64_t theory_id) {
  std::string sub = "SELECT id FROM contribution_links WHERE partnership_id = $1 AND " + where;
  for (const char* table : {"contribution_notes", "contribution_evidence", "contribution_ratings"})
    s.write({"contribution.remove_link_parts", "contribution_theory", theory_id, table},
            std::string("DELETE FROM ") + table + " WHERE partnership_id = $1 AND link_id IN (" + sub + ")", p);
  s.write({"contribution.remove_links", "contribution_theory", theory_id, ""},
          "DELETE FROM contribution_links WHERE partnership_id = $1 AND " + where, p);
}

}  // namespace

bool valid_web_address(const std::string& url) {
  auto low = to_lower(url);
  std::string rest;
  if (starts_with(low, "https://")) rest = url.substr(8);
  else if (starts_with(low, "http://")) rest = url.substr(7);
  else return false;
  if (url.size() > 2000 || url.find_first_of(" \t\r\n<>\"'`\\") != std::string::npos) return false;
  auto host = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = host.rfind('@'); at != std::string::npos) return false;  // no user:password@ addresses
  if (host.empty() || host.front() == '.' || host.front() == '-') return false;
  return std::all_of(host.begin(), host.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
  });
}

std::vector<const Note*> Link::of_kind(const std::string& kind) const {
  std::vector<const Note*> out;
  for (const auto& n : notes)
    if (n.kind == kind) out.push_back(&n);
  return out;
}

const Result* Chain::result(std::int64_t id) const {
  for (const auto& r : results)
    if (r.id == id) return &r;
  return nullptr;
}

const Link* Chain::link(std::int64_t id) const {
  for (const auto& l : links)
    if (l.id == id) return &l;
  return nullptr;
}

std::int64_t create_theory(store::Scope& s, const std::string& title, const std::string& question,
                           const std::string& summary) {
  auto t = need(title, kMaxTitle, "title", "error_title");
  auto q = need(question, kMaxText, "question", "error_question");
  auto sm = optional_text(summary, kMaxLong, "summary");
  auto now = now_seconds();
  return s.insert({"contribution.create", "contribution_theory", std::nullopt, ""},
                  "INSERT INTO contribution_theories (partnership_id, title, question, summary, created_at, updated_at)"
                  " VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
                  {t, q, sm, now});
}

Saved update_theory(store::Scope& s, std::int64_t id, const std::string& title, const std::string& question,
                    const std::string& summary, std::optional<std::int64_t> version) {
  auto t = need(title, kMaxTitle, "title", "error_title");
  auto q = need(question, kMaxText, "question", "error_question");
  auto sm = optional_text(summary, kMaxLong, "summary");
  auto cur = get_theory(s, id);
  if (!cur) return Saved::not_found;
  if (version && *version != cur->version) return Saved::conflict;
  auto n = s.write({"contribution.update", "contribution_theory", id, ""},
                   "UPDATE contribution_theories SET title = $3, question = $4, summary = $5, updated_at = $6,"
                   " version = version + 1 WHERE partnership_id = $1 AND id = $2 AND version = $7",
                   {id, t, q, sm, now_seconds(), cur->version});
  return n == 1 ? Saved::ok : Saved::conflict;
}

std::vector<Theory> theories(store::Scope& s) {
  std::vector<Theory> out;
  for (const auto& r : s.read(std::string("SELECT ") + kTheoryCols +
                              " FROM contribution_theories WHERE partnership_id = $1 ORDER BY updated_at DESC, id DESC")
                           .rows)
    out.push_back(theory_of(r));
  return out;
}

std::optional<Theory> get_theory(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string("SELECT ") + kTheoryCols + " FROM contribution_theories WHERE partnership_id = $1 AND id = $2",
                  {id});
  if (r.empty()) return std::nullopt;
  return theory_of(r.one());
}

std::optional<Chain> chain(store::Scope& s, std::int64_t theory_id) {
  auto t = get_theory(s, theory_id);
  if (!t) return std::nullopt;
  Chain c;
  c.theory = *t;
  for (const auto& r : s.read("SELECT id, level, statement, position FROM contribution_results"
                              " WHERE partnership_id = $1 AND theory_id = $2 ORDER BY position, id",
                              {theory_id})
                           .rows)
    c.results.push_back({r.i64(0), theory_id, r.text(1), r.text(2), r.i64(3)});
  std::stable_sort(c.results.begin(), c.results.end(),
                   [](const Result& a, const Result& b) { return level_index(a.level) < level_index(b.level); });
  std::map<std::int64_t, std::size_t> order;
  for (std::size_t i = 0; i < c.results.size(); ++i) order[c.results[i].id] = i;
  for (const auto& r : s.read("SELECT id, from_result, to_result, confidence, reason, rated_at, version, created_at"
                              " FROM contribution_links WHERE partnership_id = $1 AND theory_id = $2",
                              {theory_id})
                           .rows) {
    Link l;
    l.id = r.i64(0);
    l.theory_id = theory_id;
    l.from_result = r.i64(1);
    l.to_result = r.i64(2);
    l.confidence = r.text(3);
    l.reason = r.text(4);
    l.rated_at = r.i64(5);
    l.version = r.i64(6);
    l.created_at = r.i64(7);
    c.links.push_back(std::move(l));
  }
  // Chain order: by where the link starts, then where it ends.
  std::sort(c.links.begin(), c.links.end(), [&](const Link& a, const Link& b) {
    return std::pair(order[a.from_result], order[a.to_result]) < std::pair(order[b.from_result], order[b.to_result]);
  });
  std::map<std::int64_t, Link*> by_id;
  for (auto& l : c.links) by_id[l.id] = &l;
  for (const auto& r : s.read("SELECT n.id, n.link_id, n.kind, n.body FROM contribution_notes n"
                              " JOIN contribution_links l ON l.partnership_id = n.partnership_id AND l.id = n.link_id"
                              " WHERE n.partnership_id = $1 AND l.partnership_id = $1 AND l.theory_id = $2"
                              " ORDER BY n.id",
                              {theory_id})
                           .rows)
    if (auto it = by_id.find(r.i64(1)); it != by_id.end()) it->second->notes.push_back({r.i64(0), r.i64(1), r.text(2), r.text(3)});
  for (const auto& r : s.read("SELECT e.id, e.link_id, e.kind, e.figure_key, e.figure_value, e.title, e.url, e.note,"
                              " e.quote_text, e.quote_who, e.quote_consent, e.created_at FROM contribution_evidence e"
                              " JOIN contribution_links l ON l.partnership_id = e.partnership_id AND l.id = e.link_id"
                              " WHERE e.partnership_id = $1 AND l.partnership_id = $1 AND l.theory_id = $2"
                              " ORDER BY e.created_at, e.id",
                              {theory_id})
                           .rows) {
    auto it = by_id.find(r.i64(1));
    if (it == by_id.end()) continue;
    Evidence e;
    e.id = r.i64(0);
    e.link_id = r.i64(1);
    e.kind = r.text(2);
    e.figure_key = r.text(3);
    e.figure_value = r.i64(4);
    e.title = r.text(5);
    e.url = r.text(6);
    e.note = r.text(7);
    e.quote_text = r.text(8);
    e.quote_who = r.text(9);
    e.quote_consent = r.boolean(10);
    e.created_at = r.i64(11);
    it->second->evidence.push_back(std::move(e));
  }
  for (const auto& r : s.read("SELECT g.link_id, g.confidence, g.reason, g.rated_at FROM contribution_ratings g"
                              " JOIN contribution_links l ON l.partnership_id = g.partnership_id AND l.id = g.link_id"
                              " WHERE g.partnership_id = $1 AND l.partnership_id = $1 AND l.theory_id = $2"
                              " ORDER BY g.rated_at, g.id",
                              {theory_id})
                           .rows)
    if (auto it = by_id.find(r.i64(0)); it != by_id.end()) it->second->ratings.push_back({r.text(1), r.text(2), r.i64(3)});
  return c;
}

std::int64_t add_result(store::Scope& s, std::int64_t theory_id, const std::string& level, const std::string& text) {
  if (!known(kLevels, level)) throw Invalid("level", "error_level");
  auto t = need(text, kMaxText, "statement", "error_statement");
  auto next = s.read("SELECT COALESCE(MAX(position), 0) + 1 FROM contribution_results WHERE partnership_id = $1"
                     " AND theory_id = $2 AND level = $3",
                     {theory_id, level})
                  .one()
                  .i64(0);
  auto id = s.insert({"contribution.add_result", "contribution_theory", theory_id, level},
                     "INSERT INTO contribution_results (partnership_id, theory_id, level, statement, position, created_at)"
                     " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                     {theory_id, level, t, next, now_seconds()});
  touch(s, theory_id);
  return id;
}

bool remove_result(store::Scope& s, std::int64_t theory_id, std::int64_t result_id) {
  if (s.read("SELECT 1 FROM contribution_results WHERE partnership_id = $1 AND theory_id = $2 AND id = $3",
             {theory_id, result_id})
          .empty())
    return false;
  delete_links(s, "theory_id = $2 AND (from_result = $3 OR to_result = $3)", {theory_id, result_id}, theory_id);
  s.write({"contribution.remove_result", "contribution_theory", theory_id, std::to_string(result_id)},
          "DELETE FROM contribution_results WHERE partnership_id = $1 AND theory_id = $2 AND id = $3",
          {theory_id, result_id});
  touch(s, theory_id);
  return true;
}

std::int64_t add_link(store::Scope& s, std::int64_t theory_id, std::int64_t from_result, std::int64_t to_result) {
  auto level_of = [&](std::int64_t id) {
    auto r = s.read("SELECT level FROM contribution_results WHERE partnership_id = $1 AND theory_id = $2 AND id = $3",
                    {theory_id, id});
    return r.empty() ? -1 : level_index(r.one().text(0));
  };
  int from = level_of(from_result), to = level_of(to_result);
  if (from < 0) throw Invalid("from", "error_from");
  if (to < 0) throw Invalid("to", "error_to");
  if (to != from + 1) throw Invalid("to", "error_not_next");
  if (!s.read("SELECT 1 FROM contribution_links WHERE partnership_id = $1 AND from_result = $2 AND to_result = $3",
              {from_result, to_result})
           .empty())
    throw Invalid("to", "error_link_exists");
  auto id = s.insert({"contribution.add_link", "contribution_theory", theory_id, ""},
                     "INSERT INTO contribution_links (partnership_id, theory_id, from_result, to_result, created_at)"
                     " VALUES ($1, $2, $3, $4, $5) RETURNING id",
                     {theory_id, from_result, to_result, now_seconds()});
  touch(s, theory_id);
  return id;
}

bool remove_link(store::Scope& s, std::int64_t theory_id, std::int64_t link_id) {
  if (!link_in(s, theory_id, link_id)) return false;
  delete_links(s, "theory_id = $2 AND id = $3", {theory_id, link_id}, theory_id);
  touch(s, theory_id);
  return true;
}

std::int64_t add_note(store::Scope& s, std::int64_t theory_id, std::int64_t link_id, const std::string& kind,
                      const std::string& text) {
  if (!known(kNoteKinds, kind)) throw Invalid(kind, "error_note_kind");
  auto t = need(text, kMaxText, kind, kind == "assumption" ? "error_assumption" : "error_influence");
  if (!link_in(s, theory_id, link_id)) throw Invalid(kind, "error_no_link");
  auto id = s.insert({"contribution.add_note", "contribution_link", link_id, kind},
                     "INSERT INTO contribution_notes (partnership_id, link_id, kind, body, created_at)"
                     " VALUES ($1, $2, $3, $4, $5) RETURNING id",
                     {link_id, kind, t, now_seconds()});
  touch(s, theory_id);
  return id;
}

bool remove_note(store::Scope& s, std::int64_t theory_id, std::int64_t note_id) {
  auto n = s.write({"contribution.remove_note", "contribution_theory", theory_id, std::to_string(note_id)},
                   "DELETE FROM contribution_notes WHERE partnership_id = $1 AND id = $2 AND link_id IN"
                   " (SELECT id FROM contribution_links WHERE partnership_id = $1 AND theory_id = $3)",
                   {note_id, theory_id});
  if (n == 1) touch(s, theory_id);
  return n == 1;
}

std::int64_t add_evidence(store::Scope& s, std::int64_t theory_id, std::int64_t link_id, const Evidence& in) {
  Evidence e;
  e.kind = in.kind;
  if (in.kind == "figure") {
    const Figure* f = figure(in.figure_key);
    if (!f) throw Invalid("figure_key", "error_figure");
    e.figure_key = f->key;
    e.note = optional_text(in.note, kMaxText, "figure_note");
    e.figure_value = f->value(s);
  } else if (in.kind == "document") {
    e.title = need(in.title, kMaxTitle, "doc_title", "error_doc_title");
    e.url = trim(in.url);
    if (e.url.empty()) throw Invalid("doc_url", "error_doc_url");
    if (!valid_web_address(e.url)) throw Invalid("doc_url", "error_doc_url_bad");
    e.note = optional_text(in.note, kMaxText, "doc_note");
  } else if (in.kind == "quote") {
    e.quote_text = need(in.quote_text, kMaxText, "quote_text", "error_quote_text");
    e.quote_who = need(in.quote_who, kMaxTitle, "quote_who", "error_quote_who");
    if (!in.quote_consent) throw Invalid("quote_consent", "error_quote_consent");
    e.quote_consent = true;
    e.note = optional_text(in.note, kMaxText, "quote_note");
  } else {
    throw Invalid("figure_key", "error_evidence_kind");
  }
  if (!link_in(s, theory_id, link_id)) throw Invalid("figure_key", "error_no_link");
  auto id = s.insert({"contribution.add_evidence", "contribution_link", link_id, e.kind},
                     "INSERT INTO contribution_evidence (partnership_id, link_id, kind, figure_key, figure_value, title,"
                     " url, note, quote_text, quote_who, quote_consent, created_at)"
                     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                     {link_id, e.kind, e.figure_key, e.figure_value, e.title, e.url, e.note, e.quote_text, e.quote_who,
                      std::int64_t(e.quote_consent ? 1 : 0), now_seconds()});
  touch(s, theory_id);
  return id;
}

bool remove_evidence(store::Scope& s, std::int64_t theory_id, std::int64_t evidence_id) {
  auto n = s.write({"contribution.remove_evidence", "contribution_theory", theory_id, std::to_string(evidence_id)},
                   "DELETE FROM contribution_evidence WHERE partnership_id = $1 AND id = $2 AND link_id IN"
                   " (SELECT id FROM contribution_links WHERE partnership_id = $1 AND theory_id = $3)",
                   {evidence_id, theory_id});
  if (n == 1) touch(s, theory_id);
  return n == 1;
}

Rated rate(store::Scope& s, std::int64_t theory_id, std::int64_t link_id, const std::string& confidence,
           const std::string& reason, std::optional<std::int64_t> version) {
  if (!known(kConfidence, confidence)) throw Invalid("confidence", "error_confidence");
  auto r = optional_text(reason, kMaxLong, "reason");
  if (confidence != "not_assessed" && r.empty()) throw Invalid("reason", "error_reason");
  auto cur = link_in(s, theory_id, link_id);
  if (!cur) return Rated::not_found;
  if (version && *version != cur->version) return Rated::conflict;
  auto now = now_seconds();
  auto n = s.write({"contribution.rate", "contribution_link", link_id, cur->confidence + "->" + confidence},
                   "UPDATE contribution_links SET confidence = $3, reason = $4, rated_at = $5, version = version + 1"
                   " WHERE partnership_id = $1 AND id = $2 AND version = $6",
                   {link_id, confidence, r, now, cur->version});
  if (n != 1) return Rated::conflict;
  s.insert({"contribution.rating", "contribution_link", link_id, confidence},
           "INSERT INTO contribution_ratings (partnership_id, link_id, confidence, reason, rated_at)"
           " VALUES ($1, $2, $3, $4, $5) RETURNING id",
           {link_id, confidence, r, now});
  touch(s, theory_id);
  return Rated::ok;
}

}  // namespace cp::modules::contribution
