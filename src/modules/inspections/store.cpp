#include <boost/json.hpp>

#include <ctime>

#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/inspections/inspections.hpp"

namespace cp::modules::inspections::inspections_store {

namespace json = boost::json;

namespace {

std::string questions_json(const std::vector<Question>& qs) {
  json::array a;
  for (const auto& q : qs) {
    json::object o;
    o["kind"] = q.kind;
    o["text"] = q.text;
    if (q.kind == "scale") {
      o["low"] = q.low;
      o["high"] = q.high;
    }
    a.push_back(o);
  }
  return json::serialize(a);
}

std::vector<Question> parse_questions(const std::string& text) {
  std::vector<Question> out;
  auto v = json::parse(text);
  for (const auto& e : v.as_array()) {
    const auto& o = e.as_object();
    auto s = [&](const char* k) {
      const auto* x = o.if_contains(k);
      return x && x->is_string() ? std::string(x->as_string()) : std::string();
    };
    out.push_back({s("kind"), s("text"), s("low"), s("high")});
  }
  return out;
}

constexpr const char* kInspectionColumns =
    "SELECT i.id, i.service_id, i.template_version_id, i.lead_user_id, i.title, i.status, t.name, v.version,"
    " v.questions, i.report, i.report_cy, i.response, i.response_days, i.sent_at, i.response_at, i.published_at,"
    " i.created_at FROM inspections i"
    " JOIN inspections_template_versions v ON v.partnership_id = $1 AND v.id = i.template_version_id"
    " JOIN inspections_templates t ON t.partnership_id = $1 AND t.id = v.template_id"
    " WHERE i.partnership_id = $1";

Inspection to_inspection(const store::Row& r) {
  Inspection i;
  i.id = r.i64(0);
  i.service_id = r.i64(1);
  i.template_version_id = r.i64(2);
  i.lead_user_id = r.i64(3);
  i.title = r.text(4);
  i.status = r.text(5);
  i.template_name = r.text(6);
  i.template_version = static_cast<int>(r.i64(7));
  i.questions = parse_questions(r.text(8));
  i.report = r.text(9);
  i.report_cy = r.text(10);
  i.response = r.text(11);
  i.response_days = r.i64(12);
  i.sent_at = r.opt_i64(13);
  i.response_at = r.opt_i64(14);
  i.published_at = r.opt_i64(15);
  i.created_at = r.i64(16);
  return i;
}

std::string name_of(store::Scope& s, std::int64_t user_id) {
  auto c = AccountsModule::contact(s, user_id);
  return c ? c->name : std::string();
}

}  // namespace

bool valid_date(const std::string& ymd) {
  if (ymd.size() != 10 || ymd[4] != '-' || ymd[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(ymd[i]))) return false;
  int y = std::stoi(ymd.substr(0, 4)), m = std::stoi(ymd.substr(5, 2)), d = std::stoi(ymd.substr(8, 2));
  if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

bool valid_link(const std::string& url) {
  if (url.empty()) return true;
  auto lower = to_lower(url);
  return (starts_with(lower, "https://") || starts_with(lower, "http://")) && url.size() > 8 && url.size() <= 2000 &&
         url.find_first_of(" \t\r\n\"<>") == std::string::npos;
}

// ------------------------------------------------------------ inspectors

std::vector<Inspector> inspectors(store::Scope& s) {
  std::vector<Inspector> out;
  for (const auto& r : s.read("SELECT id, user_id, trained_on, active FROM inspections_inspectors"
                              " WHERE partnership_id = $1 ORDER BY id")
                           .rows) {
    Inspector x{r.i64(0), r.i64(1), "", "", r.text(2), r.boolean(3)};
    if (auto c = AccountsModule::contact(s, x.user_id)) {
      x.name = c->name;
      x.email = c->email;
    }
    out.push_back(x);
  }
  return out;
}

std::optional<Inspector> inspector_for_user(store::Scope& s, std::int64_t user_id) {
  auto r = s.read("SELECT id, user_id, trained_on, active FROM inspections_inspectors WHERE partnership_id = $1"
                  " AND user_id = $2",
                  {user_id});
  if (r.empty()) return std::nullopt;
  const auto& row = r.one();
  return Inspector{row.i64(0), row.i64(1), name_of(s, user_id), "", row.text(2), row.boolean(3)};
}

std::int64_t add_inspector(store::Scope& s, std::int64_t user_id, const std::string& trained_on) {
  return s.insert({"inspections.inspector.add", "inspector", std::nullopt, "user " + std::to_string(user_id)},
                  "INSERT INTO inspections_inspectors (partnership_id, user_id, trained_on, active, created_at)"
                  " VALUES ($1, $2, $3, 1, $4) ON CONFLICT (partnership_id, user_id) DO NOTHING RETURNING id",
                  {user_id, trained_on, now_seconds()});
}

bool set_inspector_active(store::Scope& s, std::int64_t id, bool active) {
  return s.write({active ? "inspections.inspector.activate" : "inspections.inspector.deactivate", "inspector", id, ""},
                 "UPDATE inspections_inspectors SET active = $3 WHERE partnership_id = $1 AND id = $2 AND active <> $3",
                 {id, static_cast<std::int64_t>(active ? 1 : 0)}) > 0;
}

// ------------------------------------------------------------ templates

std::vector<Template> templates(store::Scope& s) {
  std::vector<Template> out;
  auto r = s.read("SELECT t.id, v.id, t.name, v.version, v.questions, t.updated_at FROM inspections_templates t"
                  " JOIN inspections_template_versions v ON v.partnership_id = $1 AND v.template_id = t.id"
                  " AND v.version = t.current_version WHERE t.partnership_id = $1 ORDER BY t.name, t.id");
  for (const auto& row : r.rows)
    out.push_back({row.i64(0), row.i64(1), row.text(2), static_cast<int>(row.i64(3)), parse_questions(row.text(4)),
                   row.i64(5)});
  return out;
}

std::optional<Template> get_template(store::Scope& s, std::int64_t id) {
  auto r = s.read("SELECT t.id, v.id, t.name, v.version, v.questions, t.updated_at FROM inspections_templates t"
                  " JOIN inspections_template_versions v ON v.partnership_id = $1 AND v.template_id = t.id"
                  " AND v.version = t.current_version WHERE t.partnership_id = $1 AND t.id = $2",
                  {id});
  if (r.empty()) return std::nullopt;
  const auto& row = r.one();
  return Template{row.i64(0), row.i64(1), row.text(2), static_cast<int>(row.i64(3)), parse_questions(row.text(4)),
                  row.i64(5)};
}

std::vector<Problem> validate_template(const std::string& name, const std::vector<Question>& questions) {
  std::vector<Problem> out;
  if (name.empty()) out.push_back({"name", "inspections.error_template_name"});
  if (name.size() > 200) out.push_back({"name", "inspections.error_template_name_long"});
  if (questions.empty()) out.push_back({"q0_text", "inspections.error_no_questions"});
  if (questions.size() > kMaxQuestions) out.push_back({"q0_text", "inspections.error_too_many_questions"});
  for (std::size_t i = 0; i < questions.size(); ++i) {
    const auto& q = questions[i];
    std::string n = std::to_string(i + 1);
    if (q.kind != "scale" && q.kind != "text")
      out.push_back({"q" + std::to_string(i) + "_kind", "inspections.error_question_kind", {{"number", n}}});
    if (q.kind == "scale" && (q.low.empty() || q.high.empty()))
      out.push_back({"q" + std::to_string(i) + (q.low.empty() ? "_low" : "_high"), "inspections.error_question_anchors",
                     {{"number", n}}});
    if (q.text.size() > 500)
      out.push_back({"q" + std::to_string(i) + "_text", "inspections.error_question_long", {{"number", n}}});
  }
  return out;
}

std::int64_t create_template(store::Scope& s, const std::string& name, const std::vector<Question>& questions) {
  auto now = now_seconds();
  auto id = s.insert({"inspections.template.create", "inspection_template", std::nullopt, ""},
                     "INSERT INTO inspections_templates (partnership_id, name, current_version, updated_at)"
                     " VALUES ($1, $2, 1, $3) RETURNING id",
                     {name, now});
  s.insert({"inspections.template.version", "inspection_template", id, "1"},
           "INSERT INTO inspections_template_versions (partnership_id, template_id, version, questions, created_at)"
           " VALUES ($1, $2, 1, $3, $4) RETURNING id",
           {id, questions_json(questions), now});
  return id;
}

int revise_template(store::Scope& s, std::int64_t id, const std::string& name, const std::vector<Question>& questions) {
  auto current = get_template(s, id);
  if (!current) return 0;
  int next = current->version + 1;
  auto now = now_seconds();
  // Two admins saving at once both read the same version; the unique key on (template, version)
  // refuses the second insert, so neither overwrites the other silently.
  s.insert({"inspections.template.version", "inspection_template", id, std::to_string(next)},
           "INSERT INTO inspections_template_versions (partnership_id, template_id, version, questions, created_at)"
           " VALUES ($1, $2, $3, $4, $5) RETURNING id",
           {id, static_cast<std::int64_t>(next), questions_json(questions), now});
  s.write({"inspections.template.update", "inspection_template", id, std::to_string(next)},
          "UPDATE inspections_templates SET name = $3, current_version = $4, updated_at = $5"
          " WHERE partnership_id = $1 AND id = $2",
          {id, name, static_cast<std::int64_t>(next), now});
  return next;
}

// ------------------------------------------------------------ inspections

std::int64_t create(store::Scope& s, const NewInspection& in) {
  auto t = get_template(s, in.template_id);
  if (!t) throw std::invalid_argument("no such template");
  auto id = s.insert({"inspections.create", "inspection", std::nullopt, "service " + std::to_string(in.service_id)},
                     "INSERT INTO inspections (partnership_id, service_id, template_version_id, title, status,"
                     " lead_user_id, response_days, created_at) VALUES ($1, $2, $3, $4, 'planned', $5, $6, $7) RETURNING id",
                     {in.service_id, t->version_id, in.title, in.lead_user_id, in.response_days, now_seconds()});
  add_member(s, id, in.lead_user_id, "lead");
  return id;
}

std::optional<Inspection> get(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string(kInspectionColumns) + " AND i.id = $2", {id});
  if (r.empty()) return std::nullopt;
  return to_inspection(r.one());
}

std::vector<Inspection> list(store::Scope& s, std::int64_t service_id, bool published_only) {
  std::string sql = kInspectionColumns;
  store::Params p;
  if (service_id) {
    sql += " AND i.service_id = $2";
    p.push_back(service_id);
  }
  if (published_only) sql += " AND i.status = 'published' ORDER BY i.published_at DESC, i.id DESC";
  else sql += " ORDER BY i.created_at DESC, i.id DESC";
  std::vector<Inspection> out;
  for (const auto& r : s.read(sql, p).rows) out.push_back(to_inspection(r));
  return out;
}

std::vector<Inspection> list_for_member(store::Scope& s, std::int64_t user_id) {
  std::vector<Inspection> out;
  for (const auto& r : s.read(std::string(kInspectionColumns) +
                                  " AND i.id IN (SELECT m.inspection_id FROM inspections_team m WHERE m.partnership_id = $1"
                                  " AND m.user_id = $2) ORDER BY i.created_at DESC, i.id DESC",
                              {user_id})
                           .rows)
    out.push_back(to_inspection(r));
  return out;
}

std::vector<Visit> visits(store::Scope& s, std::int64_t inspection_id) {
  std::vector<Visit> out;
  for (const auto& r : s.read("SELECT id, visit_on, note FROM inspections_visits WHERE partnership_id = $1"
                              " AND inspection_id = $2 ORDER BY visit_on, id",
                              {inspection_id})
                           .rows)
    out.push_back({r.i64(0), r.text(1), r.text(2)});
  return out;
}

std::int64_t add_visit(store::Scope& s, std::int64_t inspection_id, const std::string& on, const std::string& note) {
  return s.insert({"inspections.visit.add", "inspection", inspection_id, on},
                  "INSERT INTO inspections_visits (partnership_id, inspection_id, visit_on, note) VALUES ($1, $2, $3, $4)"
                  " RETURNING id",
                  {inspection_id, on, note});
}

std::vector<Member> team(store::Scope& s, std::int64_t inspection_id) {
  std::vector<Member> out;
  for (const auto& r : s.read("SELECT user_id, role FROM inspections_team WHERE partnership_id = $1 AND inspection_id = $2"
                              " ORDER BY role, user_id",
                              {inspection_id})
                           .rows)
    out.push_back({r.i64(0), name_of(s, r.i64(0)), r.text(1)});
  return out;
}

bool on_team(store::Scope& s, std::int64_t inspection_id, std::int64_t user_id) {
  return !s.read("SELECT 1 FROM inspections_team WHERE partnership_id = $1 AND inspection_id = $2 AND user_id = $3",
                 {inspection_id, user_id})
              .empty();
}

bool add_member(store::Scope& s, std::int64_t inspection_id, std::int64_t user_id, const std::string& role) {
  if (on_team(s, inspection_id, user_id)) return false;
  s.write({"inspections.team.add", "inspection", inspection_id, role + " " + std::to_string(user_id)},
          "INSERT INTO inspections_team (partnership_id, inspection_id, user_id, role) VALUES ($1, $2, $3, $4)",
          {inspection_id, user_id, role});
  return true;
}

std::vector<Answer> answers(store::Scope& s, std::int64_t inspection_id) {
  std::vector<Answer> out;
  for (const auto& r : s.read("SELECT question_no, score, note, link FROM inspections_answers WHERE partnership_id = $1"
                              " AND inspection_id = $2 ORDER BY question_no",
                              {inspection_id})
                           .rows) {
    Answer a;
    a.question = static_cast<int>(r.i64(0));
    if (auto sc = r.opt_i64(1)) a.score = static_cast<int>(*sc);
    a.note = r.text(2);
    a.link = r.text(3);
    out.push_back(a);
  }
  return out;
}

void save_answers(store::Scope& s, std::int64_t inspection_id, const std::vector<Answer>& in, std::int64_t by_user) {
  auto now = now_seconds();
  s.write({"inspections.answers.clear", "inspection", inspection_id, ""},
          "DELETE FROM inspections_answers WHERE partnership_id = $1 AND inspection_id = $2", {inspection_id});
  for (const auto& a : in) {
    if (!a.score && a.note.empty() && a.link.empty()) continue;
    s.write({"inspections.answers.save", "inspection", inspection_id, "question " + std::to_string(a.question + 1)},
            "INSERT INTO inspections_answers (partnership_id, inspection_id, question_no, score, note, link, updated_by,"
            " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            {inspection_id, static_cast<std::int64_t>(a.question),
             a.score ? store::Value(static_cast<std::int64_t>(*a.score)) : store::Value(nullptr), a.note, a.link, by_user,
             now});
  }
}

