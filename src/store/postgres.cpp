// PostgreSQL connection over libpq. Each distinct SQL text is prepared once per connection;
// parameters are sent as text, results read as text. NOTICEs are silenced.
#include <libpq-fe.h>

#include <charconv>
#include <optional>

#include <unordered_map>

#include "store/db.hpp"

namespace cp::store {

namespace {

DbError::Kind kind_of_state(const char* state) {
  if (!state) return DbError::Kind::other;
  std::string s(state);
  if (s == "23505") return DbError::Kind::unique;
  if (s == "23503") return DbError::Kind::foreign_key;
  if (s == "23514" || s == "23502" || s == "P0001") return DbError::Kind::check;
  if (s == "40001" || s == "40P01" || s == "55P03") return DbError::Kind::busy;
  if (s.rfind("08", 0) == 0 || s == "57P01") return DbError::Kind::unavailable;
  return DbError::Kind::other;
}

class PgConnection final : public Connection {
 public:
  explicit PgConnection(const std::string& url) {
    conn_ = PQconnectdb(url.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(conn_);
      PQfinish(conn_);
      conn_ = nullptr;
      while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
      throw DbError(DbError::Kind::unavailable, "postgresql: cannot connect to " + redact_url(url) + ": " + msg);
    }
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
    run_script("SET client_min_messages = warning; SET TIME ZONE 'UTC';");
  }

  ~PgConnection() override {
    if (conn_) PQfinish(conn_);
  }

