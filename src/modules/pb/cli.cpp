#include "modules/pb/cli.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "core/config.hpp"
#include "modules/pb/pb.hpp"
#include "modules/pb/process.hpp"
#include "web/i18n.hpp"

namespace cp::app {
std::string default_share_dir();  // app/app.hpp; declared here so the CLI does not pull in the server
}

namespace {

using namespace cp;

struct PbFlags {
  CLI::App* tally = nullptr;
  CLI::App* generate = nullptr;
  CLI::App* export_cmd = nullptr;
  CLI::App* import_cmd = nullptr;
  std::string rule, file, out;
  std::string db, config, share, partnership;
  std::int64_t process = 0, area = 0;
  bool explain = false, per_voter = false;
  pb::GenerateOptions gen;
};

PbFlags& flags() {
  static PbFlags f;
  return f;
}

web::Catalogue load_catalogue() {
  web::Catalogue c;
  std::string share;
  if (const char* v = std::getenv("COPRODUCE_SHARE"); v && *v) share = v;
  else share = app::default_share_dir();
  try {
    c.load_dir(share + "/messages");
  } catch (const std::exception&) {
    // Without the catalogue the messages show their keys, which still name the line and field.
  }
  return c;
}

std::string text(const web::Catalogue& c, const std::string& key, const std::vector<std::pair<std::string, std::string>>& args) {
  return c.t("en", "pb." + key, args);
}

std::string json_str(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

std::string join_rules(const std::vector<std::string>& rules) {
  std::string s;
  for (const auto& r : rules) s += (s.empty() ? "" : ", ") + r;
  return s;
}

std::string project_json(const pb::Election& e, const pb::Outcome& o, const pb::ProjectResult& r, const web::Catalogue& cat) {
  const auto& p = e.projects[r.project];
  std::string code(pb::reason_code(r.reason));
  std::string why = text(cat, "reason_" + code,
                         {{"cost", r.cost}, {"budget_left", r.budget_left}, {"supporters_money", r.supporters_money}, {"load", r.load}});
  std::string s = "{\"id\": " + json_str(p.id) + ", \"selected\": " + (r.selected ? "true" : "false");
  if (r.selected) s += ", \"position\": " + std::to_string(r.position);
  s += ", \"reason\": " + json_str(code) + ", \"why\": " + json_str(why);
  s += ", \"cost\": " + r.cost + ", \"supporters\": " + std::to_string(r.supporters) + ", \"score\": " + r.score;
  if (!r.budget_left.empty()) s += ", \"budget_left\": " + r.budget_left;
  if (!r.price.empty()) s += ", \"price\": " + r.price;
  if (!r.share_paid.empty()) s += ", \"share_paid\": " + r.share_paid;
  if (o.equal_shares && r.selected && r.reason == pb::Reason::bought_with_shares)
    s += ", \"supporters_ran_out\": " + std::to_string(r.supporters_ran_out);
  if (!r.supporters_money.empty())
    s += ", \"supporters_money\": " + r.supporters_money + ", \"dropped_after\": " + std::to_string(r.dropped_after);
  if (!r.load.empty()) s += ", \"load\": " + r.load;
  return s + "}";
}

std::string outcome_json(const pb::Election& e, const pb::Outcome& o, const web::Catalogue& cat, bool explain, bool per_voter) {
  std::string s = "{\"rule\": " + json_str(o.rule) + ", \"selected\": [";
  for (std::size_t i = 0; i < o.selected.size(); ++i) s += (i ? ", " : "") + json_str(e.projects[o.selected[i]].id);
  s += "], \"cost\": " + e.money(o.cost);
  if (!explain) return s + "}";
  s += ",\n \"explanation\": {\"voters\": " + std::to_string(o.voters) +
       ", \"voters_with_a_project\": " + std::to_string(o.voters_with_a_project);
  if (o.equal_shares) {
    if (!o.voter_share.empty()) s += ", \"voter_share\": " + o.voter_share;
    s += ", \"add1_steps\": " + std::to_string(o.add1_steps);
    s += ", \"stopped_by_overspend\": " + std::string(o.add1_stopped_by_overspend ? "true" : "false");
    s += ", \"completed_by_greedy\": [";
    for (std::size_t i = o.completion_from; i < o.selected.size(); ++i)
      s += (i > o.completion_from ? ", " : "") + json_str(e.projects[o.selected[i]].id);
    s += "], \"voters_spent_all\": " + std::to_string(o.voters_spent_all) +
         ", \"voters_spent_some\": " + std::to_string(o.voters_spent_some) +
         ", \"voters_spent_none\": " + std::to_string(o.voters_spent_none);
  }
  if (!o.stopped_by.empty()) s += ", \"stopped_by\": " + json_str(o.stopped_by);
  s += ",\n  \"projects\": [";
  bool first = true;
  for (auto p : o.selected) {
    s += std::string(first ? "" : ",") + "\n   " + project_json(e, o, o.projects[p], cat);
    first = false;
  }
  for (const auto& r : o.projects)
    if (!r.selected) {
      s += std::string(first ? "" : ",") + "\n   " + project_json(e, o, r, cat);
      first = false;
    }
  s += "]";
  if (per_voter && o.equal_shares) {
    s += ",\n  \"voter_spent\": {";
    for (std::size_t v = 0; v < e.voter_ids.size(); ++v) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.2f", o.spent_by_ballot[e.voter_ballot[v]]);
      s += (v ? ", " : "") + json_str(e.voter_ids[v]) + ": " + buf;
    }
    s += "}";
  }
  return s + "}}";
}

int tally(const PbFlags& f) {
  auto cat = load_catalogue();
  pb::Election e;
  try {
    e = pb::read_pabulib_file(f.file);
  } catch (const pb::ParseError& err) {
    std::cerr << "coproduce: " << f.file << ": " << text(cat, err.key, err.args) << "\n";
    return 1;
  }
  auto allowed = pb::rules_for(e.vote_type);
  std::vector<std::string> rules;
  if (f.rule == "all") {
    rules = allowed;
  } else if (!pb::is_known_rule(f.rule) ||
             std::find(allowed.begin(), allowed.end(), f.rule) == allowed.end()) {
    std::string key = pb::is_known_rule(f.rule) ? "rule_not_for_ballots" : "unknown_rule";
    std::cerr << "coproduce: "
              << text(cat, key, {{"rule", f.rule}, {"type", std::string(pb::vote_type_name(e.vote_type))}, {"rules", join_rules(allowed)}})
              << "\n";
    return 1;
  } else {
    rules = {f.rule};
  }
  std::string out;
  if (f.rule == "all") out += "[\n";
  for (std::size_t i = 0; i < rules.size(); ++i) {
    auto o = pb::tally(e, rules[i]);
    out += outcome_json(e, o, cat, f.explain, f.per_voter);
    if (f.rule == "all" && i + 1 < rules.size()) out += ",";
    out += "\n";
  }
  if (f.rule == "all") out += "]\n";
  std::cout << out << std::flush;
  return 0;
}

int generate(const PbFlags& f) {
  std::string body = pb::generate_pabulib(f.gen);
  if (f.out.empty() || f.out == "-") {
    std::cout << body << std::flush;
    return 0;
  }
  std::ofstream o(f.out, std::ios::binary);
  o << body;
  o.close();
  if (!o) {
    std::cerr << "coproduce: " << text(load_catalogue(), "cannot_write", {{"file", f.out}}) << "\n";
    return 1;
  }
  return 0;
}

// The same order as the other commands: flags, then the environment, then a settings file.
Config app_config(const PbFlags& f) {
  Config cfg;
  std::string file = f.config;
  if (file.empty())
    if (const char* v = std::getenv("COPRODUCE_CONFIG"); v && *v) file = v;
  if (!file.empty()) load_config_file(file, cfg);
  load_config_env(cfg);
  if (!f.db.empty()) cfg.db_url = f.db;
  if (!f.share.empty()) cfg.share_dir = f.share;
  return cfg;
}

void add_app_options(CLI::App* cmd, PbFlags& f) {
  cmd->add_option("--db", f.db, "Database URL: sqlite:PATH or postgresql://... (env COPRODUCE_DB)");
  cmd->add_option("--config", f.config, "TOML settings file (env COPRODUCE_CONFIG)");
  cmd->add_option("--share", f.share, "Folder of templates, catalogues and assets (default: beside the binary)");
  cmd->add_option("--partnership", f.partnership, "Partnership slug")->required();
}

}  // namespace

