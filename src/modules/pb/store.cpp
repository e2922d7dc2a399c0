#include <algorithm>
#include <map>
#include <set>

#include "core/util.hpp"
#include "modules/pb/process.hpp"

namespace cp::modules {

const PbArea* PbProcess::area(std::int64_t id) const {
  for (const auto& a : area_list)
    if (a.id == id) return &a;
  return nullptr;
}

std::string pb_money(const PbProcess& p, std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  out = (n < 0 ? "-" : "") + out;
  return p.currency == "GBP" ? "\u00a3" + out : out + " " + p.currency;
}

namespace pb_store {

namespace {

const char* kDateColumns[] = {"information_date", "proposals_date", "supports_date", "voting_date", "results_date"};

constexpr const char* kProcessColumns =
    "id, title, description, budget, currency, ballot_kind, max_choices, points, per_area, phase, information_date,"
    " proposals_date, supports_date, voting_date, results_date, ballot_generation, source_hash, min_choices, min_age";

PbProcess process_from_row(const store::Row& r) {
  PbProcess p;
  p.id = r.i64(0);
  p.title = r.text(1);
  p.description = r.text(2);
  p.budget = r.i64(3);
  p.currency = r.text(4);
  p.ballot_kind = r.text(5);
  p.max_choices = r.i64(6);
  p.points = r.i64(7);
  p.per_area = r.boolean(8);
  p.phase = r.text(9);
  for (int i = 0; i < 5; ++i) p.dates[i] = r.text(10 + i);
  p.ballot_generation = r.i64(15);
  p.imported = !r.null(16);
  p.min_choices = r.i64(17);
  p.min_age = r.i64(18);
  return p;
}

void load_areas(store::Scope& s, PbProcess& p) {
  p.area_list.clear();
  auto rows = s.read("SELECT id, name, budget, postcodes, min_choices, max_choices FROM pb_areas"
                     " WHERE partnership_id = $1 AND process_id = $2 ORDER BY id",
                     {p.id});
  for (const auto& r : rows.rows) p.area_list.push_back({r.i64(0), r.text(1), r.i64(2), r.text(3), r.i64(4), r.i64(5)});
  if (!p.per_area && !p.area_list.empty()) p.postcodes = p.area_list.front().postcodes;
}

bool valid_date(const std::string& d) {
  if (d.empty()) return true;
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(d[i]))) return false;
  int m = std::stoi(d.substr(5, 2)), day = std::stoi(d.substr(8, 2));
  return m >= 1 && m <= 12 && day >= 1 && day <= 31;
}

std::string encode(const PbChoices& c) {
  std::string s;
  for (const auto& [id, pts] : c) s += (s.empty() ? "" : " ") + std::to_string(id) + ":" + std::to_string(pts);
  return s;
}

PbChoices decode(const std::string& s) {
  PbChoices c;
  for (const auto& part : split(s, ' ')) {
    auto colon = part.find(':');
    if (colon == std::string::npos) continue;
    auto id = parse_int(part.substr(0, colon));
    auto pts = parse_int(part.substr(colon + 1));
    if (id && pts) c.emplace_back(*id, *pts);
  }
  return c;
}

// Pabulib values are separated by ";" and may not span lines: keep names to one clean line.
std::string clean(std::string v) {
  for (auto& ch : v)
    if (ch == ';' || ch == '"' || ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  return v;
}

constexpr const char* kProposalColumns =
    "id, process_id, area_id, title, description, cost, proposer_id, proposer_name, status, reject_reason,"
    " external_id, supports, created_at, summary, title_cy, summary_cy, place_uuid, place_name, postcode,"
    " organisation_id, organisation_name, delivery_org_id, delivery_org_name";

PbProposal proposal_from_row(const store::Row& r) {
  PbProposal p;
  p.id = r.i64(0);
  p.process_id = r.i64(1);
  p.area_id = r.i64(2);
  p.title = r.text(3);
  p.description = r.text(4);
  p.cost = r.i64(5);
  p.proposer_id = r.opt_i64(6);
  p.proposer_name = r.text(7);
  p.status = r.text(8);
  p.reject_reason = r.text(9);
  p.external_id = r.text(10);
  p.supports = r.i64(11);
  p.created_at = r.i64(12);
  p.summary = r.text(13);
  p.title_cy = r.text(14);
  p.summary_cy = r.text(15);
  p.place_uuid = r.text(16);
  p.place_name = r.text(17);
  p.postcode = r.text(18);
  p.organisation_id = r.opt_i64(19);
  p.organisation_name = r.text(20);
  p.delivery_org_id = r.opt_i64(21);
  p.delivery_org_name = r.text(22);
  return p;
}

// The id a proposal has in a Pabulib file: an imported project keeps its own, so that a recount
// breaks ties exactly as the original count did.
std::string project_key(const PbProposal& p) { return p.external_id.empty() ? std::to_string(p.id) : p.external_id; }

}  // namespace

std::vector<PbProblem> validate(const PbProcessInput& in) {
  std::vector<PbProblem> p;
  if (in.title.empty()) p.push_back({"title", "pb.error_title_missing", {}});
  if (in.title.size() > 200) p.push_back({"title", "pb.error_title_long", {}});
  if (in.description.size() > 5000) p.push_back({"description", "pb.error_description_long", {}});
  if (std::find(kPbBallotKinds.begin(), kPbBallotKinds.end(), in.ballot_kind) == kPbBallotKinds.end())
    p.push_back({"ballot_kind", "pb.error_ballot_kind", {}});
  if (!in.per_area && (in.budget <= 0 || in.budget > 1'000'000'000'000))
    p.push_back({"budget", "pb.error_budget", {}});
  if (in.max_choices < 0 || in.max_choices > 1000) p.push_back({"max_choices", "pb.error_max_choices", {}});
  if (in.min_choices < 0 || in.min_choices > 1000) p.push_back({"min_choices", "pb.error_min_choices", {}});
  else if (in.max_choices > 0 && in.min_choices > in.max_choices)
    p.push_back({"min_choices", "pb.error_min_over_max",
                 {{"min", std::to_string(in.min_choices)}, {"max", std::to_string(in.max_choices)}}});
  if (in.min_age < 0 || in.min_age > 120) p.push_back({"min_age", "pb.error_min_age", {}});
  if (!in.per_area && !pb_tidy_postcodes(in.postcodes)) p.push_back({"postcodes", "pb.error_postcodes", {}});
  if (in.ballot_kind == "cumulative" && (in.points < 1 || in.points > 1000))
    p.push_back({"points", "pb.error_points", {}});
  for (int i = 0; i < 5; ++i)
    if (!valid_date(in.dates[i])) p.push_back({kDateColumns[i], "pb.error_date", {}});
  if (in.per_area) {
    if (in.areas.empty()) p.push_back({"areas", "pb.error_areas_missing", {}});
    for (const auto& [name, budget] : in.areas)
      if (name.empty() || name.size() > 200 || budget <= 0 || budget > 1'000'000'000'000) {
        p.push_back({"areas", "pb.error_areas", {}});
        break;
      }
    for (const auto& r : in.area_rules)
      if (!pb_tidy_postcodes(r.postcodes) || r.min_choices < 0 || r.max_choices < 0 || r.max_choices > 1000 ||
          (r.max_choices > 0 && r.min_choices > r.max_choices)) {
        p.push_back({"areas", "pb.error_area_rules", {}});
        break;
      }
  }
  return p;
}

std::int64_t create_process(store::Scope& s, const PbProcessInput& in, const std::string& phase,
                            const std::string& source_hash) {
  auto now = now_seconds();
  std::int64_t total = in.budget;
  if (in.per_area) {
    total = 0;
    for (const auto& a : in.areas) total += a.second;
  }
  store::Value hash = source_hash.empty() ? store::Value{nullptr} : store::Value{source_hash};
  auto id = s.insert({"pb.process.create", "pb_process", std::nullopt, ""},
                     "INSERT INTO pb_processes (partnership_id, title, description, budget, currency, ballot_kind,"
                     " max_choices, points, per_area, phase, information_date, proposals_date, supports_date,"
                     " voting_date, results_date, source_hash, created_at, updated_at, min_choices, min_age)"
                     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18, $19)"
                     " RETURNING id",
                     {in.title, in.description, total, in.currency, in.ballot_kind, in.max_choices, in.points,
                      std::int64_t(in.per_area ? 1 : 0), phase, in.dates[0], in.dates[1], in.dates[2], in.dates[3],
                      in.dates[4], hash, now, in.min_choices, in.min_age});
  std::vector<std::pair<std::string, std::int64_t>> areas = in.areas;
  std::vector<PbProcessInput::AreaRules> rules = in.area_rules;
  if (!in.per_area) {
    areas = {{in.title, in.budget}};
    rules = {{in.postcodes, 0, 0}};
  }
  for (std::size_t i = 0; i < areas.size(); ++i) {
    PbProcessInput::AreaRules r = i < rules.size() ? rules[i] : PbProcessInput::AreaRules{};
    s.insert({"pb.area.create", "pb_area", std::nullopt, "process " + std::to_string(id)},
             "INSERT INTO pb_areas (partnership_id, process_id, name, budget, postcodes, min_choices, max_choices)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
             {id, areas[i].first, areas[i].second, pb_tidy_postcodes(r.postcodes).value_or(""), r.min_choices,
              r.max_choices});
  }
  return id;
}

