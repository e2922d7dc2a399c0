// The "we talked, we did together" tracker: actions agreed between people who use services and
// staff, each with an owner, a due date, a status (agreed -> in progress -> done / not possible),
// evidence of what changed, and the idea, finding or feedback it came from.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"

namespace cp::modules::tracker {

struct Origin {
  std::string kind;  // "idea", "finding", "feedback"
  std::int64_t id = 0;
  std::string title;
  std::string link;
};

struct NewAction {
  std::string title;
  std::string owner;
  std::optional<std::int64_t> service_id;
  std::string due_on;  // YYYY-MM-DD, or empty
  Origin origin;
};

struct ActionSummary {
  std::int64_t id = 0;
  std::string title, status, link;
};

// Records an agreed action inside the caller's transaction; status starts "agreed". Throws
// std::invalid_argument when the title is empty or the due date is not a real date.
std::int64_t agree(store::Scope& s, const NewAction& a, std::int64_t by_user);
// The actions that came from one idea, finding or piece of feedback, oldest first.
std::vector<ActionSummary> for_origin(store::Scope& s, const std::string& kind, std::int64_t id);

// The demo partnership's actions (called from the demo loader). Idempotent.
void seed_demo(app::App& a, store::Scope& s);

inline const std::vector<std::string> kStatuses = {"agreed", "in_progress", "done", "not_possible"};
inline const std::vector<std::string> kOriginKinds = {"idea", "finding", "feedback", "meeting"};

// How many actions are in one status (for the contribution module's evidence; figures.cpp).
std::int64_t count_with_status(store::Scope& s, const std::string& status);

class TrackerModule : public app::Module {
 public:
  std::string name() const override { return "tracker"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
};

}  // namespace cp::modules::tracker