CLI::App* add_pb_cli(CLI::App& parent) {
  auto& f = flags();
  auto* pb_cmd = parent.add_subcommand("pb", "Participatory budgeting: count Pabulib (.pb) files");
  pb_cmd->require_subcommand(1);
  f.tally = pb_cmd->add_subcommand("tally", "Count a .pb file with a rule and print the result as JSON");
  f.tally->add_option("--rule", f.rule, "greedy, greedy_votes, mes_cost, mes_card, mes_add, mes_pos (each with _add1 or _add1_greedy), phragmen, or all")
      ->required();
  f.tally->add_flag("--explain", f.explain, "Also explain why each project was or was not chosen");
  f.tally->add_flag("--per-voter", f.per_voter, "With --explain and an equal shares rule: what each voter spent");
  f.tally->add_option("FILE", f.file, "The .pb file")->required();
  f.generate = pb_cmd->add_subcommand("generate", "Write a generated approval election in .pb format (for benchmarks)");
  f.generate->add_option("--voters", f.gen.voters, "Number of voters")->capture_default_str()->check(CLI::Range(0, 10000000));
  f.generate->add_option("--projects", f.gen.projects, "Number of projects")->capture_default_str()->check(CLI::Range(1, 100000));
  f.generate->add_option("--approvals", f.gen.approvals, "Projects on each ballot")->capture_default_str()->check(CLI::Range(0, 100000));
  f.generate->add_option("--seed", f.gen.seed, "The same seed gives the same file")->capture_default_str();
  f.generate->add_option("--out", f.out, "Where to write it (default: standard output)");
  f.export_cmd = pb_cmd->add_subcommand("export", "Write a process's ballots as a .pb file (voters numbered, not named)");
  add_app_options(f.export_cmd, f);
  f.export_cmd->add_option("--process", f.process, "Process id")->required();
  f.export_cmd->add_option("--area", f.area, "Area id (needed when the process has more than one area)");
  f.export_cmd->add_option("OUT", f.out, "Where to write the .pb file")->required();
  f.import_cmd = pb_cmd->add_subcommand("import", "Load a .pb file as a closed process, all or nothing");
  add_app_options(f.import_cmd, f);
  f.import_cmd->add_option("FILE", f.file, "The .pb file")->required();
  return pb_cmd;
}

int run_pb_cli() {
  const auto& f = flags();
  if (f.tally && f.tally->parsed()) return tally(f);
  if (f.generate && f.generate->parsed()) return generate(f);
  if (f.export_cmd && f.export_cmd->parsed())
    return cp::modules::pb_export_command(app_config(f), f.partnership, f.process, f.area, f.out);
  if (f.import_cmd && f.import_cmd->parsed()) return cp::modules::pb_import_command(app_config(f), f.partnership, f.file);
  return 1;
}
