#include "modules/matching/matching.hpp"

namespace cp::modules::matching_policy {

// The same people who may see offers shared with staff: matching shows them, and it is a tool for
// workers finding help for the people they support.
bool can_match(const std::optional<auth::Actor>& a) { return capabilities_policy::is_offer_staff(a); }

}  // namespace cp::modules::matching_policy
