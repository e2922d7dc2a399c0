// Single-service lookups for other modules, which must not read the directory's tables themselves.
#include "core/util.hpp"
#include "modules/directory/directory.hpp"

namespace cp::modules::directory_store {

std::optional<ServiceRef> service_ref(store::Scope& s, std::int64_t id) {
  auto r = s.read("SELECT id, uuid, name, status, asset_kind, organisation_id FROM directory_services"
                  " WHERE partnership_id = $1 AND id = $2",
                  {id});
  if (r.empty()) return std::nullopt;
  const auto& row = r.rows[0];
  ServiceRef out;
  out.id = row.i64(0);
  out.uuid = row.text(1);
  out.name = row.text(2);
  out.status = row.text(3);
  out.asset_kind = row.text(4);
  out.organisation_id = row.opt_i64(5);
  const std::string prefix = "pipeline-stage-";
  for (const auto& t : s.read("SELECT t.term FROM directory_attributes a JOIN directory_taxonomy_terms t"
                              " ON t.partnership_id = $1 AND t.id = a.taxonomy_term_id"
                              " WHERE a.partnership_id = $1 AND a.service_id = $2",
                              {id})
                           .rows) {
    const auto& code = t.text(0);
    if (code.rfind(prefix, 0) != 0) continue;
    auto n = parse_int(code.substr(prefix.size()));
    if (n && *n >= 1 && *n <= 5) out.stages.push_back(static_cast<int>(*n));
  }
  return out;
}

}  // namespace cp::modules::directory_store