bool update_process(store::Scope& s, std::int64_t id, const PbProcessInput& in) {
  auto cur = get_process(s, id);
  if (!cur) return false;
  bool open = cur->phase == "voting" || cur->phase == "results";
  // Once voting has opened the ballot rules and budgets are what people voted under: only words and
  // dates can change.
  std::string kind = open ? cur->ballot_kind : in.ballot_kind;
  std::int64_t max_choices = open ? cur->max_choices : in.max_choices;
  std::int64_t points = open ? cur->points : in.points;
  std::int64_t min_choices = open ? cur->min_choices : in.min_choices;
  std::int64_t min_age = open ? cur->min_age : in.min_age;
  s.write({"pb.process.update", "pb_process", id, ""},
          "UPDATE pb_processes SET title = $3, description = $4, ballot_kind = $5, max_choices = $6, points = $7,"
          " information_date = $8, proposals_date = $9, supports_date = $10, voting_date = $11, results_date = $12,"
          " updated_at = $13, min_choices = $14, min_age = $15 WHERE partnership_id = $1 AND id = $2",
          {id, in.title, in.description, kind, max_choices, points, in.dates[0], in.dates[1], in.dates[2],
           in.dates[3], in.dates[4], now_seconds(), min_choices, min_age});
  // Who may vote is fixed once voting opens, like the other ballot rules.
  if (!open && !cur->per_area)
    s.write({"pb.area.postcodes", "pb_area", std::nullopt, "process " + std::to_string(id)},
            "UPDATE pb_areas SET postcodes = $3 WHERE partnership_id = $1 AND process_id = $2",
            {id, pb_tidy_postcodes(in.postcodes).value_or("")});
  if (!open && !cur->per_area) {
    s.write({"pb.process.budget", "pb_process", id, std::to_string(in.budget)},
            "UPDATE pb_processes SET budget = $3 WHERE partnership_id = $1 AND id = $2", {id, in.budget});
    s.write({"pb.area.update", "pb_area", std::nullopt, "process " + std::to_string(id)},
            "UPDATE pb_areas SET budget = $3, name = $4 WHERE partnership_id = $1 AND process_id = $2",
            {id, in.budget, in.title});
  }
  return true;
}

