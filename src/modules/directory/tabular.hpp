// Whole-directory import and export, inside the directory module.
//
// Both the HSDS 3.0 tabular form (a datapackage.json and one CSV file per table) and the export
// pass through one flat model: a list of records per HSDS table, each record its columns as JSON
// values with foreign keys as ORUK ids. `nest` joins those records into the fully nested ORUK feed
// that import_feed reads, so CSV import, JSON export and CSV export cannot drift apart.
#pragma once
#include <boost/json.hpp>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "modules/directory/directory.hpp"
#include "modules/directory/fields.hpp"

namespace cp::modules::directory_tabular {

// A problem in a CSV file: which file, which line (the line a record starts on, 1 is the header)
// and which column. `path` (for logs) says the same in English.
struct TabularError : directory_store::ImportError {
  std::string file, field;
  std::size_t line = 0;
  TabularError(std::string file, std::size_t line, std::string field, std::string key,
               std::vector<std::pair<std::string, std::string>> args = {});
};

// The message for any import problem in `lang`, with where it is.
std::string describe(const app::App& app, const directory_store::ImportError& e, const std::string& lang);
// The same problem as JSON (kept with a background import) and back.
boost::json::object error_json(const directory_store::ImportError& e);
std::string describe_json(const app::App& app, const boost::json::object& e, const std::string& lang);

struct TableSpec {
  std::string name;  // the HSDS resource name, e.g. "service"
  std::string file;  // its usual file, e.g. "services.csv"
  const directory_fields::Entity* entity;
  std::vector<std::string> links;     // foreign-key columns (ORUK ids), after "id"
  bool has_private = false;           // a "private" column (ours, not HSDS): kept but never published
  std::vector<std::string> required;  // columns the header must have
};
// Every table the directory keeps, parents before children.
const std::vector<TableSpec>& tables();
const directory_fields::Entity& organisation_entity();

struct Rec {
  boost::json::object v;  // "id", the links, the fields; an empty cell is left out
  std::string file;
  std::size_t line = 0;  // 0 when the record came from the database
};
using Tables = std::map<std::string, std::vector<Rec>>;  // by TableSpec::name

struct CsvRecord {
  std::size_t line = 0;
  std::vector<std::string> cells;
};
// RFC 4180 CSV: quoted cells may hold commas, line breaks and doubled quotes; a leading byte-order
// mark is skipped; lines may end in CRLF or LF; blank lines are skipped.
std::vector<CsvRecord> parse_csv(std::string_view text, const std::string& file);
std::string csv_cell(const std::string& s);

// The tables from a set of files by name (a datapackage.json, if there, says which file is which).
Tables parse_tables(const std::map<std::string, std::string>& files);
// Reads every file in a folder that could be part of a datapackage.
std::map<std::string, std::string> read_folder(const std::string& dir);

// The whole of a partnership's directory, private records too.
Tables read_tables(store::Scope& s);

// The fully nested feed: {"taxonomies": [...], "services": [...]} plus, only when there are some,
// the records no service reaches ("organizations", "locations", "taxonomy_terms"), which are not
// ORUK but which import_document reads back so that a backup loses nothing.
struct Nested {
  boost::json::object feed;
  std::map<std::string, const Rec*> where;  // feed path -> the record it was made from
};
Nested nest(const Tables& t);

// The CSV form: file name -> text, with a datapackage.json.
std::map<std::string, std::string> write_csv(const Tables& t);
// The ORUK feed of the whole directory, private records marked "private": true.
boost::json::object export_feed(store::Scope& s);
// A zip archive (stored, not compressed) of the files.
std::string zip(const std::map<std::string, std::string>& files, std::int64_t mtime);

// Called as services are imported; may throw to stop (the caller then rolls back).
using Progress = std::function<void(std::int64_t done, std::int64_t total)>;

// Imports a parsed JSON feed in the caller's transaction, reporting progress.
directory_store::ImportResult import_document(store::Scope& s, const boost::json::value& feed, const Progress& progress);
// Imports the tabular form in the caller's transaction.
directory_store::ImportResult import_tables(store::Scope& s, const std::map<std::string, std::string>& files,
                                            const Progress& progress);
// What one import reads: a JSON feed, or CSV files by name.
struct Upload {
  std::string name;  // the file or folder, for messages
  std::string json;
  std::map<std::string, std::string> csv;
  bool tabular() const { return !csv.empty(); }
};
// A file (JSON, or one .csv table) or a folder of CSV files with their datapackage.json.
Upload read_upload(const std::string& path);
// Parses and imports in one transaction of its own; on any ImportError nothing is kept.
directory_store::ImportResult run_import(app::App& app, std::int64_t partnership_id, const Upload& up,
                                         const store::AuditContext& who, const Progress& progress);

// How many services a JSON feed or a set of CSV files holds (for a progress bar before starting).
std::int64_t count_services(const boost::json::value& feed);

}  // namespace cp::modules::directory_tabular
