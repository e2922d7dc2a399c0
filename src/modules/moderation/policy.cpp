#include "modules/moderation/queue.hpp"

namespace cp::modules::moderation::policy {

using auth::Role;

// Anyone with an account may report; reports from anonymous visitors would be an easy way to
// flood the queue.
bool can_report(const std::optional<auth::Actor>& a) { return a.has_value(); }

// Partnership admins and managers moderate: managers run services and answer for what is said
// about them, admins for the partnership as a whole.
bool can_moderate(const std::optional<auth::Actor>& a) { return a && (a->has(Role::admin) || a->has(Role::manager)); }

}  // namespace cp::modules::moderation::policy