bool set_phase(store::Scope& s, std::int64_t id, const std::string& phase) {
  return s.write({"pb.process.phase", "pb_process", id, phase},
                 "UPDATE pb_processes SET phase = $3, updated_at = $4 WHERE partnership_id = $1 AND id = $2",
                 {id, phase, now_seconds()}) > 0;
}

std::optional<PbProcess> get_process(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string("SELECT ") + kProcessColumns + " FROM pb_processes WHERE partnership_id = $1 AND id = $2",
                  {id});
  if (r.empty()) return std::nullopt;
  auto p = process_from_row(r.one());
  load_areas(s, p);
  return p;
}

std::vector<PbProcess> list_processes(store::Scope& s) {
  std::vector<PbProcess> out;
  auto r = s.read(std::string("SELECT ") + kProcessColumns + " FROM pb_processes WHERE partnership_id = $1 ORDER BY id DESC");
  for (const auto& row : r.rows) out.push_back(process_from_row(row));
  return out;
}

std::optional<std::int64_t> find_by_source(store::Scope& s, const std::string& source_hash) {
  auto r = s.read("SELECT id FROM pb_processes WHERE partnership_id = $1 AND source_hash = $2", {source_hash});
  if (r.empty()) return std::nullopt;
  return r.one().i64(0);
}

