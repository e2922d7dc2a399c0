// Progress: the employability pipeline stage with its dated history, outcomes (a job start,
// education or training, volunteering, another positive destination) and, for a job start, the
// sustained-employment checks at 13, 26 and 52 weeks that the key worker's caseload brings up when
// due. Workers record with the person's "outcomes" consent; the person reads it all at /me/outcomes.
#include <algorithm>
#include <cmath>

#include "core/util.hpp"
#include "modules/journeys/kpi.hpp"
#include "modules/journeys/web.hpp"
#include "web/format.hpp"

namespace cp::modules {

namespace journeys_store {

namespace {
store::Value opt_user(const Who& by) { return by.user_id ? store::Value{by.user_id} : store::Value{nullptr}; }

SustainCheck check_from(const store::Row& r) {
  SustainCheck c;
  c.id = r.i64(0);
  c.outcome_id = r.i64(1);
  c.person_id = r.i64(2);
  c.week = r.i64(3);
  c.due_on = r.text(4);
  if (!r.null(5)) c.still_in_work = r.boolean(5);
  c.checked_on = r.text(6);
  c.by_name = r.text(7);
  return c;
}
const char* kCheckCols =
    "SELECT id, outcome_id, person_id, week, due_on, still_in_work, checked_on, by_name FROM journey_outcome_checks";
}  // namespace

void add_stage(store::Scope& s, std::int64_t person_id, std::int64_t stage, const std::string& on_date, const Who& by) {
  journeys::KpiChange kpi(s, person_id);
  s.insert({"journey_stage.record", "journey_person", person_id, "stage " + std::to_string(stage)},
           "INSERT INTO journey_stages (partnership_id, person_id, stage, on_date, by_user, by_name, at)"
           " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
           {person_id, stage, on_date, opt_user(by), by.name, now_seconds()});
  kpi.done();
}

std::vector<StageEntry> stages(store::Scope& s, std::int64_t person_id) {
  std::vector<StageEntry> out;
  for (const auto& r : s.read("SELECT stage, at, on_date, by_name FROM journey_stages WHERE partnership_id = $1"
                              " AND person_id = $2 ORDER BY on_date DESC, id DESC",
                              {person_id})
                           .rows)
    out.push_back({r.i64(0), r.i64(1), r.text(2), r.text(3)});
  return out;
}

std::int64_t add_outcome(store::Scope& s, std::int64_t person_id, const OutcomeInput& in, const Who& by) {
  journeys::KpiChange kpi(s, person_id);
  auto id = s.insert({"journey_outcome.record", "journey_person", person_id, in.kind},
                     "INSERT INTO journey_outcomes (partnership_id, person_id, kind, on_date, hours, contract, employer,"
                     " detail, by_user, by_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
                     " RETURNING id",
                     {person_id, in.kind, in.on_date, in.hours ? store::Value{*in.hours} : store::Value{nullptr},
                      in.contract, in.employer, in.detail, opt_user(by), by.name, now_seconds()});
  // The checks exist from the start, so "due" is a plain date comparison on the caseload.
  if (in.kind == "job_start")
    for (int week : kCheckWeeks)
      s.insert({"journey_check.schedule", "journey_outcome", id, "week " + std::to_string(week)},
               "INSERT INTO journey_outcome_checks (partnership_id, outcome_id, person_id, week, due_on)"
               " VALUES ($1, $2, $3, $4, $5) RETURNING id",
               {id, person_id, std::int64_t{week}, add_days(in.on_date, week * 7)});
  kpi.done();
  return id;
}

std::vector<Outcome> outcomes(store::Scope& s, std::int64_t person_id) {
  std::vector<Outcome> out;
  for (const auto& r : s.read("SELECT id, kind, on_date, hours, contract, employer, detail, by_name, created_at"
                              " FROM journey_outcomes WHERE partnership_id = $1 AND person_id = $2"
                              " ORDER BY on_date DESC, id DESC",
                              {person_id})
                           .rows) {
    Outcome o;
    o.id = r.i64(0);
    o.person_id = person_id;
    o.kind = r.text(1);
    o.on_date = r.text(2);
    if (!r.null(3)) o.hours = r.f64(3);
    o.contract = r.text(4);
    o.employer = r.text(5);
    o.detail = r.text(6);
    o.by_name = r.text(7);
    o.created_at = r.i64(8);
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<SustainCheck> checks(store::Scope& s, std::int64_t person_id) {
  std::vector<SustainCheck> out;
  for (const auto& r :
       s.read(std::string(kCheckCols) + " WHERE partnership_id = $1 AND person_id = $2 ORDER BY outcome_id, week",
              {person_id})
           .rows)
    out.push_back(check_from(r));
  return out;
}

std::optional<SustainCheck> check(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string(kCheckCols) + " WHERE partnership_id = $1 AND id = $2", {id});
  if (r.empty()) return std::nullopt;
  return check_from(r.rows[0]);
}

bool answer_check(store::Scope& s, std::int64_t id, bool still_in_work, const std::string& checked_on, const Who& by) {
  auto c = check(s, id);
  if (!c) return false;
  journeys::KpiChange kpi(s, c->person_id);
  bool answered = s.write({"journey_check.answer", "journey_outcome_check", id, still_in_work ? "in work" : "not in work"},
                 "UPDATE journey_outcome_checks SET still_in_work = $3, checked_on = $4, by_name = $5, at = $6"
                 " WHERE partnership_id = $1 AND id = $2 AND still_in_work IS NULL",
                 {id, std::int64_t{still_in_work ? 1 : 0}, checked_on, by.name, now_seconds()}) > 0;
  kpi.done();
  return answered;
}

std::vector<DueCheck> checks_due(store::Scope& s, std::int64_t worker_id, const std::string& until) {
  std::vector<DueCheck> out;
  for (const auto& r : s.read("SELECT c.id, c.outcome_id, c.person_id, c.week, c.due_on, c.still_in_work, c.checked_on,"
                              " c.by_name, p.name FROM journey_keyworkers k"
                              " JOIN journey_outcome_checks c ON c.partnership_id = $1 AND c.person_id = k.person_id"
                              " JOIN journey_people p ON p.partnership_id = $1 AND p.id = k.person_id"
                              " WHERE k.partnership_id = $1 AND k.worker_id = $2 AND c.still_in_work IS NULL"
                              " AND c.due_on <= $3 ORDER BY c.due_on, c.id",
                              {worker_id, until})
                           .rows)
    out.push_back({check_from(r), r.text(8)});
  return out;
}

}  // namespace journeys_store

namespace journeys_web {

namespace {

std::string stage_label(Ctx& ctx, std::int64_t stage) { return ctx.t("journeys.stage_" + std::to_string(stage)); }

std::string hours_text(Ctx& ctx, const std::optional<double>& h) {
  if (!h) return "";
  return web::format_decimal(ctx.lang, *h, 1);
}

// What the progress pages show, for the person or a worker.
web::Data progress_data(Ctx& ctx, store::Scope& s, const Person& p, bool staff, const std::string& reason) {
  web::Data d;
  d.set("id", std::to_string(p.id));
  d.set("name", p.name);
  d.set("reason", reason);
  auto st = db::stages(s, p.id);
  d.set("has_stage", !st.empty());
  if (!st.empty()) {
    d.set("stage_now", stage_label(ctx, st.front().stage));
    d.set("stage_number", std::to_string(st.front().stage));
  }
  web::List hist;
  for (const auto& e : st) {
    web::Data h;
    h.set("date", web::format_day(ctx.lang, e.on_date));
    h.set("stage", stage_label(ctx, e.stage));
    h.set("number", std::to_string(e.stage));
    h.set("by", e.by_name);
    hist.push_back(h);
  }
  d.set("stages", hist);
  auto all_checks = db::checks(s, p.id);
  std::string today = iso_date(now_seconds());
  web::List outs;
  for (const auto& o : db::outcomes(s, p.id)) {
    web::Data x;
    x.set("kind", ctx.t("journeys.outcome_" + o.kind));
    x.set("date", web::format_day(ctx.lang, o.on_date));
    x.set("hours", o.hours ? web::Data(hours_text(ctx, o.hours)) : web::Data(false));
    x.set("contract", o.contract.empty() ? web::Data(false) : web::Data(ctx.t("journeys.contract_" + o.contract)));
    x.set("employer", opt_text(o.employer));
    x.set("detail", opt_text(o.detail));
    x.set("by", o.by_name);
    web::List cl;
    for (const auto& c : all_checks) {
      if (c.outcome_id != o.id) continue;
      web::Data y;
      y.set("id", std::to_string(c.id));
      y.set("label", ctx.t("journeys.check_week", {{"weeks", std::to_string(c.week)}}));
      y.set("due", web::format_day(ctx.lang, c.due_on));
      y.set("answered", c.still_in_work.has_value());
      y.set("answer", c.still_in_work ? ctx.t(*c.still_in_work ? "journeys.check_yes" : "journeys.check_no") : "");
      y.set("checked_on", c.checked_on.empty() ? std::string() : web::format_day(ctx.lang, c.checked_on));
      y.set("overdue", !c.still_in_work && c.due_on < today);
      y.set("due_now", !c.still_in_work && c.due_on <= add_days(today, kCheckNoticeDays));
      y.set("can_answer", staff && !c.still_in_work && c.due_on <= add_days(today, kCheckNoticeDays));
      cl.push_back(y);
    }
    x.set("has_checks", !cl.empty());
    x.set("checks", cl);
    outs.push_back(x);
  }
  d.set("has_outcomes", !outs.empty());
  d.set("outcomes", outs);
  d.set("staff", staff);
  return d;
}

// The worker's page with its three forms; `form` names the one being redisplayed with `e`.
http::Response worker_progress(Ctx& ctx, store::Scope& s, const Person& p, const std::string& reason,
                               const FormErrors& e = {}, int status = 200) {
  auto d = progress_data(ctx, s, p, true, reason);
  e.fill(d);
  std::string chosen_stage = ctx.req.method == "POST" ? ctx.field("stage") : "";
  web::List stage_opts;
  for (int i = 1; i <= kStages; ++i) {
    web::Data o;
    o.set("value", std::to_string(i));
    o.set("id", i == 1 ? std::string("stage") : "stage-" + std::to_string(i));
    o.set("label", stage_label(ctx, i));
    o.set("hint", ctx.t("journeys.stage_hint_" + std::to_string(i)));
    o.set("checked", chosen_stage == std::to_string(i));
    stage_opts.push_back(o);
  }
  d.set("stage_options", stage_opts);
  bool post = ctx.req.method == "POST";
  for (const auto* f : {"hours", "employer", "detail"}) d.set(f, post ? ctx.field(f) : std::string());
  auto date_group = [&](const std::string& prefix, const std::string& legend) {
    web::Data g;
    g.set("date_prefix", prefix);
    g.set("date_legend", legend);
    g.set("date_day", post ? ctx.field(prefix + "_day") : std::string());
    g.set("date_month", post ? ctx.field(prefix + "_month") : std::string());
    g.set("date_year", post ? ctx.field(prefix + "_year") : std::string());
    auto err = e.of(prefix + "_day");
    g.set("date_error", err.empty() ? web::Data(false) : web::Data(err));
    return g;
  };
  d.set("stage_date", date_group("stage", ctx.t("journeys.stage_date_label")));
  d.set("out_date", date_group("out", ctx.t("journeys.outcome_date_label")));
  d.set("kinds", choices(ctx, kOutcomeKinds, "outcome", post ? ctx.field("kind") : "", "kind"));
  d.set("contracts", select_options(ctx, kContracts, "contract", post ? ctx.field("contract") : ""));
  ctx.csrf();
  return ctx.page(ctx.t("journeys.progress_title"), "journeys/progress", d, status);
}

// A date from three fields named prefix_day/_month/_year, between `earliest` and `latest`.
std::string dated(Ctx& ctx, FormErrors& e, const std::string& prefix, const std::string& earliest,
                  const std::string& latest, const std::string& error_key) {
  auto d = make_date(ctx.field(prefix + "_day"), ctx.field(prefix + "_month"), ctx.field(prefix + "_year"));
  if (d.empty() || d < earliest || d > latest) {
    e.add(prefix + "_day", ctx.t(error_key));
    return "";
  }
  return d;
}

}  // namespace

http::Response progress_page(Ctx& ctx) {
  auto w = ctx.work();
  return with_staff_gate(ctx, w, "outcomes", true, [&](const Person& person, std::int64_t /*org*/, const std::string& reason) {
    auto res = worker_progress(ctx, w.scope(), person, reason);
    w.commit();
    return res;
  });
}

http::Response stage_add(Ctx& ctx) {
  auto w = ctx.work();
  return with_staff_gate(ctx, w, "outcomes", false, [&](const Person& person, std::int64_t /*org*/, const std::string& reason) {
    FormErrors e;
    auto stage = parse_int(ctx.field("stage"));
    if (!stage || *stage < 1 || *stage > kStages) e.add("stage", ctx.t("journeys.error_stage"));
    std::string today = iso_date(now_seconds());
    auto on = dated(ctx, e, "stage", "2000-01-01", today, "journeys.error_stage_date");
    if (e.any()) return worker_progress(ctx, w.scope(), person, reason, e, 400);
    db::add_stage(w.scope(), person.id, *stage, on, who(ctx));
    w.commit();
    ctx.set_flash("journeys.flash_stage_saved");
    return http::Response::redirect("/people/" + std::to_string(person.id) + "/outcomes?reason=" + reason);
  });
}

http::Response outcome_add(Ctx& ctx) {
  auto w = ctx.work();
  return with_staff_gate(ctx, w, "outcomes", false, [&](const Person& person, std::int64_t /*org*/, const std::string& reason) {
    FormErrors e;
    OutcomeInput in;
    in.kind = ctx.field("kind");
    in.contract = ctx.field("contract");
    in.employer = ctx.field("employer");
    in.detail = ctx.field("detail");
    if (!one_of(kOutcomeKinds, in.kind)) e.add("kind", ctx.t("journeys.error_outcome_kind"));
    // A start can be booked ahead, but not more than a year ahead.
    std::string today = iso_date(now_seconds());
    in.on_date = dated(ctx, e, "out", "2000-01-01", add_days(today, 366), "journeys.error_outcome_date");
    std::string hours = ctx.field("hours");
    if (!hours.empty()) {
      char* end = nullptr;
      double h = std::strtod(hours.c_str(), &end);
      if (end == hours.c_str() || *end != '\0' || !std::isfinite(h) || h <= 0 || h > 80)
        e.add("hours", ctx.t("journeys.error_hours"));
      else
        in.hours = h;
    }
    if (in.kind == "job_start") {
      if (hours.empty()) e.add("hours", ctx.t("journeys.error_hours"));
      if (!one_of(kContracts, in.contract)) e.add("contract", ctx.t("journeys.error_contract"));
    } else if (!in.contract.empty() && !one_of(kContracts, in.contract)) {
      e.add("contract", ctx.t("journeys.error_contract"));
    }
    check_length(ctx, e, "employer", in.employer, kShortText);
    check_length(ctx, e, "detail", in.detail, kLongText);
    if (e.any()) return worker_progress(ctx, w.scope(), person, reason, e, 400);
    db::add_outcome(w.scope(), person.id, in, who(ctx));
    w.commit();
    ctx.set_flash("journeys.flash_outcome_saved");
    return http::Response::redirect("/people/" + std::to_string(person.id) + "/outcomes?reason=" + reason);
  });
}

http::Response check_answer(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.work();
  auto c = db::check(w.scope(), *id);
  if (!c) return ctx.not_found();
  // The gate reads the person from the path; a check's path names the check, so point it at the person.
  ctx.req.path_params["id"] = std::to_string(c->person_id);
  return with_staff_gate(ctx, w, "outcomes", false, [&](const Person& person, std::int64_t /*org*/, const std::string& reason) {
    FormErrors e;
    std::string answer = ctx.field("still_in_work");
    if (answer != "yes" && answer != "no") e.add("still_in_work-" + std::to_string(c->id), ctx.t("journeys.error_check_answer"));
    std::string today = iso_date(now_seconds());
    std::string start;
    for (const auto& o : db::outcomes(w.scope(), c->person_id))
      if (o.id == c->outcome_id) start = o.on_date;
    auto checked = make_date(ctx.field("check_day"), ctx.field("check_month"), ctx.field("check_year"));
    if (checked.empty() || checked > today || checked < start)
      e.add("check_day-" + std::to_string(c->id), ctx.t("journeys.error_check_date"));
    if (c->due_on > add_days(today, kCheckNoticeDays)) e.add("still_in_work-" + std::to_string(c->id), ctx.t("journeys.error_check_early"));
    if (e.any()) return worker_progress(ctx, w.scope(), person, reason, e, 400);
    if (!db::answer_check(w.scope(), c->id, answer == "yes", checked, who(ctx))) {
      FormErrors done;
      done.add("still_in_work-" + std::to_string(c->id), ctx.t("journeys.error_check_done"));
      return worker_progress(ctx, w.scope(), person, reason, done, 409);
    }
    w.commit();
    ctx.set_flash("journeys.flash_check_saved");
    return http::Response::redirect("/people/" + std::to_string(person.id) + "/outcomes?reason=" + reason);
  });
}

http::Response me_progress(Ctx& ctx) {
  if (!policy::can_keep_own(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  web::Data d;
  if (auto p = db::person_for_user(w.scope(), ctx.actor->user_id)) d = progress_data(ctx, w.scope(), *p, false, "");
  return ctx.page(ctx.t("journeys.my_progress_title"), "journeys/me_progress", d);
}

}  // namespace journeys_web

}  // namespace cp::modules
