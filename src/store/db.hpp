// The storage interface: one API over SQLite (embedded default) and PostgreSQL (production).
//
// SQL is written once, with $1, $2 ... placeholders, integers for times and booleans, and
// lower(...) for case-insensitive matching, so the same text runs on both. What cannot be
// written once (DDL for keys, triggers) lives in dialect.cpp and nowhere else.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cp::store {

enum class Dialect { sqlite, postgres };

using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;
using Params = std::vector<Value>;

// Thrown for any database failure. `constraint` is set when a UNIQUE/FOREIGN KEY/CHECK rule refused a
// write, so callers can turn it into a form error rather than a 500.
struct DbError : std::runtime_error {
  enum class Kind { other, unique, foreign_key, check, unavailable, busy } kind;
  DbError(Kind k, const std::string& what) : std::runtime_error(what), kind(k) {}
};

// One result row; cells are kept as text (as PostgreSQL sends them) and converted on access.
class Row {
 public:
  explicit Row(std::vector<std::optional<std::string>> cells) : cells_(std::move(cells)) {}
  bool null(std::size_t i) const { return !cells_.at(i).has_value(); }
  const std::string& text(std::size_t i) const;  // "" when NULL
  std::optional<std::string> opt_text(std::size_t i) const { return cells_.at(i); }
  std::int64_t i64(std::size_t i) const;         // 0 when NULL
  std::optional<std::int64_t> opt_i64(std::size_t i) const;
  double f64(std::size_t i) const;
  bool boolean(std::size_t i) const { return i64(i) != 0; }
  std::size_t size() const { return cells_.size(); }

 private:
  std::vector<std::optional<std::string>> cells_;
};

struct Result {
  std::vector<Row> rows;
  std::int64_t affected = 0;
  bool empty() const { return rows.empty(); }
  const Row& one() const;  // throws DbError when there is no row
};

// A single connection. Not thread-safe: lease it from a Database for the span of one unit of work.
// Refuses (DbError) anything but a plain table or column name: letters, digits and underscores.
void check_identifier(std::string_view name);

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Result run(std::string_view sql, const Params& params) = 0;
  // Runs several statements with no parameters (migrations).
  virtual void run_script(std::string_view sql) = 0;
  // Appends many rows to one table, returning nothing: COPY ... FROM STDIN on PostgreSQL (one round
  // trip for all of them, and one statement for statement-level triggers), one prepared INSERT per
  // row on SQLite (where a statement is a function call). Each row is `leading` followed by the
  // row's own values, in the order of `columns`. Table and column names must be plain identifiers.
  virtual void copy_rows(std::string_view table, const std::vector<std::string>& columns, const Params& leading,
                         const std::vector<Params>& rows);
  virtual Dialect dialect() const = 0;
  // True when a trivial query succeeds.
  bool ping();
  // True once the connection is known to be unusable (the server went away); the pool drops it
  // rather than hand it out again.
  virtual bool broken() const { return false; }
};

// Opens a connection from a URL: "sqlite:PATH" or "postgresql://..." / "postgres://...".
std::unique_ptr<Connection> connect(const std::string& url);

struct PoolStats {
  std::size_t size = 0, in_use = 0;
  std::uint64_t acquired = 0, waited = 0, timeouts = 0;
};

// A fixed-size pool of connections. lease() waits up to `wait` for a free one.
class Database {
 public:
  Database(std::string url, std::size_t size, std::chrono::milliseconds wait = std::chrono::seconds(5));
  ~Database();
  Database(const Database&) = delete;

  class Lease {
   public:
    Lease(Database* db, std::unique_ptr<Connection> c) : db_(db), conn_(std::move(c)) {}
    Lease(Lease&& o) noexcept = default;
    ~Lease();
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }
    // Drops the connection instead of returning it (after a connection-level failure).
    void discard() { broken_ = true; }

   private:
    Database* db_;
    std::unique_ptr<Connection> conn_;
    bool broken_ = false;
  };

  Lease lease();
  Dialect dialect() const { return dialect_; }
  const std::string& url() const { return url_; }
  PoolStats stats() const;

 private:
  friend class Lease;
  void give_back(std::unique_ptr<Connection> c, bool broken);

  std::string url_;
  Dialect dialect_;
  std::size_t size_;
  std::chrono::milliseconds wait_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;
  PoolStats stats_;
};

// A transaction on a leased connection; rolls back unless commit() is called.
// Writes use IMMEDIATE on SQLite so two writers queue rather than deadlock.
class Transaction {
 public:
  enum class Mode { read, write };
  Transaction(Connection& c, Mode mode = Mode::write);
  ~Transaction();
  void commit();
  Connection& conn() { return c_; }

 private:
  Connection& c_;
  bool done_ = false;
};

// Describes a URL without its password, for logs and errors.
std::string redact_url(const std::string& url);
Dialect dialect_of(const std::string& url);

}  // namespace cp::store
