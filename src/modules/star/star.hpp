// "Map it": the Co-Production Star self-audit. For the whole partnership, one organisation or one
// service, people in four actor groups (councillors, managers, front-line staff and people who use
// services) say how far each of the four Co's happens today: co-commissioning, co-design,
// co-delivery and co-assessment. Each answer is a rung on a five-step ladder, from "informing"
// (doing to) to "co-producing" (doing with), or "I don't know", with examples and evidence.
//
// Results are the mean rung per Co for each actor group and overall, drawn as a star (radar) chart
// on the server with the same numbers in a table; an audit can be repeated a year later and the two
// compared; a list of "pockets" shows examples of what already happens and what does not yet.
//
// Rules of the maths (maths.cpp), stated once here:
//   - "I don't know" is a missing answer: it counts in no mean and no n.
//   - A mean is kept exactly as sum / n; comparisons are exact (no rounding); it is shown rounded
//     half up to one decimal place.
//   - The overall mean pools every answer, so each person counts once whatever their group.
//   - Strongest and weakest Co: every Co with the top (or bottom) mean is named; ties are never
//     broken. A Co with no answers is neither; it draws at the centre of the star, marked
//     "no answers", and the table says "no answers".
//   - The rung a mean "reaches" is the highest ladder step not above it (3.5 reaches "engaging").
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"

