#include "modules/tracker/store.hpp"

namespace cp::modules::tracker::policy {

// What was agreed and what came of it is public: that is the point of "we did together".
bool can_view(const std::optional<auth::Actor>&) { return true; }

// Staff record and update actions: they answer for them. People who use services see and follow
// them, and raise new ones through ideas, feedback and inspections.
bool can_manage(const std::optional<auth::Actor>& a) { return a && a->is_staff(); }

}  // namespace cp::modules::tracker::policy