// ------------------------------------------------------------ proposals

std::vector<PbProblem> validate_proposal(const PbProcess& p, const std::string& title, const std::string& description,
                                         const std::string& cost, std::int64_t area_id, std::int64_t& cost_out) {
  std::vector<PbProblem> out;
  if (title.empty()) out.push_back({"title", "pb.error_proposal_title", {}});
  else if (title.size() > 200) out.push_back({"title", "pb.error_title_long", {}});
  if (description.empty()) out.push_back({"description", "pb.error_proposal_description", {}});
  else if (description.size() > 5000) out.push_back({"description", "pb.error_description_long", {}});
  std::string c;
  for (char ch : cost)
    if (ch != ',' && ch != ' ' && ch != '\xC2' && ch != '\xA3') c += ch;  // "£1,500" is 1500
  auto n = parse_int(c);
  const PbArea* area = p.area(area_id);
  if (!area) out.push_back({"area", "pb.error_area", {}});
  if (!n || *n <= 0) out.push_back({"cost", "pb.error_cost", {}});
  else if (area && *n > area->budget)
    out.push_back({"cost", "pb.error_cost_over", {{"budget", pb_money(p, area->budget)}}});
  cost_out = n.value_or(0);
  return out;
}

std::int64_t add_proposal(store::Scope& s, const PbProcess& p, std::int64_t area_id, const std::string& title,
                          const std::string& description, std::int64_t cost, std::optional<std::int64_t> proposer,
                          const std::string& name, const std::string& status, const std::string& external_id) {
  store::Value who = proposer ? store::Value{*proposer} : store::Value{nullptr};
  return s.insert({"pb.proposal.create", "pb_proposal", std::nullopt, "process " + std::to_string(p.id)},
                  "INSERT INTO pb_proposals (partnership_id, process_id, area_id, title, description, cost, proposer_id,"
                  " proposer_name, status, external_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
                  " RETURNING id",
                  {p.id, area_id, title, description, cost, who, name, status, external_id, now_seconds()});
}

std::vector<PbProblem> validate_extra(const PbProposalExtra& x) {
  std::vector<PbProblem> out;
  if (x.summary.size() > 500) out.push_back({"summary", "pb.error_summary_long", {}});
  if (x.title_cy.size() > 200) out.push_back({"title_cy", "pb.error_title_long", {}});
  if (x.summary_cy.size() > 500) out.push_back({"summary_cy", "pb.error_summary_long", {}});
  return out;
}

void set_proposal_extra(store::Scope& s, std::int64_t process_id, std::int64_t id, const PbProposalExtra& x) {
  store::Value org = x.organisation_id ? store::Value{*x.organisation_id} : store::Value{nullptr};
  s.write({"pb.proposal.details", "pb_proposal", id, x.organisation_id ? "for " + x.organisation_name : ""},
          "UPDATE pb_proposals SET summary = $4, title_cy = $5, summary_cy = $6, place_uuid = $7, place_name = $8,"
          " postcode = $9, organisation_id = $10, organisation_name = $11"
          " WHERE partnership_id = $1 AND process_id = $2 AND id = $3",
          {process_id, id, x.summary, x.title_cy, x.summary_cy, x.place_uuid, x.place_name, x.postcode, org,
           x.organisation_name});
}

