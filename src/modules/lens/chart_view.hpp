// The lens pages' shared view of one chart (internal to the lens module).
#pragma once

#include <string>

#include "app/app.hpp"
#include "modules/lens/lens.hpp"
#include "web/templates.hpp"

namespace cp::modules::lens {

// The catalogue of the request's language as the figures code wants it.
Tr tr_of(app::Ctx& ctx);

// anchor, title, columns, rows (cells as the reader sees them, hidden ones explained), total, notes,
// and svg when the chart has a bar column.
web::Data chart_view(app::Ctx& ctx, const Chart& c, const std::string& title);

}  // namespace cp::modules::lens