std::vector<Finding> findings(store::Scope& s, std::int64_t inspection_id) {
  std::vector<Finding> out;
  for (const auto& r : s.read("SELECT id, by_user, created_at, text, evidence, link FROM inspections_findings"
                              " WHERE partnership_id = $1 AND inspection_id = $2 ORDER BY id",
                              {inspection_id})
                           .rows)
    out.push_back({r.i64(0), r.i64(1), r.i64(2), r.text(3), r.text(4), r.text(5)});
  return out;
}

std::optional<Finding> finding(store::Scope& s, std::int64_t inspection_id, std::int64_t finding_id) {
  auto r = s.read("SELECT id, by_user, created_at, text, evidence, link FROM inspections_findings"
                  " WHERE partnership_id = $1 AND inspection_id = $2 AND id = $3",
                  {inspection_id, finding_id});
  if (r.empty()) return std::nullopt;
  const auto& row = r.one();
  return Finding{row.i64(0), row.i64(1), row.i64(2), row.text(3), row.text(4), row.text(5)};
}

std::int64_t add_finding(store::Scope& s, std::int64_t inspection_id, const Finding& f, std::int64_t by_user) {
  return s.insert({"inspections.finding.add", "inspection", inspection_id, ""},
                  "INSERT INTO inspections_findings (partnership_id, inspection_id, text, evidence, link, by_user, created_at)"
                  " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                  {inspection_id, f.text, f.evidence, f.link, by_user, now_seconds()});
}

bool save_report(store::Scope& s, std::int64_t id, const std::string& en, const std::string& cy) {
  return s.write({"inspections.report.save", "inspection", id, ""},
                 "UPDATE inspections SET report = $3, report_cy = $4 WHERE partnership_id = $1 AND id = $2"
                 " AND status = 'planned'",
                 {id, en, cy}) > 0;
}

bool send(store::Scope& s, std::int64_t id, std::int64_t now) {
  return s.write({"inspections.send", "inspection", id, ""},
                 "UPDATE inspections SET status = 'sent', sent_at = $3 WHERE partnership_id = $1 AND id = $2"
                 " AND status = 'planned'",
                 {id, now}) > 0;
}

bool respond(store::Scope& s, std::int64_t id, const std::string& text, std::int64_t now) {
  return s.write({"inspections.respond", "inspection", id, ""},
                 "UPDATE inspections SET response = $3, response_at = $4 WHERE partnership_id = $1 AND id = $2"
                 " AND status <> 'planned'",
                 {id, text, now}) > 0;
}

Publish publish(store::Scope& s, std::int64_t id, std::int64_t now) {
  auto i = get(s, id);
  if (!i) return Publish::not_sent;
  if (i->status == "published") return Publish::already;
  if (i->status != "sent") return Publish::not_sent;
  if (i->response.empty() && now < *i->window_ends()) return Publish::window_open;
  // The same rule again in the statement, so a concurrent change cannot slip past the check above.
  auto n = s.write({"inspections.publish", "inspection", id, ""},
                   "UPDATE inspections SET status = 'published', published_at = $3 WHERE partnership_id = $1 AND id = $2"
                   " AND status = 'sent' AND (response <> '' OR sent_at + response_days * 86400 <= $3)",
                   {id, now});
  return n > 0 ? Publish::ok : Publish::window_open;
}

}  // namespace cp::modules::inspections::inspections_store
