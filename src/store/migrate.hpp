// Versioned schema migrations, registered per module and applied in registration order.
//
// Migration SQL is shared by both databases; the few tokens below are expanded by dialect.cpp:
//   {{id}}                 an auto-assigned 64-bit primary key column type
//   {{append_only:TABLE}}  triggers that refuse UPDATE and DELETE on TABLE
#pragma once
#include <set>
#include <string>
#include <vector>

#include "store/db.hpp"

namespace cp::store {

struct Migration {
  std::string module;
  int version;
  std::string name;
  std::string sql;
  // Tables this migration creates that belong to a partnership (they carry partnership_id).
  std::vector<std::string> tenant_tables;
};

// Expands the dialect tokens in a migration's SQL.
std::string expand_dialect(std::string_view sql, Dialect d);

class Migrations {
 public:
  void add(Migration m);
  // Applies the ones not yet applied, each in its own transaction. Returns how many ran.
  int apply(Connection& c) const;
  // Names of every table that carries partnership_id; the Scope guard checks statements against them.
  const std::set<std::string>& tenant_tables() const { return tenant_tables_; }
  const std::vector<Migration>& all() const { return list_; }

 private:
  std::vector<Migration> list_;
  std::set<std::string> tenant_tables_;
};

}  // namespace cp::store