void set_delivery_org(store::Scope& s, std::int64_t proposal_id, std::optional<std::int64_t> org, const std::string& name) {
  store::Value v = org ? store::Value{*org} : store::Value{nullptr};
  s.write({"pb.delivery.organisation", "pb_proposal", proposal_id, org ? name : "none"},
          "UPDATE pb_proposals SET delivery_org_id = $3, delivery_org_name = $4 WHERE partnership_id = $1 AND id = $2",
          {proposal_id, v, org ? name : std::string()});
}

std::optional<PbProposal> get_proposal(store::Scope& s, std::int64_t process_id, std::int64_t id) {
  auto r = s.read(std::string("SELECT ") + kProposalColumns +
                      " FROM pb_proposals WHERE partnership_id = $1 AND process_id = $2 AND id = $3",
                  {process_id, id});
  if (r.empty()) return std::nullopt;
  return proposal_from_row(r.one());
}

std::vector<PbProposal> proposals(store::Scope& s, std::int64_t process_id, bool accepted_only) {
  std::vector<PbProposal> out;
  auto r = s.read(std::string("SELECT ") + kProposalColumns +
                      " FROM pb_proposals WHERE partnership_id = $1 AND process_id = $2" +
                      (accepted_only ? " AND status = 'accepted'" : "") + " ORDER BY id",
                  {process_id});
  for (const auto& row : r.rows) out.push_back(proposal_from_row(row));
  return out;
}

bool review_proposal(store::Scope& s, std::int64_t process_id, std::int64_t id, bool accept, const std::string& reason) {
  return s.write({accept ? "pb.proposal.accept" : "pb.proposal.reject", "pb_proposal", id, ""},
                 "UPDATE pb_proposals SET status = $4, reject_reason = $5"
                 " WHERE partnership_id = $1 AND process_id = $2 AND id = $3",
                 {process_id, id, std::string(accept ? "accepted" : "rejected"), accept ? std::string() : reason}) > 0;
}

bool support(store::Scope& s, std::int64_t proposal_id, std::int64_t user_id) {
  auto added = s.write({"pb.proposal.support", "pb_proposal", proposal_id, ""},
                       "INSERT INTO pb_supports (partnership_id, proposal_id, user_id, created_at) VALUES ($1, $2, $3, $4)"
                       " ON CONFLICT (partnership_id, proposal_id, user_id) DO NOTHING",
                       {proposal_id, user_id, now_seconds()});
  if (added == 0) return false;
  s.bookkeeping("UPDATE pb_proposals SET supports = supports + 1 WHERE partnership_id = $1 AND id = $2", {proposal_id});
  return true;
}

bool supports(store::Scope& s, std::int64_t proposal_id, std::int64_t user_id) {
  return !s.read("SELECT 1 FROM pb_supports WHERE partnership_id = $1 AND proposal_id = $2 AND user_id = $3",
                 {proposal_id, user_id})
              .empty();
}

