// Distance travelled: self-assessment scales the partnership writes for itself (1 to 10, with plain
// anchors for the low, middle and high ends, in English and Welsh), and the dated completions a
// person makes of them, alone at /me/progress or with their key worker at /people/{id}/progress.
//
// Completions belong to the person's journeys record (journey_people.id), so someone without an
// account has a history too. A worker reaches it only through journeys_store::staff_access for the
// "outcomes" part, and every opening is written to the person's access log.
//
// Scales are retired, never deleted, so old answers keep their meaning; a retired scale takes no
// new answers but its history still shows.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "web/bilingual.hpp"

namespace cp::modules {

namespace selfassess {

constexpr int kMin = 1;
constexpr int kMax = 10;

struct ScaleInput {
  web::Bilingual name, question, low, middle, high;
  bool active = true;
};

struct Scale : ScaleInput {
  std::int64_t id = 0, position = 0;
};

struct Completion {
  std::int64_t id = 0, person_id = 0, created_at = 0;
  std::optional<std::int64_t> recorded_by;  // the account that typed it in
  bool with_worker = false;
  std::string completed_on;                  // YYYY-MM-DD
  std::map<std::int64_t, int> scores;        // scale id -> 1..10
};

// One answer as the form sent it, before checking.
struct Answer {
  std::string scale;  // the scale id as text
  std::string score;  // as typed
};

struct Problem {
  std::string field, key;
};

// Renders the change over time on one scale as an SVG line-and-dot chart. `points` are
// (label, score) in date order. The SVG carries a <title> and <desc>; pages show the same numbers in
// a table, so the picture is never the only way to read them.
std::string chart_svg(const std::string& id, const std::string& title, const std::string& desc,
                      const std::vector<std::pair<std::string, int>>& points, const std::string& low_label,
                      const std::string& high_label);

}  // namespace selfassess

namespace selfassess_policy {
// Partnership admins write and retire the scales.
bool can_manage_scales(const std::optional<auth::Actor>& a);
// Anyone signed in fills in their own.
bool can_keep_own(const std::optional<auth::Actor>& a);
}  // namespace selfassess_policy

namespace selfassess_store {
using namespace selfassess;

std::vector<Scale> scales(store::Scope& s, bool active_only);
std::optional<Scale> scale(store::Scope& s, std::int64_t id);
std::vector<Problem> validate(const ScaleInput& in);
std::int64_t add_scale(store::Scope& s, const ScaleInput& in);
bool save_scale(store::Scope& s, std::int64_t id, const ScaleInput& in);

// Checks answers against the active scales: each score a whole number 1-10, each scale known and
// active, at least one answer. Returns the problems (field ids are "score-<scale id>").
std::vector<Problem> check_answers(store::Scope& s, const std::vector<Answer>& answers, std::map<std::int64_t, int>& out);
// Records one dated completion with its scores (already checked). Returns its id.
std::int64_t record(store::Scope& s, std::int64_t person_id, std::optional<std::int64_t> recorded_by, bool with_worker,
                    const std::string& completed_on, const std::map<std::int64_t, int>& scores);
// Oldest first.
std::vector<Completion> completions(store::Scope& s, std::int64_t person_id);
// Deletes every completion of the person; returns {completions, scores} deleted.
std::pair<std::int64_t, std::int64_t> erase_person(store::Scope& s, std::int64_t person_id);

// For the learning lens (lens_figures.cpp): per scale, the people who answered it at least twice and
// the mean of (latest score - first score). `people` limits it to those person ids (nullopt: all).
struct ScaleChange {
  std::int64_t scale_id = 0;
  web::Bilingual name;
  std::int64_t people = 0;
  double mean_change = 0;
};
std::vector<ScaleChange> distance_travelled(store::Scope& s, const std::optional<std::vector<std::int64_t>>& people);

// ---- Kept figures (kept.cpp) ----
// The self-assessment figure is kept with journeys' employability counters (journeys/kpi.hpp:
// dim "sa"), because journeys knows which organisation and service each person is with. Every write
// here (record, erase_person) runs inside journeys::KpiChange, so the kept sums change in the same
// transaction. These give journeys what one person, or everyone, adds.
//
// Per scale answered at least twice by the person: latest score - first score (by date, then the
// order recorded).
std::map<std::int64_t, std::int64_t> person_distance(store::Scope& s, std::int64_t person_id);
// The same for everyone, in ascending person order; read a range of person ids at a time.
struct PersonChange {
  std::int64_t person_id = 0, scale_id = 0, change = 0;
};
std::vector<PersonChange> all_distances(store::Scope& s);
// Turns kept sums (scale id -> {people answered twice, sum of changes}) into the lens's rows: every
// active scale, and a retired one only when somebody moved on it.
std::vector<ScaleChange> distance_from_sums(store::Scope& s,
                                            const std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>>& sums);
}  // namespace selfassess_store

// The demo partnership's six scales. Idempotent.
void seed_selfassess_demo(app::App& a, store::Scope& s);

class SelfassessModule : public app::Module {
 public:
  std::string name() const override { return "selfassess"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
};

}  // namespace cp::modules
