#include "modules/grow/web.hpp"

#include <ctime>

#include "core/util.hpp"
#include "web/format.hpp"

namespace cp::modules::grow {

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
