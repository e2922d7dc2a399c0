#include <algorithm>
#include <map>

#include "core/util.hpp"
#include "modules/contribution/contribution.hpp"
#include "modules/contribution/diagram.hpp"
#include "modules/timebank/timebank.hpp"
#include "web/format.hpp"

namespace cp::modules::contribution {

namespace {

using app::Ctx;
using app::FormErrors;

const std::string kBase = "/toolkit/contribution";

std::optional<std::int64_t> id_of(Ctx& ctx, const char* name) {
  auto id = parse_int(ctx.req.path_params[name]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

std::string theory_href(std::int64_t id) { return kBase + "/" + std::to_string(id); }
std::string link_href(std::int64_t theory, std::int64_t link) {
  return theory_href(theory) + "/links/" + std::to_string(link);
}

// A template section opens on any string, even an empty one: set text that may be empty only
// when there is some.
void set_text(web::Data& d, const std::string& key, const std::string& value) {
  if (!value.empty()) d.set(key, value);
}

std::string confidence_class(const std::string& c) {
  if (c == "high") return "govuk-tag--green";
  if (c == "medium") return "govuk-tag--blue";
  if (c == "low") return "govuk-tag--red";
  return "govuk-tag--grey";
}

std::string step_class(const std::string& s) {
  if (s == "done") return "govuk-tag--green";
  if (s == "in_progress") return "govuk-tag--blue";
  return "govuk-tag--grey";
}

// Step details that count links are plural messages; the rest are plain.
bool plural_detail(const std::string& key) {
  static const std::vector<std::string> keys = {"step2_assumptions", "step3_some", "step4_unrated",
                                                "step4_influences", "step5_weak", "step6_done"};
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

std::string figure_text(Ctx& ctx, const Figure& f, std::int64_t v) {
  if (f.unit == "quarters") return ctx.t("contribution.hours_value", {{"hours", timebank::format_hours(v)}});
  return web::format_number(ctx.lang, v);
}

// Live figure values, read once per page.
class Live {
 public:
  explicit Live(store::Scope& s) : s_(s) {}
  std::int64_t get(const Figure& f) {
    auto it = cache_.find(f.key);
    if (it == cache_.end()) it = cache_.emplace(f.key, f.value(s_)).first;
    return it->second;
  }

 private:
  store::Scope& s_;
  std::map<std::string, std::int64_t> cache_;
};

web::Data evidence_data(Ctx& ctx, const Evidence& e, Live& live, bool can_edit, std::int64_t theory_id) {
  web::Data d;
  d.set("id", std::to_string(e.id));
  d.set("kind_label", ctx.t("contribution.kind_" + e.kind));
  d.set("added", web::format_date(ctx.lang, e.created_at));
  set_text(d, "note", e.note);
  if (e.kind == "figure") {
    d.set("is_figure", true);
    if (const Figure* f = figure(e.figure_key)) {
      auto now = live.get(*f);
      d.set("figure_label", ctx.t("contribution.figure_" + f->key));
      std::vector<std::pair<std::string, std::string>> args = {{"was", figure_text(ctx, *f, e.figure_value)},
                                                               {"date", web::format_date(ctx.lang, e.created_at)},
                                                               {"now", figure_text(ctx, *f, now)}};
      d.set("figure_values", ctx.t(now == e.figure_value ? "contribution.figure_same" : "contribution.figure_was_now", args));
    } else {
      d.set("figure_label", e.figure_key);
      d.set("figure_values", ctx.t("contribution.figure_gone"));
    }
  } else if (e.kind == "document") {
    d.set("is_document", true);
    d.set("title", e.title);
    d.set("url", e.url);
  } else {
    d.set("is_quote", true);
    d.set("quote_text", e.quote_text);
    d.set("quote_who", e.quote_who);
  }
  if (can_edit) d.set("remove_action", theory_href(theory_id) + "/evidence/" + std::to_string(e.id) + "/delete");
  return d;
}

web::List notes_data(const Link& l, const std::string& kind, bool can_edit, std::int64_t theory_id) {
  web::List out;
  for (const auto* n : l.of_kind(kind)) {
    web::Data d;
    d.set("text", n->text);
    if (can_edit) d.set("remove_action", theory_href(theory_id) + "/notes/" + std::to_string(n->id) + "/delete");
    out.push_back(d);
  }
  return out;
}

// What every page about one link shows: both ends, how sure we are, the notes and the evidence.
web::Data link_data(Ctx& ctx, const Chain& c, const Link& l, Live& live, bool can_edit) {
  web::Data d;
  const Result* from = c.result(l.from_result);
  const Result* to = c.result(l.to_result);
  d.set("id", std::to_string(l.id));
  d.set("href", link_href(c.theory.id, l.id));
  d.set("anchor", "link-" + std::to_string(l.id));
  d.set("from_text", from ? from->text : "");
  d.set("to_text", to ? to->text : "");
  d.set("from_level", from ? ctx.t("contribution.level_" + from->level) : "");
  d.set("to_level", to ? ctx.t("contribution.level_" + to->level) : "");
  d.set("confidence", l.confidence);
  d.set("confidence_label", ctx.t("contribution.confidence_" + l.confidence));
  d.set("confidence_class", confidence_class(l.confidence));
  d.set("reason", l.reason);
  d.set("rated", l.confidence != "not_assessed");
  if (l.rated_at) d.set("rated_on", web::format_date(ctx.lang, l.rated_at));
  d.set("weak", weak(l));
  d.set("no_evidence", l.evidence.empty());
  auto assumptions = notes_data(l, "assumption", can_edit, c.theory.id);
  auto influences = notes_data(l, "influence", can_edit, c.theory.id);
  d.set("has_assumptions", !assumptions.empty());
  d.set("has_influences", !influences.empty());
  d.set("assumptions", assumptions);
  d.set("influences", influences);
  web::List ev;
  for (const auto& e : l.evidence) ev.push_back(evidence_data(ctx, e, live, can_edit, c.theory.id));
  d.set("has_evidence", !ev.empty());
  d.set("evidence", ev);
  d.set("evidence_count", web::plural(ctx.app.catalogue, ctx.lang, "contribution.evidence_count",
                                      static_cast<std::int64_t>(l.evidence.size())));
  web::List history;
  for (auto it = l.ratings.rbegin(); it != l.ratings.rend(); ++it) {
    web::Data h;
    h.set("label", ctx.t("contribution.confidence_" + it->confidence));
    h.set("class", confidence_class(it->confidence));
    set_text(h, "reason", it->reason);
    h.set("when", web::format_date(ctx.lang, it->at));
    history.push_back(h);
  }
  d.set("has_history", l.ratings.size() > 1);
  d.set("history", history);
  d.set("version", std::to_string(l.version));
  return d;
}

web::List steps_data(Ctx& ctx, const Chain& c) {
  web::List out;
  for (const auto& st : steps(c)) {
    web::Data d;
    auto n = std::to_string(st.number);
    d.set("number", n);
    d.set("title", ctx.t("contribution.step" + n + "_title"));
    d.set("status_label", ctx.t("contribution.status_" + st.status));
    d.set("status_class", step_class(st.status));
    d.set("detail", plural_detail(st.detail)
                        ? web::plural(ctx.app.catalogue, ctx.lang, "contribution." + st.detail, st.count)
                        : ctx.t("contribution." + st.detail));
    d.set("id", "step-" + n);
    out.push_back(d);
  }
  return out;
}

web::List level_options(Ctx& ctx, const std::string& selected) {
  web::List out;
  for (const auto& lv : kLevels) {
    web::Data o;
    o.set("value", lv);
    o.set("label", ctx.t("contribution.level_" + lv));
    o.set("selected", lv == selected);
    out.push_back(o);
  }
  return out;
}

// Results grouped by level, for <optgroup>s: `levels` picks which levels to offer.
web::List result_groups(Ctx& ctx, const Chain& c, std::size_t first, std::size_t last, const std::string& selected) {
  web::List out;
  for (std::size_t i = first; i <= last && i < kLevels.size(); ++i) {
    web::List opts;
    for (const auto& r : c.results) {
      if (r.level != kLevels[i]) continue;
      web::Data o;
      o.set("value", std::to_string(r.id));
      o.set("label", r.text.size() > 90 ? r.text.substr(0, 87) + "..." : r.text);
      o.set("selected", std::to_string(r.id) == selected);
      opts.push_back(o);
    }
    if (opts.empty()) continue;
    web::Data g;
    g.set("label", ctx.t("contribution.level_" + kLevels[i]));
    g.set("options", opts);
    out.push_back(g);
  }
  return out;
}

std::string theory_title(const Chain& c) { return c.theory.title; }

// ------------------------------------------------------------------ list and theory forms

http::Response list_page(Ctx& ctx) {
  if (!policy::can_read(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  web::List items;
  for (const auto& t : theories(w.scope())) {
    auto c = chain(w.scope(), t.id);
    web::Data d;
    d.set("title", t.title);
    d.set("question", t.question);
    d.set("href", theory_href(t.id));
    d.set("story_href", theory_href(t.id) + "/story");
    d.set("updated", web::format_date(ctx.lang, t.updated_at));
    std::int64_t done = 0;
    for (const auto& st : steps(*c))
      if (st.status == "done") ++done;
    d.set("progress", ctx.t("contribution.steps_done", {{"done", std::to_string(done)}, {"total", "6"}}));
    d.set("links", web::plural(ctx.app.catalogue, ctx.lang, "contribution.link_count", static_cast<std::int64_t>(c->links.size())));
    items.push_back(d);
  }
  web::Data d;
  d.set("theories", items);
  d.set("none", items.empty());
  d.set("can_edit", policy::can_edit(ctx.actor));
  return ctx.page(ctx.t("contribution.title"), "contribution/list", d);
}

struct TheoryInput {
  std::string title, question, summary;
};

http::Response theory_form(Ctx& ctx, const TheoryInput& in, std::optional<Theory> existing, const FormErrors& e,
                           int status) {
  web::Data d;
  e.fill(d);
  d.set("title", in.title);
  d.set("question", in.question);
  d.set("summary", in.summary);
  d.set("editing", existing.has_value());
  d.set("form_action", existing ? theory_href(existing->id) : kBase);
  d.set("back_href", existing ? theory_href(existing->id) : kBase);
  if (existing) d.set("version", std::to_string(existing->version));
  ctx.csrf();
  return ctx.page(ctx.t(existing ? "contribution.edit_title" : "contribution.new_title"), "contribution/theory_form", d,
                  status);
}

TheoryInput theory_input(Ctx& ctx) { return {ctx.field("title"), ctx.field("question"), ctx.field("summary")}; }

http::Response new_page(Ctx& ctx) {
  if (!policy::can_edit(ctx.actor)) return ctx.deny();
  return theory_form(ctx, {}, std::nullopt, {}, 200);
}

FormErrors one_error(Ctx& ctx, const Invalid& x) {
  FormErrors e;
  e.add(x.field, ctx.t("contribution." + x.key));
  return e;
}

// Every field problem of a theory form at once (the store stops at the first).
FormErrors theory_errors(Ctx& ctx, const TheoryInput& in) {
  FormErrors e;
  if (in.title.empty()) e.add("title", ctx.t("contribution.error_title"));
  else if (in.title.size() > kMaxTitle) e.add("title", ctx.t("contribution.error_too_long"));
  if (in.question.empty()) e.add("question", ctx.t("contribution.error_question"));
  else if (in.question.size() > kMaxText) e.add("question", ctx.t("contribution.error_too_long"));
  if (in.summary.size() > kMaxLong) e.add("summary", ctx.t("contribution.error_too_long"));
  return e;
}

http::Response create_submit(Ctx& ctx) {
  if (!policy::can_edit(ctx.actor)) return ctx.deny();
  auto in = theory_input(ctx);
  auto e = theory_errors(ctx, in);
  if (e.any()) return theory_form(ctx, in, std::nullopt, e, 400);
  auto w = ctx.work();
  auto id = create_theory(w.scope(), in.title, in.question, in.summary);
  w.commit();
  ctx.set_flash("contribution.flash_created");
  return http::Response::redirect(theory_href(id));
}

http::Response edit_page(Ctx& ctx) {
  if (!policy::can_edit(ctx.actor)) return ctx.deny();
  auto id = id_of(ctx, "id");
  if (!id) return ctx.not_found();
  std::optional<Theory> t;
  {
    auto w = ctx.read();
    t = get_theory(w.scope(), *id);
  }
  if (!t) return ctx.not_found();
  return theory_form(ctx, {t->title, t->question, t->summary}, t, {}, 200);
}

http::Response update_submit(Ctx& ctx) {
  if (!policy::can_edit(ctx.actor)) return ctx.deny();
  auto id = id_of(ctx, "id");
  if (!id) return ctx.not_found();
  auto in = theory_input(ctx);
  auto w = ctx.work();
  auto t = get_theory(w.scope(), *id);
  if (!t) return ctx.not_found();
  auto e = theory_errors(ctx, in);
  if (e.any()) return theory_form(ctx, in, t, e, 400);
  auto r = update_theory(w.scope(), *id, in.title, in.question, in.summary, parse_int(ctx.field("version")));
  if (r == Saved::not_found) return ctx.not_found();
  if (r == Saved::conflict) {
    FormErrors c;
    c.add("title", ctx.t("contribution.error_conflict"));
    return theory_form(ctx, in, t, c, 409);
  }
  w.commit();
  ctx.set_flash("contribution.flash_saved");
  return http::Response::redirect(theory_href(*id));
}

// ------------------------------------------------------------------ the theory page

struct TheoryForm {
  std::string level, statement, from, to;
};

http::Response theory_render(Ctx& ctx, std::int64_t id, const FormErrors& e, int status, const TheoryForm& in = {}) {
  auto w = ctx.read();
  auto c = chain(w.scope(), id);
  if (!c) return ctx.not_found();
  bool can_edit = policy::can_edit(ctx.actor);
  Live live(w.scope());
  web::Data d;
  e.fill(d);
  d.set("id", std::to_string(id));
  d.set("title", c->theory.title);
  d.set("question", c->theory.question);
  set_text(d, "summary", c->theory.summary);
  d.set("story_href", theory_href(id) + "/story");
  d.set("edit_href", theory_href(id) + "/edit");
  d.set("steps", steps_data(ctx, *c));
  web::List levels;
  for (std::size_t i = 0; i < kLevels.size(); ++i) {
    web::Data lv;
    lv.set("name", ctx.t("contribution.level_" + kLevels[i]));
    lv.set("hint", ctx.t("contribution.level_hint_" + kLevels[i]));
    lv.set("id", "level-" + kLevels[i]);
    web::List results;
    for (const auto& r : c->results) {
      if (r.level != kLevels[i]) continue;
      web::Data x;
      x.set("text", r.text);
      x.set("id", std::to_string(r.id));
      web::List onward;
      for (const auto& l : c->links) {
        if (l.from_result != r.id) continue;
        const Result* to = c->result(l.to_result);
        web::Data o;
        o.set("to_text", to ? to->text : "");
        o.set("href", link_href(id, l.id));
        o.set("confidence_label", ctx.t("contribution.confidence_" + l.confidence));
        o.set("confidence_class", confidence_class(l.confidence));
        o.set("evidence_count", web::plural(ctx.app.catalogue, ctx.lang, "contribution.evidence_count",
                                            static_cast<std::int64_t>(l.evidence.size())));
        onward.push_back(o);
      }
      x.set("links", onward);
      x.set("has_links", !onward.empty());
      if (can_edit) x.set("remove_action", theory_href(id) + "/results/" + std::to_string(r.id) + "/delete");
      results.push_back(x);
    }
    lv.set("results", results);
    lv.set("empty", results.empty());
    lv.set("last", i + 1 == kLevels.size());
    levels.push_back(lv);
  }
  d.set("levels", levels);
  d.set("can_edit", can_edit);
  if (can_edit) {
    d.set("level_options", level_options(ctx, in.level));
    d.set("statement_value", in.statement);
    d.set("from_groups", result_groups(ctx, *c, 0, kLevels.size() - 2, in.from));
    d.set("to_groups", result_groups(ctx, *c, 1, kLevels.size() - 1, in.to));
    d.set("can_link", c->results.size() >= 2);
    ctx.csrf();
  }
  return ctx.page(theory_title(*c), "contribution/theory", d, status);
}

http::Response theory_page(Ctx& ctx) {
  if (!policy::can_read(ctx.actor)) return ctx.deny();
  auto id = id_of(ctx, "id");
  if (!id) return ctx.not_found();
  return theory_render(ctx, *id, {}, 200);
}

http::Response result_submit(Ctx& ctx) {
  if (!policy::can_edit(ctx.actor)) return ctx.deny();
  auto id = id_of(ctx, "id");
  if (!id) return ctx.not_found();
  TheoryForm in{ctx.field("level"), ctx.field("statement"), "", ""};
  auto w = ctx.work();
  if (!get_theory(w.scope(), *id)) return ctx.not_found();
  FormErrors e;
  if (std::find(kLevels.begin(), kLevels.end(), in.level) == kLevels.end()) e.add("level", ctx.t("contribution.error_level"));
  if (in.statement.empty()) e.add("statement", ctx.t("contribution.error_statement"));
  else if (in.statement.size() > kMaxText) e.add("statement", ctx.t("contribution.error_too_long"));
  if (e.any()) return theory_render(ctx, *id, e, 400, in);
  add_result(w.scope(), *id, in.level, in.statement);
  w.commit();
  ctx.set_flash("contribution.flash_result");
  return http::Response::redirect(theory_href(*id) + "#level-" + in.level);
}

http::Response result_remove(Ctx& ctx) {
  if (!policy::can_edit(ctx.actor)) return ctx.deny();
  auto id = id_of(ctx, "id");
  auto rid = id_of(ctx, "rid");
  if (!id || !rid) return ctx.not_found();
  auto w = ctx.work();
  if (!remove_result(w.scope(), *id, *rid)) return ctx.not_found();
  w.commit();
  ctx.set_flash("contribution.flash_result_removed");
  return http::Response::redirect(theory_href(*id));
}

http::Response link_submit(Ctx& ctx) {
  if (!policy::can_edit(ctx.actor)) return ctx.deny();
  auto id = id_of(ctx, "id");
  if (!id) return ctx.not_found();
  TheoryForm in{"", "", ctx.field("from"), ctx.field("to")};
  auto w = ctx.work();
  if (!get_theory(w.scope(), *id)) return ctx.not_found();
  FormErrors e;
  auto from = parse_int(in.from), to = parse_int(in.to);
  if (!from) e.add("from", ctx.t("contribution.error_from"));
  if (!to) e.add("to", ctx.t("contribution.error_to"));
  if (e.any()) return theory_render(ctx, *id, e, 400, in);
  std::int64_t link;
  try {
    link = add_link(w.scope(), *id, *from, *to);
  } catch (const Invalid& x) {
    return theory_render(ctx, *id, one_error(ctx, x), 400, in);
  }
  w.commit();
  ctx.set_flash("contribution.flash_link");
  return http::Response::redirect(link_href(*id, link));
}

// ------------------------------------------------------------------ one link

struct LinkForm {
  std::map<std::string, std::string> values;
  std::string get(const std::string& k) const {
    auto it = values.find(k);
    return it == values.end() ? "" : it->second;
  }
};

// `only` names the one form to show (after a mistake in it: the page is short, so the error
// summary and the field are close together); empty shows the whole link.
http::Response link_render(Ctx& ctx, std::int64_t id, std::int64_t lid, const FormErrors& e, int status,
                           const LinkForm& in = {}, const std::string& only = "") {
  auto w = ctx.read();
  auto c = chain(w.scope(), id);
  if (!c) return ctx.not_found();
  const Link* l = c->link(lid);
  if (!l) return ctx.not_found();
  bool can_edit = policy::can_edit(ctx.actor);
  Live live(w.scope());
  web::Data d = link_data(ctx, *c, *l, live, can_edit);
  e.fill(d);
  d.set("theory_title", c->theory.title);
  d.set("theory_href", theory_href(id));
  d.set("can_edit", can_edit);
  set_text(d, "only", only);
  for (const char* form : {"assumption", "influence", "figure", "document", "quote", "confidence"})
    d.set(std::string("form_") + form, can_edit && (only.empty() || only == form));
  if (can_edit) {
    d.set("action_base", link_href(id, lid));
    for (const char* k : {"assumption", "influence", "figure_note", "doc_title", "doc_url", "doc_note", "quote_text",
                          "quote_who", "quote_note", "reason"})
      d.set(std::string("value_") + k, in.get(k));
    d.set("quote_consent_checked", in.get("quote_consent") == "yes");
    web::List figs;
    for (const auto& f : figures()) {
      web::Data o;
      o.set("value", f.key);
      o.set("label", ctx.t("contribution.figure_" + f.key) + " (" + figure_text(ctx, f, live.get(f)) + ")");
      o.set("selected", f.key == in.get("figure_key"));
      figs.push_back(o);
    }
    d.set("figure_options", figs);
    std::string chosen = in.get("confidence").empty() ? l->confidence : in.get("confidence");
    web::List conf;
    bool first = true;
    for (const auto& cf : kConfidence) {
      web::Data o;
      o.set("value", cf);
      o.set("label", ctx.t("contribution.confidence_" + cf));
      o.set("hint", ctx.t("contribution.confidence_hint_" + cf));
      o.set("checked", cf == chosen);
      o.set("input_id", first ? std::string("confidence") : "confidence-" + cf);
      first = false;
      conf.push_back(o);
    }
    d.set("confidence_options", conf);
    if (in.get("reason").empty() && in.values.empty()) d.set("value_reason", l->reason);
    d.set("remove_action", link_href(id, lid) + "/delete");
    ctx.csrf();
  }
  return ctx.page(ctx.t("contribution.link_title", {{"theory", c->theory.title}}), "contribution/link", d, status);
}

http::Response link_page(Ctx& ctx) {
  if (!policy::can_read(ctx.actor)) return ctx.deny();
  auto id = id_of(ctx, "id"), lid = id_of(ctx, "lid");
  if (!id || !lid) return ctx.not_found();
  return link_render(ctx, *id, *lid, {}, 200);
}

LinkForm link_form(Ctx& ctx) {
  LinkForm f;
  for (const auto& [k, v] : ctx.form())
    if (k != "csrf_token") f.values[k] = trim(v);
  return f;
}

// Runs a change to a link; an Invalid becomes the page again with the error, and what was typed.
template <class Fn>
http::Response link_change(Ctx& ctx, const char* flash, const std::string& form, Fn fn) {
  if (!policy::can_edit(ctx.actor)) return ctx.deny();
  auto id = id_of(ctx, "id"), lid = id_of(ctx, "lid");
  if (!id || !lid) return ctx.not_found();
  auto in = link_form(ctx);
  std::optional<Invalid> bad;
  std::optional<int> status;
  {
    // The write ends (committed, or rolled back on a mistake) before any page is drawn again:
    // drawing reads live figures, which must not wait on this transaction.
    auto w = ctx.work();
    if (!get_theory(w.scope(), *id)) return ctx.not_found();
    try {
      status = fn(w.scope(), *id, *lid, in);
    } catch (const Invalid& x) {
      bad = x;
    }
    if (!bad && !status) w.commit();
  }
  if (bad) {
    std::string only = form.empty() ? in.get("kind") : form;
    static const std::vector<std::string> forms = {"assumption", "influence", "figure", "document", "quote"};
    if (form.empty() && std::find(forms.begin(), forms.end(), only) == forms.end()) only.clear();
    return link_render(ctx, *id, *lid, one_error(ctx, *bad), 400, in, only);
  }
  if (status) {
    if (*status == 404) return ctx.not_found();
    FormErrors e;
    e.add("confidence", ctx.t("contribution.error_conflict"));
    return link_render(ctx, *id, *lid, e, *status, in, "confidence");
  }
  ctx.set_flash(flash);
  return http::Response::redirect(link_href(*id, *lid));
}

bool link_exists(store::Scope& s, std::int64_t id, std::int64_t lid) {
  auto c = chain(s, id);
  return c && c->link(lid);
}

http::Response note_submit(Ctx& ctx) {
  return link_change(ctx, "contribution.flash_note", "",
                     [](store::Scope& s, std::int64_t id, std::int64_t lid, const LinkForm& in) -> std::optional<int> {
                       if (!link_exists(s, id, lid)) return 404;
                       auto kind = in.get("kind");
                       if (kind != "assumption" && kind != "influence") throw Invalid("assumption", "error_note_kind");
                       add_note(s, id, lid, kind, in.get(kind));
                       return std::nullopt;
                     });
}

http::Response evidence_submit(Ctx& ctx) {
  return link_change(ctx, "contribution.flash_evidence", "",
                     [](store::Scope& s, std::int64_t id, std::int64_t lid, const LinkForm& in) -> std::optional<int> {
                       if (!link_exists(s, id, lid)) return 404;
                       Evidence e;
                       e.kind = in.get("kind");
                       e.figure_key = in.get("figure_key");
                       e.title = in.get("doc_title");
                       e.url = in.get("doc_url");
                       e.quote_text = in.get("quote_text");
                       e.quote_who = in.get("quote_who");
                       e.quote_consent = in.get("quote_consent") == "yes";
                       e.note = in.get(e.kind == "figure" ? "figure_note" : e.kind == "document" ? "doc_note" : "quote_note");
                       add_evidence(s, id, lid, e);
                       return std::nullopt;
                     });
}

http::Response confidence_submit(Ctx& ctx) {
  return link_change(ctx, "contribution.flash_rated", "confidence",
                     [](store::Scope& s, std::int64_t id, std::int64_t lid, const LinkForm& in) -> std::optional<int> {
                       auto r = rate(s, id, lid, in.get("confidence"), in.get("reason"), parse_int(in.get("version")));
                       if (r == Rated::not_found) return 404;
                       if (r == Rated::conflict) return 409;
                       return std::nullopt;
                     });
}

http::Response link_remove(Ctx& ctx) {
  if (!policy::can_edit(ctx.actor)) return ctx.deny();
  auto id = id_of(ctx, "id"), lid = id_of(ctx, "lid");
  if (!id || !lid) return ctx.not_found();
  auto w = ctx.work();
  if (!remove_link(w.scope(), *id, *lid)) return ctx.not_found();
  w.commit();
  ctx.set_flash("contribution.flash_link_removed");
  return http::Response::redirect(theory_href(*id));
}

// Removing a note or a piece of evidence returns to the link it was on.
template <class Find, class Remove>
http::Response part_remove(Ctx& ctx, const char* param, const char* flash, Find find_link, Remove remove) {
  if (!policy::can_edit(ctx.actor)) return ctx.deny();
  auto id = id_of(ctx, "id"), pid = id_of(ctx, param);
  if (!id || !pid) return ctx.not_found();
  auto w = ctx.work();
  auto c = chain(w.scope(), *id);
  if (!c) return ctx.not_found();
  auto lid = find_link(*c, *pid);
  if (!lid || !remove(w.scope(), *id, *pid)) return ctx.not_found();
  w.commit();
  ctx.set_flash(flash);
  return http::Response::redirect(link_href(*id, *lid));
}

http::Response note_remove(Ctx& ctx) {
  return part_remove(
      ctx, "nid", "contribution.flash_note_removed",
      [](const Chain& c, std::int64_t nid) -> std::optional<std::int64_t> {
        for (const auto& l : c.links)
          for (const auto& n : l.notes)
            if (n.id == nid) return l.id;
        return std::nullopt;
      },
      remove_note);
}

http::Response evidence_remove(Ctx& ctx) {
  return part_remove(
      ctx, "eid", "contribution.flash_evidence_removed",
      [](const Chain& c, std::int64_t eid) -> std::optional<std::int64_t> {
        for (const auto& l : c.links)
          for (const auto& e : l.evidence)
            if (e.id == eid) return l.id;
        return std::nullopt;
      },
      remove_evidence);
}

// ------------------------------------------------------------------ the contribution story

http::Response story_page(Ctx& ctx) {
  if (!policy::can_read(ctx.actor)) return ctx.deny();
  auto id = id_of(ctx, "id");
  if (!id) return ctx.not_found();
  auto w = ctx.read();
  auto c = chain(w.scope(), *id);
  if (!c) return ctx.not_found();
  Live live(w.scope());
  web::Data d;
  d.set("title", c->theory.title);
  d.set("question", c->theory.question);
  set_text(d, "summary", c->theory.summary);
  d.set("theory_href", theory_href(*id));
  d.set("made_on", web::format_date(ctx.lang, now_seconds()));
  d.set("updated", web::format_date(ctx.lang, c->theory.updated_at));
  web::List links, weak_links;
  std::int64_t counts[4] = {0, 0, 0, 0};
  for (const auto& l : c->links) {
    auto ld = link_data(ctx, *c, l, live, false);
    links.push_back(ld);
    auto at = std::find(kConfidence.begin(), kConfidence.end(), l.confidence) - kConfidence.begin();
    if (at >= 0 && at < 4) ++counts[at];
  }
  // Weakest first: not yet assessed, then low, then links with no evidence at all.
  std::vector<const Link*> order;
  for (const auto& l : c->links)
    if (weak(l)) order.push_back(&l);
  auto rank = [](const Link* l) {
    if (l->confidence == "not_assessed") return 0;
    if (l->confidence == "low") return 1;
    return 2;
  };
  std::stable_sort(order.begin(), order.end(), [&](const Link* a, const Link* b) { return rank(a) < rank(b); });
  for (const auto* l : order) weak_links.push_back(link_data(ctx, *c, *l, live, false));
  d.set("links", links);
  d.set("no_links", links.empty());
  d.set("weak_links", weak_links);
  d.set("has_weak", !weak_links.empty());
  web::List tally;
  for (std::size_t i = kConfidence.size(); i-- > 0;) {
    web::Data t;
    t.set("label", ctx.t("contribution.confidence_" + kConfidence[i]));
    t.set("class", confidence_class(kConfidence[i]));
    t.set("number", web::format_number(ctx.lang, counts[i]));
    tally.push_back(t);
  }
  d.set("tally", tally);
  d.set("steps", steps_data(ctx, *c));
  DiagramText text;
  text.title = ctx.t("contribution.diagram_title", {{"theory", c->theory.title}});
  text.desc = ctx.t("contribution.diagram_desc");
  text.empty_level = ctx.t("contribution.diagram_empty_level");
  text.level = [&](const std::string& lv) { return ctx.t("contribution.level_" + lv); };
  d.set("svg", chain_svg(*c, text));
  web::List levels;
  for (const auto& lv : kLevels) {
    web::Data x;
    x.set("name", ctx.t("contribution.level_" + lv));
    web::List rs;
    for (const auto& r : c->results)
      if (r.level == lv) {
        web::Data rd;
        rd.set("text", r.text);
        web::List to;
        for (const auto& l : c->links)
          if (l.from_result == r.id)
            if (const Result* t = c->result(l.to_result)) {
              web::Data td;
              td.set("text", t->text);
              td.set("confidence_label", ctx.t("contribution.confidence_" + l.confidence));
              td.set("anchor", "link-" + std::to_string(l.id));
              to.push_back(td);
            }
        rd.set("leads_to", to);
        rd.set("has_leads", !to.empty());
        rs.push_back(rd);
      }
    x.set("results", rs);
    x.set("empty", rs.empty());
    levels.push_back(x);
  }
  d.set("levels", levels);
  return ctx.page(ctx.t("contribution.story_title", {{"theory", c->theory.title}}), "contribution/story", d);
}

}  // namespace

void install_routes(app::App& a) {
  a.route("GET", kBase, "contribution.list", list_page);
  a.route("POST", kBase, "contribution.create", create_submit);
  a.route("GET", kBase + "/new", "contribution.new", new_page);
  a.route("GET", kBase + "/{id}", "contribution.show", theory_page);
  a.route("POST", kBase + "/{id}", "contribution.update", update_submit);
  a.route("GET", kBase + "/{id}/edit", "contribution.edit", edit_page);
  a.route("GET", kBase + "/{id}/story", "contribution.story", story_page);
  a.route("POST", kBase + "/{id}/results", "contribution.add_result", result_submit);
  a.route("POST", kBase + "/{id}/results/{rid}/delete", "contribution.remove_result", result_remove);
  a.route("POST", kBase + "/{id}/links", "contribution.add_link", link_submit);
  a.route("GET", kBase + "/{id}/links/{lid}", "contribution.link", link_page);
  a.route("POST", kBase + "/{id}/links/{lid}/notes", "contribution.add_note", note_submit);
  a.route("POST", kBase + "/{id}/links/{lid}/evidence", "contribution.add_evidence", evidence_submit);
  a.route("POST", kBase + "/{id}/links/{lid}/confidence", "contribution.rate", confidence_submit);
  a.route("POST", kBase + "/{id}/links/{lid}/delete", "contribution.remove_link", link_remove);
  a.route("POST", kBase + "/{id}/notes/{nid}/delete", "contribution.remove_note", note_remove);
  a.route("POST", kBase + "/{id}/evidence/{eid}/delete", "contribution.remove_evidence", evidence_remove);
  // No navigation entry of its own: the co-production toolkit page (/toolkit) links here.
}

void ContributionModule::install(app::App& a) { install_routes(a); }

}  // namespace cp::modules::contribution
