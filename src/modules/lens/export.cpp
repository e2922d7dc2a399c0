// Exports for funders: the same suppressed figures as the page, as CSV (RFC 4180: comma separated,
// CRLF line ends, fields with a comma, quote or line break in double quotes, UTF-8 without a
// byte-order mark) and as an XLSX
// workbook written with libxlsxwriter. Hidden counts read "<5" (fewer than 5) or "[s]" (held back so
// a small number cannot be worked out from the total), as the notes at the top of each export say.
#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

#include "modules/lens/lens.hpp"

namespace cp::modules::lens {

namespace {

std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void csv_line(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csv_field(fields[i]);
  out += "\r\n";
}

std::vector<std::string> export_row(const std::vector<Cell>& row) {
  std::vector<std::string> out;
  for (const auto& c : row) out.push_back(cell_export(c));
  return out;
}

}  // namespace

std::string export_csv(const Dashboard& d, const std::vector<std::string>& titles, const std::vector<std::string>& note) {
  std::string out;
  for (const auto& l : note) csv_line(out, {l});
  out += "\r\n";
  for (std::size_t i = 0; i < d.charts.size(); ++i) {
    const auto& c = d.charts[i];
    csv_line(out, {i < titles.size() ? titles[i] : c.key});
    csv_line(out, c.columns);
    for (const auto& r : c.rows) csv_line(out, export_row(r));
    if (!c.total.empty()) csv_line(out, export_row(c.total));
    for (const auto& n : c.notes) csv_line(out, {n});
    out += "\r\n";
  }
  return out;
}

std::string export_xlsx(const Dashboard& d, const std::vector<std::string>& titles, const std::vector<std::string>& note) {
  // libxlsxwriter 1.1.4 writes to a file only: a private temporary file, read back and removed.
  char path[] = "/tmp/coproduce-lens-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) throw std::runtime_error("cannot make a temporary file for the workbook");
  close(fd);
  struct Remove {
    const char* p;
    ~Remove() { std::remove(p); }
  } remove_after{path};
  lxw_workbook* wb = workbook_new(path);
  if (!wb) throw std::runtime_error("cannot start the workbook");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* heading = workbook_add_format(wb);
  format_set_bold(heading);
  format_set_font_size(heading, 14);
  lxw_format* wrap = workbook_add_format(wb);
  format_set_text_wrap(wrap);

  lxw_worksheet* notes = workbook_add_worksheet(wb, "Notes");
  worksheet_set_column(notes, 0, 0, 100, wrap);
  for (std::size_t line = 0; line < note.size(); ++line)
    worksheet_write_string(notes, lxw_row_t(line), 0, note[line].c_str(), line == 0 ? heading : nullptr);

  for (std::size_t i = 0; i < d.charts.size(); ++i) {
    const auto& c = d.charts[i];
    // Sheet names must be unique and at most 31 characters: the chart's key is both.
    lxw_worksheet* ws = workbook_add_worksheet(wb, c.key.substr(0, 31).c_str());
    worksheet_set_column(ws, 0, 0, 40, nullptr);
    worksheet_set_column(ws, 1, lxw_col_t(std::max<std::size_t>(c.columns.size(), 2) - 1), 18, nullptr);
    lxw_row_t r = 0;
    worksheet_write_string(ws, r++, 0, (i < titles.size() ? titles[i] : c.key).c_str(), heading);
    for (std::size_t col = 0; col < c.columns.size(); ++col)
      worksheet_write_string(ws, r, lxw_col_t(col), c.columns[col].c_str(), bold);
    ++r;
    auto write_row = [&](const std::vector<Cell>& row, lxw_format* f) {
      for (std::size_t col = 0; col < row.size(); ++col) {
        const auto& cell = row[col];
        auto text = cell_export(cell);
        bool numeric = cell.kind != Cell::Kind::text && !cell.hidden && !cell.none;
        if (numeric) {
          double v = cell.kind == Cell::Kind::count ? double(cell.count) : std::strtod(text.c_str(), nullptr);
          worksheet_write_number(ws, r, lxw_col_t(col), v, f);
        } else if (!text.empty()) {
          worksheet_write_string(ws, r, lxw_col_t(col), text.c_str(), f);
        }
      }
      ++r;
    };
    for (const auto& row : c.rows) write_row(row, nullptr);
    if (!c.total.empty()) write_row(c.total, bold);
    for (const auto& n : c.notes) worksheet_write_string(ws, r++, 0, n.c_str(), nullptr);
  }
  if (workbook_close(wb) != LXW_NO_ERROR) throw std::runtime_error("cannot write the workbook");
  std::ifstream f(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << f.rdbuf();
  return bytes.str();
}

}  // namespace cp::modules::lens
