// What the directory module holds about a person, for the data-rights registry. (Reads only the
// directory's own tables.)
//
// Retention: a community asset someone suggested that was not (or not yet) added to the directory
// is theirs alone and is deleted. One that was approved became a public service with its own copy
// of the details, so the suggestion row stays as the record of where the service came from, but who
// told us about it and the contact details they gave go. Imports and "still right" checks are staff
// doing their job: they keep the account id, and the account itself is anonymised.
#include "core/util.hpp"
#include "modules/rights/rights.hpp"

namespace cp::modules::rights {

void register_directory_holder(Registry& r) {
  r.add({"directory",
         {{"directory_asset_suggestions", Treatment::anonymised,
           "waiting or turned-down suggestions are deleted; an approved one stays as the source of a public "
           "service, without who told us or their contact details"},
          {"directory_imports", Treatment::kept, "a staff import of the directory; it names the account that ran it"},
          {"directory_service_checks", Treatment::kept,
           "dates a member of staff checked a service; it names the account that checked"}},
         [](store::Scope& s, const Subject& who) -> boost::json::value {
           boost::json::array a;
           if (!who.user_id) return a;
           for (const auto& x : s.read("SELECT name, asset_kind, what, place_name, address, town, postcode, when_text,"
                                       " who_for, contact_name, contact_phone, contact_email, website, told_by, status,"
                                       " created_at FROM directory_asset_suggestions WHERE partnership_id = $1"
                                       " AND suggested_by = $2 ORDER BY id",
                                       {who.user_id})
                                    .rows)
             a.push_back({{"kind", "asset_suggestion"},
                          {"name", x.text(0)},
                          {"asset_kind", x.text(1)},
                          {"what", x.text(2)},
                          {"place", x.text(3)},
                          {"address", x.text(4)},
                          {"town", x.text(5)},
                          {"postcode", x.text(6)},
                          {"when", x.text(7)},
                          {"who_for", x.text(8)},
                          {"contact_name", x.text(9)},
                          {"contact_phone", x.text(10)},
                          {"contact_email", x.text(11)},
                          {"website", x.text(12)},
                          {"told_by", x.text(13)},
                          {"status", x.text(14)},
                          {"made_at", format_iso8601(x.i64(15))}});
           return a;
         },
         [](store::Scope& s, const Subject& who) {
           Counts c;
           if (!who.user_id) return c;
           auto u = who.user_id;
           c["directory_asset_suggestions"] +=
               s.write({"directory_asset_suggestion.erase", "user", u, "erasure"},
                       "DELETE FROM directory_asset_suggestions WHERE partnership_id = $1 AND suggested_by = $2"
                       " AND status <> 'approved'",
                       {u});
           c["directory_asset_suggestions"] +=
               s.write({"directory_asset_suggestion.anonymise", "user", u, "erasure"},
                       "UPDATE directory_asset_suggestions SET told_by = '', contact_name = '', contact_phone = '',"
                       " contact_email = '' WHERE partnership_id = $1 AND suggested_by = $2",
                       {u});
           return c;
         }});
}

}  // namespace cp::modules::rights
