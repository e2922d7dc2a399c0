// The published lens summary and the lens JSON API.
//
// A partnership admin publishes a snapshot of the partnership-level dashboard for anyone to read at
// /our-learning. The snapshot holds the cells as they are shown, suppression already applied: a
// hidden count is stored as "fewer than 5" or "hidden to protect small numbers" with no number at
// all, so a raw small count never reaches the table, the public page, the CSV or the API. Labels
// are stored in English and in Welsh (the dashboard is built once in each language when publishing),
// so a Welsh reader sees the Welsh snapshot. Withdrawing a summary keeps its row and hides it.
//
// Pages: /lens/publish (admin), /our-learning, /our-learning/{id}, /our-learning/{id}/figures.csv.
// API: /api/v1/lens[/organisations/{id} | /services/{id}] (staff, as the pages) and
// /api/v1/our-learning[/{id}] (public).
#pragma once
#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "modules/lens/lens.hpp"
#include "web/bilingual.hpp"

namespace cp::modules::lens {

// A learning log entry quoted in a summary: a copy of its words, never its author.
struct Quote {
  std::string chart_key, concluded, will_try;
};

struct Summary {
  std::int64_t id = 0;
  web::Bilingual title, note;
  std::vector<Quote> quotes;
  std::string figures_on;  // YYYY-MM-DD: the day the figures were taken
  std::int64_t published_at = 0;
  bool withdrawn = false;
  std::optional<std::int64_t> withdrawn_at;
  std::string charts_en, charts_cy;  // the snapshot (see encode_charts)
};

// The snapshot's storage form: charts as JSON with every cell as shown. A hidden cell keeps only
// why it is hidden; a decimal or share keeps the value rounded as shown.
std::string encode_charts(const std::vector<Chart>& charts, const std::vector<std::string>& titles);
// Back to charts (hidden cells come back hidden, with no number); titles in `titles`.
std::vector<Chart> decode_charts(const std::string& json, std::vector<std::string>& titles);

// A cell as the JSON API shows it: a label as a string, a number as a number, "no data" as null,
// a hidden count as {"suppressed": "fewer_than_5"} or {"suppressed": "secondary"}. A mean or share
// that rests on fewer than 5 people (or on a hidden count) is {"suppressed": "fewer_than_5"}.
boost::json::value api_cell(const Cell& c);
// A chart as {key, title, section, columns, rows, total, notes}; total is null when there is none.
boost::json::object api_chart(const Chart& c, const std::string& title);

// The charts a published summary may carry: every partnership-level chart (counts of people,
// never a row per person). Any chart key added later is left out until it is listed here.
bool publishable(const std::string& chart_key);

namespace lens_publish_policy {
// Publishing and withdrawing are for the partnership's admins only.
bool can_publish(const std::optional<auth::Actor>& a);
}  // namespace lens_publish_policy

namespace published_store {
// Builds the partnership dashboard in English and Welsh (labels from `cat`) and stores it with the
// title, note and quotes. Returns the new id.
std::int64_t publish(store::Scope& s, const web::Catalogue& cat, const std::string& today, const web::Bilingual& title,
                     const web::Bilingual& note, const std::vector<Quote>& quotes);
// Newest first; `include_withdrawn` for the admin list.
std::vector<Summary> list(store::Scope& s, bool include_withdrawn);
std::optional<Summary> get(store::Scope& s, std::int64_t id);
// Hides (withdrawn = true) or shows again. Returns false when there is no such summary or nothing
// changed.
bool set_withdrawn(store::Scope& s, std::int64_t id, bool withdrawn);
}  // namespace published_store

void published_migrations(store::Migrations& m);
void install_published(app::App& a);
void install_api(app::App& a);
// Demo: one published summary for the demo partnership (idempotent).
void seed_demo_summary(app::App& a, store::Scope& s);

}  // namespace cp::modules::lens
