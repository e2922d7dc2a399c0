// "Focus it": the priority matrix. Staff set up a priority exercise with candidate co-production
// initiatives; anyone signed in rates each one for impact and for effort on a 1 to 5 scale (or says
// "don't know"); the averages place each initiative in one of four boxes of a 2x2 chart, with quick
// wins (high impact, low effort) picked out; staff record a decision per initiative (take on, back
// burner or drop) with a reason and, to take it on, an owner. Every decision is kept.
//
// The quadrant rule (also in docs/architecture.md): the scale's midpoint is 3. Impact is high only
// when its mean is above 3; effort is low only when its mean is below 3. A mean exactly on 3 goes to
// the less attractive side (impact 3 is not high, effort 3 is not low), so a quick win has to be
// clearly a quick win. Means are compared exactly (sum against 3 x count), never as floating point.
// An initiative with no impact rating or no effort rating yet is not placed on the chart.
//
// The second axis: whoever starts an exercise chooses whether people rate the work an initiative
// takes ("effort", where low is good) or how easy it is to do ("feasibility", where high is good).
// Ratings keep the second answer in the same place (Rating::effort, the column `effort`) whichever
// axis the exercise uses; the exercise's axis says how to read it. Under feasibility the rule
// mirrors: feasibility is high only when its mean is above 3, a mean of exactly 3 is not high, and
// a quick win is high impact with high feasibility. The four boxes keep their meaning: a quick win
// makes a big difference and is easy to do; a "big project" makes a big difference but is hard; a
// "small job" is easy but makes little difference; the last box is neither.
//
// This module also serves the /toolkit landing page that links the co-production toolkit together.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"

namespace cp::modules::priorities {

inline constexpr int kScaleMin = 1, kScaleMax = 5, kMidpoint = 3;
inline const std::vector<std::string> kDecisions = {"take_on", "back_burner", "drop"};
// The second axis of an exercise; the first is the default for exercises made before the choice.
inline const std::vector<std::string> kAxes = {"effort", "feasibility"};
bool is_axis(const std::string& axis);

struct Exercise {
  std::int64_t id = 0;
  std::string title, intro, status;  // status: open (rating) or closed
  std::int64_t created_by = 0, created_at = 0;
  std::string axis = "effort";  // kAxes
};

struct Initiative {
  std::int64_t id = 0, exercise_id = 0, number = 0;
  std::string title, description;
  std::optional<std::int64_t> idea_id;
  std::int64_t created_at = 0;
  std::string title_cy, description_cy;  // Welsh versions, empty when absent (web/bilingual.hpp)
};

// One person's rating of one initiative; nullopt is "don't know". `effort` holds the answer on the
// exercise's second axis (effort or feasibility, see above).
struct Rating {
  std::int64_t initiative_id = 0, user_id = 0;
  std::optional<int> impact, effort;
};

struct Decision {
  std::int64_t id = 0, initiative_id = 0;
  std::string decision, reason, owner;
  std::int64_t decided_by = 0, decided_at = 0;
};

// A mean kept as its exact parts.
struct Mean {
  std::int64_t sum = 0, n = 0;
  bool known() const { return n > 0; }
  double value() const { return n ? static_cast<double>(sum) / static_cast<double>(n) : 0.0; }
  // -1, 0 or 1 as this mean is below, on or above `x`, exactly.
  int compare_to(std::int64_t x) const { return sum < x * n ? -1 : (sum == x * n ? 0 : 1); }
};

enum class Quadrant { quick_win, big_project, small_job, not_worth_it, unplaced };
std::string to_string(Quadrant q);

// The quadrant of a pair of means under the rule above; `second` is the mean on the exercise's
// second axis, read as `axis` says (an unknown axis throws std::invalid_argument).
Quadrant quadrant_of(const Mean& impact, const Mean& second, const std::string& axis = "effort");

struct Placed {
  Initiative initiative;
  Mean impact, effort;
  std::int64_t raters = 0;  // people who rated it at all (a "don't know" counts as taking part)
  Quadrant quadrant = Quadrant::unplaced;
};

// The matrix from initiatives and ratings (ratings of other initiatives are ignored). Ordered: quick
// wins, big projects, small jobs, not worth it, not placed; within a box by higher impact, then
// the better second answer (lower effort, or higher feasibility), then the initiative's number.
std::vector<Placed> compute(const std::vector<Initiative>& initiatives, const std::vector<Rating>& ratings,
                            const std::string& axis = "effort");

namespace policy {
bool can_view(const std::optional<auth::Actor>& a);    // anyone signed in
bool can_rate(const std::optional<auth::Actor>& a);    // anyone signed in (the exercise must be open)
bool can_manage(const std::optional<auth::Actor>& a);  // admins, managers, commissioners
}  // namespace policy

namespace store_fn {
// Throws std::invalid_argument without a title or with an axis not in kAxes.
std::int64_t create_exercise(store::Scope& s, const std::string& title, const std::string& intro, std::int64_t by,
                             const std::string& axis = "effort");
std::vector<Exercise> exercises(store::Scope& s);
std::optional<Exercise> exercise(store::Scope& s, std::int64_t id);
bool set_status(store::Scope& s, std::int64_t id, const std::string& status);
// Numbered 1, 2, 3 ... within its exercise. idea_id must name an idea of the ideas module (checked
// by the caller through that module's interface).
// The English title may be empty when the Welsh one is not (written in Welsh only).
std::int64_t add_initiative(store::Scope& s, std::int64_t exercise_id, const std::string& title,
                            const std::string& description, std::optional<std::int64_t> idea_id, std::int64_t by,
                            const std::string& title_cy = "", const std::string& description_cy = "");
std::vector<Initiative> initiatives(store::Scope& s, std::int64_t exercise_id);
std::optional<Initiative> initiative(store::Scope& s, std::int64_t id);
// Sets (or changes) a person's rating. Both nullopt removes it. Throws std::invalid_argument for a
// value outside the scale.
void rate(store::Scope& s, std::int64_t initiative_id, std::int64_t user_id, std::optional<int> impact,
          std::optional<int> effort);
std::vector<Rating> ratings(store::Scope& s, std::int64_t exercise_id);
std::vector<Rating> ratings_by(store::Scope& s, std::int64_t user_id);
// Records a decision; throws std::invalid_argument when the decision is unknown, the reason is
// empty, or "take_on" has no owner.
std::int64_t decide(store::Scope& s, std::int64_t initiative_id, const std::string& decision, const std::string& reason,
                    const std::string& owner, std::int64_t by);
// Newest first.
std::vector<Decision> decisions(store::Scope& s, std::int64_t initiative_id);
// The latest decision per initiative of an exercise.
std::vector<Decision> latest_decisions(store::Scope& s, std::int64_t exercise_id);
std::int64_t erase_ratings_of(store::Scope& s, std::int64_t user_id);
}  // namespace store_fn

// The demo partnership's priority exercise (idempotent).
void seed_demo(app::App& a, store::Scope& s);

// The read-only JSON API (api.cpp): GET /api/v1/toolkit/priorities.
void install_api(app::App& a);

class PrioritiesModule : public app::Module {
 public:
  std::string name() const override { return "priorities"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
};

}  // namespace cp::modules::priorities
