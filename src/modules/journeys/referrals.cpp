// Referrals between partners. A key worker refers the person to another organisation's service,
// carrying only the parts of the record the person agrees to share with that organisation: a
// person with an account says yes on their own record (/me/referrals); for someone without one the
// worker confirms they asked. The agreement is written to the consent history like any other. The
// receiving organisation accepts or declines with a reason; if the person takes a carried part back
// before then, the referral stops and says why. While two organisations both work with the person,
// each sees the other's involvement, when the person lets both see their plan.
#include <algorithm>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "modules/journeys/kpi.hpp"
#include "modules/journeys/web.hpp"
#include "modules/organisations/organisations.hpp"
#include "web/format.hpp"

namespace cp::modules {

namespace journeys_store {

namespace {

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ",") + p;
  return out;
}

const char* kReferralCols =
    "SELECT id, person_id, from_organisation_id, from_worker_id, from_worker_name, to_organisation_id, service_id,"
    " service_name, parts, message, status, decline_reason, decline_text, stop_reason, decided_by_name, decided_at,"
    " created_at, updated_at FROM journey_referrals";

Referral referral_from(const store::Row& r) {
  Referral x;
  x.id = r.i64(0);
  x.person_id = r.i64(1);
  x.from_organisation_id = r.i64(2);
  x.from_worker_id = r.opt_i64(3);
  x.from_worker_name = r.text(4);
  x.to_organisation_id = r.i64(5);
  x.service_id = r.i64(6);
  x.service_name = r.text(7);
  x.parts = split(r.text(8), ',');
  x.message = r.text(9);
  x.status = r.text(10);
  x.decline_reason = r.text(11);
  x.decline_text = r.text(12);
  x.stop_reason = r.text(13);
  x.decided_by_name = r.text(14);
  x.decided_at = r.opt_i64(15);
  x.created_at = r.i64(16);
  x.updated_at = r.i64(17);
  return x;
}

}  // namespace

std::int64_t add_referral(store::Scope& s, const Referral& r) {
  auto now = now_seconds();
  journeys::KpiChange kpi(s, r.person_id);
  auto id = s.insert({"journey_referral.create", "journey_person", r.person_id,
                   "to organisation " + std::to_string(r.to_organisation_id) + " " + join(r.parts)},
                  "INSERT INTO journey_referrals (partnership_id, person_id, from_organisation_id, from_worker_id,"
                  " from_worker_name, to_organisation_id, service_id, service_name, parts, message, status, created_at,"
                  " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'awaiting_consent', $11, $11) RETURNING id",
                  {r.person_id, r.from_organisation_id,
                   r.from_worker_id ? store::Value{*r.from_worker_id} : store::Value{nullptr}, r.from_worker_name,
                   r.to_organisation_id, r.service_id, r.service_name, join(r.parts), r.message, now});
  kpi.done();
  return id;
}

std::optional<Referral> referral(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string(kReferralCols) + " WHERE partnership_id = $1 AND id = $2", {id});
  if (r.empty()) return std::nullopt;
  return referral_from(r.rows[0]);
}

std::vector<Referral> referrals_for_person(store::Scope& s, std::int64_t person_id) {
  std::vector<Referral> out;
  for (const auto& r : s.read(std::string(kReferralCols) + " WHERE partnership_id = $1 AND person_id = $2"
                                                          " ORDER BY created_at DESC, id DESC",
                              {person_id})
                           .rows)
    out.push_back(referral_from(r));
  return out;
}

std::vector<Referral> referrals_to(store::Scope& s, const std::vector<std::int64_t>& organisations) {
  std::vector<Referral> out;
  for (auto org : organisations)
    for (const auto& r : s.read(std::string(kReferralCols) + " WHERE partnership_id = $1 AND to_organisation_id = $2"
                                                            " AND status <> 'awaiting_consent'"
                                                            " ORDER BY created_at DESC, id DESC LIMIT 200",
                                {org})
                             .rows)
      out.push_back(referral_from(r));
  return out;
}

