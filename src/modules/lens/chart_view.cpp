// One chart as the pages show it (the dashboard and a published summary): the SVG bars when the
// chart has a bar column, the data table with each cell as the reader sees it, and the notes.
#include "modules/lens/chart_view.hpp"

#include <ctime>

#include "modules/lens/svg.hpp"
#include "web/format.hpp"

namespace cp::modules::lens {

Tr tr_of(app::Ctx& ctx) {
  return [&ctx](const std::string& key, const std::vector<std::pair<std::string, std::string>>& args) { return ctx.t(key, args); };
}

web::Data chart_view(app::Ctx& ctx, const Chart& c, const std::string& title) {
  auto t = tr_of(ctx);
  web::Data cd;
  cd.set("anchor", "chart-" + c.key);
  cd.set("title", title);
  web::List cols;
  for (std::size_t i = 0; i < c.columns.size(); ++i) {
    web::Data x;
    x.set("label", c.columns[i]);
    x.set("numeric", i > 0);
    cols.push_back(x);
  }
  cd.set("columns", cols);
  auto row_data = [&](const std::vector<Cell>& row) {
    web::List cells;
    for (std::size_t i = 0; i < row.size(); ++i) {
      web::Data x;
      x.set("text", cell_text(row[i], ctx.lang, t));
      x.set("first", i == 0);
      x.set("label", i < c.columns.size() ? c.columns[i] : std::string());
      cells.push_back(x);
    }
    web::Data r;
    r.set("cells", cells);
    return r;
  };
  web::List rows;
  for (const auto& r : c.rows) rows.push_back(row_data(r));
  cd.set("rows", rows);
  if (!c.total.empty()) cd.set("total", row_data(c.total));
  web::List notes;
  for (const auto& n : c.notes) notes.push_back(web::Data(n));
  cd.set("notes", notes);
  if (c.bar_column >= 0 && !c.rows.empty() && std::size_t(c.bar_column) < c.columns.size()) {
    std::vector<Bar> bars;
    bool share = false;
    for (const auto& r : c.rows) {
      if (std::size_t(c.bar_column) >= r.size()) continue;
      const auto& cell = r[std::size_t(c.bar_column)];
      share = cell.kind == Cell::Kind::percent;
      Bar b{r[0].text, std::nullopt, cell_text(cell, ctx.lang, t)};
      if (!cell.hidden && !cell.none) b.value = cell.kind == Cell::Kind::count ? double(cell.count) : cell.value;
      bars.push_back(b);
    }
    cd.set("svg", bar_svg("svg-" + c.key, title + " (" + c.columns[std::size_t(c.bar_column)] + ")", bars,
                          share ? std::optional<double>(100) : std::nullopt));
  }
  return cd;
}

}  // namespace cp::modules::lens
