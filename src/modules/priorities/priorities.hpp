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

struct Exercise {
  std::int64_t id = 0;
  std::string title, intro, status;  // status: open (rating) or closed
  std::int64_t created_by = 0, created_at = 0;
};

struct Initiative {
  std::int64_t id = 0, exercise_id = 0, number = 0;
  std::string title, description;
  std::optional<std::int64_t> idea_id;
  std::int64_t created_at = 0;
};

// One person's rating of one initiative; nullopt is "don't know".
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

// The quadrant of a pair of means under the rule above.
Quadrant quadrant_of(const Mean& impact, const Mean& effort);

struct Placed {
  Initiative initiative;
  Mean impact, effort;
  std::int64_t raters = 0;  // people who rated it at all (a "don't know" counts as taking part)
  Quadrant quadrant = Quadrant::unplaced;
};

// The matrix from initiatives and ratings (ratings of other initiatives are ignored). Ordered: quick
// wins, big projects, small jobs, not worth it, not placed; within a box by higher impact, then
// lower effort, then the initiative's number.
std::vector<Placed> compute(const std::vector<Initiative>& initiatives, const std::vector<Rating>& ratings);

namespace policy {
bool can_view(const std::optional<auth::Actor>& a);    // anyone signed in
bool can_rate(const std::optional<auth::Actor>& a);    // anyone signed in (the exercise must be open)
bool can_manage(const std::optional<auth::Actor>& a);  // admins, managers, commissioners
}  // namespace policy

namespace store_fn {
std::int64_t create_exercise(store::Scope& s, const std::string& title, const std::string& intro, std::int64_t by);
std::vector<Exercise> exercises(store::Scope& s);
std::optional<Exercise> exercise(store::Scope& s, std::int64_t id);
bool set_status(store::Scope& s, std::int64_t id, const std::string& status);
// Numbered 1, 2, 3 ... within its exercise. idea_id must name an idea of the ideas module (checked
// by the caller through that module's interface).
std::int64_t add_initiative(store::Scope& s, std::int64_t exercise_id, const std::string& title,
                            const std::string& description, std::optional<std::int64_t> idea_id, std::int64_t by);
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

class PrioritiesModule : public app::Module {
 public:
  std::string name() const override { return "priorities"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
};

}  // namespace cp::modules::priorities
