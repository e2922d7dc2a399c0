// Timebank reports for staff: hours of help exchanged, active members, and who only gives or only
// receives, for the last 12 months. The database does the adding up; C++ only fills empty months.
#include <algorithm>
#include <cstdio>

#include "core/util.hpp"
#include "modules/timebank/extras.hpp"

namespace cp::modules::timebank {

// Days since 1970-01-01 for a civil date, and back (proleptic Gregorian; H. Hinnant's method).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

namespace {

std::string month_key(std::int64_t y, unsigned m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04lld-%02u", static_cast<long long>(y), m);
  return buf;
}

// The month bucket of a movement's time, the same text on both databases.
std::string month_sql(store::Dialect d) {
  return d == store::Dialect::postgres ? "to_char(to_timestamp(m.at_ms / 1000) AT TIME ZONE 'UTC', 'YYYY-MM')"
                                       : "strftime('%Y-%m', m.at_ms / 1000, 'unixepoch')";
}

// Per member (and per month when `by_month`): hours earned and paid in help that counts as given and
// was not reversed. The pot never counts as a member here.
std::string per_member_sql(store::Dialect d, bool by_month) {
  std::string month = by_month ? month_sql(d) + " AS month, " : "";
  return "SELECT " + month +
         "m.member_id,"
         " SUM(CASE WHEN m.quarters > 0 THEN m.quarters ELSE 0 END) AS earned,"
         " SUM(CASE WHEN m.quarters < 0 THEN -m.quarters ELSE 0 END) AS paid"
         " FROM timebank_movements m"
         " JOIN timebank_transfers t ON t.partnership_id = $1 AND t.id = m.transfer_id"
         " WHERE m.partnership_id = $1 AND m.at_ms >= $2 AND m.at_ms < $3 AND m.member_id <> $4"
         " AND t.counted_given = 1"
         " AND NOT EXISTS (SELECT 1 FROM timebank_transfers r WHERE r.partnership_id = $1 AND r.reverses_id = t.id)"
         " GROUP BY " +
         std::string(by_month ? "1, 2" : "1");
}

}  // namespace

std::string hours_2dp(std::int64_t quarters) {
  bool neg = quarters < 0;
  std::int64_t q = neg ? -quarters : quarters;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", neg ? "-" : "", static_cast<long long>(q / 4),
                static_cast<long long>((q % 4) * 25));
  return buf;
}

Report report(store::Scope& s, std::int64_t now_ms, bool with_names) {
  Report out;
  std::int64_t y;
  unsigned m, d;
  civil_from_days((now_ms / 1000) / 86400, y, m, d);
  // Twelve months ending with this one: step back eleven.
  std::int64_t fy = y, fm = static_cast<std::int64_t>(m) - 11;
  while (fm < 1) fm += 12, --fy;
  out.from_ms = days_from_civil(fy, static_cast<unsigned>(fm), 1) * 86400 * 1000;
  std::int64_t ny = y, nm = m + 1;
  if (nm > 12) nm = 1, ++ny;
  std::int64_t to_ms = days_from_civil(ny, static_cast<unsigned>(nm), 1) * 86400 * 1000;
  for (int i = 0; i < 12; ++i) {
    MonthRow r;
    r.month = month_key(fy, static_cast<unsigned>(fm));
    out.months.push_back(r);
    if (++fm > 12) fm = 1, ++fy;
  }
  std::int64_t pot = settings(s).pot_member_id;
  store::Params window{out.from_ms, to_ms, pot};

  auto monthly = s.read("SELECT x.month, SUM(x.earned), COUNT(*),"
                        " SUM(CASE WHEN x.paid = 0 THEN 1 ELSE 0 END), SUM(CASE WHEN x.earned = 0 THEN 1 ELSE 0 END)"
                        " FROM (" + per_member_sql(s.dialect(), true) + ") x GROUP BY x.month ORDER BY x.month",
                        window);
  for (const auto& row : monthly.rows) {
    auto it = std::find_if(out.months.begin(), out.months.end(), [&](const MonthRow& r) { return r.month == row.text(0); });
    if (it == out.months.end()) continue;
    it->quarters = row.i64(1);
    it->active = row.i64(2);
    it->only_gave = row.i64(3);
    it->only_received = row.i64(4);
  }

  auto whole = s.read("SELECT COUNT(*), COALESCE(SUM(CASE WHEN x.paid = 0 THEN 1 ELSE 0 END), 0),"
                      " COALESCE(SUM(CASE WHEN x.earned = 0 THEN 1 ELSE 0 END), 0)"
                      " FROM (" + per_member_sql(s.dialect(), false) + ") x",
                      window);
  out.active = whole.one().i64(0);
  out.only_gave = whole.one().i64(1);
  out.only_received = whole.one().i64(2);

  if (with_names) {
    // Named lists are for brokers who follow people up; a page shows at most 100 of each.
    auto list = [&](const char* where, std::vector<ReportMember>& into) {
      auto r = s.read("SELECT x.member_id, mm.name, x.earned + x.paid FROM (" + per_member_sql(s.dialect(), false) +
                          ") x JOIN timebank_members mm ON mm.partnership_id = $1 AND mm.id = x.member_id WHERE " +
                          where + " ORDER BY mm.sort_name, mm.id LIMIT 100",
                      window);
      for (const auto& row : r.rows) into.push_back({row.i64(0), row.text(1), row.i64(2)});
    };
    list("x.paid = 0", out.givers);
    list("x.earned = 0", out.receivers);
  }
  return out;
}

