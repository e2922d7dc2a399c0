// Welsh text for the directory's services and community assets.
//
// HSDS and ORUK have one `name` and one `description` per service and no translations, so the
// Welsh version sits beside the English one in `name_cy` / `description_cy` (the convention of
// web/bilingual.hpp) and never goes out on the /openreferral/ API, which stays valid ORUK. The
// directory's own backup carries it as an extra resource: `translations.csv` in the CSV data
// package (listed in its datapackage.json) and a top-level "translations" array in the JSON export,
// both read back by the import. Words from the Welsh text are kept in `search_text_cy`, so a
// search on /services finds Welsh words as well as English ones.
#pragma once
#include <boost/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "modules/directory/tabular.hpp"
#include "web/bilingual.hpp"

namespace cp::modules::directory_welsh {

// Registered after the directory's own migrations (its own module name, so no version clash).
void migrations(store::Migrations& m);

// A service's words in both languages, as the "Edit the words" form edits them.
struct Texts {
  std::string name, description, name_cy, description_cy;
};

struct Service {
  std::int64_t id = 0;
  std::optional<std::int64_t> organisation_id;
  std::string uuid, asset_kind, status;
  Texts texts;
  web::Bilingual name() const { return {texts.name, texts.name_cy}; }
  web::Bilingual description() const { return {texts.description, texts.description_cy}; }
};

// A version is missing when its name is blank, or when the other language has a description and it has none.
bool welsh_missing(const Texts& t);
bool english_missing(const Texts& t);

struct Problem {
  std::string field, key;
};

// The lower-case words a search looks through for the Welsh text.
std::string search_words(const std::string& name_cy, const std::string& description_cy);

std::optional<Service> by_uuid(store::Scope& s, const std::string& uuid);
// Welsh text of the services with these ids (those with none are left out).
std::map<std::int64_t, Texts> welsh_of(store::Scope& s, const std::vector<std::int64_t>& ids);
// Every service of an organisation, by English name (for its page and its managers' lists).
std::vector<Service> of_organisation(store::Scope& s, std::int64_t organisation_id);

// English name required; every field within its length. Welsh is optional.
std::vector<Problem> validate(const Texts& t);
// Saves both languages in one audited write ("directory.service_text"); the record counts as
// changed, so ORUK consumers syncing by modified_after see it.
bool save(store::Scope& s, std::int64_t service_id, const Texts& t, std::int64_t now);
// Sets only the Welsh text (the survey's publication and the import use it).
void set_welsh(store::Scope& s, std::int64_t service_id, const std::string& name_cy, const std::string& description_cy);

// ---------------------------------------------------------------- backup and restore

// Adds the "translation" records (service_id, language, name, description) to a backup's tables.
void read_into(store::Scope& s, directory_tabular::Tables& t);
// Writes translations.csv and its datapackage resource when there are any translations.
void write_csv(const directory_tabular::Tables& t, std::map<std::string, std::string>& files,
               boost::json::array& resources);
// Reads translations.csv (or the file the datapackage names for "translations") into `t`.
void parse_csv(const std::map<std::string, std::string>& files, const std::map<std::string, std::string>& path_of,
               directory_tabular::Tables& t);
// Puts the translations into the nested feed as "translations", noting where each came from.
void nest_into(const directory_tabular::Tables& t, directory_tabular::Nested& n);
// Applies a feed's "translations" after its services are in. Throws ImportError on a bad record
// (translations[i].service_id for a service that is neither in the feed nor already here).
void import_from(store::Scope& s, const boost::json::object& feed);

}  // namespace cp::modules::directory_welsh
