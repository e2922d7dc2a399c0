// SQLite connection: WAL, foreign keys on, a busy timeout, and synchronous=FULL so that a commit
// acknowledged to a user survives a killed process (and a power cut). Statements are prepared
// once per connection and reused.
#include <sqlite3.h>

#include <filesystem>
#include <unordered_map>

#include "store/db.hpp"

namespace cp::store {
namespace {

DbError::Kind kind_of(int code) {
  switch (code & 0xff) {
    case SQLITE_CONSTRAINT:
      if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) return DbError::Kind::unique;
      if (code == SQLITE_CONSTRAINT_FOREIGNKEY) return DbError::Kind::foreign_key;
      if (code == SQLITE_CONSTRAINT_CHECK || code == SQLITE_CONSTRAINT_NOTNULL || code == SQLITE_CONSTRAINT_TRIGGER)
        return DbError::Kind::check;
      return DbError::Kind::other;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return DbError::Kind::busy;
    case SQLITE_CANTOPEN:
      return DbError::Kind::unavailable;
    default:
      return DbError::Kind::other;
  }
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(const std::string& path) {
    if (path.empty()) throw DbError(DbError::Kind::unavailable, "sqlite: a file path is needed, e.g. sqlite:data/coproduce.db");
    if (path != ":memory:") {
      auto dir = std::filesystem::path(path).parent_path();
      std::error_code ec;
      if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    }
    int rc = sqlite3_open_v2(path.c_str(), &db_,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw DbError(DbError::Kind::unavailable, "sqlite: cannot open " + path + ": " + msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 5000);
    run_script(
        "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; "
        "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000;");
  }

  ~SqliteConnection() override {
    for (auto& [_, s] : cache_) sqlite3_finalize(s);
    sqlite3_close_v2(db_);
  }

  Result run(std::string_view sql, const Params& params) override {
    sqlite3_stmt* stmt = prepare(sql);
    Result result;
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    bind(stmt, params);
    int cols = sqlite3_column_count(stmt);
    while (true) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_ROW) {
        std::vector<std::optional<std::string>> cells(cols);
        for (int i = 0; i < cols; ++i) {
          if (sqlite3_column_type(stmt, i) == SQLITE_NULL) continue;
          auto* txt = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
          cells[i] = std::string(txt, sqlite3_column_bytes(stmt, i));
        }
        result.rows.emplace_back(std::move(cells));
      } else if (rc == SQLITE_DONE) {
        break;
      } else {
        throw DbError(kind_of(sqlite3_extended_errcode(db_)), std::string("sqlite: ") + sqlite3_errmsg(db_));
      }
    }
    result.affected = sqlite3_changes64(db_);
    return result;
  }

  void run_script(std::string_view sql) override {
    char* err = nullptr;
    std::string text(sql);
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      throw DbError(kind_of(sqlite3_extended_errcode(db_)), "sqlite: " + msg);
    }
  }

  Dialect dialect() const override { return Dialect::sqlite; }

 private:
  sqlite3_stmt* prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                           nullptr) != SQLITE_OK)
      throw DbError(DbError::Kind::other, std::string("sqlite: ") + sqlite3_errmsg(db_) + " in: " + key);
    if (cache_.size() > 512) {
      for (auto& [_, s] : cache_) sqlite3_finalize(s);
      cache_.clear();
    }
    cache_.emplace(std::move(key), stmt);
    return stmt;
  }

  // Binds $1..$n by name, so the same SQL text works on PostgreSQL.
  void bind(sqlite3_stmt* stmt, const Params& params) {
    int count = sqlite3_bind_parameter_count(stmt);
    for (int i = 1; i <= count; ++i) {
      const char* name = sqlite3_bind_parameter_name(stmt, i);
      if (!name || name[0] != '$') throw DbError(DbError::Kind::other, "sqlite: use $n placeholders");
      std::size_t n = std::strtoul(name + 1, nullptr, 10);
      if (n == 0 || n > params.size())
        throw DbError(DbError::Kind::other, "sqlite: placeholder " + std::string(name) + " has no value");
      const Value& v = params[n - 1];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::nullptr_t>(v)) rc = sqlite3_bind_null(stmt, i);
      else if (auto* iv = std::get_if<std::int64_t>(&v)) rc = sqlite3_bind_int64(stmt, i, *iv);
      else if (auto* dv = std::get_if<double>(&v)) rc = sqlite3_bind_double(stmt, i, *dv);
      else {
        const auto& s = std::get<std::string>(v);
        rc = sqlite3_bind_text64(stmt, i, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) throw DbError(DbError::Kind::other, std::string("sqlite: bind: ") + sqlite3_errmsg(db_));
    }
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace

std::unique_ptr<Connection> connect_sqlite(const std::string& path) { return std::make_unique<SqliteConnection>(path); }

}  // namespace cp::store
