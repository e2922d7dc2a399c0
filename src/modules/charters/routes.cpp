#include <algorithm>
#include <map>

#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/charters/charters.hpp"
#include "web/bilingual.hpp"
#include "web/format.hpp"

namespace cp::modules::charters {

namespace {

using app::Ctx;
using app::FormErrors;

constexpr std::size_t kMaxTitle = 200, kMaxSection = 8000, kMaxNote = 1000;

std::optional<std::int64_t> id_param(Ctx& ctx) {
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

std::string charter_href(std::int64_t id) { return "/toolkit/charters/" + std::to_string(id); }
std::string version_href(std::int64_t id) { return "/toolkit/charters/versions/" + std::to_string(id); }

web::List paragraphs_of(const std::string& text) {
  web::List out;
  for (const auto& line : split(text, '\n')) {
    auto t = trim(line);
    if (t.empty()) continue;
    web::Data p;
    p.set("text", t);
    out.push_back(p);
  }
  return out;
}

// The six sections of a version, each with its heading and paragraphs in the reader's language
// where there is some, else in the other language with its lang attribute and the "only in
// English" note (web/bilingual.hpp).
web::List sections_data(Ctx& ctx, const Version& v) {
  web::List out;
  for (std::size_t i = 0; i < kSections.size(); ++i) {
    web::Bilingual b{v.sections[i], i < v.sections_cy.size() ? v.sections_cy[i] : std::string()};
    auto shown = web::pick(b, ctx.lang);
    web::Data s = web::bilingual_data(b, ctx.lang);
    s.set("key", kSections[i]);
    s.set("heading", ctx.t("charters.section_" + kSections[i]));
    s.set("paragraphs", paragraphs_of(shown.text));
    s.set("empty", trim(shown.text).empty());
    out.push_back(s);
  }
  return out;
}

// A charter's title for this reader: "title" (the text), "title_lang" (set only when the text is in
// the other language) and "title_bi" (for a heading with the note).
void title_data(Ctx& ctx, web::Data& d, const Charter& c) {
  web::Bilingual b{c.title, c.title_cy};
  auto shown = web::pick(b, ctx.lang);
  d.set("title", shown.text);
  if (shown.other) d.set("title_lang", shown.lang);
  d.set("title_bi", web::bilingual_data(b, ctx.lang));
}

std::string title_text(Ctx& ctx, const Charter& c) { return web::pick({c.title, c.title_cy}, ctx.lang).text; }

std::string name_of(store::Scope& s, std::int64_t user) {
  if (user <= 0) return std::string();
  auto c = AccountsModule::contact(s, user);
  return c ? c->name : std::string();
}

// ------------------------------------------------------------ list and one charter

http::Response list_page(Ctx& ctx) {
  if (!policy::can_read(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  std::map<std::int64_t, Pending> pending;
  for (const auto& p : needs_signature(w.scope(), ctx.actor->user_id)) pending[p.charter_id] = p;
  bool manage = policy::can_manage(ctx.actor);
  web::List items;
  for (const auto& c : store_fn::charters(w.scope())) {
    if (!c.current_version_id && !manage) continue;
    web::Data x;
    title_data(ctx, x, c);
    x.set("href", charter_href(c.id));
    x.set("published", c.current_version_id.has_value());
    x.set("needs", pending.count(c.id) > 0);
    items.push_back(x);
  }
  web::Data d;
  d.set("charters", items);
  d.set("none", items.empty());
  d.set("can_manage", manage);
  return ctx.page(ctx.t("charters.list_title"), "charters/list", d);
}

http::Response show_render(Ctx& ctx, std::int64_t id, const FormErrors& e, int status) {
  auto w = ctx.read();
  auto c = store_fn::charter(w.scope(), id);
  if (!c) return ctx.not_found();
  bool manage = policy::can_manage(ctx.actor);
  if (!c->current_version_id && !manage) return ctx.not_found();
  web::Data d;
  e.fill(d);
  d.set("id", std::to_string(c->id));
  title_data(ctx, d, *c);
  d.set("can_manage", manage);
  if (c->current_version_id) {
    auto v = store_fn::version(w.scope(), *c->current_version_id);
    d.set("published", true);
    d.set("version_id", std::to_string(v->id));
    d.set("version_line", ctx.t("charters.version_line", {{"number", std::to_string(v->number)},
                                                           {"date", web::format_date(ctx.lang, v->published_at.value_or(v->created_at))}}));
    d.set("sections", sections_data(ctx, *v));
    auto mine = store_fn::my_latest(w.scope(), c->id, ctx.actor->user_id);
    bool current = mine && mine->version_id == v->id;
    d.set("signed_current", current);
    d.set("needs_signature", !current);
    if (mine) {
      d.set("my_signature", ctx.t("charters.you_signed", {{"number", std::to_string(mine->version_number)},
                                                          {"date", web::format_date(ctx.lang, mine->signed_at)}}));
      d.set("signed_older", !current);
    }
    if (!current && policy::can_sign(ctx.actor)) ctx.csrf();
  }
  if (manage) {
    auto latest = store_fn::latest(w.scope(), c->id);
    if (latest && (!c->current_version_id || latest->id != *c->current_version_id)) {
      d.set("draft_href", version_href(latest->id));
      d.set("draft_line", ctx.t("charters.draft_waiting", {{"number", std::to_string(latest->number)}}));
    }
  }
  return ctx.page(title_text(ctx, *c), "charters/show", d, status);
}

http::Response show_page(Ctx& ctx) {
  if (!policy::can_read(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  return show_render(ctx, *id, {}, 200);
}

http::Response sign_submit(Ctx& ctx) {
  if (!policy::can_sign(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  auto version_id = parse_int(ctx.field("version_id")).value_or(0);
  FormErrors e;
  if (ctx.field("agree") != "yes") e.add("agree", ctx.t("charters.error_agree"));
  {
    auto w = ctx.read();
    auto c = store_fn::charter(w.scope(), *id);
    if (!c || !c->current_version_id) return ctx.not_found();
  }
  if (e.any()) return show_render(ctx, *id, e, 400);
  auto w = ctx.work();
  auto v = store_fn::version(w.scope(), version_id);
  if (!v || v->charter_id != *id) {
    e.add("agree", ctx.t("charters.error_not_current"));
    w.commit();
    return show_render(ctx, *id, e, 409);
  }
  auto r = store_fn::sign(w.scope(), version_id, ctx.actor->user_id);
  if (r == store_fn::Signed::not_current) {
    e.add("agree", ctx.t("charters.error_not_current"));
    w.commit();
    return show_render(ctx, *id, e, 409);
  }
  w.commit();
  ctx.set_flash("charters.flash_signed");
  return http::Response::redirect(charter_href(*id));
}

// ------------------------------------------------------------ writing and versions

struct Typed {
  std::string title, title_cy;
  std::vector<std::string> sections = std::vector<std::string>(kSections.size());
  std::vector<std::string> sections_cy = std::vector<std::string>(kSections.size());
  std::string note;
};

Typed typed_from_form(Ctx& ctx) {
  Typed t;
  t.title = ctx.field("title");
  t.title_cy = ctx.field("title_cy");
  for (std::size_t i = 0; i < kSections.size(); ++i) {
    // Kept as typed (the field() helper trims the ends, which is what we store too).
    t.sections[i] = ctx.field(kSections[i]);
    t.sections_cy[i] = ctx.field(kSections[i] + "_cy");
  }
  t.note = ctx.field("change_note");
  return t;
}

http::Response form_render(Ctx& ctx, std::optional<Charter> existing, const Typed& t, const FormErrors& e, int status) {
  web::Data d;
  e.fill(d);
  d.set("editing", existing.has_value());
  d.set("title", t.title);
  d.set("title_cy", t.title_cy);
  d.set("note", t.note);
  if (existing) {
    d.set("id", std::to_string(existing->id));
    d.set("charter_title", existing->title);
  }
  web::List fields;
  for (std::size_t i = 0; i < kSections.size(); ++i) {
    web::Data f;
    f.set("key", kSections[i]);
    f.set("label", ctx.t("charters.section_" + kSections[i]));
    f.set("hint", ctx.t("charters.hint_" + kSections[i]));
    f.set("value", t.sections[i]);
    auto err = e.of(kSections[i]);
    f.set("error", err);
    f.set("has_error", !err.empty());
    f.set("label_cy", ctx.t("charters.in_welsh", {{"section", ctx.t("charters.section_" + kSections[i])}}));
    f.set("value_cy", t.sections_cy[i]);
    auto err_cy = e.of(kSections[i] + "_cy");
    f.set("error_cy", err_cy);
    f.set("has_error_cy", !err_cy.empty());
    fields.push_back(f);
  }
  d.set("fields", fields);
  d.set("form_action", existing ? charter_href(existing->id) + "/versions" : std::string("/toolkit/charters"));
  ctx.csrf();
  return ctx.page(existing ? ctx.t("charters.edit_title") : ctx.t("charters.new_title"), "charters/form", d, status);
}

FormErrors check(Ctx& ctx, const Typed& t, bool editing) {
  FormErrors e;
  if (!editing) {
    if (t.title.empty()) e.add("title", ctx.t("charters.error_title"));
    else if (t.title.size() > kMaxTitle) e.add("title", ctx.t("charters.error_too_long"));
  }
  if (t.title_cy.size() > kMaxTitle) e.add("title_cy", ctx.t("charters.error_too_long"));
  for (std::size_t i = 0; i < kSections.size(); ++i) {
    if (t.sections[i].size() > kMaxSection) e.add(kSections[i], ctx.t("charters.error_too_long"));
    if (t.sections_cy[i].size() > kMaxSection) e.add(kSections[i] + "_cy", ctx.t("charters.error_too_long"));
  }
  if (editing) {
    if (t.note.empty()) e.add("change_note", ctx.t("charters.error_note"));
    else if (t.note.size() > kMaxNote) e.add("change_note", ctx.t("charters.error_too_long"));
  }
  return e;
}

http::Response new_page(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  return form_render(ctx, std::nullopt, {}, {}, 200);
}

http::Response create_submit(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  auto t = typed_from_form(ctx);
  auto e = check(ctx, t, false);
  if (e.any()) return form_render(ctx, std::nullopt, t, e, 400);
  auto w = ctx.work();
  auto id = store_fn::create(w.scope(), t.title, t.sections, ctx.actor->user_id, t.title_cy, t.sections_cy);
  w.commit();
  ctx.set_flash("charters.flash_created");
  return http::Response::redirect(charter_href(id) + "/versions");
}

http::Response edit_page(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.read();
  auto c = store_fn::charter(w.scope(), *id);
  if (!c) return ctx.not_found();
  auto last = store_fn::latest(w.scope(), *id);
  Typed t;
  t.title = c->title;
  t.title_cy = c->title_cy;
  if (last) {
    t.sections = last->sections;
    t.sections_cy = last->sections_cy;
  }
  return form_render(ctx, c, t, {}, 200);
}

http::Response revise_submit(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  auto t = typed_from_form(ctx);
  auto w = ctx.work();
  auto c = store_fn::charter(w.scope(), *id);
  if (!c) return ctx.not_found();
  t.title = c->title;
  // Only the Welsh title changed: no new version is needed (the title is not part of one), so the
  // note explaining a change is not asked for either.
  bool sections_same = false;
  if (auto last = store_fn::latest(w.scope(), *id))
    sections_same = last->sections == t.sections && last->sections_cy == t.sections_cy;
  if (sections_same && t.title_cy != c->title_cy && t.title_cy.size() <= kMaxTitle) {
    store_fn::set_title_cy(w.scope(), *id, t.title_cy);
    w.commit();
    ctx.set_flash("charters.flash_title_cy");
    return http::Response::redirect(charter_href(*id));
  }
  auto e = check(ctx, t, true);
  if (e.any()) {
    w.commit();
    return form_render(ctx, c, t, e, 400);
  }
  auto v = store_fn::revise(w.scope(), *id, t.sections, t.note, ctx.actor->user_id, t.sections_cy);
  if (!v) {
    e.add(kSections[0], ctx.t("charters.error_no_change"));
    w.commit();
    return form_render(ctx, c, t, e, 400);
  }
  if (t.title_cy != c->title_cy) store_fn::set_title_cy(w.scope(), *id, t.title_cy);
  w.commit();
  ctx.set_flash("charters.flash_version");
  return http::Response::redirect(version_href(*v));
}

http::Response versions_page(Ctx& ctx) {
  if (!policy::can_read(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.read();
  auto c = store_fn::charter(w.scope(), *id);
  bool manage = policy::can_manage(ctx.actor);
  if (!c || (!c->current_version_id && !manage)) return ctx.not_found();
  web::List items;
  for (const auto& v : store_fn::versions(w.scope(), *id)) {
    if (!v.published_at && !manage) continue;
    web::Data x;
    x.set("number", std::to_string(v.number));
    x.set("href", version_href(v.id));
    x.set("current", c->current_version_id == v.id);
    x.set("draft", !v.published_at);
    x.set("date", web::format_date(ctx.lang, v.published_at.value_or(v.created_at)));
    x.set("note", v.change_note);
    items.push_back(x);
  }
  web::Data d;
  d.set("id", std::to_string(c->id));
  title_data(ctx, d, *c);
  d.set("versions", items);
  d.set("can_manage", manage);
  return ctx.page(ctx.t("charters.versions_title", {{"title", title_text(ctx, *c)}}), "charters/versions", d);
}

http::Response version_render(Ctx& ctx, std::int64_t vid, const FormErrors& e, int status) {
  auto w = ctx.read();
  auto v = store_fn::version(w.scope(), vid);
  bool manage = policy::can_manage(ctx.actor);
  if (!v || (!v->published_at && !manage)) return ctx.not_found();
  auto c = store_fn::charter(w.scope(), v->charter_id);
  // The version before this one that a reader could see: for members the previous published one.
  std::optional<Version> before;
  for (const auto& x : store_fn::versions(w.scope(), v->charter_id)) {
    if (x.number >= v->number) continue;
    if (!x.published_at && !manage) continue;
    before = x;
    break;
  }
  web::Data d;
  e.fill(d);
  d.set("id", std::to_string(v->id));
  d.set("charter_id", std::to_string(c->id));
  title_data(ctx, d, *c);
  d.set("heading", ctx.t("charters.version_heading", {{"number", std::to_string(v->number)}}));
  d.set("draft", !v->published_at);
  d.set("current", c->current_version_id == v->id);
  d.set("note", v->change_note);
  d.set("made", ctx.t("charters.version_made", {{"date", web::format_date(ctx.lang, v->created_at)},
                                                 {"name", name_of(w.scope(), v->created_by)}}));
  d.set("sections", sections_data(ctx, *v));
  if (before) {
    d.set("has_before", true);
    d.set("compared", ctx.t("charters.compared_with", {{"number", std::to_string(before->number)}}));
    // Each section compares both languages with the version before: the reader's own language
    // first, each list marked with its language so screen readers read it in the right voice.
    web::List changes;
    std::vector<std::string> order = ctx.lang == "cy" ? std::vector<std::string>{"cy", "en"}
                                                      : std::vector<std::string>{"en", "cy"};
    for (std::size_t i = 0; i < kSections.size(); ++i) {
      web::Data s;
      s.set("heading", ctx.t("charters.section_" + kSections[i]));
      web::List langs;
      for (const auto& lang : order) {
        const auto& was = lang == "cy" ? before->sections_cy[i] : before->sections[i];
        const auto& now = lang == "cy" ? v->sections_cy[i] : v->sections[i];
        if (was == now) continue;
        web::List lines;
        for (const auto& l : diff(was, now)) {
          if (l.kind == "same") continue;
          web::Data x;
          x.set("added", l.kind == "added");
          x.set("text", l.text);
          lines.push_back(x);
        }
        web::Data g;
        g.set("lang", lang);
        g.set("label", ctx.t("charters.changes_in_" + lang));
        g.set("lines", lines);
        langs.push_back(g);
      }
      s.set("changed", !langs.empty());
      s.set("langs", langs);
      changes.push_back(s);
    }
    d.set("changes", changes);
  }
  // Staff may make current any version newer than the current one.
  std::int64_t current_number = 0;
  if (c->current_version_id)
    if (auto cur = store_fn::version(w.scope(), *c->current_version_id)) current_number = cur->number;
  if (manage && v->number > current_number) {
    d.set("can_publish", true);
    ctx.csrf();
  }
  return ctx.page(title_text(ctx, *c) + " – " + ctx.t("charters.version_heading", {{"number", std::to_string(v->number)}}),
                  "charters/version", d, status);
}

http::Response version_page(Ctx& ctx) {
  if (!policy::can_read(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  return version_render(ctx, *id, {}, 200);
}

http::Response publish_submit(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.work();
  auto v = store_fn::version(w.scope(), *id);
  if (!v) return ctx.not_found();
  auto c = store_fn::charter(w.scope(), v->charter_id);
  std::int64_t current_number = 0;
  if (c->current_version_id)
    if (auto cur = store_fn::version(w.scope(), *c->current_version_id)) current_number = cur->number;
  if (v->number <= current_number) {
    w.commit();
    FormErrors e;
    e.add("publish", ctx.t("charters.error_older"));
    return version_render(ctx, *id, e, 409);
  }
  store_fn::publish(w.scope(), *v);
  w.commit();
  ctx.set_flash("charters.flash_published");
  return http::Response::redirect(charter_href(v->charter_id));
}

http::Response signatures_page(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.work();
  auto c = store_fn::charter(w.scope(), *id);
  if (!c) return ctx.not_found();
  // Who agreed to what is about people: the staff view is recorded.
  w->audit({"charters.signatures_view", "charter", c->id, ""});
  std::int64_t current_number = 0;
  if (c->current_version_id)
    if (auto cur = store_fn::version(w.scope(), *c->current_version_id)) current_number = cur->number;
  web::List rows;
  std::int64_t on_current = 0;
  for (const auto& sg : store_fn::signatures(w.scope(), *id)) {
    web::Data x;
    x.set("name", name_of(w.scope(), sg.user_id));
    x.set("number", std::to_string(sg.version_number));
    x.set("date", web::format_date(ctx.lang, sg.signed_at));
    x.set("current", sg.version_number == current_number);
    if (sg.version_number == current_number) ++on_current;
    rows.push_back(x);
  }
  w.commit();
  web::Data d;
  d.set("id", std::to_string(c->id));
  title_data(ctx, d, *c);
  d.set("rows", rows);
  d.set("none", rows.empty());
  d.set("count", web::plural(ctx.app.catalogue, ctx.lang, "charters.signed_current", on_current,
                             {{"number", std::to_string(current_number)}}));
  return ctx.page(ctx.t("charters.signatures_title", {{"title", title_text(ctx, *c)}}), "charters/signatures", d);
}

}  // namespace

void ChartersModule::install(app::App& a) {
  a.route("GET", "/toolkit/charters", "charters.list", list_page);
  a.route("POST", "/toolkit/charters", "charters.create", create_submit);
  a.route("GET", "/toolkit/charters/new", "charters.new", new_page);
  a.route("GET", "/toolkit/charters/versions/{id}", "charters.version", version_page);
  a.route("POST", "/toolkit/charters/versions/{id}/publish", "charters.publish", publish_submit);
  a.route("GET", "/toolkit/charters/{id}", "charters.show", show_page);
  a.route("POST", "/toolkit/charters/{id}/sign", "charters.sign", sign_submit);
  a.route("GET", "/toolkit/charters/{id}/edit", "charters.edit", edit_page);
  a.route("POST", "/toolkit/charters/{id}/versions", "charters.revise", revise_submit);
  a.route("GET", "/toolkit/charters/{id}/versions", "charters.versions", versions_page);
  a.route("GET", "/toolkit/charters/{id}/signatures", "charters.signatures", signatures_page);
  install_api(a);
}

}  // namespace cp::modules::charters
