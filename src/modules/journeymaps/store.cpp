#include <boost/json.hpp>

#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/journeymaps/journeymaps.hpp"

namespace cp::modules::journeymaps::store_fn {

namespace {

namespace json = boost::json;

std::string to_text(const std::vector<Stage>& stages) {
  json::array a;
  for (const auto& st : stages) {
    json::object o;
    o["key"] = st.key;
    o["name"] = st.name;
    o["touchpoints"] = st.touchpoints;
    o["works"] = st.works;
    o["doesnt"] = st.doesnt;
    o["who"] = st.who;
    o["feeling"] = st.feeling;
    json::array ideas;
    for (auto id : st.ideas) ideas.push_back(id);
    o["ideas"] = ideas;
    a.push_back(o);
  }
  return json::serialize(a);
}

std::string str(const json::object& o, const char* k) {
  auto it = o.find(k);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

std::vector<Stage> from_text(const std::string& text) {
  std::vector<Stage> out;
  auto v = json::parse(text);
  for (const auto& e : v.as_array()) {
    const auto& o = e.as_object();
    Stage st;
    st.key = str(o, "key");
    st.name = str(o, "name");
    st.touchpoints = str(o, "touchpoints");
    st.works = str(o, "works");
    st.doesnt = str(o, "doesnt");
    st.who = str(o, "who");
    if (auto it = o.find("feeling"); it != o.end() && it->value().is_int64()) st.feeling = static_cast<int>(it->value().as_int64());
    if (auto it = o.find("ideas"); it != o.end() && it->value().is_array())
      for (const auto& i : it->value().as_array())
        if (i.is_int64()) st.ideas.push_back(i.as_int64());
    out.push_back(std::move(st));
  }
  return out;
}

Map map_from(const store::Row& r) {
  return Map{r.i64(0), r.text(1), r.text(2), r.i64(3), r.i64(4), r.i64(5)};
}

const char* kMapColumns =
    "SELECT id, service_ref, title, current_version, created_at, updated_at FROM journey_maps WHERE partnership_id = $1";

}  // namespace

std::vector<Problem> validate(const std::vector<Stage>& stages) {
  std::vector<Problem> p;
  if (stages.empty()) p.push_back({"stage_0_name", "journeymaps.error_no_stages"});
  if (stages.size() > 30) p.push_back({"stage_0_name", "journeymaps.error_too_many"});
  for (std::size_t i = 0; i < stages.size(); ++i) {
    const auto& st = stages[i];
    std::string f = "stage_" + std::to_string(i) + "_";
    if (st.name.empty()) p.push_back({f + "name", "journeymaps.error_stage_name"});
    if (st.name.size() > 200) p.push_back({f + "name", "journeymaps.error_stage_long"});
    if (st.feeling < 1 || st.feeling > 5) p.push_back({f + "feeling", "journeymaps.error_feeling"});
    for (const auto* t : {&st.touchpoints, &st.works, &st.doesnt, &st.who})
      if (t->size() > 3000) {
        p.push_back({f + "name", "journeymaps.error_text_long"});
        break;
      }
  }
  return p;
}

std::int64_t create(store::Scope& s, const std::string& service_ref, const std::string& title, std::int64_t author) {
  auto now = now_seconds();
  return s.insert({"journey_map.create", "journey_map", std::nullopt, service_ref},
                  "INSERT INTO journey_maps (partnership_id, service_ref, title, created_by, created_at, updated_at)"
                  " VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
                  {service_ref, title, author, now});
}

std::optional<Map> get(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string(kMapColumns) + " AND id = $2", {id});
  if (r.empty()) return std::nullopt;
  return map_from(r.rows.front());
}

std::vector<Map> list(store::Scope& s, const std::string& service_ref) {
  auto r = service_ref.empty() ? s.read(std::string(kMapColumns) + " ORDER BY title, id")
                               : s.read(std::string(kMapColumns) + " AND service_ref = $2 ORDER BY title, id", {service_ref});
  std::vector<Map> out;
  for (const auto& row : r.rows) out.push_back(map_from(row));
  return out;
}

std::optional<Version> version(store::Scope& s, std::int64_t map_id, std::int64_t number) {
  auto r = s.read("SELECT number, author_id, created_at, note, stages FROM journey_map_versions WHERE partnership_id = $1"
                  " AND map_id = $2 AND number = $3",
                  {map_id, number});
  if (r.empty()) return std::nullopt;
  const auto& row = r.rows.front();
  Version v{row.i64(0), row.i64(1), row.i64(2), row.text(3), "", from_text(row.text(4))};
  auto c = AccountsModule::contact(s, v.author_id);
  v.author = c ? c->name : "";
  return v;
}

std::vector<Version> versions(store::Scope& s, std::int64_t map_id) {
  auto r = s.read("SELECT number, author_id, created_at, note FROM journey_map_versions WHERE partnership_id = $1"
                  " AND map_id = $2 ORDER BY number DESC",
                  {map_id});
  std::vector<Version> out;
  for (const auto& row : r.rows) {
    Version v{row.i64(0), row.i64(1), row.i64(2), row.text(3), "", {}};
    auto c = AccountsModule::contact(s, v.author_id);
    v.author = c ? c->name : "";
    out.push_back(std::move(v));
  }
  return out;
}

Saved save(store::Scope& s, std::int64_t map_id, std::int64_t base, const std::vector<Stage>& stages,
           const std::string& note, std::int64_t author) {
  std::vector<Stage> keyed = stages;
  for (auto& st : keyed)
    if (st.key.empty()) st.key = random_token(6);
  // The guard on current_version is the lock: of two saves from the same version only one moves it on.
  auto moved = s.write({"journey_map.save", "journey_map", map_id, "version " + std::to_string(base + 1)},
                       "UPDATE journey_maps SET current_version = current_version + 1, updated_at = $2"
                       " WHERE partnership_id = $1 AND id = $3 AND current_version = $4",
                       {now_seconds(), map_id, base});
  if (moved == 0) return get(s, map_id) ? Saved::conflict : Saved::not_found;
  s.insert({"journey_map.version", "journey_map_version", std::nullopt, "map " + std::to_string(map_id)},
           "INSERT INTO journey_map_versions (partnership_id, map_id, number, stages, note, author_id, created_at)"
           " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
           {map_id, base + 1, to_text(keyed), note, author, now_seconds()});
  return Saved::ok;
}

}  // namespace cp::modules::journeymaps::store_fn