bool send_referral(store::Scope& s, std::int64_t id, const Who& by) {
  auto r = referral(s, id);
  if (!r || r->status != "awaiting_consent") return false;
  std::vector<std::string> granted = r->parts;
  for (const auto& c : consents(s, r->person_id))
    if (c.organisation_id == r->to_organisation_id && c.granted && !one_of(granted, c.part)) granted.push_back(c.part);
  set_consents(s, r->person_id, r->to_organisation_id, granted, by);
  return s.write({"journey_referral.send", "journey_referral", id, "consent given"},
                 "UPDATE journey_referrals SET status = 'sent', updated_at = $3 WHERE partnership_id = $1 AND id = $2"
                 " AND status = 'awaiting_consent'",
                 {id, now_seconds()}) > 0;
}

bool decide_referral(store::Scope& s, std::int64_t id, bool accept, const std::string& reason, const std::string& text,
                     const Who& by) {
  auto now = now_seconds();
  auto before = referral(s, id);
  if (!before) return false;
  journeys::KpiChange kpi(s, before->person_id);  // accepted: the person now counts for the service
  bool decided = s.write({accept ? "journey_referral.accept" : "journey_referral.decline", "journey_referral", id, reason},
                 "UPDATE journey_referrals SET status = $3, decline_reason = $4, decline_text = $5,"
                 " decided_by_name = $6, decided_at = $7, updated_at = $7 WHERE partnership_id = $1 AND id = $2"
                 " AND status = 'sent'",
                 {id, std::string(accept ? "accepted" : "declined"), accept ? std::string() : reason,
                  accept ? std::string() : text, by.name, now}) > 0;
  kpi.done();
  return decided;
}

bool stop_referral(store::Scope& s, std::int64_t id, const std::string& why) {
  return s.write({"journey_referral.stop", "journey_referral", id, why},
                 "UPDATE journey_referrals SET status = 'stopped', stop_reason = $3, updated_at = $4"
                 " WHERE partnership_id = $1 AND id = $2 AND status IN ('awaiting_consent', 'sent')",
                 {id, why, now_seconds()}) > 0;
}

int stop_referrals_without_consent(store::Scope& s, std::int64_t person_id, std::int64_t organisation_id) {
  int stopped = 0;
  for (const auto& r : referrals_for_person(s, person_id)) {
    if (r.to_organisation_id != organisation_id || r.status != "sent") continue;
    bool missing = std::any_of(r.parts.begin(), r.parts.end(),
                               [&](const std::string& p) { return !has_consent(s, person_id, organisation_id, p); });
    if (missing && stop_referral(s, r.id, "consent_withdrawn")) ++stopped;
  }
  return stopped;
}

std::vector<Involvement> involvement(store::Scope& s, std::int64_t person_id, std::optional<std::int64_t> viewer_org) {
  std::vector<Involvement> out;
  auto add = [&](std::int64_t org, std::int64_t since, const std::string& via, const std::string& detail) {
    if (viewer_org && org == *viewer_org) return;
    for (auto& i : out)
      if (i.organisation_id == org) {
        if (!detail.empty() && i.detail.empty()) i.detail = detail;
        return;
      }
    out.push_back({org, since, via, detail});
  };
  for (const auto& r : s.read("SELECT organisation_id, MIN(created_at) FROM journey_keyworkers WHERE partnership_id = $1"
                              " AND person_id = $2 GROUP BY organisation_id ORDER BY MIN(created_at)",
                              {person_id})
                           .rows)
    add(r.i64(0), r.i64(1), "keyworker", "");
  for (const auto& r : referrals_for_person(s, person_id))
    if (r.status == "accepted") add(r.to_organisation_id, r.decided_at.value_or(r.created_at), "referral", r.service_name);
  if (!viewer_org) return out;
  // A worker sees another organisation's involvement only when the person lets both see the plan.
  if (!has_consent(s, person_id, *viewer_org, "plan")) return {};
  std::vector<Involvement> shown;
  for (const auto& i : out)
    if (has_consent(s, person_id, i.organisation_id, "plan")) shown.push_back(i);
  return shown;
}

}  // namespace journeys_store

