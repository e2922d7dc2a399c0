// Who a service is for, as HSDS 3.0 and ORUK 3.0 say it: attributes with link_type "eligibility",
// each naming a taxonomy term ("Parents", "Carers", "Women"). They arrive and leave with the rest of
// the feed (import, export, /openreferral/); this file only recognises them.
#include <algorithm>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"

namespace cp::modules::directory_store {

bool is_eligibility_link(const std::string& link_type) { return to_lower(trim(link_type)) == "eligibility"; }

std::string eligibility_code(const std::string& term_code) {
  // "Young people", "young-people" and "young_people" are the same group.
  std::string code;
  for (char c : to_lower(trim(term_code))) code += (c == ' ' || c == '-') ? '_' : c;
  return std::find(kEligibilityGroups.begin(), kEligibilityGroups.end(), code) != kEligibilityGroups.end() ? code : "";
}

std::vector<EligibilityTag> eligibility(store::Scope& s, std::int64_t service_id) {
  std::vector<EligibilityTag> out;
  for (const auto& r : s.read("SELECT COALESCE(a.link_type, ''), COALESCE(t.term, ''), t.name FROM directory_attributes a"
                              " JOIN directory_taxonomy_terms t ON t.partnership_id = $1 AND t.id = a.taxonomy_term_id"
                              " WHERE a.partnership_id = $1 AND a.service_id = $2 ORDER BY a.id",
                              {service_id})
                           .rows)
    if (is_eligibility_link(r.text(0))) out.push_back({eligibility_code(r.text(1)), r.text(2)});
  return out;
}

}  // namespace cp::modules::directory_store
