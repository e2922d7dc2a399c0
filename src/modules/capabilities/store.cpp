#include <algorithm>
#include <cmath>
#include <map>

#include "core/util.hpp"
#include "modules/capabilities/capabilities.hpp"
#include "modules/capabilities/offer_index.hpp"

namespace cp::modules {

void CapabilitiesModule::migrations(store::Migrations& m) const {
  m.add({"capabilities", 1, "people's offers and wishes",
         R"SQL(
CREATE TABLE capability_offers (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  person_id BIGINT NOT NULL,
  recorded_by BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('offer', 'wish')),
  topic TEXT NOT NULL,
  title TEXT NOT NULL,
  details TEXT NOT NULL DEFAULT '',
  languages TEXT NOT NULL DEFAULT '',
  time_note TEXT NOT NULL DEFAULT '',
  days TEXT NOT NULL DEFAULT '',
  postcode TEXT NOT NULL DEFAULT '',
  latitude DOUBLE PRECISION,
  longitude DOUBLE PRECISION,
  visibility TEXT NOT NULL CHECK (visibility IN ('keyworker', 'staff', 'members')),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn')),
  search_text TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  withdrawn_at BIGINT,
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, person_id) REFERENCES users (partnership_id, id),
  FOREIGN KEY (partnership_id, recorded_by) REFERENCES users (partnership_id, id)
);
CREATE INDEX capability_offers_person ON capability_offers (partnership_id, person_id, created_at);
CREATE INDEX capability_offers_browse ON capability_offers (partnership_id, status, kind, topic, title);
CREATE INDEX capability_offers_position ON capability_offers (partnership_id, latitude, longitude);
)SQL",
         {"capability_offers"}});
  // Change numbers for the kept offer index (offer_index.hpp). Triggers rather than code in each
  // writer, so no writer (the module, the rights holder's erasure, a bulk load, a hand-run SQL fix)
  // can forget. Every inserted or updated row gets the partnership's next number, taken from its row
  // in capability_offer_generations, which stays locked until the writer commits; a delete gives the
  // partnership a new random epoch (the index is then built again). On PostgreSQL the counter moves
  // once per transaction (a transaction-local setting remembers the number), which also tells a
  // reader that its own transaction has changed offers. On SQLite it moves once per row, with a new
  // random tag each time, and `recent` keeps the last few "number:tag" pairs: an index that followed
  // a transaction which then rolled back (its number later given to another change) finds its own
  // pair missing there and is built again.
  std::string sqlite_number;
  for (const char* when : {"AFTER INSERT ON capability_offers", "AFTER UPDATE ON capability_offers WHEN NEW.change_no = OLD.change_no"})
    sqlite_number += std::string("CREATE TRIGGER capability_offers_number_") + (when[6] == 'I' ? "insert " : "update ") + when +
                     R"SQL( BEGIN
  INSERT OR IGNORE INTO capability_offer_generations (partnership_id, counter, epoch) VALUES (NEW.partnership_id, 0, random());
  UPDATE capability_offer_generations SET counter = counter + 1, tag = random() WHERE partnership_id = NEW.partnership_id;
  UPDATE capability_offer_generations SET recent = substr(';' || counter || ':' || tag || recent, 1, 1200)
    WHERE partnership_id = NEW.partnership_id;
  UPDATE capability_offers SET change_no = (SELECT g.counter FROM capability_offer_generations g
    WHERE g.partnership_id = NEW.partnership_id) WHERE id = NEW.id;
