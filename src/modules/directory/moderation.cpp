// Community assets in the partnership's moderation queue. An asset is written by people (through the
// Community Asset Survey, or imported), so anyone signed in may report one at /report/asset/{id}
// (the asset's internal id), and moderators hide and restore it there.
//
// Hiding takes the asset out of public view the way the directory already knows: its ORUK status
// becomes "inactive" (searches, matching and nearby places list only open services), its page is not
// found except by moderators, and the status it had is kept here so restoring puts it back exactly.
// Formal services are run by organisations, not written by members, so they are not a kind here.
#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "modules/directory/welsh.hpp"
#include "modules/moderation/moderation.hpp"

namespace cp::modules {

void directory_moderation_migrations(store::Migrations& m) {
  m.add({"directory_moderation", 1, "community assets hidden by moderators",
         R"SQL(
CREATE TABLE directory_hidden_assets (
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  service_id BIGINT NOT NULL,
  previous_status TEXT NOT NULL,
  hidden_at BIGINT NOT NULL,
  PRIMARY KEY (partnership_id, service_id),
  FOREIGN KEY (partnership_id, service_id) REFERENCES directory_services (partnership_id, id)
);
)SQL",
         {"directory_hidden_assets"}});
}

namespace directory_store {

bool asset_hidden(store::Scope& s, std::int64_t service_id) {
  return !s.read("SELECT 1 FROM directory_hidden_assets WHERE partnership_id = $1 AND service_id = $2", {service_id})
              .empty();
}

}  // namespace directory_store

namespace {

std::optional<moderation::Item> fetch_asset(store::Scope& s, std::int64_t id) {
  auto r = s.read("SELECT uuid, name, COALESCE(description, ''), COALESCE(asset_kind, '') FROM directory_services"
                  " WHERE partnership_id = $1 AND id = $2",
                  {id});
  if (r.empty() || r.one().text(3).empty()) return std::nullopt;  // not there, or a formal service
  const auto& row = r.one();
  std::string uuid = row.text(0);
  std::string text = row.text(1);
  if (!row.text(2).empty()) text += "\n\n" + row.text(2);
  if (auto cy = directory_welsh::by_uuid(s, uuid))
    for (const auto* part : {&cy->texts.name_cy, &cy->texts.description_cy})
      if (!part->empty()) text += "\n\n" + *part;
  // The author is whoever suggested it through the survey; an imported asset has none (0).
  std::int64_t author = 0;
  auto by = s.read("SELECT suggested_by FROM directory_asset_suggestions WHERE partnership_id = $1 AND service_id = $2"
                   " ORDER BY id LIMIT 1",
                   {id});
  if (!by.empty()) author = by.one().i64(0);
  return moderation::Item{text, author, "/services/" + uuid, directory_store::asset_hidden(s, id)};
}

void set_asset_hidden(store::Scope& s, std::int64_t id, bool hidden) {
  auto r = s.read("SELECT status FROM directory_services WHERE partnership_id = $1 AND id = $2", {id});
  if (r.empty()) return;
  bool now_hidden = directory_store::asset_hidden(s, id);
  if (hidden && !now_hidden) {
    s.write({"directory.asset_hide", "directory_service", id, ""},
            "INSERT INTO directory_hidden_assets (partnership_id, service_id, previous_status, hidden_at)"
            " VALUES ($1, $2, $3, $4)",
            {id, r.one().text(0), now_seconds()});
    s.bookkeeping("UPDATE directory_services SET status = 'inactive', modified_at = $3 WHERE partnership_id = $1 AND id = $2",
                  {id, now_seconds()});
  } else if (!hidden && now_hidden) {
    auto prev = s.read("SELECT previous_status FROM directory_hidden_assets WHERE partnership_id = $1 AND service_id = $2",
                       {id})
                    .one()
                    .text(0);
    s.write({"directory.asset_restore", "directory_service", id, prev},
            "DELETE FROM directory_hidden_assets WHERE partnership_id = $1 AND service_id = $2", {id});
    s.bookkeeping("UPDATE directory_services SET status = $3, modified_at = $4 WHERE partnership_id = $1 AND id = $2",
                  {id, prev, now_seconds()});
  }
}

}  // namespace

void install_directory_moderation(app::App&) { moderation::register_kind({"asset", fetch_asset, set_asset_hidden}); }

}  // namespace cp::modules
