// Counting a process on the web: each area's ballots are written out as a Pabulib file, read back
// with the same parser the CLI uses, and counted with greedy and with the Method of Equal Shares.
#include <algorithm>
#include <cmath>
#include <map>

#include "core/util.hpp"
#include "modules/pb/process.hpp"

namespace cp::modules {

namespace json = boost::json;

namespace pb_store {

namespace {

std::int64_t to_i64(const std::string& s) {
  if (s.empty()) return -1;
  if (auto v = parse_int(s)) return *v;
  try {
    return static_cast<std::int64_t>(std::stod(s));
  } catch (...) {
    return 0;
  }
}

// A decimal amount of money as the count prints it ("41.666667") in whole pence, rounded.
std::int64_t pence(const std::string& amount) {
  if (amount.empty()) return -1;
  try {
    return static_cast<std::int64_t>(std::llround(std::stod(amount) * 100));
  } catch (...) {
    return -1;
  }
}

// A ballot's contents in a form that does not depend on order: "12:1 7:1" (project id, points).
std::string ballot_key(const pb::Election& e, const pb::Ballot& b) {
  std::vector<std::string> parts;
  for (const auto& it : e.items_of(b)) parts.push_back(e.projects[it.project].id + ":" + std::to_string(it.points));
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : " ") + p;
  return out;
}

PbRuleResult rule_result(const pb::Election& e, const pb::Outcome& o) {
  PbRuleResult r;
  r.rule = o.rule;
  r.cost = o.cost / e.money_scale;
  r.voters = o.voters;
  r.voters_with_a_project = o.voters_with_a_project;
  r.add1_steps = o.add1_steps;
  r.step_limit = o.add1_stopped_by_step_limit;
  if (o.equal_shares) {
    r.voter_share = std::max<std::int64_t>(0, pence(o.voter_share));
    r.spent_all = o.voters_spent_all;
    r.spent_some = o.voters_spent_some;
    r.spent_none = o.voters_spent_none;
    std::map<std::string, PbBallotSpend> by_key;
    for (std::size_t j = 0; j < e.ballots.size(); ++j) {
      auto key = ballot_key(e, e.ballots[j]);
      auto& b = by_key[key];
      b.ballot = key;
      b.voters += e.ballots[j].voters;
      b.spent = static_cast<std::int64_t>(std::llround(o.spent_by_ballot[j] * 100));
    }
    for (auto& [k, b] : by_key) r.spending.push_back(std::move(b));
  }
  // What each project's backers put towards each chosen project, to name where their money went.
  std::vector<int> position(e.projects.size(), 0);
  for (std::size_t i = 0; i < o.selected.size(); ++i) position[o.selected[i]] = static_cast<int>(i + 1);
  auto add = [&](const pb::ProjectResult& pr) {
    PbProjectResult x;
    x.key = e.projects[pr.project].id;
    x.title = e.projects[pr.project].name;
    x.cost = e.projects[pr.project].cost / e.money_scale;
    x.supporters = pr.supporters;
    x.score = to_i64(pr.score);
    x.selected = pr.selected;
    x.position = pr.position;
    x.reason = std::string(pb::reason_code(pr.reason));
    x.budget_left = to_i64(pr.budget_left);
    if (o.equal_shares && pr.selected && pr.reason == pb::Reason::bought_with_shares) {
      x.share_paid = pence(pr.share_paid);
      x.ran_out = pr.supporters_ran_out;
      x.price = pr.price;
    }
    if (o.equal_shares && !pr.selected && pr.reason == pb::Reason::shares_too_small && pr.dropped_after > 0) {
      std::map<std::uint32_t, std::int64_t> overlap;
      for (const auto& b : e.ballots) {
        auto items = e.items_of(b);
        bool backs = std::any_of(items.begin(), items.end(), [&](const auto& it) { return it.project == pr.project; });
        if (!backs) continue;
        for (const auto& it : items)
          if (position[it.project] > 0 && position[it.project] <= pr.dropped_after) overlap[it.project] += b.voters;
      }
      std::uint32_t best = 0;
      std::int64_t most = 0;
      for (const auto& [q, n] : overlap)
        if (n > most || (n == most && position[q] < position[best])) best = q, most = n;
      if (most > 0) {
        x.spent_on_title = e.projects[best].name;
        // A project index until the caller, which knows the proposals, turns it into an id.
        x.spent_on = -static_cast<std::int64_t>(best) - 1;
      }
    }
    r.projects.push_back(std::move(x));
  };
  for (auto p : o.selected) add(o.projects[p]);
  std::vector<const pb::ProjectResult*> rest;
  for (const auto& pr : o.projects)
    if (!pr.selected) rest.push_back(&pr);
  std::stable_sort(rest.begin(), rest.end(), [&](auto* a, auto* b) { return to_i64(a->score) > to_i64(b->score); });
  for (auto* pr : rest) add(*pr);
  return r;
}

json::object rule_json(const PbRuleResult& r) {
  json::object o;
  o["rule"] = r.rule;
  o["cost"] = r.cost;
  o["voters"] = r.voters;
  o["voters_with_a_project"] = r.voters_with_a_project;
  o["add1_steps"] = r.add1_steps;
  o["step_limit_reached"] = r.step_limit;
  if (r.rule.rfind("mes", 0) == 0) {
    o["voter_share_pence"] = r.voter_share;
    o["voters_spent_all"] = r.spent_all;
    o["voters_spent_some"] = r.spent_some;
    o["voters_spent_none"] = r.spent_none;
    json::array spending;
    for (const auto& b : r.spending) spending.push_back(json::array{json::value(b.ballot), b.voters, b.spent});
    o["spending"] = spending;
  }
  json::array selected, projects;
  for (const auto& p : r.projects) {
    if (p.selected) selected.push_back(p.proposal_id);
    json::object j;
    j["proposal_id"] = p.proposal_id;
    j["project_id"] = p.key;
    j["title"] = p.title;
    j["cost"] = p.cost;
    j["supporters"] = p.supporters;
    j["score"] = p.score;
    j["selected"] = p.selected;
    j["position"] = p.position;
    j["reason"] = p.reason;
    if (p.budget_left >= 0) j["budget_left"] = p.budget_left;
    if (p.share_paid >= 0) j["share_paid_pence"] = p.share_paid;
    if (p.ran_out) j["supporters_ran_out"] = p.ran_out;
    if (!p.price.empty()) j["price"] = p.price;
    if (p.spent_on) {
      j["spent_on"] = p.spent_on;
      j["spent_on_title"] = p.spent_on_title;
    }
    projects.push_back(j);
  }
  o["selected"] = selected;
  o["projects"] = projects;
  return o;
}

std::int64_t int_of(const json::object& o, const char* k) {
  auto* v = o.if_contains(k);
  return v && v->is_int64() ? v->as_int64() : v && v->is_uint64() ? static_cast<std::int64_t>(v->as_uint64()) : 0;
}
std::string str_of(const json::object& o, const char* k) {
  auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

PbRuleResult rule_from_json(const json::object& o) {
  PbRuleResult r;
  r.rule = str_of(o, "rule");
  r.cost = int_of(o, "cost");
  r.voters = int_of(o, "voters");
  r.voters_with_a_project = int_of(o, "voters_with_a_project");
  r.add1_steps = static_cast<int>(int_of(o, "add1_steps"));
  r.step_limit = o.at("step_limit_reached").as_bool();
  r.voter_share = int_of(o, "voter_share_pence");
  r.spent_all = int_of(o, "voters_spent_all");
  r.spent_some = int_of(o, "voters_spent_some");
  r.spent_none = int_of(o, "voters_spent_none");
  if (auto* sp = o.if_contains("spending"); sp && sp->is_array())
    for (const auto& v : sp->as_array()) {
      const auto& a = v.as_array();
      if (a.size() != 3 || !a[0].is_string()) continue;
      r.spending.push_back({std::string(a[0].as_string()), a[1].to_number<std::int64_t>(), a[2].to_number<std::int64_t>()});
    }
  for (const auto& v : o.at("projects").as_array()) {
    const auto& j = v.as_object();
    PbProjectResult p;
    p.proposal_id = int_of(j, "proposal_id");
    p.key = str_of(j, "project_id");
    p.title = str_of(j, "title");
    p.cost = int_of(j, "cost");
    p.supporters = int_of(j, "supporters");
    p.score = int_of(j, "score");
    p.selected = j.at("selected").as_bool();
    p.position = static_cast<int>(int_of(j, "position"));
    p.reason = str_of(j, "reason");
    p.budget_left = j.contains("budget_left") ? int_of(j, "budget_left") : -1;
    p.spent_on = int_of(j, "spent_on");
    p.spent_on_title = str_of(j, "spent_on_title");
    p.share_paid = j.contains("share_paid_pence") ? int_of(j, "share_paid_pence") : -1;
    p.ran_out = int_of(j, "supporters_ran_out");
    p.price = str_of(j, "price");
    r.projects.push_back(std::move(p));
  }
  return r;
}

json::object results_json(const PbResults& res) {
  json::object o;
  o["generation"] = res.generation;
  o["computed_at"] = res.computed_at;
  json::array areas;
  for (const auto& a : res.areas) {
    json::object j;
    j["area_id"] = a.area_id;
    j["area"] = a.area_name;
    j["budget"] = a.budget;
    j["ballots"] = a.ballots;
    j["greedy"] = rule_json(a.greedy);
    j["equal_shares"] = rule_json(a.equal_shares);
    areas.push_back(j);
  }
  o["areas"] = areas;
  return o;
}

PbResults results_from_json(const json::object& o) {
  PbResults r;
  r.generation = int_of(o, "generation");
  r.computed_at = int_of(o, "computed_at");
  for (const auto& v : o.at("areas").as_array()) {
    const auto& j = v.as_object();
    PbAreaResult a;
    a.area_id = int_of(j, "area_id");
    a.area_name = str_of(j, "area");
    a.budget = int_of(j, "budget");
    a.ballots = int_of(j, "ballots");
    a.greedy = rule_from_json(j.at("greedy").as_object());
    a.equal_shares = rule_from_json(j.at("equal_shares").as_object());
    r.areas.push_back(std::move(a));
  }
  return r;
}

}  // namespace

PbAreaResult count_election(const pb::Election& e, std::int64_t area_id, const std::string& area_name) {
  PbAreaResult a;
  a.area_id = area_id;
  a.area_name = area_name;
  a.budget = e.budget / e.money_scale;
  a.ballots = e.voter_count();
  bool points = e.vote_type == pb::VoteType::cumulative || e.vote_type == pb::VoteType::scoring;
  pb::TallyOptions opts;
  opts.max_add1_steps = kPbWebAdd1Steps;
  a.greedy = rule_result(e, pb::tally(e, "greedy", opts));
  a.equal_shares = rule_result(e, pb::tally(e, points ? "mes_add_add1" : "mes_cost_add1", opts));
  return a;
}

std::optional<PbResults> cached_results(store::Scope& s, const PbProcess& p) {
  auto r = s.read("SELECT generation, body FROM pb_results WHERE partnership_id = $1 AND process_id = $2", {p.id});
  if (r.empty() || r.one().i64(0) != p.ballot_generation) return std::nullopt;
  try {
    return results_from_json(json::parse(r.one().text(1)).as_object());
  } catch (const std::exception&) {
    return std::nullopt;  // an unreadable stored count is simply counted again
  }
}

PbResults results(store::Scope& s, const PbProcess& p, const std::string& partnership_name) {
  if (auto c = cached_results(s, p)) return *c;
  PbResults res;
  res.generation = p.ballot_generation;
  res.computed_at = now_seconds();
  auto all = proposals(s, p.id, true);
  for (const auto& area : p.area_list) {
    auto e = pb::parse_pabulib(export_area(s, p, area, partnership_name));
    auto a = count_election(e, area.id, area.name);
    std::map<std::string, std::int64_t> id_of;
    for (const auto& pr : all)
      if (pr.area_id == area.id) id_of[pr.external_id.empty() ? std::to_string(pr.id) : pr.external_id] = pr.id;
    for (auto* rr : {&a.greedy, &a.equal_shares})
      for (auto& x : rr->projects) {
        x.proposal_id = id_of[x.key];
        if (x.spent_on < 0) x.spent_on = id_of[e.projects[static_cast<std::size_t>(-x.spent_on - 1)].id];
      }
    res.areas.push_back(std::move(a));
  }
  s.bookkeeping(
      "INSERT INTO pb_results (partnership_id, process_id, generation, computed_at, body) VALUES ($1, $2, $3, $4, $5)"
      " ON CONFLICT (partnership_id, process_id) DO UPDATE SET generation = excluded.generation,"
      " computed_at = excluded.computed_at, body = excluded.body",
      {p.id, res.generation, res.computed_at, json::serialize(results_json(res))});
  return res;
}

ImportResult import_election(store::Scope& s, const pb::Election& e, const std::string& source_hash,
                             const std::string& title) {
  if (auto existing = find_by_source(s, source_hash))
    throw std::invalid_argument("pb.import_duplicate:" + std::to_string(*existing));
  if (e.vote_type != pb::VoteType::approval && e.vote_type != pb::VoteType::cumulative)
    throw std::invalid_argument("pb.import_vote_type");
  if (e.money_scale != 1) throw std::invalid_argument("pb.import_pence");
  if (e.points_scale != 1) throw std::invalid_argument("pb.import_points");
  bool cumulative = e.vote_type == pb::VoteType::cumulative;
  PbProcessInput in;
  in.title = title;
  if (const auto* d = e.meta_value("description")) in.description = *d;
  in.budget = e.budget;
  in.ballot_kind = cumulative ? "cumulative" : "approval";
  if (const auto* c = e.meta_value("currency")) in.currency = c->substr(0, 10);
  if (cumulative) {
    std::int64_t most = 0;
    for (const auto& b : e.ballots) {
      std::int64_t sum = 0;
      for (const auto& it : e.items_of(b)) sum += it.points;
      most = std::max(most, sum);
    }
    in.points = most;
    if (const auto* m = e.meta_value("max_sum_points"))
      if (auto v = parse_int(*m)) in.points = *v;
  } else if (const auto* m = e.meta_value("max_length")) {
    if (auto v = parse_int(*m)) in.max_choices = *v;
  }
  auto id = create_process(s, in, "results", source_hash);
  auto p = get_process(s, id);
  const auto& area = p->area_list.front();
  std::vector<std::int64_t> ids;
  for (const auto& pr : e.projects) {
    if (pr.cost <= 0) throw std::invalid_argument("pb.import_free_project");
    ids.push_back(add_proposal(s, *p, area.id, pr.name.empty() ? pr.id : pr.name, "", pr.cost, std::nullopt, "",
                               "accepted", pr.id));
  }
  // Ballots go in a few hundred rows per statement, with one entry in the audit trail for the lot.
  auto now = now_seconds();
  std::size_t v = 0, n = e.voter_ids.size();
  while (v < n) {
    std::string sql =
        "INSERT INTO pb_ballots (partnership_id, process_id, area_id, voter_key, choices, created_at, updated_at) VALUES ";
    store::Params params{id, area.id, now};
    std::size_t end = std::min(n, v + 500);
    for (std::size_t i = v; i < end; ++i) {
      const auto& b = e.ballots[e.voter_ballot[i]];
      std::vector<std::pair<std::int64_t, std::int64_t>> c;
      for (const auto& it : e.items_of(b)) c.emplace_back(ids[it.project], cumulative ? it.points : 1);
      std::sort(c.begin(), c.end());
      std::string choices;
      for (const auto& [pid, pts] : c) choices += (choices.empty() ? "" : " ") + std::to_string(pid) + ":" + std::to_string(pts);
      params.push_back("import:" + e.voter_ids[i]);
      params.push_back(choices);
      std::string a = "$" + std::to_string(params.size()), b2 = "$" + std::to_string(params.size() + 1);
      sql += std::string(i > v ? ", " : "") + "($1, $2, $3, " + a + ", " + b2 + ", $4, $4)";
    }
    s.write({"pb.import.ballots", "pb_process", id, std::to_string(end - v) + " ballots"}, sql, params);
    v = end;
  }
  s.bookkeeping("UPDATE pb_processes SET ballot_generation = ballot_generation + 1 WHERE partnership_id = $1 AND id = $2",
                {id});
  return {id, static_cast<std::int64_t>(n), static_cast<std::int64_t>(e.projects.size())};
}

}  // namespace pb_store

json::object to_json(const PbResults& r, const PbProcess& p) {
  json::object o = pb_store::results_json(r);
  o["process_id"] = p.id;
  o["title"] = p.title;
  o["currency"] = p.currency;
  o["ballot_kind"] = p.ballot_kind;
  o["equal_shares_rule"] = p.ballot_kind == "cumulative" ? "mes_add_add1" : "mes_cost_add1";
  return o;
}

}  // namespace cp::modules