END;
)SQL";
  m.add({"capabilities", 2, "change numbers for the kept offer index",
         R"SQL(
ALTER TABLE capability_offers ADD COLUMN change_no BIGINT NOT NULL DEFAULT 0;
CREATE INDEX capability_offers_changes ON capability_offers (partnership_id, change_no);
CREATE TABLE capability_offer_generations (
  partnership_id BIGINT PRIMARY KEY REFERENCES partnerships (id),
  counter BIGINT NOT NULL,
  epoch BIGINT NOT NULL,
  tag BIGINT NOT NULL DEFAULT 0,
  recent TEXT NOT NULL DEFAULT ';0:0;'
);
{{sqlite}}
INSERT INTO capability_offer_generations (partnership_id, counter, epoch) SELECT id, 0, random() FROM partnerships;
)SQL" + sqlite_number + R"SQL(
CREATE TRIGGER capability_offers_removed AFTER DELETE ON capability_offers BEGIN
  INSERT INTO capability_offer_generations (partnership_id, counter, epoch) VALUES (OLD.partnership_id, 0, random())
    ON CONFLICT (partnership_id) DO UPDATE SET epoch = excluded.epoch;
END;
{{end}}
{{postgres}}
INSERT INTO capability_offer_generations (partnership_id, counter, epoch)
  SELECT id, 0, (random() * 9.0e18)::bigint FROM partnerships;
CREATE FUNCTION capability_offers_number() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  n BIGINT := nullif(current_setting('coproduce.offer_change_' || NEW.partnership_id, true), '')::bigint;
BEGIN
  IF n IS NULL THEN
    INSERT INTO capability_offer_generations AS g (partnership_id, counter, epoch)
      VALUES (NEW.partnership_id, 1, (random() * 9.0e18)::bigint)
      ON CONFLICT (partnership_id) DO UPDATE SET counter = g.counter + 1
      RETURNING g.counter INTO n;
    PERFORM set_config('coproduce.offer_change_' || NEW.partnership_id, n::text, true);
  END IF;
  NEW.change_no := n;
  RETURN NEW;
END $$;
CREATE TRIGGER capability_offers_number BEFORE INSERT OR UPDATE ON capability_offers
  FOR EACH ROW EXECUTE FUNCTION capability_offers_number();
CREATE FUNCTION capability_offers_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('coproduce.offer_removed_' || OLD.partnership_id, true), '') = '' THEN
    INSERT INTO capability_offer_generations AS g (partnership_id, counter, epoch)
      VALUES (OLD.partnership_id, 0, (random() * 9.0e18)::bigint)
      ON CONFLICT (partnership_id) DO UPDATE SET epoch = excluded.epoch;
    PERFORM set_config('coproduce.offer_removed_' || OLD.partnership_id, '1', true);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER capability_offers_removed AFTER DELETE ON capability_offers
  FOR EACH ROW EXECUTE FUNCTION capability_offers_removed();
{{end}}
)SQL",
         {"capability_offer_generations"}});
}

OfferViewer viewer_for(const std::optional<auth::Actor>& a) {
  OfferViewer v;
  if (!a) return v;
  v.user_id = a->user_id;
  v.staff = capabilities_policy::is_offer_staff(a);
  return v;
}

