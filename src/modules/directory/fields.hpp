// How ORUK fields map to columns: one table of fields per entity drives checking on import,
// the SQL column lists, and the JSON written back out, so the three cannot drift apart.
#pragma once
#include <boost/json.hpp>

#include <string>
#include <vector>

#include "store/db.hpp"

namespace cp::modules::directory_fields {

enum class Kind { text, integer, number, date, datetime, time, uri, email, uuid };

struct Field {
  std::string name;  // the ORUK field
  Kind kind = Kind::text;
  bool required = false;
  std::vector<std::string> allowed = {};  // an enumeration, when not empty
  std::string column = {};                // when it differs from the name
  const std::string& col() const { return column.empty() ? name : column; }
};

struct Entity {
  std::string table;
  std::vector<Field> fields;
};

const Entity& services();
const Entity& locations();
const Entity& addresses();
const Entity& accessibility();
const Entity& schedules();
const Entity& cost_options();
const Entity& contacts();
const Entity& phones();
const Entity& taxonomies();
const Entity& taxonomy_terms();
const Entity& attributes();
const Entity& service_areas();
const Entity& languages();
const Entity& funding();
const Entity& organisation_identifiers();

// "uuid, c1, c2 ..." for a SELECT.
std::string select_columns(const Entity& e, const std::string& alias = "");
// The entity's values from a JSON object, checked. Throws directory_store::ImportError naming
// `path` + "." + field. A JSON null counts as absent.
store::Params values(const Entity& e, const boost::json::object& o, const std::string& path);
// Back to JSON from a row whose columns start at `first` in select_columns order: "id" first,
// then every non-null field.
boost::json::object to_json(const Entity& e, const store::Row& r, std::size_t first = 0);

bool is_uuid(const std::string& s);
// The record's id, which must be a UUID.
std::string id_of(const boost::json::object& o, const std::string& path);

}  // namespace cp::modules::directory_fields
