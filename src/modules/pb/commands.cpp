// `coproduce pb export` and `coproduce pb import`: the web's ballots out as open data, and a
// Pabulib election in as a closed process (for recounts, training and simulations).
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/util.hpp"
#include "modules/pb/process.hpp"

namespace cp::modules {

int pb_export_command(Config cfg, const std::string& partnership, std::int64_t process, std::int64_t area,
                      const std::string& out) {
  app::App app(std::move(cfg));
  app.migrate();
  auto part = app.partnership_by_slug(partnership);
  if (!part) throw std::invalid_argument("no partnership with slug '" + partnership + "'");
  auto w = app.work(part->id, {std::nullopt, "cli", "", ""}, store::Transaction::Mode::read);
  auto p = pb_store::get_process(w.scope(), process);
  auto say = [&](const std::string& key, std::vector<std::pair<std::string, std::string>> args = {}) {
    return app.catalogue.t("en", key, args);
  };
  if (!p) {
    std::cerr << "coproduce: " << say("pb.cli_no_process", {{"id", std::to_string(process)}}) << "\n";
    return 1;
  }
  const PbArea* a = area ? p->area(area) : p->area_list.size() == 1 ? &p->area_list.front() : nullptr;
  if (!a) {
    std::string list;
    for (const auto& x : p->area_list) list += (list.empty() ? "" : ", ") + std::to_string(x.id) + " (" + x.name + ")";
    std::cerr << "coproduce: " << say("pb.cli_choose_area", {{"areas", list}}) << "\n";
    return 1;
  }
  std::string text = pb_store::export_area(w.scope(), *p, *a, part->name);
  std::ofstream o(out, std::ios::binary);
  o << text;
  o.close();
  if (!o) {
    std::cerr << "coproduce: " << say("pb.cannot_write", {{"file", out}}) << "\n";
    return 1;
  }
  std::cout << say("pb.cli_exported", {{"file", out}, {"ballots", std::to_string(pb_store::ballot_count(w.scope(), p->id, a->id))}})
            << "\n";
  return 0;
}

int pb_import_command(Config cfg, const std::string& partnership, const std::string& file) {
  app::App app(std::move(cfg));
  app.migrate();
  auto part = app.partnership_by_slug(partnership);
  if (!part) throw std::invalid_argument("no partnership with slug '" + partnership + "'");
  auto say = [&](const std::string& key, std::vector<std::pair<std::string, std::string>> args = {}) {
    return app.catalogue.t("en", key, args);
  };
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  if (!in) {
    std::cerr << "coproduce: " << say("pb.cannot_read", {{"file", file}}) << "\n";
    return 1;
  }
  std::string text = ss.str();
  pb::Election e;
  try {
    e = pb::parse_pabulib(text);
  } catch (const pb::ParseError& err) {
    std::cerr << "coproduce: " << file << ": " << say("pb." + err.key, err.args) << "\n";
    return 1;
  }
  std::string title;
  for (const char* k : {"description", "unit", "subunit", "instance"})
    if (const auto* v = e.meta_value(k); v && !v->empty()) title += (title.empty() ? "" : ", ") + *v;
  if (title.empty()) title = file.substr(file.find_last_of('/') == std::string::npos ? 0 : file.find_last_of('/') + 1);
  auto w = app.work(part->id, {std::nullopt, "cli", "", ""});
  try {
    auto r = pb_store::import_election(w.scope(), e, sha256_hex(text), title.substr(0, 200));
    w.commit();
    std::cout << say("pb.cli_imported", {{"id", std::to_string(r.process_id)},
                                         {"ballots", std::to_string(r.ballots)},
                                         {"projects", std::to_string(r.projects)}})
              << "\n";
    return 0;
  } catch (const std::invalid_argument& err) {
    std::string what = err.what();
    auto colon = what.find(':');
    std::string key = what.substr(0, colon);
    std::string id = colon == std::string::npos ? "" : what.substr(colon + 1);
    std::cerr << "coproduce: " << say(key, {{"id", id}, {"file", file}}) << "\n";
    return 1;
  }
}

}  // namespace cp::modules
