// The published summaries' storage: lens migration 2, the snapshot's JSON form, and the cells as the
// JSON API shows them.
#include <algorithm>
#include <cmath>

#include "core/util.hpp"
#include "modules/journeys/kpi.hpp"
#include "modules/lens/publish.hpp"

namespace cp::modules::lens {

namespace json = boost::json;

namespace {

double rounded(double v, int digits) {
  double f = std::pow(10.0, digits);
  double r = std::round(v * f) / f;
  return r == 0 ? 0 : r;  // no "-0"
}

const char* kind_name(Cell::Kind k) {
  switch (k) {
    case Cell::Kind::text: return "text";
    case Cell::Kind::count: return "count";
    case Cell::Kind::decimal: return "decimal";
    case Cell::Kind::percent: return "percent";
  }
  return "text";
}

// One cell as stored. Only what the page shows: a hidden cell has no number in it.
json::value stored_cell(const Cell& c) {
  json::object o;
  o["k"] = kind_name(c.kind);
  switch (c.kind) {
    case Cell::Kind::text: o["t"] = c.text; break;
    case Cell::Kind::count:
      if (c.hidden) o["h"] = c.secondary ? "secondary" : "small";
      else o["n"] = c.count;
      break;
    case Cell::Kind::decimal:
    case Cell::Kind::percent:
      o["d"] = c.digits;
      if (c.none) o["none"] = true;
      else if (c.hidden) o["h"] = "small";
      else o["v"] = rounded(c.value, c.digits);
      break;
  }
  return o;
}

Cell cell_from(const json::value& v) {
  Cell c;
  const auto& o = v.as_object();
  std::string k = json::value_to<std::string>(o.at("k"));
  if (k == "text") {
    c = Cell::label(json::value_to<std::string>(o.at("t")));
    return c;
  }
  if (k == "count") {
    c.kind = Cell::Kind::count;
    if (auto* h = o.if_contains("h")) {
      c.hidden = true;
      c.secondary = h->as_string() == "secondary";
    } else {
      c.count = o.at("n").to_number<std::int64_t>();
    }
    return c;
  }
  c.kind = k == "decimal" ? Cell::Kind::decimal : Cell::Kind::percent;
  c.digits = static_cast<int>(o.at("d").to_number<std::int64_t>());
  if (o.if_contains("none")) c.none = true;
  else if (o.if_contains("h")) c.hidden = true;
  else c.value = o.at("v").to_number<double>();
  return c;
}

json::array stored_row(const std::vector<Cell>& row) {
  json::array a;
  for (const auto& c : row) a.push_back(stored_cell(c));
  return a;
}

std::vector<Cell> row_from(const json::value& v) {
  std::vector<Cell> out;
  for (const auto& c : v.as_array()) out.push_back(cell_from(c));
  return out;
}

std::vector<std::string> strings_from(const json::value& v) {
  std::vector<std::string> out;
  for (const auto& s : v.as_array()) out.push_back(json::value_to<std::string>(s));
  return out;
}

std::string quotes_json(const std::vector<Quote>& quotes) {
  json::array a;
  for (const auto& q : quotes) a.push_back(json::object{{"chart", q.chart_key}, {"concluded", q.concluded}, {"will_try", q.will_try}});
  return json::serialize(a);
}

std::vector<Quote> quotes_from(const std::string& text) {
  std::vector<Quote> out;
  if (text.empty()) return out;
  auto doc = json::parse(text);  // kept alive for the loop
  for (const auto& v : doc.as_array()) {
    const auto& o = v.as_object();
    out.push_back({json::value_to<std::string>(o.at("chart")), json::value_to<std::string>(o.at("concluded")),
                   json::value_to<std::string>(o.at("will_try"))});
  }
  return out;
}

constexpr const char* kCols =
    "SELECT id, title, title_cy, note, note_cy, quotes, figures_on, published_at, status, withdrawn_at, charts_en, charts_cy"
    " FROM lens_published";

Summary from_row(const store::Row& r) {
  Summary x;
  x.id = r.i64(0);
  x.title = {r.text(1), r.text(2)};
  x.note = {r.text(3), r.text(4)};
  x.quotes = quotes_from(r.text(5));
  x.figures_on = r.text(6);
  x.published_at = r.i64(7);
  x.withdrawn = r.text(8) == "withdrawn";
  x.withdrawn_at = r.opt_i64(9);
  x.charts_en = r.text(10);
  x.charts_cy = r.text(11);
  return x;
}

}  // namespace

void published_migrations(store::Migrations& m) {
  // Published summaries of the learning lens. The charts are stored as they are shown, suppression
  // already applied (a hidden count has no number in the stored JSON), in English and in Welsh.
  // Withdrawing keeps the row (status 'withdrawn') so the audit trail and the record agree.
  m.add({"lens", 2, "published lens summaries",
         R"SQL(
CREATE TABLE lens_published (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  title TEXT NOT NULL,
  title_cy TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  note_cy TEXT NOT NULL DEFAULT '',
  quotes TEXT NOT NULL DEFAULT '[]',
  figures_on TEXT NOT NULL,
  charts_en TEXT NOT NULL,
  charts_cy TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'withdrawn')),
  published_at BIGINT NOT NULL,
  withdrawn_at BIGINT,
  UNIQUE (partnership_id, id)
);
CREATE INDEX lens_published_list ON lens_published (partnership_id, status, published_at);
)SQL",
         {"lens_published"}});
}

