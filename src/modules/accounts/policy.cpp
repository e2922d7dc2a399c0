#include "modules/accounts/accounts.hpp"

namespace cp::modules::accounts_policy {

bool can_manage_users(const std::optional<auth::Actor>& actor) { return actor && actor->has(auth::Role::admin); }

}  // namespace cp::modules::accounts_policy
