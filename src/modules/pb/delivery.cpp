// Delivery tracking after the count: the projects equal shares funded get milestones and a percent
// done, shown to everyone at /pb/{id}/delivery so residents see what their votes turned into.
// Only funded projects can be tracked; the list of them is always the stored count's, never a copy.
#include <algorithm>

#include "core/util.hpp"
#include "modules/organisations/organisations.hpp"
#include "modules/pb/process.hpp"

namespace cp::modules {

namespace pb_store {

namespace {
std::int64_t now_s() { return static_cast<std::int64_t>(std::time(nullptr)); }

PbMilestone milestone_from(const store::Row& r) {
  PbMilestone m;
  m.id = r.i64(0);
  m.proposal_id = r.i64(1);
  m.title = r.text(2);
  m.due = r.text(3);
  m.done = r.text(4);
  m.note = r.text(5);
  return m;
}
}  // namespace

bool valid_calendar_date(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(d[i]))) return false;
  int y = std::stoi(d.substr(0, 4)), m = std::stoi(d.substr(5, 2)), day = std::stoi(d.substr(8, 2));
  if (y < 2000 || y > 2100 || m < 1 || m > 12 || day < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return day <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

std::vector<PbMilestone> milestones(store::Scope& s, std::int64_t proposal_id) {
  // Undated-first would bury the plan, so order by due date, then as entered.
  auto r = s.read("SELECT id, proposal_id, title, due_date, done_date, note FROM pb_milestones"
                  " WHERE partnership_id = $1 AND proposal_id = $2 ORDER BY due_date, id",
                  {proposal_id});
  std::vector<PbMilestone> out;
  for (const auto& row : r.rows) out.push_back(milestone_from(row));
  return out;
}

std::optional<PbMilestone> get_milestone(store::Scope& s, std::int64_t proposal_id, std::int64_t id) {
  auto r = s.read("SELECT id, proposal_id, title, due_date, done_date, note FROM pb_milestones"
                  " WHERE partnership_id = $1 AND proposal_id = $2 AND id = $3",
                  {proposal_id, id});
  if (r.empty()) return std::nullopt;
  return milestone_from(r.one());
}

std::int64_t add_milestone(store::Scope& s, const PbMilestone& m) {
  auto now = now_s();
  return s.insert({"pb.milestone.create", "pb_proposal", m.proposal_id, m.title},
                  "INSERT INTO pb_milestones (partnership_id, proposal_id, title, due_date, done_date, note, created_at,"
                  " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                  {m.proposal_id, m.title, m.due, m.done, m.note, now, now});
}

bool update_milestone(store::Scope& s, const PbMilestone& m) {
  return s.write({"pb.milestone.update", "pb_proposal", m.proposal_id,
                  "milestone " + std::to_string(m.id) + (m.done.empty() ? "" : " done " + m.done)},
                 "UPDATE pb_milestones SET title = $4, due_date = $5, done_date = $6, note = $7, updated_at = $8"
                 " WHERE partnership_id = $1 AND proposal_id = $2 AND id = $3",
                 {m.proposal_id, m.id, m.title, m.due, m.done, m.note, now_s()}) > 0;
}

int progress(store::Scope& s, std::int64_t proposal_id) {
  auto r = s.read("SELECT progress FROM pb_delivery WHERE partnership_id = $1 AND proposal_id = $2", {proposal_id});
  return r.empty() ? 0 : static_cast<int>(r.one().i64(0));
}

void set_progress(store::Scope& s, std::int64_t proposal_id, int percent) {
  s.write({"pb.delivery.progress", "pb_proposal", proposal_id, std::to_string(percent) + "%"},
          "INSERT INTO pb_delivery (partnership_id, proposal_id, progress, updated_at) VALUES ($1, $2, $3, $4)"
          " ON CONFLICT (partnership_id, proposal_id) DO UPDATE SET progress = excluded.progress,"
          " updated_at = excluded.updated_at",
          {proposal_id, std::int64_t(percent), now_s()});
}

}  // namespace pb_store

namespace {

using app::Ctx;
using app::FormErrors;
namespace db = pb_store;
namespace policy = pb_policy;

std::optional<std::int64_t> path_id(Ctx& ctx, const char* name) {
  auto id = parse_int(ctx.req.path_params[name]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

std::optional<PbProcess> process_of(Ctx& ctx) {
  auto id = path_id(ctx, "id");
  if (!id) return std::nullopt;
  auto w = ctx.read();
  auto p = db::get_process(w.scope(), *id);
  if (!p || !policy::can_view(ctx.actor, *p)) return std::nullopt;
  return p;
}

web::Data base_data(const PbProcess& p) {
  web::Data d;
  d.set("id", std::to_string(p.id));
  d.set("title", p.title);
  return d;
}

http::Response not_yet(Ctx& ctx, const PbProcess& p) {
  web::Data d = base_data(p);
  d.set("message", ctx.t("pb.closed_delivery"));
  d.set("phase_label", ctx.t("pb.phase_" + p.phase));
  return ctx.page(ctx.t("pb.closed_title"), "pb/closed", d, 409);
}

web::Data progress_data(Ctx& ctx, int percent) {
  web::Data d;
  d.set("percent", std::to_string(percent));
  d.set("progress_text", ctx.t("pb.delivery_percent_done", {{"percent", std::to_string(percent)}}));
  d.set("complete", percent == 100);
  return d;
}

web::List milestone_list(Ctx& ctx, const std::vector<PbMilestone>& ms, const std::string& edit_base) {
  web::List out;
  for (const auto& m : ms) {
    web::Data d;
    d.set("mid", std::to_string(m.id));
    d.set("mtitle", m.title);
    d.set("due", m.due.empty() ? std::string() : ctx.t("pb.milestone_due", {{"date", m.due}}));
    d.set("is_done", !m.done.empty());
    d.set("done", m.done.empty() ? ctx.t("pb.milestone_not_done") : ctx.t("pb.milestone_done", {{"date", m.done}}));
    d.set("note", m.note);
    d.set("edit_href", edit_base.empty() ? std::string() : edit_base + "?milestone=" + std::to_string(m.id));
    out.push_back(d);
  }
  return out;
}

http::Response delivery_page(Ctx& ctx) {
  auto p = process_of(ctx);
  if (!p) return ctx.not_found();
  if (p->phase != "results") return not_yet(ctx, *p);
  auto funded = pb_funded_projects(ctx, *p);
  web::List rows;
  {
    auto w = ctx.read();
    for (const auto& pr : funded) {
      auto proposal = db::get_proposal(w.scope(), p->id, pr.proposal_id);
      bool can_track = proposal && policy::can_update_delivery(ctx.actor, *p, *proposal);
      web::Data d = progress_data(ctx, db::progress(w.scope(), pr.proposal_id));
      d.set("pid", std::to_string(pr.proposal_id));
      d.set("ptitle", pr.title);
      d.set("cost", pb_money(*p, pr.cost));
      auto ms = db::milestones(w.scope(), pr.proposal_id);
      d.set("milestones", milestone_list(ctx, ms, ""));
      d.set("has_milestones", !ms.empty());
      d.set("can_track", can_track);
      std::string org = proposal ? proposal->delivery_org_name : std::string();
      if (!org.empty()) d.set("delivered_by", ctx.t("pb.delivered_by", {{"name", org}}));
      rows.push_back(d);
    }
  }
  web::Data d = base_data(*p);
  d.set("projects", rows);
  d.set("none", funded.empty());
  return ctx.page(ctx.t("pb.delivery_title", {{"title", p->title}}), "pb/delivery", d);
}

// The funded project named by {proposal}; anything else (not funded, another process) is a 404.
std::optional<PbProjectResult> funded_from_path(Ctx& ctx, const PbProcess& p) {
  auto pid = path_id(ctx, "proposal");
  if (!pid) return std::nullopt;
  for (auto& pr : pb_funded_projects(ctx, p))
    if (pr.proposal_id == *pid) return pr;
  return std::nullopt;
}

http::Response edit_with(Ctx& ctx, const PbProcess& p, const PbProjectResult& pr, const FormErrors& errors,
                         int status, const std::string& which) {
  web::Data d = base_data(p);
  // Admins choose which organisation delivers the project; its staff then keep it up to date.
  bool assign = policy::can_track_delivery(ctx.actor, p);
  d.set("can_assign", assign);
  {
    auto w = ctx.read();
    auto proposal = db::get_proposal(w.scope(), p.id, pr.proposal_id);
    std::string current = proposal && proposal->delivery_org_id ? std::to_string(*proposal->delivery_org_id) : "";
    if (ctx.req.method == "POST" && which == "organisation") current = ctx.field("organisation");
    d.set("delivered_by", proposal && !proposal->delivery_org_name.empty()
                              ? ctx.t("pb.delivered_by", {{"name", proposal->delivery_org_name}})
                              : ctx.t("pb.delivered_by_nobody"));
    if (assign) {
      web::List opts;
      for (const auto& o : organisations_store::list(w.scope(), "", 1, 500).items) {
        web::Data od;
        od.set("value", std::to_string(o.id));
        od.set("label", o.name);
        od.set("selected", std::to_string(o.id) == current);
        opts.push_back(od);
      }
      d.set("org_options", opts);
      d.set("none_selected", current.empty());
    }
  }
  std::string base = "/pb/" + std::to_string(p.id) + "/delivery/" + std::to_string(pr.proposal_id);
  d.set("action", base);
  d.set("ptitle", pr.title);
  bool posted = ctx.req.method == "POST";
  std::optional<PbMilestone> editing;
  {
    auto w = ctx.read();
    int percent = db::progress(w.scope(), pr.proposal_id);
    d.set("progress_value", posted && which == "progress" ? ctx.field("progress") : std::to_string(percent));
    d.set("percent", std::to_string(percent));
    d.set("progress_text", ctx.t("pb.delivery_percent_done", {{"percent", std::to_string(percent)}}));
    auto ms = db::milestones(w.scope(), pr.proposal_id);
    d.set("milestones", milestone_list(ctx, ms, base));
    d.set("has_milestones", !ms.empty());
    std::string mid = posted ? ctx.field("milestone") : ctx.req.query_param("milestone");
    if (auto id = parse_int(mid); id && *id > 0) editing = db::get_milestone(w.scope(), pr.proposal_id, *id);
  }
  if (posted && which == "milestone") {
    d.set("m_title", ctx.field("title"));
    d.set("m_due", ctx.field("due"));
    d.set("m_done", ctx.field("done"));
    d.set("m_note", ctx.field("note"));
  } else if (editing) {
    d.set("m_title", editing->title);
    d.set("m_due", editing->due);
    d.set("m_done", editing->done);
    d.set("m_note", editing->note);
  }
  d.set("editing", editing.has_value());
  d.set("milestone_id", editing ? std::to_string(editing->id) : std::string());
  errors.fill(d);
  ctx.csrf();
  return ctx.page(ctx.t("pb.delivery_edit_title", {{"title", pr.title}}), "pb/delivery_edit", d, status);
}

// Whether this actor may update the funded project named in the path: admins, and the staff of the
// organisation assigned to deliver it.
bool may_update(Ctx& ctx, const PbProcess& p) {
  auto pid = path_id(ctx, "proposal");
  if (!pid) return policy::can_track_delivery(ctx.actor, p);
  auto w = ctx.read();
  auto proposal = db::get_proposal(w.scope(), p.id, *pid);
  return proposal ? policy::can_update_delivery(ctx.actor, p, *proposal) : policy::can_track_delivery(ctx.actor, p);
}

http::Response delivery_edit_page(Ctx& ctx) {
  auto p = process_of(ctx);
  if (!p) return ctx.not_found();
  if (!may_update(ctx, *p)) return ctx.deny();
  if (p->phase != "results") return not_yet(ctx, *p);
  auto pr = funded_from_path(ctx, *p);
  if (!pr) return ctx.not_found();
  return edit_with(ctx, *p, *pr, {}, 200, "");
}

http::Response organisation_submit(Ctx& ctx) {
  auto p = process_of(ctx);
  if (!p) return ctx.not_found();
  if (!policy::can_track_delivery(ctx.actor, *p)) return ctx.deny();
  if (p->phase != "results") return not_yet(ctx, *p);
  auto pr = funded_from_path(ctx, *p);
  if (!pr) return ctx.not_found();
  std::string v = ctx.field("organisation");
  std::optional<Organisation> org;
  if (!v.empty()) {
    auto id = parse_int(v);
    auto w = ctx.read();
    if (id && *id > 0) org = organisations_store::get(w.scope(), *id);
    if (!org || org->archived) {
      FormErrors e;
      e.add("organisation", ctx.t("pb.error_delivery_org"));
      return edit_with(ctx, *p, *pr, e, 400, "organisation");
    }
  }
  auto w = ctx.work();
  db::set_delivery_org(w.scope(), pr->proposal_id, org ? std::optional<std::int64_t>(org->id) : std::nullopt,
                       org ? org->name : std::string());
  w.commit();
  ctx.set_flash("pb.flash_delivery_org_saved");
  return http::Response::redirect("/pb/" + std::to_string(p->id) + "/delivery/" + std::to_string(pr->proposal_id));
}

http::Response delivery_submit(Ctx& ctx) {
  auto p = process_of(ctx);
  if (!p) return ctx.not_found();
  if (!may_update(ctx, *p)) return ctx.deny();
  if (p->phase != "results") return not_yet(ctx, *p);
  auto pr = funded_from_path(ctx, *p);
  if (!pr) return ctx.not_found();
  std::string which = ctx.field("form");
  std::string back = "/pb/" + std::to_string(p->id) + "/delivery/" + std::to_string(pr->proposal_id);
  FormErrors e;
  if (which == "progress") {
    std::string v = ctx.field("progress");
    if (!v.empty() && v.back() == '%') v.pop_back();
    auto n = parse_int(trim(v));
    if (!n || *n < 0 || *n > 100) e.add("progress", ctx.t("pb.error_progress"));
    if (e.any()) return edit_with(ctx, *p, *pr, e, 400, which);
    auto w = ctx.work();
    db::set_progress(w.scope(), pr->proposal_id, static_cast<int>(*n));
    w.commit();
    ctx.set_flash("pb.flash_progress_saved");
    return http::Response::redirect(back);
  }
  if (which != "milestone") return ctx.not_found();
  PbMilestone m;
  m.proposal_id = pr->proposal_id;
  m.title = ctx.field("title");
  m.due = ctx.field("due");
  m.done = ctx.field("done");
  m.note = ctx.field("note");
  if (m.title.empty()) e.add("title", ctx.t("pb.error_milestone_title"));
  else if (m.title.size() > 200) e.add("title", ctx.t("pb.error_title_long"));
  if (!db::valid_calendar_date(m.due)) e.add("due", ctx.t("pb.error_milestone_date"));
  if (!m.done.empty() && !db::valid_calendar_date(m.done)) e.add("done", ctx.t("pb.error_milestone_date"));
  if (m.note.size() > 1000) e.add("note", ctx.t("pb.error_note_long"));
  std::optional<std::int64_t> existing;
  if (std::string mid = ctx.field("milestone"); !mid.empty()) {
    existing = parse_int(mid);
    if (!existing || *existing <= 0) return ctx.not_found();
  }
  if (e.any()) return edit_with(ctx, *p, *pr, e, 400, which);
  auto w = ctx.work();
  if (existing) {
    m.id = *existing;
    if (!db::update_milestone(w.scope(), m)) return ctx.not_found();
  } else {
    db::add_milestone(w.scope(), m);
  }
  w.commit();
  ctx.set_flash("pb.flash_milestone_saved");
  return http::Response::redirect(back);
}

}  // namespace

void pb_install_delivery(app::App& a) {
  a.route("GET", "/pb/{id}/delivery", "pb.delivery", delivery_page);
  a.route("GET", "/pb/{id}/delivery/{proposal}", "pb.delivery_edit", delivery_edit_page);
  a.route("POST", "/pb/{id}/delivery/{proposal}", "pb.delivery_submit", delivery_submit);
  a.route("POST", "/pb/{id}/delivery/{proposal}/organisation", "pb.delivery_organisation", organisation_submit);
}

}  // namespace cp::modules
