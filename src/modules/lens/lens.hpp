// The learning lens: a dashboard of what difference the partnership's services make, for the whole
// partnership, one organisation or one service. Employability figures come from journeys (kpi.hpp);
// "what other data" from self-assessment, ratings and inspections, each through its own module's
// interface. Every chart has a data table, a plain-language "what this might tell us" prompt and a
// learning log where the partnership writes down what it concluded and what it will try.
//
// Statistics protect people: every count published here (page, CSV, XLSX) goes through suppress()
// (suppress.cpp documents the rule), and a mean or share is only shown when it rests on at least
// kThreshold people.
//
// Pages: /lens, /lens/organisations/{id}, /lens/services/{uuid or id}, /lens/export.csv and
// /lens/export.xlsx (same scope parameters: organisation=ID or service=UUID), /lens/log.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"

namespace cp::modules::lens {

// ------------------------------------------------------------ suppression

inline constexpr std::int64_t kThreshold = 5;

// True for a count that must not be published as it is: more than 0 and fewer than kThreshold.
inline bool small(std::int64_t n) { return n > 0 && n < kThreshold; }

// How a count is published: as it is, as "fewer than 5" (it is 1 to 4), or held back because,
// with the total, it would let a reader work out a hidden small count (secondary suppression).
enum class Hide { no, small, secondary };

struct Suppressed {
  std::vector<Hide> cells;
  Hide total = Hide::no;
};

// Suppression of one group of counts that add up to `total` (when the total is published beside
// them; nullopt when it is not). See suppress.cpp for the rule.
Suppressed suppress(const std::vector<std::int64_t>& cells, std::optional<std::int64_t> total);

// ------------------------------------------------------------ the dashboard's figures

// What a dashboard is about. kind: "partnership", "organisation" or "service".
struct LensScope {
  std::string kind = "partnership";
  std::int64_t id = 0;
  std::string name;         // the organisation's or service's name ("" for the partnership)
  std::string service_uuid;  // for a service's links
  std::string key() const { return kind == "partnership" ? kind : kind + ":" + std::to_string(id); }
};

// One cell of a data table. A number that is hidden shows "fewer than 5" (a count) or "not shown"
// (a mean or share resting on fewer than 5 people); `none` means there is nothing to show (no data).
struct Cell {
  enum class Kind { text, count, decimal, percent } kind = Kind::text;
  std::string text;
  std::int64_t count = 0;
  double value = 0;
  int digits = 1;
  bool hidden = false;
  bool none = false;
  static Cell label(std::string s) { return {Kind::text, std::move(s)}; }
  bool secondary = false;  // hidden by secondary suppression (the number itself may be large)
  static Cell number(std::int64_t n, Hide h = Hide::no) {
    Cell c{Kind::count};
    c.count = n;
    c.hidden = h != Hide::no;
    c.secondary = h == Hide::secondary;
    return c;
  }
  static Cell decimal(std::optional<double> v, bool hidden, int digits = 1) {
    Cell c{Kind::decimal};
    c.value = v.value_or(0);
    c.none = !v;
    c.hidden = hidden && v.has_value();
    c.digits = digits;
    return c;
  }
  static Cell percent(std::int64_t part, std::int64_t whole, bool hidden) {
    Cell c{Kind::percent};
    c.none = whole == 0;
    c.value = whole == 0 ? 0 : 100.0 * double(part) / double(whole);
    c.hidden = hidden && whole != 0;
    c.digits = 0;
    return c;
  }
};

struct Chart {
  std::string key;                   // stable: "stages", "moves", ... "group_age_band"
  std::string section;               // "employability", "other" or "groups"
  std::vector<std::string> columns;  // header labels, in the reader's language
  std::vector<std::vector<Cell>> rows;
  std::vector<Cell> total;           // empty when the table has no total row
  int bar_column = 1;                // which column the bars draw; -1 for no chart (a table only)
  std::vector<std::string> notes;    // extra sentences shown under the table (e.g. cohorts too young)
};

struct Dashboard {
  LensScope scope;
  std::string today;  // YYYY-MM-DD
  std::vector<Chart> charts;
};

// Looks up a catalogue message for the figures' labels (ctx.t in the web layer).
using Tr = std::function<std::string(const std::string& key, const std::vector<std::pair<std::string, std::string>>& args)>;

// Every chart for one scope, suppressed, labels in `lang` (through `t`).
Dashboard build(store::Scope& s, const LensScope& scope, const std::string& today, const std::string& lang, const Tr& t);
// The chart keys in the order the dashboard shows them.
const std::vector<std::string>& chart_keys();

// How a cell reads on a page (`t` gives "fewer than 5" etc.) and in an export ("<5").
std::string cell_text(const Cell& c, const std::string& lang, const Tr& t);
std::string cell_export(const Cell& c);

// ------------------------------------------------------------ exports

// `titles` are the charts' titles in order; `note` the lines that say what the export is, when it
// was made and how small numbers are hidden.
// RFC 4180 CSV (UTF-8): the note lines, then per chart its title, header, rows, total and notes.
std::string export_csv(const Dashboard& d, const std::vector<std::string>& titles, const std::vector<std::string>& note);
// An XLSX workbook (libxlsxwriter): a "Notes" sheet, then one sheet per chart named by its key.
std::string export_xlsx(const Dashboard& d, const std::vector<std::string>& titles, const std::vector<std::string>& note);

// ------------------------------------------------------------ the learning log

struct LogEntry {
  std::int64_t id = 0;
  std::string chart_key, scope_kind;
  std::int64_t scope_id = 0;
  std::string concluded, will_try, review_on;  // review_on: YYYY-MM-DD or ""
  std::optional<std::int64_t> written_by;
  std::string by_name;
  std::int64_t created_at = 0;
};

namespace lens_store {
std::int64_t add_entry(store::Scope& s, const LogEntry& e);
// Newest first. Empty scope_kind: every scope.
std::vector<LogEntry> entries(store::Scope& s, const std::string& scope_kind, std::int64_t scope_id,
                              const std::string& chart_key = "");
std::vector<LogEntry> entries_by(store::Scope& s, std::int64_t user_id);
// Erasure of an account: its entries stay (they are the partnership's learning) without its name.
std::int64_t forget_author(store::Scope& s, std::int64_t user_id);
}  // namespace lens_store

// Who may see which dashboard. Counts only, but still staff-only: partnership admins and
// commissioners see every scope; an organisation's managers see their organisation and its services.
namespace lens_policy {
bool can_view_partnership(const std::optional<auth::Actor>& a);
bool can_view_organisation(const std::optional<auth::Actor>& a, std::int64_t organisation_id);
bool can_view_service(const std::optional<auth::Actor>& a, std::optional<std::int64_t> service_organisation_id);
// Anyone who may see at least one dashboard (the log page lists only what they may see).
bool can_use(const std::optional<auth::Actor>& a);
}  // namespace lens_policy

// Demo: more stage and outcome records, so the demo partnership's figures are not all suppressed,
// and two learning log entries. Idempotent.
void seed_demo(app::App& a, store::Scope& s);

class LensModule : public app::Module {
 public:
  std::string name() const override { return "lens"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
};

}  // namespace cp::modules::lens
