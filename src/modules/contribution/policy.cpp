#include "modules/contribution/contribution.hpp"

namespace cp::modules::contribution::policy {

// Every signed-in member of the partnership may read its theories of change and contribution
// stories: co-production means people who use services see how the partnership judges its own
// work, and can challenge it. They are not public, because the evidence includes quotes people
// agreed to give to the partnership, not to the world, and judgements that are still in draft.
bool can_read(const std::optional<auth::Actor>& a) { return a.has_value(); }

// The people who run, manage and commission services write and rate the chain: key workers,
// managers, commissioners and admins. Councillors read and scrutinise, as they do elsewhere.
bool can_edit(const std::optional<auth::Actor>& a) {
  return a && (a->has(auth::Role::worker) || a->has(auth::Role::manager) || a->has(auth::Role::commissioner) ||
               a->has(auth::Role::admin));
}

}  // namespace cp::modules::contribution::policy