namespace cp::modules::star {

inline constexpr int kCoCount = 4;
inline const std::vector<std::string> kCos = {"commissioning", "design", "delivery", "assessment"};
inline const std::vector<std::string> kGroups = {"councillor", "manager", "frontline", "citizen"};
inline const std::vector<std::string> kLevels = {"informing", "consulting", "engaging", "codesigning", "coproducing"};
inline const std::vector<std::string> kSubjects = {"partnership", "organisation", "service"};

// ------------------------------------------------------------------ the maths (no storage)

// One person's answers: their group and, per Co in kCos order, a level 1-5 or nullopt ("don't know").
struct Answer {
  std::string group;
  std::array<std::optional<int>, kCoCount> levels;
};

struct Cell {
  std::int64_t n = 0, sum = 0;
  bool empty() const { return n == 0; }
  double mean() const { return n ? static_cast<double>(sum) / static_cast<double>(n) : 0.0; }
  // The ladder rung (1-5) the mean reaches; 0 when empty.
  int rung() const { return n ? static_cast<int>(sum / n) : 0; }
  // The mean in tenths, rounded half up (35 for 3.45); 0 when empty.
  std::int64_t tenths() const { return n ? (20 * sum + n) / (2 * n) : 0; }
};

// Exact comparison of two non-empty cells' means: <0, 0 or >0.
int compare(const Cell& a, const Cell& b);
// (b - a) in tenths, rounded half away from zero. Both must be non-empty.
std::int64_t change_tenths(const Cell& a, const Cell& b);
// "3.5", or "3,5" style is not used: both languages write a point.
std::string format_tenths(std::int64_t tenths, bool sign = false);

struct GroupResult {
  std::string group;  // one of kGroups, or "overall"
  std::int64_t respondents = 0;
  std::array<Cell, kCoCount> cells;
  std::vector<int> strongest, weakest;  // indexes into kCos; all tied ones; empty when nothing rated
};

struct Results {
  std::vector<GroupResult> groups;  // every group in kGroups order, even with no respondents
  GroupResult overall;
  std::int64_t respondents = 0;
};

// Answers with a group not in kGroups, or a level outside 1-5, throw std::invalid_argument.
Results compute(const std::vector<Answer>& answers);

// ------------------------------------------------------------------ the chart

struct Series {
  std::string label;  // legend text (already translated)
  int style = 0;      // 0..4: line pattern and point shape
  std::array<Cell, kCoCount> cells;
};
// An SVG star with four axes (kCos order, clockwise from the top), rings at levels 1-5 and one
// polygon per series; an empty cell draws at the centre. `axis_labels` and `no_answers` are the
// translated words. Role img with <title> and <desc>; `desc` should state the numbers.
std::string radar_svg(const std::vector<Series>& series, const std::array<std::string, kCoCount>& axis_labels,
                      const std::string& no_answers, const std::string& title, const std::string& desc);
// A small legend key (line pattern and point shape) for one style, as SVG, hidden from screen readers.
std::string legend_key_svg(int style);

// ------------------------------------------------------------------ storage

struct Audit {
  std::int64_t id = 0;
  std::string subject_kind;  // kSubjects
  std::optional<std::int64_t> subject_id;
  std::string subject_name, title, period, status;  // status: open, closed
  std::optional<std::int64_t> previous_id;          // the audit this one repeats
  std::optional<std::int64_t> created_by;
  std::int64_t created_at = 0, version = 1;
  std::optional<std::int64_t> closed_at;
  bool open() const { return status == "open"; }
};

struct Rating {
  std::optional<int> level;
  std::string examples, evidence;
};

struct Response {
  std::int64_t id = 0, audit_id = 0;
  std::optional<std::int64_t> user_id;
  std::string group;
  std::array<Rating, kCoCount> ratings;
  std::int64_t created_at = 0, updated_at = 0;
};

struct NewAudit {
  std::string subject_kind;
  std::optional<std::int64_t> subject_id;
  std::string subject_name, title, period;
  std::optional<std::int64_t> previous_id;
};

namespace star_store {
// Throws std::invalid_argument on an unknown subject kind, an empty title or period.
std::int64_t create(store::Scope& s, const NewAudit& a, std::optional<std::int64_t> by_user);
std::optional<Audit> get(store::Scope& s, std::int64_t id);
std::vector<Audit> list(store::Scope& s);  // newest first
// Other audits of the same subject, newest first.
std::vector<Audit> same_subject(store::Scope& s, const Audit& a);
// False when it was already closed (or is not there).
bool close(store::Scope& s, std::int64_t id);
std::optional<Response> response_of(store::Scope& s, std::int64_t audit_id, std::int64_t user_id);
std::vector<Response> responses(store::Scope& s, std::int64_t audit_id);
enum class Saved { created, updated, closed, not_found };
// One response per person per audit: a second save changes the first. Refused once closed.
Saved save_response(store::Scope& s, std::int64_t audit_id, std::int64_t user_id, const std::string& group,
                    const std::array<Rating, kCoCount>& ratings);
Results results(store::Scope& s, std::int64_t audit_id);
// Rights: everything one account answered, and erasure (the link to the person and their words go;
// the levels and group stay, so a closed audit's numbers do not change).
std::vector<std::pair<Audit, Response>> held(store::Scope& s, std::int64_t user_id);
std::int64_t erase_user(store::Scope& s, std::int64_t user_id);
std::int64_t forget_creator(store::Scope& s, std::int64_t user_id);
}  // namespace star_store

// ------------------------------------------------------------------ evidence from the platform

// The time window an audit's period names: "2026" is that calendar year; "2025-26" or "2025/26" is
// the UK financial year from 1 April; anything else is all time (from = 0).
struct Window {
  std::int64_t from = 0, to = 0;
  bool all_time = true;
};
Window window_of(const std::string& period);
// The period a repeat a year later would have: "2026" -> "2027", "2025-26" -> "2026-27", else "".
std::string next_period(const std::string& period);

struct Figure {
  int co = 0;              // index into kCos
  std::string key;         // catalogue key of the sentence, with {count} (and {total}, {percent})
  std::int64_t count = 0, total = 0;
  bool for_subject = false;  // counted for the audit's service only
};
std::vector<Figure> evidence(store::Scope& s, const Audit& a, std::int64_t now);

// ------------------------------------------------------------------ policy

namespace policy {
bool can_view(const std::optional<auth::Actor>& a);     // lists, results, pockets: anyone signed in
bool can_respond(const std::optional<auth::Actor>& a);  // anyone signed in
bool can_manage(const std::optional<auth::Actor>& a);   // start, repeat, close: admin, manager, commissioner
}  // namespace policy

// The demo partnership's audits: last year's and this year's of the whole partnership. Idempotent.
void seed_demo(app::App& a, store::Scope& s);

// The read-only JSON API (api.cpp): GET /api/v1/toolkit/star/audits and /audits/{id}.
void install_api(app::App& a);

class StarModule : public app::Module {
 public:
  std::string name() const override { return "star"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
};

}  // namespace cp::modules::star