bool publishable(const std::string& key) {
  static const std::vector<std::string> extra = {"stages",   "moves",   "sustained", "destinations", "first_outcome",
                                                 "distance", "ratings", "own_words", "referrals",    "findings"};
  if (std::find(extra.begin(), extra.end(), key) != extra.end()) return true;
  for (const auto& d : journeys::kBreakdowns)
    if (key == "group_" + d) return true;
  return false;
}

std::string encode_charts(const std::vector<Chart>& charts, const std::vector<std::string>& titles) {
  json::array out;
  for (std::size_t i = 0; i < charts.size(); ++i) {
    const auto& c = charts[i];
    json::object o;
    o["key"] = c.key;
    o["section"] = c.section;
    o["title"] = i < titles.size() ? titles[i] : c.key;
    json::array cols;
    for (const auto& h : c.columns) cols.push_back(json::value(h));
    o["columns"] = cols;
    json::array rows;
    for (const auto& r : c.rows) rows.push_back(stored_row(r));
    o["rows"] = rows;
    o["total"] = stored_row(c.total);
    o["bar_column"] = c.bar_column;
    json::array notes;
    for (const auto& n : c.notes) notes.push_back(json::value(n));
    o["notes"] = notes;
    out.push_back(o);
  }
  return json::serialize(out);
}

std::vector<Chart> decode_charts(const std::string& text, std::vector<std::string>& titles) {
  std::vector<Chart> out;
  titles.clear();
  auto doc = json::parse(text);  // kept alive for the loop
  for (const auto& v : doc.as_array()) {
    const auto& o = v.as_object();
    Chart c;
    c.key = json::value_to<std::string>(o.at("key"));
    c.section = json::value_to<std::string>(o.at("section"));
    c.columns = strings_from(o.at("columns"));
    for (const auto& r : o.at("rows").as_array()) c.rows.push_back(row_from(r));
    c.total = row_from(o.at("total"));
    c.bar_column = static_cast<int>(o.at("bar_column").to_number<std::int64_t>());
    c.notes = strings_from(o.at("notes"));
    titles.push_back(json::value_to<std::string>(o.at("title")));
    out.push_back(std::move(c));
  }
  return out;
}

