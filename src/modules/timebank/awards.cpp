// Peer-nominated recognition awards ("Market it" incentives): any member may put another forward with
// a reason; a partnership admin confirms or declines; confirmed awards go on the member's page and the
// thank-you wall. Awards carry no hours: they are recognition, not pay.
#include <algorithm>

#include "core/util.hpp"
#include "modules/timebank/extras.hpp"

namespace cp::modules::timebank {

namespace {

constexpr std::size_t kMaxReason = 600;

constexpr const char* kAwardSelect =
    "SELECT a.id, a.nominee_id, a.nominator_id, a.kind, a.reason, a.status, ne.name, nr.name, a.created_at,"
    " a.decided_at FROM timebank_awards a"
    " JOIN timebank_members ne ON ne.partnership_id = $1 AND ne.id = a.nominee_id"
    " JOIN timebank_members nr ON nr.partnership_id = $1 AND nr.id = a.nominator_id"
    " WHERE a.partnership_id = $1 AND ";

Award award_from(const store::Row& r) {
  Award a;
  a.id = r.i64(0);
  a.nominee_id = r.i64(1);
  a.nominator_id = r.i64(2);
  a.kind = r.text(3);
  a.reason = r.text(4);
  a.status = r.text(5);
  a.nominee_name = r.text(6);
  a.nominator_name = r.text(7);
  a.created_at = r.i64(8);
  a.decided_at = r.i64(9);
  return a;
}

std::vector<Award> awards_where(store::Scope& s, const std::string& where, store::Params p) {
  std::vector<Award> out;
  for (const auto& r : s.read(kAwardSelect + where, std::move(p)).rows) out.push_back(award_from(r));
  return out;
}

}  // namespace

std::string nominate_key(NominateResult r) {
  switch (r) {
    case NominateResult::ok: return "timebank.flash_nominated";
    case NominateResult::self: return "timebank.error_nominate_self";
    case NominateResult::no_member: return "timebank.error_nominee";
    case NominateResult::bad_kind: return "timebank.error_award_kind";
    case NominateResult::empty_reason: return "timebank.error_reason_missing";
    case NominateResult::too_long: return "timebank.error_reason_long";
    case NominateResult::already_open: return "timebank.error_nomination_open";
  }
  return "timebank.error_nominee";
}

NominateResult nominate(store::Scope& s, std::int64_t nominator, std::int64_t nominee, const std::string& kind,
                        const std::string& reason, std::int64_t& id) {
  if (nominator == nominee) return NominateResult::self;
  auto who = member(s, nominee);
  if (!who || who->kind == "pot" || !member(s, nominator)) return NominateResult::no_member;
  if (std::find(kAwardKinds.begin(), kAwardKinds.end(), kind) == kAwardKinds.end()) return NominateResult::bad_kind;
  auto text = trim(reason);
  if (text.empty()) return NominateResult::empty_reason;
  if (text.size() > kMaxReason) return NominateResult::too_long;
  // The partial unique index keeps one open nomination per pair even when two arrive at once.
  id = s.insert({"timebank.award_nominate", "timebank_award", std::nullopt,
                 std::to_string(nominator) + "->" + std::to_string(nominee) + " " + kind},
                "INSERT INTO timebank_awards (partnership_id, nominee_id, nominator_id, kind, reason, status, created_at)"
                " VALUES ($1, $2, $3, $4, $5, 'pending', $6) ON CONFLICT DO NOTHING RETURNING id",
                {nominee, nominator, kind, text, now_seconds()});
  return id ? NominateResult::ok : NominateResult::already_open;
}

bool decide_award(store::Scope& s, std::int64_t id, bool confirm, std::int64_t admin_user) {
  std::string status = confirm ? "confirmed" : "declined";
  return s.write({"timebank.award_" + status, "timebank_award", id, ""},
                 "UPDATE timebank_awards SET status = $3, decided_by = $4, decided_at = $5"
                 " WHERE partnership_id = $1 AND id = $2 AND status = 'pending'",
                 {id, status, admin_user, now_seconds()}) == 1;
}

std::optional<Award> award(store::Scope& s, std::int64_t id) {
  auto v = awards_where(s, "a.id = $2", {id});
  if (v.empty()) return std::nullopt;
  return v.front();
}

std::vector<Award> awards_with_status(store::Scope& s, const std::string& status, std::int64_t limit) {
  return awards_where(s,
                      "a.status = $2 ORDER BY " +
                          std::string(status == "pending" ? "a.created_at, a.id" : "a.decided_at DESC, a.id DESC") +
                          " LIMIT $3",
                      {status, limit});
}

std::vector<Award> awards_for(store::Scope& s, std::int64_t member_id) {
  return awards_where(s, "a.nominee_id = $2 AND a.status = 'confirmed' ORDER BY a.decided_at DESC, a.id DESC LIMIT 50",
                      {member_id});
}

// ------------------------------------------------------------------ pages

namespace {

using app::Ctx;
using app::FormErrors;
namespace policy = timebank_policy;

std::optional<std::int64_t> path_id(Ctx& ctx) {
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

web::Data award_data(Ctx& ctx, const Award& a) {
  web::Data d;
  d.set("id", std::to_string(a.id));
  d.set("nominee_id", std::to_string(a.nominee_id));
  d.set("nominee", a.nominee_name);
  d.set("nominator", a.nominator_name);
  d.set("award", ctx.t("timebank.award_" + a.kind));
  d.set("reason", a.reason);
  d.set("date", format_date(a.decided_at ? a.decided_at : a.created_at));
  return d;
}

web::List award_list(Ctx& ctx, const std::vector<Award>& v) {
  web::List l;
  for (const auto& a : v) l.push_back(award_data(ctx, a));
  return l;
}

struct NominateForm {
  std::string nominee, kind, reason;
};

http::Response nominate_form(Ctx& ctx, store::Scope& s, std::int64_t me, const NominateForm& f, const FormErrors& e,
                             int status) {
  web::Data d;
  e.fill(d);
  web::List members;
  for (const auto& m : timebank::members(s)) {
    if (m.id == me) continue;
    web::Data o;
    o.set("value", std::to_string(m.id));
    o.set("label", m.name + (m.outcode.empty() ? "" : " (" + m.outcode + ")"));
    o.set("selected", std::to_string(m.id) == f.nominee);
    members.push_back(o);
  }
  d.set("members", members);
  web::List kinds;
  int i = 0;
  for (const auto& k : kAwardKinds) {
    web::Data o;
    o.set("value", k);
    o.set("input_id", i++ == 0 ? std::string("kind") : "kind-" + std::to_string(i));
    o.set("label", ctx.t("timebank.award_" + k));
    o.set("hint", ctx.t("timebank.award_" + k + "_hint"));
    o.set("checked", k == f.kind);
    kinds.push_back(o);
  }
  d.set("kinds", kinds);
  d.set("reason", f.reason);
  ctx.csrf();
  return ctx.page(ctx.t("timebank.nominate_title"), "timebank/award_nominate", d, status);
}

http::Response nominate_page(Ctx& ctx) {
  if (!policy::can_join(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  auto me = member_for_user(w.scope(), ctx.actor->user_id);
  if (!me) return http::Response::redirect("/timebank/join");
  NominateForm f;
  f.nominee = ctx.req.query_param("member");
  return nominate_form(ctx, w.scope(), me->id, f, {}, 200);
}

http::Response nominate_submit(Ctx& ctx) {
  if (!policy::can_join(ctx.actor)) return ctx.deny();
  NominateForm f{ctx.field("nominee"), ctx.field("kind"), ctx.field("reason")};
  auto w = ctx.work();
  auto& s = w.scope();
  auto me = member_for_user(s, ctx.actor->user_id);
  if (!me) return http::Response::redirect("/timebank/join");
  FormErrors e;
  auto nominee = parse_int(f.nominee);
  if (!nominee) e.add("nominee", ctx.t("timebank.error_nominee"));
  if (std::find(kAwardKinds.begin(), kAwardKinds.end(), f.kind) == kAwardKinds.end())
    e.add("kind", ctx.t("timebank.error_award_kind"));
  if (f.reason.empty()) e.add("reason", ctx.t("timebank.error_reason_missing"));
  else if (f.reason.size() > kMaxReason) e.add("reason", ctx.t("timebank.error_reason_long"));
  if (!e.any()) {
    std::int64_t id = 0;
    auto r = nominate(s, me->id, *nominee, f.kind, f.reason, id);
    if (r == NominateResult::ok) {
      w.commit();
      ctx.set_flash("timebank.flash_nominated");
      return http::Response::redirect("/timebank/awards");
    }
    e.add(r == NominateResult::empty_reason || r == NominateResult::too_long ? "reason"
          : r == NominateResult::bad_kind                                     ? "kind"
                                                                              : "nominee",
          ctx.t(nominate_key(r)));
  }
  return nominate_form(ctx, s, me->id, f, e, 400);
}

http::Response wall_page(Ctx& ctx) {
  if (!policy::can_browse(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  auto list = awards_with_status(w.scope(), "confirmed", 50);
  web::Data d;
  d.set("awards", award_list(ctx, list));
  d.set("none", list.empty());
  d.set("can_decide", policy::can_decide_awards(ctx.actor));
  return ctx.page(ctx.t("timebank.awards_title"), "timebank/awards", d);
}

http::Response queue_page(Ctx& ctx) {
  if (!policy::can_decide_awards(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  auto list = awards_with_status(w.scope(), "pending", 100);
  web::Data d;
  d.set("awards", award_list(ctx, list));
  d.set("none", list.empty());
  ctx.csrf();
  return ctx.page(ctx.t("timebank.award_queue_title"), "timebank/award_queue", d);
}

http::Response decide(Ctx& ctx, bool confirm) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  if (!policy::can_decide_awards(ctx.actor)) return ctx.deny();
  auto w = ctx.work();
  if (!award(w.scope(), *id)) return ctx.not_found();
  if (!decide_award(w.scope(), *id, confirm, ctx.actor->user_id)) {
    ctx.set_flash("timebank.error_award_decided");
    return http::Response::redirect("/timebank/awards/queue");
  }
  w.commit();
  ctx.set_flash(confirm ? "timebank.flash_award_confirmed" : "timebank.flash_award_declined");
  return http::Response::redirect("/timebank/awards/queue");
}

}  // namespace

void install_awards(app::App& a) {
  a.route("GET", "/timebank/awards", "timebank.awards", wall_page);
  a.route("GET", "/timebank/awards/nominate", "timebank.award_nominate", nominate_page);
  a.route("POST", "/timebank/awards/nominate", "timebank.award_nominate_submit", nominate_submit);
  a.route("GET", "/timebank/awards/queue", "timebank.award_queue", queue_page);
  a.route("POST", "/timebank/awards/{id}/confirm", "timebank.award_confirm", [](Ctx& c) { return decide(c, true); });
  a.route("POST", "/timebank/awards/{id}/decline", "timebank.award_decline", [](Ctx& c) { return decide(c, false); });
}

}  // namespace cp::modules::timebank