std::int64_t add_comment(store::Scope& s, std::int64_t proposal_id, std::int64_t user_id, const std::string& author,
                         const std::string& body) {
  return s.insert({"pb.comment.create", "pb_comment", std::nullopt, "proposal " + std::to_string(proposal_id)},
                  "INSERT INTO pb_comments (partnership_id, proposal_id, user_id, author, body, created_at)"
                  " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                  {proposal_id, user_id, author, body, now_seconds()});
}

std::vector<PbComment> comments(store::Scope& s, std::int64_t proposal_id) {
  std::vector<PbComment> out;
  auto r = s.read("SELECT id, user_id, author, body, hidden, hidden_reason, created_at FROM pb_comments"
                  " WHERE partnership_id = $1 AND proposal_id = $2 ORDER BY id",
                  {proposal_id});
  for (const auto& row : r.rows)
    out.push_back({row.i64(0), row.i64(1), row.i64(6), row.text(2), row.text(3), row.text(5), row.boolean(4)});
  return out;
}

bool hide_comment(store::Scope& s, std::int64_t proposal_id, std::int64_t comment_id, const std::string& reason) {
  return s.write({"pb.comment.hide", "pb_comment", comment_id, ""},
                 "UPDATE pb_comments SET hidden = 1, hidden_reason = $4"
                 " WHERE partnership_id = $1 AND proposal_id = $2 AND id = $3",
                 {proposal_id, comment_id, reason}) > 0;
}

// ------------------------------------------------------------ priorities

std::int64_t add_priority(store::Scope& s, std::int64_t process_id, const std::string& title, const std::string& description) {
  return s.insert({"pb.priority.create", "pb_priority", std::nullopt, "process " + std::to_string(process_id)},
                  "INSERT INTO pb_priorities (partnership_id, process_id, title, description, created_at)"
                  " VALUES ($1, $2, $3, $4, $5) RETURNING id",
                  {process_id, title, description, now_seconds()});
}

std::vector<PbPriority> priorities(store::Scope& s, std::int64_t process_id) {
  auto r = s.read("SELECT p.id, p.title, p.description, COUNT(r.rater_key), COALESCE(SUM(r.importance), 0),"
                  " COALESCE(SUM(r.satisfaction), 0) FROM pb_priorities p"
                  " LEFT JOIN pb_priority_ratings r ON r.partnership_id = $1 AND r.priority_id = p.id"
                  " WHERE p.partnership_id = $1 AND p.process_id = $2 GROUP BY p.id, p.title, p.description ORDER BY p.id",
                  {process_id});
  std::vector<PbPriority> out;
  for (const auto& row : r.rows) {
    PbPriority p;
    p.id = row.i64(0);
    p.title = row.text(1);
    p.description = row.text(2);
    p.ratings = row.i64(3);
    // Means rounded to the nearest hundredth, in integers so both databases agree.
    if (p.ratings > 0) {
      p.importance = (row.i64(4) * 200 + p.ratings) / (2 * p.ratings);
      p.satisfaction = (row.i64(5) * 200 + p.ratings) / (2 * p.ratings);
    }
    out.push_back(std::move(p));
  }
  std::stable_sort(out.begin(), out.end(), [](const PbPriority& a, const PbPriority& b) {
    if ((a.ratings > 0) != (b.ratings > 0)) return a.ratings > 0;
    return a.gap() > b.gap();
  });
  return out;
}

void rate_priority(store::Scope& s, std::int64_t priority_id, const std::string& rater_key, int importance,
                   int satisfaction) {
  s.write({"pb.priority.rate", "pb_priority", priority_id, ""},
          "INSERT INTO pb_priority_ratings (partnership_id, priority_id, rater_key, importance, satisfaction, updated_at)"
          " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (partnership_id, priority_id, rater_key) DO UPDATE SET"
          " importance = excluded.importance, satisfaction = excluded.satisfaction, updated_at = excluded.updated_at",
          {priority_id, rater_key, std::int64_t(importance), std::int64_t(satisfaction), now_seconds()});
}

std::map<std::int64_t, std::pair<int, int>> my_ratings(store::Scope& s, std::int64_t process_id,
                                                        const std::string& rater_key) {
  auto r = s.read("SELECT r.priority_id, r.importance, r.satisfaction FROM pb_priority_ratings r"
                  " JOIN pb_priorities p ON p.partnership_id = $1 AND p.id = r.priority_id"
                  " WHERE r.partnership_id = $1 AND p.process_id = $2 AND r.rater_key = $3",
                  {process_id, rater_key});
  std::map<std::int64_t, std::pair<int, int>> out;
  for (const auto& row : r.rows) out[row.i64(0)] = {static_cast<int>(row.i64(1)), static_cast<int>(row.i64(2))};
  return out;
}

// ------------------------------------------------------------ ballots

std::vector<PbProblem> validate_ballot(const PbProcess& p, const PbArea& area, const std::vector<PbProposal>& on_ballot,
                                       const PbChoices& choices) {
  std::vector<PbProblem> out;
  std::map<std::int64_t, const PbProposal*> by_id;
  for (const auto& pr : on_ballot)
    if (pr.area_id == area.id) by_id[pr.id] = &pr;
  std::int64_t total_cost = 0, total_points = 0, chosen = 0;
  std::set<std::int64_t> seen;
  for (const auto& [id, pts] : choices) {
    auto it = by_id.find(id);
    if (it == by_id.end() || !seen.insert(id).second) {
      out.push_back({"choices", "pb.error_unknown_choice", {}});
      return out;
    }
    if (pts < 0 || pts > 1'000'000) {
      out.push_back({"choices", "pb.error_points_value", {}});
      return out;
    }
    if (pts == 0) continue;
    ++chosen;
    total_cost += it->second->cost;
    total_points += pts;
  }
  if (p.ballot_kind == "cumulative") {
    if (total_points != p.points)
      out.push_back({"choices", "pb.error_points_total",
                     {{"points", std::to_string(p.points)}, {"given", std::to_string(total_points)}}});
    return out;
  }
  std::int64_t least = p.min_for(area), most = p.max_for(area);
  if (chosen == 0 && least <= 1) {
    out.push_back({"choices", "pb.error_choose_one", {}});
    return out;
  }
  if (least > 0 && chosen < least)
    out.push_back({"choices", "pb.error_too_few", {{"min", std::to_string(least)}, {"chosen", std::to_string(chosen)}}});
  if (most > 0 && chosen > most)
    out.push_back({"choices", "pb.error_too_many",
                   {{"max", std::to_string(most)}, {"chosen", std::to_string(chosen)}}});
  if (p.ballot_kind == "knapsack" && total_cost > area.budget)
    out.push_back({"choices", "pb.error_over_budget",
                   {{"total", pb_money(p, total_cost)}, {"budget", pb_money(p, area.budget)},
                    {"over", pb_money(p, total_cost - area.budget)}}});
  return out;
}

bool cast_ballot(store::Scope& s, const PbProcess& p, std::int64_t area_id, const std::string& voter_key,
                 const PbChoices& choices, std::optional<std::int64_t> user_id, bool assisted,
                 const std::string& paper_ref, const std::string& voter_name, const std::string& eligibility) {
  PbChoices kept;
  for (const auto& c : choices)
    if (c.second > 0) kept.push_back(c);
  std::sort(kept.begin(), kept.end());
  auto now = now_seconds();
  store::Value uid = user_id ? store::Value{*user_id} : store::Value{nullptr};
  store::Value by = s.context().user_id ? store::Value{*s.context().user_id} : store::Value{nullptr};
  bool existed = ballot(s, p.id, area_id, voter_key).has_value();
  // One statement either way: the UNIQUE (process, area, voter) key decides between a new ballot and
  // a replacement, so two submissions racing each other end as one ballot holding one of them.
  s.insert({existed ? "pb.ballot.replace" : "pb.ballot.cast", "pb_ballot", std::nullopt,
            std::string(assisted ? "assisted paper ballot, " : "") + "process " + std::to_string(p.id) + " area " +
                std::to_string(area_id)},
           "INSERT INTO pb_ballots (partnership_id, process_id, area_id, voter_key, user_id, choices, assisted, paper_ref,"
           " voter_name, entered_by, created_at, updated_at, eligibility)"
           " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12)"
           " ON CONFLICT (partnership_id, process_id, area_id, voter_key) DO UPDATE SET choices = excluded.choices,"
           " updated_at = excluded.updated_at, entered_by = excluded.entered_by RETURNING id",
           {p.id, area_id, voter_key, uid, encode(kept), std::int64_t(assisted ? 1 : 0), paper_ref, voter_name, by, now,
            eligibility});
  s.bookkeeping("UPDATE pb_processes SET ballot_generation = ballot_generation + 1 WHERE partnership_id = $1 AND id = $2",
                {p.id});
  return existed;
}

std::optional<PbBallot> ballot(store::Scope& s, std::int64_t process_id, std::int64_t area_id, const std::string& voter_key) {
  auto r = s.read("SELECT id, area_id, choices, assisted, paper_ref, voter_name, updated_at, eligibility FROM pb_ballots"
                  " WHERE partnership_id = $1 AND process_id = $2 AND area_id = $3 AND voter_key = $4",
                  {process_id, area_id, voter_key});
  if (r.empty()) return std::nullopt;
  const auto& row = r.one();
  PbBallot b;
  b.id = row.i64(0);
  b.area_id = row.i64(1);
  b.choices = decode(row.text(2));
  b.assisted = row.boolean(3);
  b.paper_ref = row.text(4);
  b.voter_name = row.text(5);
  b.updated_at = row.i64(6);
  b.eligibility = row.text(7);
  return b;
}

std::int64_t ballot_count(store::Scope& s, std::int64_t process_id, std::int64_t area_id) {
  return s.read("SELECT COUNT(*) FROM pb_ballots WHERE partnership_id = $1 AND process_id = $2 AND area_id = $3",
                {process_id, area_id})
      .one()
      .i64(0);
}

std::string ballot_key(const std::vector<PbProposal>& accepted, const PbChoices& choices) {
  std::map<std::int64_t, std::string> key_of;
  for (const auto& pr : accepted) key_of[pr.id] = project_key(pr);
  std::vector<std::string> parts;
  for (const auto& [id, pts] : choices)
    if (pts > 0 && key_of.count(id)) parts.push_back(key_of[id] + ":" + std::to_string(pts));
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : " ") + p;
  return out;
}