json::value api_cell(const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::text: return json::value(c.text);
    case Cell::Kind::count:
      if (c.hidden) return json::object{{"suppressed", c.secondary ? "secondary" : "fewer_than_5"}};
      return json::value(c.count);
    case Cell::Kind::decimal:
    case Cell::Kind::percent:
      if (c.none) return nullptr;
      if (c.hidden) return json::object{{"suppressed", c.secondary ? "secondary" : "fewer_than_5"}};
      return json::value(rounded(c.value, c.digits));
  }
  return nullptr;
}

json::object api_chart(const Chart& c, const std::string& title) {
  json::object o;
  o["key"] = c.key;
  o["title"] = title;
  o["section"] = c.section;
  json::array cols;
  for (const auto& h : c.columns) cols.push_back(json::value(h));
  o["columns"] = cols;
  json::array rows;
  for (const auto& r : c.rows) {
    json::array row;
    for (const auto& cell : r) row.push_back(api_cell(cell));
    rows.push_back(row);
  }
  o["rows"] = rows;
  if (c.total.empty()) {
    o["total"] = nullptr;
  } else {
    json::array total;
    for (const auto& cell : c.total) total.push_back(api_cell(cell));
    o["total"] = total;
  }
  json::array notes;
  for (const auto& n : c.notes) notes.push_back(json::value(n));
  o["notes"] = notes;
  return o;
}

namespace lens_publish_policy {
bool can_publish(const std::optional<auth::Actor>& a) { return a && a->has(auth::Role::admin); }
}  // namespace lens_publish_policy

namespace published_store {

std::int64_t publish(store::Scope& s, const web::Catalogue& cat, const std::string& today, const web::Bilingual& title,
                     const web::Bilingual& note, const std::vector<Quote>& quotes) {
  auto snapshot = [&](const std::string& lang) {
    Tr t = [&cat, lang](const std::string& key, const std::vector<std::pair<std::string, std::string>>& args) {
      return cat.t(lang, key, args);
    };
    auto d = build(s, LensScope{}, today, lang, t);
    std::vector<Chart> charts;
    std::vector<std::string> titles;
    for (auto& c : d.charts)
      if (publishable(c.key)) {
        titles.push_back(cat.t(lang, "lens.chart_" + c.key));
        charts.push_back(std::move(c));
      }
    return encode_charts(charts, titles);
  };
  std::string en = snapshot("en"), cy = snapshot("cy");
  return s.insert({"lens.publish", "lens_published", std::nullopt, "figures of " + today},
                  "INSERT INTO lens_published (partnership_id, title, title_cy, note, note_cy, quotes, figures_on, charts_en,"
                  " charts_cy, status, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'published', $10) RETURNING id",
                  {trim(title.en), trim(title.cy), trim(note.en), trim(note.cy), quotes_json(quotes), today, en, cy,
                   now_seconds()});
}

std::vector<Summary> list(store::Scope& s, bool include_withdrawn) {
  std::string sql = std::string(kCols) + " WHERE partnership_id = $1" +
                    (include_withdrawn ? "" : " AND status = 'published'") + " ORDER BY published_at DESC, id DESC";
  std::vector<Summary> out;
  for (const auto& r : s.read(sql).rows) out.push_back(from_row(r));
  return out;
}

std::optional<Summary> get(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string(kCols) + " WHERE partnership_id = $1 AND id = $2", {id});
  if (r.rows.empty()) return std::nullopt;
  return from_row(r.rows[0]);
}

bool set_withdrawn(store::Scope& s, std::int64_t id, bool withdrawn) {
  if (withdrawn)
    return s.write({"lens.unpublish", "lens_published", id, ""},
                   "UPDATE lens_published SET status = 'withdrawn', withdrawn_at = $3 WHERE partnership_id = $1 AND id = $2"
                   " AND status = 'published'",
                   {id, now_seconds()}) > 0;
  return s.write({"lens.republish", "lens_published", id, ""},
                 "UPDATE lens_published SET status = 'published', withdrawn_at = NULL WHERE partnership_id = $1 AND id = $2"
                 " AND status = 'withdrawn'",
                 {id}) > 0;
}

}  // namespace published_store

}  // namespace cp::modules::lens