namespace journeys_web {

namespace {

std::vector<std::string> form_parts(Ctx& ctx) {
  std::vector<std::string> parts;
  auto range = ctx.form().equal_range("parts");
  for (auto it = range.first; it != range.second; ++it) parts.push_back(trim(it->second));
  return parts;
}

std::string parts_text(Ctx& ctx, const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + ctx.t("journeys.part_" + p);
  return out;
}

// The services and assets this person has chosen (steps that record a choice), as referral targets.
web::List chosen_services(Ctx& ctx, store::Scope& s, std::int64_t person_id, std::int64_t selected) {
  web::List out;
  std::vector<std::int64_t> seen;
  auto add = [&](std::int64_t id) {
    if (std::find(seen.begin(), seen.end(), id) != seen.end()) return;
    auto ref = directory_store::service_ref(s, id);
    if (!ref) return;
    seen.push_back(id);
    web::Data o;
    o.set("value", std::to_string(id));
    o.set("id", out.empty() ? std::string("service") : "service-" + std::to_string(id));
    o.set("label", ref->name);
    o.set("checked", id == selected);
    out.push_back(o);
  };
  if (selected) add(selected);
  for (const auto& st : db::steps(s, person_id))
    if (st.chosen_id && st.chosen_kind != "offer") add(*st.chosen_id);
  return out;
}

http::Response referral_form(Ctx& ctx, store::Scope& s, const Person& p, const std::string& reason, std::int64_t service,
                             const FormErrors& e, int status) {
  web::Data d;
  e.fill(d);
  d.set("id", std::to_string(p.id));
  d.set("name", p.name);
  d.set("reason", reason);
  d.set("has_account", p.user_id.has_value());
  auto services = chosen_services(ctx, s, p.id, service);
  d.set("services", services);
  d.set("has_services", !services.empty());
  bool post = ctx.req.method == "POST";
  auto picked = post ? form_parts(ctx) : std::vector<std::string>{};
  web::List parts;
  for (const auto& part : kParts) {
    web::Data x;
    x.set("value", part);
    x.set("id", part == kParts.front() ? std::string("parts") : "parts-" + part);
    x.set("label", ctx.t("journeys.part_" + part));
    x.set("checked", one_of(picked, part));
    parts.push_back(x);
  }
  d.set("parts", parts);
  d.set("message", post ? ctx.field("message") : std::string());
  d.set("asked", post && ctx.field("asked") == "1");
  ctx.csrf();
  return ctx.page(ctx.t("journeys.referral_new_title"), "journeys/referral_new", d, status);
}

web::Data referral_row(Ctx& ctx, store::Scope& s, std::map<std::int64_t, std::string>& orgs, const Referral& r) {
  web::Data x;
  x.set("id", std::to_string(r.id));
  x.set("service", r.service_name);
  x.set("to", org_name(ctx, s, orgs, r.to_organisation_id));
  x.set("from", org_name(ctx, s, orgs, r.from_organisation_id));
  x.set("from_worker", r.from_worker_name);
  x.set("when", web::format_date(ctx.lang, r.created_at));
  x.set("status", ctx.t("journeys.referral_status_" + r.status));
  x.set("status_key", r.status);
  x.set("parts", parts_text(ctx, r.parts));
  x.set("message", opt_text(r.message));
  x.set("awaiting", r.status == "awaiting_consent");
  x.set("declined", r.status == "declined");
  x.set("decline_reason", r.decline_reason.empty() ? std::string() : ctx.t("journeys.decline_" + r.decline_reason));
  x.set("decline_text", opt_text(r.decline_text));
  x.set("stopped", r.status == "stopped");
  x.set("stop_reason", r.stop_reason.empty() ? std::string() : ctx.t("journeys.stop_" + r.stop_reason));
  x.set("decided_by", opt_text(r.decided_by_name));
  return x;
}

// Whether the actor answers for the receiving (or sending) organisation of `r`.
bool receives(Ctx& ctx, const Referral& r) {
  auto orgs = policy::referral_organisations(ctx.actor);
  return std::find(orgs.begin(), orgs.end(), r.to_organisation_id) != orgs.end();
}
bool sends(Ctx& ctx, const Referral& r) {
  auto orgs = policy::referral_organisations(ctx.actor);
  return std::find(orgs.begin(), orgs.end(), r.from_organisation_id) != orgs.end();
}

}  // namespace

web::List involvement_list(Ctx& ctx, store::Scope& s, std::int64_t person_id, std::optional<std::int64_t> viewer_org) {
  std::map<std::int64_t, std::string> orgs;
  web::List out;
  for (const auto& i : db::involvement(s, person_id, viewer_org)) {
    web::Data x;
    x.set("organisation", org_name(ctx, s, orgs, i.organisation_id));
    x.set("since", web::format_date(ctx.lang, i.since));
    x.set("via", ctx.t("journeys.involvement_" + i.via));
    x.set("detail", opt_text(i.detail));
    out.push_back(x);
  }
  return out;
}

http::Response referral_new(Ctx& ctx) {
  auto w = ctx.work();
  return with_staff_gate(ctx, w, "plan", false, [&](const Person& person, std::int64_t /*org*/, const std::string& reason) {
    auto service = parse_int(ctx.req.query_param("service")).value_or(0);
    auto res = referral_form(ctx, w.scope(), person, reason, service, {}, 200);
    w.commit();
    return res;
  });
}

http::Response referral_create(Ctx& ctx) {
  auto w = ctx.work();
  return with_staff_gate(ctx, w, "plan", false, [&](const Person& person, std::int64_t org, const std::string& reason) {
    FormErrors e;
    auto service_id = parse_int(ctx.field("service"));
    std::optional<directory_store::ServiceRef> ref;
    if (service_id) ref = directory_store::service_ref(w.scope(), *service_id);
    std::optional<Organisation> to;
    if (!ref) {
      // The lookup is scoped to this partnership, so another partnership's service is "not found" too.
      e.add("service", ctx.t("journeys.error_unknown_service"));
    } else if (!ref->organisation_id || !(to = organisations_store::get(w.scope(), *ref->organisation_id)) || to->archived) {
      e.add("service", ctx.t("journeys.error_service_no_org"));
    } else if (to->id == org) {
      e.add("service", ctx.t("journeys.error_referral_same_org"));
    } else if (ref->status != "active") {
      e.add("service", ctx.t("journeys.error_service_closed"));
    }
    auto parts = form_parts(ctx);
    if (parts.empty()) e.add("parts", ctx.t("journeys.error_referral_parts"));
    for (const auto& part : parts)
      if (!one_of(kParts, part)) {
        e.add("parts", ctx.t("journeys.error_part"));
        break;
      }
    std::string message = ctx.field("message");
    check_length(ctx, e, "message", message, kLongText);
    if (!person.user_id && ctx.field("asked") != "1") e.add("asked", ctx.t("journeys.error_referral_asked"));
    if (e.any()) {
      auto res = referral_form(ctx, w.scope(), person, reason, service_id.value_or(0), e, 400);
      w.commit();  // nothing but access-log lines were written
      return res;
    }
    Referral r;
    r.person_id = person.id;
    r.from_organisation_id = org;
    r.from_worker_id = ctx.actor->user_id;
    r.from_worker_name = ctx.actor->name;
    r.to_organisation_id = to->id;
    r.service_id = ref->id;
    r.service_name = ref->name;
    r.parts = parts;
    r.message = message;
    auto id = db::add_referral(w.scope(), r);
    // Without an account the worker has asked the person in the room; that agreement is the consent.
    if (!person.user_id) db::send_referral(w.scope(), id, who(ctx));
    w.commit();
    ctx.set_flash(person.user_id ? "journeys.flash_referral_asked" : "journeys.flash_referral_sent");
    return http::Response::redirect("/referrals/" + std::to_string(id));
  });
}

http::Response referrals_inbox(Ctx& ctx) {
  auto orgs = policy::referral_organisations(ctx.actor);
  if (orgs.empty()) return ctx.deny();
  auto w = ctx.read();
  std::map<std::int64_t, std::string> names;
  web::List waiting, others;
  for (const auto& r : db::referrals_to(w.scope(), orgs)) {
    auto row = referral_row(ctx, w.scope(), names, r);
    auto person = db::person(w.scope(), r.person_id);
    row.set("person", person ? person->name : std::string());
    (r.status == "sent" ? waiting : others).push_back(row);
  }
  web::Data d;
  d.set("waiting", waiting);
  d.set("has_waiting", !waiting.empty());
  d.set("others", others);
  d.set("has_others", !others.empty());
  return ctx.page(ctx.t("journeys.referrals_title"), "journeys/referrals", d);
}

namespace {

http::Response referral_view(Ctx& ctx, store::Scope& s, const Referral& r, const FormErrors& e, int status) {
  std::map<std::int64_t, std::string> names;
  auto d = referral_row(ctx, s, names, r);
  e.fill(d);
  auto p = db::person(s, r.person_id);
  d.set("person", p ? p->name : std::string());
  bool receiving = receives(ctx, r);
  d.set("can_decide", receiving && r.status == "sent");
  // The receiving organisation opens the carried parts while the referral is live and consent holds.
  web::List parts;
  bool live = r.status == "sent" || r.status == "accepted";
  for (const auto& part : r.parts) {
    web::Data x;
    x.set("label", ctx.t("journeys.part_" + part));
    bool consent = db::has_consent(s, r.person_id, r.to_organisation_id, part);
    bool show = receiving && live && consent && p;
    x.set("shown", show);
    x.set("no_consent", receiving && live && !consent);
    if (show) {
      db::log_access(s, p->id, who(ctx), r.to_organisation_id, part, "referral", "opened");
      x.set("is_profile", part == "profile");
      x.set("is_plan", part == "plan");
      x.set("is_notes", part == "notes");
      x.set("is_outcomes", part == "outcomes");
      x.set("what_matters", opt_text(p->profile.what_matters));
      x.set("strengths", opt_text(p->profile.strengths));
      x.set("barriers", opt_text(p->profile.barriers));
      x.set("contact_pref", opt_text(p->profile.contact_pref));
      if (part == "plan") {
        web::List goals;
        for (const auto& g : db::goals(s, p->id)) {
          web::Data gd;
          gd.set("text", g.text);
          web::List steps;
          for (const auto& st : db::steps(s, p->id))
            if (st.goal_id == g.id) {
              web::Data sd;
              sd.set("action", st.action);
              sd.set("status", ctx.t("journeys.status_" + st.status));
              steps.push_back(sd);
            }
          gd.set("steps", steps);
          goals.push_back(gd);
        }
        x.set("goals", goals);
      }
      if (part == "notes") {
        web::List notes;
        for (const auto& n : db::notes(s, p->id)) {
          if (n.restricted) continue;  // held back by the writing organisation; never travels
          web::Data nd;
          nd.set("when", web::format_date(ctx.lang, n.created_at));
          nd.set("kind", ctx.t("journeys.contact_" + n.kind));
          nd.set("talked_about", n.talked_about);
          notes.push_back(nd);
        }
        x.set("notes", notes);
      }
      if (part == "outcomes") {
        auto st = db::stages(s, p->id);
        x.set("stage", st.empty() ? web::Data(false) : web::Data(ctx.t("journeys.stage_" + std::to_string(st.front().stage))));
        web::List outs;
        for (const auto& o : db::outcomes(s, p->id)) {
          web::Data od;
          od.set("kind", ctx.t("journeys.outcome_" + o.kind));
          od.set("date", web::format_day(ctx.lang, o.on_date));
          outs.push_back(od);
        }
        x.set("outcomes", outs);
      }
    }
    parts.push_back(x);
  }
  d.set("carried", parts);
  d.set("receiving", receiving);
  std::string chosen = ctx.req.method == "POST" ? ctx.field("decline_reason") : "";
  d.set("decline_reasons", select_options(ctx, kDeclineReasons, "decline", chosen));
  d.set("decision_accept", ctx.req.method == "POST" && ctx.field("decision") == "accept");
  d.set("decision_decline", ctx.req.method == "POST" && ctx.field("decision") == "decline");
  d.set("decline_text_value", ctx.req.method == "POST" ? ctx.field("decline_text") : std::string());
  ctx.csrf();
  return ctx.page(ctx.t("journeys.referral_title"), "journeys/referral", d, status);
}

}  // namespace

http::Response referral_page(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.work();
  auto r = db::referral(w.scope(), *id);
  if (!r) return ctx.not_found();
  if (!ctx.actor) return ctx.deny();
  if (!receives(ctx, *r) && !sends(ctx, *r)) return ctx.forbidden();
  if (receives(ctx, *r) && r->status == "awaiting_consent") return ctx.forbidden();
  auto res = referral_view(ctx, w.scope(), *r, {}, 200);
  w.commit();
  return res;
}

http::Response referral_decide(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.work();
  auto r = db::referral(w.scope(), *id);
  if (!r) return ctx.not_found();
  if (!ctx.actor) return ctx.deny();
  if (!receives(ctx, *r) || r->status == "awaiting_consent") return ctx.forbidden();
  std::string decision = ctx.field("decision"), reason = ctx.field("decline_reason"), text = ctx.field("decline_text");
  FormErrors e;
  if (r->status != "sent") e.add("decision", ctx.t("journeys.error_referral_closed"));
  else if (decision != "accept" && decision != "decline") e.add("decision", ctx.t("journeys.error_decision"));
  else if (decision == "decline") {
    if (!one_of(kDeclineReasons, reason)) e.add("decline_reason", ctx.t("journeys.error_decline_reason"));
    else if (reason == "other" && text.empty()) e.add("decline_text", ctx.t("journeys.error_decline_text"));
  }
  check_length(ctx, e, "decline_text", text, kLongText);
  if (e.any()) {
    auto res = referral_view(ctx, w.scope(), *r, e, r->status != "sent" ? 409 : 400);
    w.commit();
    return res;
  }
  db::decide_referral(w.scope(), r->id, decision == "accept", reason, text, who(ctx));
  // A worker who accepts becomes the person's key worker at the receiving organisation.
  if (decision == "accept" && ctx.actor->has_for(auth::Role::worker, r->to_organisation_id))
    db::take_on(w.scope(), r->person_id, ctx.actor->user_id, r->to_organisation_id);
  w.commit();
  ctx.set_flash(decision == "accept" ? "journeys.flash_referral_accepted" : "journeys.flash_referral_declined");
  return http::Response::redirect("/referrals/" + std::to_string(r->id));
}

http::Response me_referrals(Ctx& ctx) {
  if (!policy::can_keep_own(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  web::Data d;
  web::List rows;
  std::map<std::int64_t, std::string> names;
  web::List inv;
  if (auto p = db::person_for_user(w.scope(), ctx.actor->user_id)) {
    for (const auto& r : db::referrals_for_person(w.scope(), p->id)) rows.push_back(referral_row(ctx, w.scope(), names, r));
    inv = involvement_list(ctx, w.scope(), p->id, std::nullopt);
  }
  d.set("referrals", rows);
  d.set("has_referrals", !rows.empty());
  d.set("involvement", inv);
  d.set("has_involvement", !inv.empty());
  ctx.csrf();
  return ctx.page(ctx.t("journeys.my_referrals_title"), "journeys/me_referrals", d);
}

http::Response me_referral_answer(Ctx& ctx) {
  if (!policy::can_keep_own(ctx.actor)) return ctx.deny();
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.work();
  auto r = db::referral(w.scope(), *id);
  auto p = db::person_for_user(w.scope(), ctx.actor->user_id);
  // Someone else's referral is not found, rather than forbidden: its existence is theirs.
  if (!r || !p || r->person_id != p->id) return ctx.not_found();
  std::string answer = ctx.field("answer");
  if (r->status != "awaiting_consent" || (answer != "yes" && answer != "no")) {
    ctx.set_flash("journeys.flash_referral_unchanged");
    return http::Response::redirect("/me/referrals");
  }
  if (answer == "yes") db::send_referral(w.scope(), r->id, who(ctx));
  else db::stop_referral(w.scope(), r->id, "person_said_no");
  w.commit();
  ctx.set_flash(answer == "yes" ? "journeys.flash_referral_agreed" : "journeys.flash_referral_refused");
  return http::Response::redirect("/me/referrals");
}

}  // namespace journeys_web

}  // namespace cp::modules
