#include "modules/ideas/ideas.hpp"

namespace cp::modules::ideas::policy {

using auth::Role;

bool can_view(const std::optional<auth::Actor>&) { return true; }

// Anyone with an account in the partnership can put ideas: co-design is for everyone.
bool can_post(const std::optional<auth::Actor>& a) { return a.has_value(); }

// Staff who run services decide what happens to an idea; councillors watch but do not decide.
bool can_review(const std::optional<auth::Actor>& a) {
  return a && (a->has(Role::worker) || a->has(Role::manager) || a->has(Role::commissioner) || a->has(Role::admin));
}

}  // namespace cp::modules::ideas::policy