std::string report_csv(const Report& r) {
  std::string out = "month,hours_exchanged,active_members,members_only_gave,members_only_received\r\n";
  for (const auto& m : r.months)
    out += m.month + "," + hours_2dp(m.quarters) + "," + std::to_string(m.active) + "," + std::to_string(m.only_gave) +
           "," + std::to_string(m.only_received) + "\r\n";
  return out;
}

// ------------------------------------------------------------------ pages

namespace {

using app::Ctx;
namespace policy = timebank_policy;

http::Response reports_page(Ctx& ctx) {
  if (!policy::can_see_reports(ctx.actor)) return ctx.deny();
  bool names = policy::can_broker(ctx.actor);
  // Named lists of people are a staff view of personal data: recorded in the audit trail.
  auto w = ctx.work(names ? store::Transaction::Mode::write : store::Transaction::Mode::read);
  auto r = report(w.scope(), now_millis(), names);
  if (names) w->audit({"timebank.report_view", "timebank_report", std::nullopt, "names"});
  w.commit();

  std::int64_t most = 1;
  for (const auto& m : r.months) most = std::max(most, m.quarters);
  // The chart's geometry, in SVG user units; the SVG scales to the column's width.
  const int label_w = 70, bar_max = 190, row_h = 24;
  web::List months, bars;
  int i = 0;
  for (const auto& m : r.months) {
    web::Data row;
    row.set("month", m.month);
    row.set("hours", hours_2dp(m.quarters));
    row.set("active", std::to_string(m.active));
    row.set("only_gave", std::to_string(m.only_gave));
    row.set("only_received", std::to_string(m.only_received));
    months.push_back(row);
    web::Data bar;
    bar.set("label", m.month);
    bar.set("value", hours_2dp(m.quarters));
    bar.set("y", std::to_string(i * row_h + 4));
    bar.set("text_y", std::to_string(i * row_h + 17));
    bar.set("x", std::to_string(label_w));
    auto w_units = m.quarters * bar_max / most;
    bar.set("width", std::to_string(m.quarters > 0 ? std::max<std::int64_t>(w_units, 1) : 0));
    bar.set("value_x", std::to_string(label_w + w_units + 6));
    bars.push_back(bar);
    ++i;
  }
  web::Data d;
  d.set("months", months);
  d.set("bars", bars);
  d.set("chart_height", std::to_string(12 * row_h + 8));
  d.set("since", format_date(r.from_ms / 1000));
  d.set("active", std::to_string(r.active));
  d.set("only_gave", std::to_string(r.only_gave));
  d.set("only_received", std::to_string(r.only_received));
  d.set("show_names", names);
  auto people = [&](const std::vector<ReportMember>& v) {
    web::List l;
    for (const auto& p : v) {
      web::Data x;
      x.set("id", std::to_string(p.id));
      x.set("name", p.name);
      x.set("hours", hours_2dp(p.quarters));
      l.push_back(x);
    }
    return l;
  };
  d.set("givers", people(r.givers));
  d.set("has_givers", !r.givers.empty());
  d.set("receivers", people(r.receivers));
  d.set("has_receivers", !r.receivers.empty());
  return ctx.page(ctx.t("timebank.reports_title"), "timebank/reports", d);
}

http::Response reports_csv(Ctx& ctx) {
  if (!policy::can_see_reports(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  auto r = report(w.scope(), now_millis(), false);
  http::Response res;
  res.content_type = "text/csv; charset=utf-8";
  res.header("Content-Disposition", "attachment; filename=\"timebank-report.csv\"");
  res.body = report_csv(r);
  return res;
}

}  // namespace

void install_reports(app::App& a) {
  a.route("GET", "/timebank/reports", "timebank.reports", reports_page);
  a.route("GET", "/timebank/reports.csv", "timebank.reports_csv", reports_csv);
}

}  // namespace cp::modules::timebank
