#include "modules/grow/web.hpp"

#include <ctime>

#include "core/util.hpp"
#include "web/format.hpp"

namespace cp::modules::grow {

std::string date_label(const std::string& lang, const std::string& ymd) {
  if (!valid_date(ymd)) return ymd;
  std::tm tm{};
  tm.tm_year = std::stoi(ymd.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(ymd.substr(5, 2)) - 1;
  tm.tm_mday = std::stoi(ymd.substr(8, 2));
  tm.tm_hour = 12;
  return web::format_date(lang, static_cast<std::int64_t>(timegm(&tm)));
}

web::List choices(app::Ctx& ctx, const std::vector<std::string>& values, const std::string& prefix,
                  const std::string& selected, const std::string& field) {
  web::List out;
  bool first = true;
  for (const auto& v : values) {
    web::Data o;
    o.set("value", v);
    o.set("label", ctx.t(prefix + v));
    o.set("checked", v == selected);
    o.set("input_id", first ? field : field + "-" + v);
    o.set("name", field);
    first = false;
    out.push_back(o);
  }
  return out;
}

std::optional<std::int64_t> path_id(app::Ctx& ctx) {
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

}  // namespace cp::modules::grow
