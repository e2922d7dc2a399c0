#pragma once
#include <optional>

#include "auth/roles.hpp"

namespace cp::plain::policy {
bool can_manage(const std::optional<auth::Actor>& a);
bool can_see_report(const std::optional<auth::Actor>& a);
bool can_check(const std::optional<auth::Actor>& a);
bool can_read_guide(const std::optional<auth::Actor>& a);
}  // namespace cp::plain::policy
