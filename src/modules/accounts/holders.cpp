#include "modules/accounts/accounts.hpp"

namespace cp::modules {

std::vector<std::int64_t> AccountsModule::holders(store::Scope& s, auth::Role role, std::int64_t organisation_id) {
  std::vector<std::int64_t> out;
  auto r = s.read("SELECT DISTINCT r.user_id FROM user_roles r JOIN users u ON u.partnership_id = $1"
                  " AND u.id = r.user_id WHERE r.partnership_id = $1 AND r.role = $2 AND r.organisation_id = $3"
                  " AND u.disabled_at IS NULL ORDER BY r.user_id",
                  {auth::to_string(role), organisation_id});
  for (const auto& row : r.rows) out.push_back(row.i64(0));
  return out;
}

}  // namespace cp::modules
