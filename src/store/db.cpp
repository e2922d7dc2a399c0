#include "store/db.hpp"

#include <cctype>
#include <charconv>

#include "core/util.hpp"

namespace cp::store {

std::unique_ptr<Connection> connect_sqlite(const std::string& path);
std::unique_ptr<Connection> connect_postgres(const std::string& url);

const std::string& Row::text(std::size_t i) const {
  static const std::string empty;
  const auto& c = cells_.at(i);
  return c ? *c : empty;
}

std::int64_t Row::i64(std::size_t i) const { return opt_i64(i).value_or(0); }

std::optional<std::int64_t> Row::opt_i64(std::size_t i) const {
  const auto& c = cells_.at(i);
  if (!c) return std::nullopt;
  if (*c == "t") return 1;  // PostgreSQL booleans
  if (*c == "f") return 0;
  auto v = parse_int(*c);
  if (!v) {
    // Aggregates such as SUM() may come back as "12.0"; accept whole numbers written that way.
    double d = std::stod(*c);
    return static_cast<std::int64_t>(d);
  }
  return v;
}

double Row::f64(std::size_t i) const {
  const auto& c = cells_.at(i);
  return c ? std::stod(*c) : 0.0;
}

void check_identifier(std::string_view name) {
  bool ok = !name.empty();
  for (char c : name) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  if (!ok) throw DbError(DbError::Kind::other, "not a plain table or column name: " + std::string(name));
}

void Connection::copy_rows(std::string_view table, const std::vector<std::string>& columns, const Params& leading,
                           const std::vector<Params>& rows) {
  check_identifier(table);
  if (rows.empty()) return;
  std::string sql = "INSERT INTO " + std::string(table) + " (";
  std::string marks;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    check_identifier(columns[i]);
    sql += (i ? ", " : "") + columns[i];
    marks += (i ? ", $" : "$") + std::to_string(i + 1);
  }
  sql += ") VALUES (" + marks + ")";
  Params p;
  for (const auto& row : rows) {
    if (leading.size() + row.size() != columns.size())
      throw DbError(DbError::Kind::other, "copy_rows: a row of " + std::string(table) + " has the wrong number of values");
    p.assign(leading.begin(), leading.end());
    p.insert(p.end(), row.begin(), row.end());
    run(sql, p);
  }
}

bool Connection::ping() {
  try {
    run("SELECT 1", {});
    return true;
  } catch (...) {
    return false;
  }
}

const Row& Result::one() const {
  if (rows.empty()) throw DbError(DbError::Kind::other, "expected a row, got none");
  return rows.front();
}

Dialect dialect_of(const std::string& url) {
  if (starts_with(url, "sqlite:")) return Dialect::sqlite;
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) return Dialect::postgres;
  throw std::invalid_argument("database URL must start with sqlite: or postgresql://, got '" + redact_url(url) + "'");
}

std::string redact_url(const std::string& url) {
  // postgresql://user:secret@host/db -> postgresql://user:***@host/db
  auto scheme = url.find("://");
  auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

std::unique_ptr<Connection> connect(const std::string& url) {
  if (dialect_of(url) == Dialect::sqlite) return connect_sqlite(url.substr(7));
  return connect_postgres(url);
}

Database::Database(std::string url, std::size_t size, std::chrono::milliseconds wait)
    : url_(std::move(url)), dialect_(dialect_of(url_)), size_(size ? size : 1), wait_(wait) {
  // Open one connection now so that a bad URL or an unreachable server fails at start-up.
  idle_.push_back(connect(url_));
  open_ = 1;
  stats_.size = size_;
}

Database::~Database() = default;

Database::Lease Database::lease() {
  std::unique_lock lock(mu_);
  ++stats_.acquired;
  if (idle_.empty() && open_ >= size_) {
    ++stats_.waited;
    if (!cv_.wait_for(lock, wait_, [&] { return !idle_.empty() || open_ < size_; })) {
      ++stats_.timeouts;
      throw DbError(DbError::Kind::busy, "no database connection free within the wait limit");
    }
  }
  ++stats_.in_use;
  if (!idle_.empty()) {
    auto c = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(c));
  }
  ++open_;
  lock.unlock();
  try {
    return Lease(this, connect(url_));
  } catch (...) {
    std::lock_guard g(mu_);
    --open_;
    --stats_.in_use;
    cv_.notify_one();
    throw;
  }
}

void Database::give_back(std::unique_ptr<Connection> c, bool broken) {
  std::lock_guard lock(mu_);
  --stats_.in_use;
  if (broken || !c || c->broken()) {
    --open_;
  } else {
    idle_.push_back(std::move(c));
  }
  cv_.notify_one();
}

PoolStats Database::stats() const {
  std::lock_guard lock(mu_);
  PoolStats s = stats_;
  s.size = open_;
  return s;
}

Database::Lease::~Lease() {
  if (db_ && conn_) db_->give_back(std::move(conn_), broken_);
}

Transaction::Transaction(Connection& c, Mode mode) : c_(c) {
  if (c.dialect() == Dialect::sqlite)
    c_.run(mode == Mode::write ? "BEGIN IMMEDIATE" : "BEGIN", {});
  else
    c_.run("BEGIN", {});
}

Transaction::~Transaction() {
  if (!done_) {
    try {
      c_.run("ROLLBACK", {});
    } catch (...) {
    }
  }
}

void Transaction::commit() {
  c_.run("COMMIT", {});
  done_ = true;
}

}  // namespace cp::store
