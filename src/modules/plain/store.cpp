// Storage for a partnership's plain-language settings and its own jargon list.
#include <algorithm>

#include "core/util.hpp"
#include "modules/plain/internal.hpp"
#include "modules/plain/web.hpp"

namespace cp::plain {

void PlainModule::migrations(store::Migrations& m) const {
  m.add({"plain", 1, "target reading age and the partnership's own jargon",
         R"SQL(
CREATE TABLE plain_settings (
  id {{id}},
  partnership_id BIGINT NOT NULL UNIQUE REFERENCES partnerships (id),
  target_age INTEGER NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE plain_jargon (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  lang TEXT NOT NULL,
  phrase TEXT NOT NULL,
  phrase_key TEXT NOT NULL,
  alternatives TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (partnership_id, lang, phrase_key)
);
)SQL",
         {"plain_settings", "plain_jargon"}});
}

namespace plain_store {

namespace {

constexpr std::size_t kMaxPhrase = 100;
constexpr std::size_t kMaxAlternatives = 500;
constexpr std::size_t kMaxNote = 200;

// The phrase as the matcher sees it: lower case, words joined by one space, so "Co-production"
// and "co production" are the same entry.
std::string phrase_key(const std::string& phrase) {
  std::string key;
  for (const auto& t : detail::tokens(phrase)) key += (key.empty() ? "" : " ") + t.gap + t.lower;
  return key;
}

std::vector<std::string> alternative_lines(const std::string& raw) {
  std::vector<std::string> out;
  for (auto line : split(raw, '\n')) {
    line = trim(line);
    if (!line.empty() && std::find(out.begin(), out.end(), line) == out.end()) out.push_back(line);
  }
  return out;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : "\n") + x;
  return s;
}

OwnJargon from_row(const store::Row& r) {
  OwnJargon j;
  j.id = r.i64(0);
  j.lang = r.text(1);
  j.phrase = r.text(2);
  j.alternatives = alternative_lines(r.text(3));
  j.note = r.text(4);
  j.updated_at = r.i64(5);
  return j;
}

constexpr const char* kColumns = "id, lang, phrase, alternatives, note, updated_at";

}  // namespace

Settings settings(store::Scope& s) {
  Settings v;
  auto r = s.read("SELECT target_age FROM plain_settings WHERE partnership_id = $1");
  if (!r.empty()) v.target_age = static_cast<int>(r.rows[0].i64(0));
  return v;
}

void save_settings(store::Scope& s, const Settings& v) {
  store::Change change{"plain.settings", "plain_settings", std::nullopt,
                       "target_age=" + std::to_string(v.target_age)};
  auto n = s.write(change, "UPDATE plain_settings SET target_age = $2, updated_at = $3 WHERE partnership_id = $1",
                   {std::int64_t{v.target_age}, now_seconds()});
  if (n == 0)
    s.insert(change,
             "INSERT INTO plain_settings (partnership_id, target_age, updated_at) VALUES ($1, $2, $3) RETURNING id",
             {std::int64_t{v.target_age}, now_seconds()});
}

std::vector<OwnJargon> jargon(store::Scope& s, const std::string& lang) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM plain_jargon WHERE partnership_id = $1";
  store::Params p;
  if (!lang.empty()) {
    sql += " AND lang = $2";
    p.push_back(lang);
  }
  sql += " ORDER BY phrase_key, id";
  std::vector<OwnJargon> out;
  for (const auto& r : s.read(sql, p).rows) out.push_back(from_row(r));
  return out;
}

std::optional<OwnJargon> jargon_entry(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string("SELECT ") + kColumns + " FROM plain_jargon WHERE partnership_id = $1 AND id = $2", {id});
  if (r.empty()) return std::nullopt;
  return from_row(r.rows[0]);
}

std::vector<Problem> validate(const JargonInput& in) {
  std::vector<Problem> out;
  if (in.phrase.empty()) out.push_back({"phrase", "plain.error_phrase_missing"});
  else if (in.phrase.size() > kMaxPhrase) out.push_back({"phrase", "plain.error_phrase_long"});
  else if (phrase_key(in.phrase).empty()) out.push_back({"phrase", "plain.error_phrase_words"});
  if (in.lang != "en" && in.lang != "cy") out.push_back({"lang", "plain.error_lang"});
  auto alts = alternative_lines(in.alternatives);
  if (alts.empty()) out.push_back({"alternatives", "plain.error_alternatives_missing"});
  else if (in.alternatives.size() > kMaxAlternatives) out.push_back({"alternatives", "plain.error_alternatives_long"});
  if (in.note.size() > kMaxNote) out.push_back({"note", "plain.error_note_long"});
  return out;
}

std::int64_t add_jargon(store::Scope& s, const JargonInput& in) {
  auto key = phrase_key(in.phrase);
  auto taken = s.read("SELECT id FROM plain_jargon WHERE partnership_id = $1 AND lang = $2 AND phrase_key = $3",
                      {in.lang, key});
  if (!taken.empty()) return 0;
  auto now = now_seconds();
  return s.insert({"plain.jargon.add", "plain_jargon", std::nullopt, in.lang},
                  "INSERT INTO plain_jargon (partnership_id, lang, phrase, phrase_key, alternatives, note, created_at,"
                  " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
                  {in.lang, in.phrase, key, joined(alternative_lines(in.alternatives)), in.note, now});
}

Saved update_jargon(store::Scope& s, std::int64_t id, const JargonInput& in) {
  if (!jargon_entry(s, id)) return Saved::not_found;
  auto key = phrase_key(in.phrase);
  auto taken = s.read(
      "SELECT id FROM plain_jargon WHERE partnership_id = $1 AND lang = $2 AND phrase_key = $3 AND id <> $4",
      {in.lang, key, id});
  if (!taken.empty()) return Saved::duplicate;
  s.write({"plain.jargon.edit", "plain_jargon", id, in.lang},
          "UPDATE plain_jargon SET lang = $3, phrase = $4, phrase_key = $5, alternatives = $6, note = $7,"
          " updated_at = $8 WHERE partnership_id = $1 AND id = $2",
          {id, in.lang, in.phrase, key, joined(alternative_lines(in.alternatives)), in.note, now_seconds()});
  return Saved::ok;
}

bool remove_jargon(store::Scope& s, std::int64_t id) {
  return s.write({"plain.jargon.remove", "plain_jargon", id, ""},
                 "DELETE FROM plain_jargon WHERE partnership_id = $1 AND id = $2", {id}) > 0;
}

JargonList to_list(const std::vector<OwnJargon>& entries) {
  JargonList list;
  for (const auto& e : entries) {
    JargonEntry j;
    j.phrase = e.phrase;
    j.alternatives = e.alternatives;
    j.note = e.note;
    j.source = "partnership";
    list.add(std::move(j));
  }
  return list;
}

}  // namespace plain_store

void seed_demo(app::App&, store::Scope& s) {
  const std::vector<JargonInput> words = {
      {"en", "positive destination", "a job, training or volunteering", ""},
      {"en", "service user", "person\nyou", "fine when quoting a law or a form"},
      {"en", "co-production", "working together\nplanning together", ""},
      {"cy", "cyd-gynhyrchu", "gweithio gyda'n gilydd\ncynllunio gyda'n gilydd", ""},
      {"cy", "defnyddiwr gwasanaeth", "person\nchi", ""},
  };
  for (const auto& w : words) plain_store::add_jargon(s, w);  // 0 (nothing added) when already listed
}

}  // namespace cp::plain