  Result run(std::string_view sql, const Params& params) override {
    const std::string& name = prepared(sql);
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (std::holds_alternative<std::nullptr_t>(v)) continue;
      if (auto* iv = std::get_if<std::int64_t>(&v)) texts[i] = std::to_string(*iv);
      else if (auto* dv = std::get_if<double>(&v)) {
        // The shortest text that reads back as the same double (std::to_string keeps six decimals,
        // which cut a position to about 10 cm and lost it on every export round trip).
        char buf[32];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *dv);
        texts[i] = ec == std::errc() ? std::string(buf, end) : std::to_string(*dv);
      }
      else texts[i] = std::get<std::string>(v);
      values[i] = texts[i].c_str();
    }
    PGresult* res = PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()), values.data(), nullptr,
                                   nullptr, 0);
    return collect(res, sql);
  }

  // COPY in text format: a row per line, values split by tabs, \N for NULL, and backslash, tab,
  // newline and carriage return escaped inside values.
  void copy_rows(std::string_view table, const std::vector<std::string>& columns, const Params& leading,
                 const std::vector<Params>& rows) override {
    check_identifier(table);
    if (rows.empty()) return;
    std::string sql = "COPY " + std::string(table) + " (";
    for (std::size_t i = 0; i < columns.size(); ++i) {
      check_identifier(columns[i]);
      sql += (i ? ", " : "") + columns[i];
    }
    sql += ") FROM STDIN";
    PGresult* start = PQexec(conn_, sql.c_str());
    if (PQresultStatus(start) != PGRES_COPY_IN) {
      collect(start, sql);  // throws with the server's reason
      throw DbError(DbError::Kind::other, "postgresql: COPY did not start");
    }
    PQclear(start);
    std::string buf;
    bool sent = true;
    auto put = [&](const Value& v) {
      if (std::holds_alternative<std::nullptr_t>(v)) {
        buf += "\\N";
      } else if (auto* iv = std::get_if<std::int64_t>(&v)) {
        char num[24];
        auto [end, ec] = std::to_chars(num, num + sizeof num, *iv);
        buf.append(num, end);
      } else if (auto* dv = std::get_if<double>(&v)) {
        char num[32];
        auto [end, ec] = std::to_chars(num, num + sizeof num, *dv);
        buf += ec == std::errc() ? std::string(num, end) : std::to_string(*dv);
      } else {
        // Runs of ordinary characters are copied whole; only the four COPY treats specially are escaped.
        std::string_view text = std::get<std::string>(v);
        while (!text.empty()) {
          std::size_t at = text.find_first_of("\\\t\n\r");
          buf.append(text.substr(0, at));
          if (at == std::string_view::npos) break;
          char c = text[at];
          buf += c == '\\' ? "\\\\" : c == '\t' ? "\\t" : c == '\n' ? "\\n" : "\\r";
          text.remove_prefix(at + 1);
        }
      }
    };
    for (const auto& row : rows) {
      if (leading.size() + row.size() != columns.size()) {
        PQputCopyEnd(conn_, "a row has the wrong number of values");
        while (PGresult* r = PQgetResult(conn_)) PQclear(r);
        throw DbError(DbError::Kind::other, "copy_rows: a row of " + std::string(table) + " has the wrong number of values");
      }
      bool first = true;
      for (const auto* part : {&leading, &row})
        for (const auto& v : *part) {
          if (!first) buf += '\t';
          first = false;
          put(v);
        }
      buf += '\n';
      if (buf.size() >= (1u << 20)) {
        sent = sent && PQputCopyData(conn_, buf.data(), static_cast<int>(buf.size())) == 1;
        buf.clear();
      }
    }
    if (!buf.empty()) sent = sent && PQputCopyData(conn_, buf.data(), static_cast<int>(buf.size())) == 1;
    sent = PQputCopyEnd(conn_, nullptr) == 1 && sent;
    // The outcome (a refused row says why here), then nothing more.
    PGresult* done = PQgetResult(conn_);
    std::optional<DbError> failure;
    try {
      collect(done, sql);
    } catch (const DbError& e) {
      failure = e;
    }
    while (PGresult* r = PQgetResult(conn_)) PQclear(r);
    if (failure) throw *failure;
    if (!sent) throw DbError(DbError::Kind::unavailable, "postgresql: COPY could not send its rows");
  }

  void run_script(std::string_view sql) override {
    PGresult* res = PQexec(conn_, std::string(sql).c_str());
    collect(res, sql);
  }

  Dialect dialect() const override { return Dialect::postgres; }

  bool broken() const override { return !conn_ || PQstatus(conn_) == CONNECTION_BAD; }

 private:
  const std::string& prepared(std::string_view sql) {
    std::string key(sql);
    if (auto it = names_.find(key); it != names_.end()) return it->second;
    std::string name = "s" + std::to_string(names_.size() + 1);
    PGresult* res = PQprepare(conn_, name.c_str(), key.c_str(), 0, nullptr);
    collect(res, sql);
    return names_.emplace(std::move(key), std::move(name)).first->second;
  }

  Result collect(PGresult* res, std::string_view sql) {
    struct Clear {
      PGresult* r;
      ~Clear() { PQclear(r); }
    } clear{res};
    auto status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
      std::string msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn_);
      while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
      auto kind = PQstatus(conn_) == CONNECTION_BAD ? DbError::Kind::unavailable : kind_of_state(state);
      if (kind == DbError::Kind::unavailable) names_.clear();
      throw DbError(kind, "postgresql: " + msg);
    }
    Result out;
    int n = PQntuples(res), cols = PQnfields(res);
    out.rows.reserve(n);
    for (int r = 0; r < n; ++r) {
      std::vector<std::optional<std::string>> cells(cols);
      for (int c = 0; c < cols; ++c)
        if (!PQgetisnull(res, r, c)) cells[c] = std::string(PQgetvalue(res, r, c), PQgetlength(res, r, c));
      out.rows.emplace_back(std::move(cells));
    }
    const char* affected = PQcmdTuples(res);
    out.affected = (affected && *affected) ? std::stoll(affected) : 0;
    return out;
  }

  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> names_;
};

}  // namespace

std::unique_ptr<Connection> connect_postgres(const std::string& url) { return std::make_unique<PgConnection>(url); }

}  // namespace cp::store