namespace capabilities_store {

namespace {

using store::Params;
using store::Value;

constexpr double kPi = 3.14159265358979323846;
constexpr double kMetresPerDegree = 6371008.8 * kPi / 180.0;

const std::string kSelect =
    "SELECT o.id, o.person_id, o.recorded_by, o.kind, o.topic, o.title, o.details, o.languages, o.time_note, o.days,"
    " o.postcode, o.latitude, o.longitude, o.visibility, o.status, o.created_at, o.updated_at, u.name"
    " FROM capability_offers o JOIN users u ON u.partnership_id = $1 AND u.id = o.person_id";

Offer from_row(const store::Row& r) {
  Offer o;
  o.id = r.i64(0);
  o.person_id = r.i64(1);
  o.recorded_by = r.i64(2);
  o.kind = r.text(3);
  o.topic = r.text(4);
  o.title = r.text(5);
  o.details = r.text(6);
  o.languages = r.text(7);
  o.time_note = r.text(8);
  for (const auto& d : split(r.text(9), ','))
    if (!d.empty()) o.days.push_back(d);
  o.postcode = r.text(10);
  if (!r.null(11) && !r.null(12)) o.point = postcodes::Point{r.f64(11), r.f64(12)};
  o.visibility = r.text(13);
  o.status = r.text(14);
  o.created_at = r.i64(15);
  o.updated_at = r.i64(16);
  o.person_name = r.text(17);
  return o;
}

std::string next(Params& p, Value v) {
  p.push_back(std::move(v));
  return "$" + std::to_string(p.size() + 1);
}

// The rows of capability_offers (alias o) this viewer may see. The one place the rule is written.
std::string visible_where(Params& p, const OfferViewer& v) {
  if (v.user_id <= 0) return "1 = 0";
  std::string me = next(p, v.user_id);
  std::string out = "(o.person_id = " + me + " OR o.visibility = 'members'";
  if (v.staff) {
    out += " OR o.visibility = 'staff' OR (o.visibility = 'keyworker' AND (o.recorded_by = " + me;
    if (!v.caseload.empty()) {
      out += " OR o.person_id IN (";
      for (std::size_t i = 0; i < v.caseload.size(); ++i) out += (i ? ", " : "") + next(p, v.caseload[i]);
      out += ")";
    }
    out += "))";
  }
  return out + ")";
}

std::string search_text(const OfferInput& in) {
  return to_lower(in.title + "\n" + in.details + "\n" + in.languages);
}

std::string join_days(const std::vector<std::string>& days) {
  std::string out;
  for (const auto& d : days) out += (out.empty() ? "" : ",") + d;
  return out;
}

Value lat_of(const std::optional<postcodes::Point>& p) { return p ? Value(p->latitude) : Value(nullptr); }
Value lon_of(const std::optional<postcodes::Point>& p) { return p ? Value(p->longitude) : Value(nullptr); }

}  // namespace

std::vector<OfferProblem> validate(app::App& app, OfferInput& in, const std::vector<std::string>& topics,
                                   std::optional<postcodes::Point>& point) {
  std::vector<OfferProblem> p;
  point.reset();
  if (std::find(kOfferKinds.begin(), kOfferKinds.end(), in.kind) == kOfferKinds.end())
    p.push_back({"kind", "capabilities.error_kind"});
  if (in.topic != kOtherTopic && std::find(topics.begin(), topics.end(), in.topic) == topics.end())
    p.push_back({"topic", "capabilities.error_topic"});
  if (in.title.empty()) p.push_back({"title", "capabilities.error_title_missing"});
  else if (in.title.size() > 120) p.push_back({"title", "capabilities.error_title_long"});
  if (in.details.size() > 2000) p.push_back({"details", "capabilities.error_details_long"});
  if (in.languages.size() > 200) p.push_back({"languages", "capabilities.error_languages_long"});
  if (in.time_note.size() > 200) p.push_back({"time_note", "capabilities.error_time_note_long"});
  std::vector<std::string> days;
  for (const auto& d : kWeekDays)
    if (std::find(in.days.begin(), in.days.end(), d) != in.days.end()) days.push_back(d);
  if (days.size() != in.days.size()) p.push_back({"days", "capabilities.error_days"});
  in.days = days;
  if (!in.postcode.empty()) {
    auto n = postcodes::normalise(in.postcode);
    if (!n) {
      p.push_back({"postcode", "capabilities.error_postcode_invalid"});
    } else {
      in.postcode = n->text;
      point = postcodes::locate(*app.db, *n);
      if (!point) p.push_back({"postcode", "capabilities.error_postcode_unknown"});
    }
  }
  if (std::find(kOfferVisibilities.begin(), kOfferVisibilities.end(), in.visibility) == kOfferVisibilities.end())
    p.push_back({"visibility", "capabilities.error_visibility"});
  return p;
}

std::int64_t create(store::Scope& s, std::int64_t person_id, std::int64_t recorded_by, const OfferInput& in,
                    const std::optional<postcodes::Point>& point) {
  auto now = now_seconds();
  // Recording for someone else names both people in the audit trail.
  std::string detail = person_id == recorded_by ? "" : "for person " + std::to_string(person_id);
  return s.insert({"capability_offer.create", "capability_offer", std::nullopt, detail},
                  "INSERT INTO capability_offers (partnership_id, person_id, recorded_by, kind, topic, title, details,"
                  " languages, time_note, days, postcode, latitude, longitude, visibility, search_text, created_at,"
                  " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)"
                  " RETURNING id",
                  {person_id, recorded_by, in.kind, in.topic, in.title, in.details, in.languages, in.time_note,
                   join_days(in.days), in.postcode, lat_of(point), lon_of(point), in.visibility, search_text(in), now});
}

bool update(store::Scope& s, std::int64_t id, const OfferInput& in, const std::optional<postcodes::Point>& point) {
  return s.write({"capability_offer.update", "capability_offer", id, ""},
                 "UPDATE capability_offers SET kind = $3, topic = $4, title = $5, details = $6, languages = $7,"
                 " time_note = $8, days = $9, postcode = $10, latitude = $11, longitude = $12, visibility = $13,"
                 " search_text = $14, updated_at = $15 WHERE partnership_id = $1 AND id = $2 AND status = 'active'",
                 {id, in.kind, in.topic, in.title, in.details, in.languages, in.time_note, join_days(in.days),
                  in.postcode, lat_of(point), lon_of(point), in.visibility, search_text(in), now_seconds()}) > 0;
}

bool withdraw(store::Scope& s, std::int64_t id) {
  auto now = now_seconds();
  return s.write({"capability_offer.withdraw", "capability_offer", id, ""},
                 "UPDATE capability_offers SET status = 'withdrawn', withdrawn_at = $3, updated_at = $3"
                 " WHERE partnership_id = $1 AND id = $2 AND status = 'active'",
                 {id, now}) > 0;
}

std::optional<Offer> get(store::Scope& s, std::int64_t id, const OfferViewer& v) {
  Params p{id};
  std::string vis = visible_where(p, v);
  std::string me = next(p, v.user_id);
  // A withdrawn offer is shown to nobody but its person and whoever recorded it.
  auto r = s.read(kSelect + " WHERE o.partnership_id = $1 AND o.id = $2 AND " + vis + " AND (o.status = 'active' OR o.person_id = " +
                      me + " OR o.recorded_by = " + me + ")",
                  p);
  if (r.empty()) return std::nullopt;
  return from_row(r.one());
}

std::vector<Offer> mine(store::Scope& s, std::int64_t person_id) {
  std::vector<Offer> out;
  for (const auto& r : s.read(kSelect + " WHERE o.partnership_id = $1 AND o.person_id = $2"
                                        " ORDER BY o.status, o.created_at DESC, o.id DESC",
                              {person_id})
                           .rows)
    out.push_back(from_row(r));
  return out;
}

std::vector<Offer> browse(store::Scope& s, const OfferViewer& v, const BrowseQuery& q, std::int64_t& total) {
  Params p;
  std::string where = " WHERE o.partnership_id = $1 AND o.status = 'active' AND " + visible_where(p, v);
  if (!q.kind.empty()) where += " AND o.kind = " + next(p, q.kind);
  if (!q.topic.empty()) where += " AND o.topic = " + next(p, q.topic);
  total = s.read("SELECT COUNT(*) FROM capability_offers o" + where, p).one().i64(0);
  std::int64_t per = std::clamp<std::int64_t>(q.per_page, 1, 100);
  std::int64_t page = std::max<std::int64_t>(1, q.page);
  std::string sql = kSelect + where + " ORDER BY lower(o.title), o.id LIMIT " + next(p, per);
  sql += " OFFSET " + next(p, (page - 1) * per);
  std::vector<Offer> out;
  for (const auto& r : s.read(sql, p).rows) out.push_back(from_row(r));
  return out;
}

namespace {

// The whole offers for `found` (distance, id), in that order.
std::vector<Offer> read_found(store::Scope& s, const std::vector<std::pair<double, std::int64_t>>& found) {
  std::vector<Offer> out;
  if (found.empty()) return out;
  Params ip;
  std::string list;
  for (const auto& f : found) list += (list.empty() ? "" : ", ") + next(ip, f.second);
  std::map<std::int64_t, Offer> by_id;
  for (const auto& r : s.read(kSelect + " WHERE o.partnership_id = $1 AND o.id IN (" + list + ")", ip).rows) {
    auto o = from_row(r);
    by_id.emplace(o.id, std::move(o));
  }
  for (const auto& f : found)
    if (auto it = by_id.find(f.second); it != by_id.end()) out.push_back(std::move(it->second));
  return out;
}

}  // namespace

std::vector<Offer> candidates(store::Scope& s, const OfferViewer& v, const CandidateQuery& q) {
  // With a place, the kept in-memory index (offer_index.hpp) finds the same nearest offers as the
  // SQL below without reading thousands of rows; it declines only when it cannot be trusted here.
  if (q.near)
    if (auto found = capabilities_index::nearest(s, v, q)) return read_found(s, *found);
  return candidates_in_sql(s, v, q);
}

std::vector<Offer> candidates_in_sql(store::Scope& s, const OfferViewer& v, const CandidateQuery& q) {
  Params p;
  std::string relevant;
  if (!q.topic.empty() && q.topic != kOtherTopic) relevant = "o.topic = " + next(p, q.topic);
  for (const auto& w : q.words) {
    if (w.empty()) continue;
    relevant += (relevant.empty() ? "" : " OR ") + std::string("o.search_text LIKE ") + next(p, like_contains(w)) +
                " ESCAPE '\\'";
  }
  if (relevant.empty()) return {};
  std::string where = " WHERE o.partnership_id = $1 AND o.status = 'active' AND o.kind = 'offer' AND " +
                      visible_where(p, v) + " AND (" + relevant + ")";
  std::int64_t limit = std::clamp<std::int64_t>(q.limit, 1, 1000);
  std::vector<Offer> out;
  if (q.near) {
    // Nearest first, from a box that grows: in a town a few hundred metres already hold `limit`
    // offers, and reading every offer within 10 km to sort them (100,000 rows at a million people)
    // cost hundreds of milliseconds. Once `limit` offers lie within the radius searched, no offer
    // outside it can be nearer, so the answer is the same as searching the whole distance.
    // The search reads only ids and positions; the whole offer is read for the ones kept.
    std::vector<std::pair<double, std::int64_t>> found;
    double radius = std::min(q.within_m, std::max(250.0, q.within_m / 16));
    while (true) {
      Params bp = p;
      double dlat = radius / kMetresPerDegree * 1.001 + 1e-6;
      double edge = std::min(89.0, std::abs(q.near->latitude) + dlat);
      double dlon = std::min(180.0, dlat / std::cos(edge * kPi / 180.0));
      std::string box = " AND o.latitude BETWEEN " + next(bp, q.near->latitude - dlat) + " AND " +
                        next(bp, q.near->latitude + dlat) + " AND o.longitude BETWEEN " +
                        next(bp, q.near->longitude - dlon) + " AND " + next(bp, q.near->longitude + dlon);
      found.clear();
      for (const auto& r : s.read("SELECT o.id, o.latitude, o.longitude FROM capability_offers o" + where + box, bp).rows) {
        double d = postcodes::distance_m(*q.near, {r.f64(1), r.f64(2)});
        if (d <= radius) found.emplace_back(d, r.i64(0));
      }
      if (static_cast<std::int64_t>(found.size()) >= limit || radius >= q.within_m) break;
      radius = std::min(q.within_m, radius * 2);
    }
    std::sort(found.begin(), found.end());
    if (static_cast<std::int64_t>(found.size()) > limit) found.resize(static_cast<std::size_t>(limit));
    out = read_found(s, found);
  } else {
    // Built before the call: the parameter list must already hold the limit when it is passed.
    std::string sql = kSelect + where + " ORDER BY lower(o.title), o.id LIMIT " + next(p, limit);
    for (const auto& r : s.read(sql, p).rows) out.push_back(from_row(r));
  }
  return out;
}

std::optional<std::pair<std::int64_t, std::string>> find_person(store::Scope& s, const std::string& email) {
  // Accounts and roles are the core's tables (src/app/schema.cpp), read here only to check the role.
  auto r = s.read("SELECT u.id, u.name FROM users u WHERE u.partnership_id = $1 AND u.email = $2"
                  " AND u.disabled_at IS NULL AND EXISTS (SELECT 1 FROM user_roles r WHERE r.partnership_id = $1"
                  " AND r.user_id = u.id AND r.role = 'person')",
                  {to_lower(trim(email))});
  if (r.empty()) return std::nullopt;
  return std::make_pair(r.one().i64(0), r.one().text(1));
}

}  // namespace capabilities_store

}  // namespace cp::modules