std::string export_area(store::Scope& s, const PbProcess& p, const PbArea& area, const std::string& partnership_name) {
  std::vector<PbProposal> projects;
  for (auto& pr : proposals(s, p.id, true))
    if (pr.area_id == area.id) projects.push_back(std::move(pr));
  std::map<std::int64_t, std::string> key_of;
  for (const auto& pr : projects) key_of[pr.id] = project_key(pr);
  auto rows = s.read("SELECT choices FROM pb_ballots WHERE partnership_id = $1 AND process_id = $2 AND area_id = $3"
                     " ORDER BY id",
                     {p.id, area.id});
  bool cumulative = p.ballot_kind == "cumulative";
  std::map<std::int64_t, std::int64_t> votes;
  std::vector<PbChoices> ballots;
  for (const auto& r : rows.rows) {
    PbChoices c;
    for (const auto& [id, pts] : decode(r.text(0)))
      if (key_of.count(id)) c.emplace_back(id, pts), votes[id] += cumulative ? pts : 1;
    ballots.push_back(std::move(c));
  }
  std::string out = "META\nkey;value\n";
  out += "description;" + clean(p.title) + "\n";
  out += "country;United Kingdom\n";
  out += "unit;" + clean(partnership_name) + "\n";
  if (p.per_area) out += "subunit;" + clean(area.name) + "\n";
  out += "instance;" + std::to_string(p.id) + "\n";
  out += "num_projects;" + std::to_string(projects.size()) + "\n";
  out += "num_votes;" + std::to_string(ballots.size()) + "\n";
  out += "budget;" + std::to_string(area.budget) + "\n";
  out += std::string("vote_type;") + (cumulative ? "cumulative" : "approval") + "\n";
  out += "rule;equalshares/add1\n";
  out += "currency;" + clean(p.currency) + "\n";
  if (cumulative) out += "max_sum_points;" + std::to_string(p.points) + "\n";
  if (!cumulative && p.max_choices > 0) out += "max_length;" + std::to_string(p.max_choices) + "\n";
  if (p.ballot_kind == "knapsack") out += "comment;knapsack ballot: each voter chose projects within the budget\n";
  out += "PROJECTS\nproject_id;cost;votes;name\n";
  for (const auto& pr : projects)
    out += key_of[pr.id] + ";" + std::to_string(pr.cost) + ";" + std::to_string(votes[pr.id]) + ";" + clean(pr.title) + "\n";
  out += cumulative ? "VOTES\nvoter_id;vote;points\n" : "VOTES\nvoter_id;vote\n";
  std::int64_t n = 0;
  for (const auto& b : ballots) {
    std::string ids, pts;
    for (const auto& [id, p2] : b) {
      ids += (ids.empty() ? "" : ",") + key_of[id];
      pts += (pts.empty() ? "" : ",") + std::to_string(p2);
    }
    out += std::to_string(++n) + ";" + ids;
    if (cumulative) out += ";" + pts;
    out += "\n";
  }
  return out;
}

}  // namespace pb_store

}  // namespace cp::modules
