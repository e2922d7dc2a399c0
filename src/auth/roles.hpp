// Roles within a partnership, and the signed-in actor a request acts as.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cp::auth {

enum class Role { person, worker, manager, commissioner, councillor, admin };
inline constexpr Role kAllRoles[] = {Role::person, Role::worker, Role::manager, Role::commissioner, Role::councillor,
                                     Role::admin};

std::string to_string(Role r);
std::optional<Role> parse_role(const std::string& s);

struct Grant {
  Role role;
  std::optional<std::int64_t> organisation_id;  // workers and managers belong to an organisation
};

struct Actor {
  std::int64_t user_id = 0;
  std::string name;
  std::string email;
  std::string language = "en";
  bool must_change_password = false;
  std::vector<Grant> grants;

  bool has(Role r) const;
  // True when the actor holds `r` for this organisation.
  bool has_for(Role r, std::int64_t organisation_id) const;
  bool is_staff() const;  // worker, manager, commissioner, councillor or admin
};

}  // namespace cp::auth
