// Welsh text for services and assets: storage, the "Edit the words" form, and carrying the Welsh
// through the directory's own backup and restore (see welsh.hpp for the format).
#include "modules/directory/welsh.hpp"

#include <set>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "modules/directory/fields.hpp"
#include "modules/plain/web.hpp"

namespace cp::modules::directory_welsh {

namespace json = boost::json;
namespace tab = directory_tabular;
using directory_store::ImportError;

namespace {
constexpr std::size_t kName = 200, kDescription = 4000;

store::Value text_or_null(const std::string& v) { return v.empty() ? store::Value(nullptr) : store::Value(v); }

Service from_row(const store::Row& r) {
  Service s;
  s.id = r.i64(0);
  s.organisation_id = r.opt_i64(1);
  s.uuid = r.text(2);
  s.asset_kind = r.text(3);
  s.status = r.text(4);
  s.texts = {r.text(5), r.text(6), r.text(7), r.text(8)};
  return s;
}

const char* kServiceColumns =
    "SELECT id, organisation_id, uuid, asset_kind, status, name, description, name_cy, description_cy"
    " FROM directory_services WHERE partnership_id = $1";
}  // namespace

void migrations(store::Migrations& m) {
  // Empty rather than NULL when there is no Welsh, as web/bilingual.hpp expects.
  m.add({"directory_welsh", 1, "Welsh names and descriptions for services and suggested assets",
         R"SQL(
ALTER TABLE directory_services ADD COLUMN name_cy TEXT NOT NULL DEFAULT '';
ALTER TABLE directory_services ADD COLUMN description_cy TEXT NOT NULL DEFAULT '';
ALTER TABLE directory_services ADD COLUMN search_text_cy TEXT NOT NULL DEFAULT '';
ALTER TABLE directory_asset_suggestions ADD COLUMN name_cy TEXT NOT NULL DEFAULT '';
ALTER TABLE directory_asset_suggestions ADD COLUMN what_cy TEXT NOT NULL DEFAULT '';
)SQL",
         {}});
}

std::string search_words(const std::string& name_cy, const std::string& description_cy) {
  if (trim(name_cy).empty() && trim(description_cy).empty()) return "";
  return to_lower(name_cy + "\n" + description_cy);
}

bool welsh_missing(const Texts& t) {
  return trim(t.name_cy).empty() || (!trim(t.description).empty() && trim(t.description_cy).empty());
}

bool english_missing(const Texts& t) {
  return trim(t.name).empty() || (!trim(t.description_cy).empty() && trim(t.description).empty());
}

std::optional<Service> by_uuid(store::Scope& s, const std::string& uuid) {
  if (!directory_fields::is_uuid(uuid)) return std::nullopt;
  auto r = s.read(std::string(kServiceColumns) + " AND uuid = $2", {to_lower(uuid)});
  if (r.empty()) return std::nullopt;
  return from_row(r.one());
}

std::map<std::int64_t, Texts> welsh_of(store::Scope& s, const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, Texts> out;
  if (ids.empty()) return out;
  std::string sql = "SELECT id, name_cy, description_cy FROM directory_services WHERE partnership_id = $1 AND id IN (";
  store::Params p;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    p.push_back(ids[i]);
    sql += (i ? ", $" : "$") + std::to_string(i + 2);
  }
  sql += ") AND (name_cy <> '' OR description_cy <> '')";
  for (const auto& r : s.read(sql, p).rows) {
    Texts t;
    t.name_cy = r.text(1);
    t.description_cy = r.text(2);
    out.emplace(r.i64(0), std::move(t));
  }
  return out;
}

std::vector<Service> of_organisation(store::Scope& s, std::int64_t organisation_id) {
  std::vector<Service> out;
  for (const auto& r : s.read(std::string(kServiceColumns) + " AND organisation_id = $2 ORDER BY name, id LIMIT 500",
                              {organisation_id})
                           .rows)
    out.push_back(from_row(r));
  return out;
}

std::vector<Problem> validate(const Texts& t) {
  std::vector<Problem> out;
  if (trim(t.name).empty()) out.push_back({"name", "directory.error_name_missing"});
  if (t.name.size() > kName) out.push_back({"name", "directory.error_too_long_short"});
  if (t.description.size() > kDescription) out.push_back({"description", "directory.error_too_long_text"});
  if (t.name_cy.size() > kName) out.push_back({"name_cy", "directory.error_too_long_short"});
  if (t.description_cy.size() > kDescription) out.push_back({"description_cy", "directory.error_too_long_text"});
  return out;
}

bool save(store::Scope& s, std::int64_t service_id, const Texts& t, std::int64_t now) {
  return s.write({"directory.service_text", "directory_service", service_id,
                  t.name_cy.empty() ? "no welsh name" : "welsh name"},
                 "UPDATE directory_services SET name = $3, description = $4, name_cy = $5, description_cy = $6,"
                 " search_text = $7, search_text_cy = $8, last_modified = $9, modified_at = $10"
                 " WHERE partnership_id = $1 AND id = $2",
                 {service_id, t.name, text_or_null(t.description), t.name_cy, t.description_cy,
                  to_lower(t.name + "\n" + t.description), search_words(t.name_cy, t.description_cy),
                  format_iso8601(now), now}) == 1;
}

void set_welsh(store::Scope& s, std::int64_t service_id, const std::string& name_cy, const std::string& description_cy) {
  s.write({"directory.service_welsh", "directory_service", service_id, ""},
          "UPDATE directory_services SET name_cy = $3, description_cy = $4, search_text_cy = $5"
          " WHERE partnership_id = $1 AND id = $2",
          {service_id, name_cy, description_cy, search_words(name_cy, description_cy)});
}

// ---------------------------------------------------------------- backup and restore

namespace {
const std::vector<std::string> kColumns = {"service_id", "language", "name", "description"};
const char* kResource = "translations";
const char* kFile = "translations.csv";

std::string str(const json::object& o, const char* k) {
  const auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
}  // namespace

void read_into(store::Scope& s, tab::Tables& t) {
  auto& out = t[kResource];
  for (const auto& r : s.read("SELECT uuid, name_cy, description_cy FROM directory_services WHERE partnership_id = $1"
                              " AND (name_cy <> '' OR description_cy <> '') ORDER BY id")
                           .rows) {
    tab::Rec rec;
    rec.v["service_id"] = r.text(0);
    rec.v["language"] = "cy";
    if (!r.text(1).empty()) rec.v["name"] = r.text(1);
    if (!r.text(2).empty()) rec.v["description"] = r.text(2);
    out.push_back(std::move(rec));
  }
}

void write_csv(const tab::Tables& t, std::map<std::string, std::string>& files, json::array& resources) {
  auto it = t.find(kResource);
  if (it == t.end() || it->second.empty()) return;
  std::string text = "service_id,language,name,description\r\n";
  for (const auto& r : it->second) {
    for (std::size_t i = 0; i < kColumns.size(); ++i) text += (i ? "," : "") + tab::csv_cell(str(r.v, kColumns[i].c_str()));
    text += "\r\n";
  }
  files[kFile] = std::move(text);
  json::array fields;
  for (const auto& c : kColumns) fields.push_back(json::object{{"name", c}, {"type", "string"}});
  // Not an HSDS table: a consumer that knows only HSDS ignores it, and ours reads it back.
  resources.push_back(json::object{{"name", kResource},
                                   {"path", kFile},
                                   {"profile", "tabular-data-resource"},
                                   {"description", "Welsh (cy) names and descriptions of services; not part of HSDS"},
                                   {"schema", json::object{{"fields", std::move(fields)}, {"primaryKey", json::array{"service_id", "language"}}}}});
}

void parse_csv(const std::map<std::string, std::string>& files, const std::map<std::string, std::string>& path_of,
               tab::Tables& t) {
  std::string file = path_of.count(kResource) ? path_of.at(kResource) : kFile;
  auto it = files.find(file);
  if (it == files.end()) return;
  auto records = tab::parse_csv(it->second, file);
  if (records.empty()) return;
  std::map<std::string, std::size_t> col;
  for (std::size_t i = 0; i < records[0].cells.size(); ++i) col[to_lower(trim(records[0].cells[i]))] = i;
  for (const char* need : {"service_id", "language"})
    if (!col.count(need)) throw tab::TabularError(file, 1, need, "directory.error_missing");
  auto& out = t[kResource];
  for (std::size_t k = 1; k < records.size(); ++k) {
    const auto& rec = records[k];
    tab::Rec r;
    r.file = file;
    r.line = rec.line;
    for (const auto& c : kColumns) {
      auto ci = col.find(c);
      if (ci == col.end() || ci->second >= rec.cells.size() || rec.cells[ci->second].empty()) continue;
      r.v[c] = rec.cells[ci->second];
    }
    out.push_back(std::move(r));
  }
}

void nest_into(const tab::Tables& t, tab::Nested& n) {
  auto it = t.find(kResource);
  if (it == t.end() || it->second.empty()) return;
  json::array a;
  for (const auto& r : it->second) {
    n.where["translations[" + std::to_string(a.size()) + "]"] = &r;
    a.push_back(r.v);
  }
  n.feed["translations"] = std::move(a);
}

void import_from(store::Scope& s, const json::object& feed) {
  const auto* v = feed.if_contains("translations");
  if (!v || v->is_null()) return;
  if (!v->is_array()) throw ImportError("translations", "directory.error_not_list");
  std::set<std::string> seen;
  const auto& a = v->as_array();
  for (std::size_t i = 0; i < a.size(); ++i) {
    std::string p = "translations[" + std::to_string(i) + "]";
    if (!a[i].is_object()) throw ImportError(p, "directory.error_not_object");
    const auto& o = a[i].as_object();
    for (const char* k : {"service_id", "language", "name", "description"})
      if (const auto* f = o.if_contains(k); f && !f->is_null() && !f->is_string())
        throw ImportError(p + "." + k, "directory.error_not_text");
    std::string id = to_lower(str(o, "service_id")), lang = str(o, "language");
    if (id.empty()) throw ImportError(p + ".service_id", "directory.error_missing");
    if (!directory_fields::is_uuid(id)) throw ImportError(p + ".service_id", "directory.error_not_uuid");
    if (lang != "cy") throw ImportError(p + ".language", "directory.error_translation_language");
    if (!seen.insert(id).second) throw ImportError(p + ".service_id", "directory.error_duplicate_id");
    std::string name = str(o, "name"), description = str(o, "description");
    if (name.size() > kName || description.size() > kDescription)
      throw ImportError(p + (name.size() > kName ? ".name" : ".description"), "directory.error_too_long");
    auto r = s.read("SELECT id FROM directory_services WHERE partnership_id = $1 AND uuid = $2", {id});
    if (r.empty()) throw ImportError(p + ".service_id", "directory.error_unknown_service");
    set_welsh(s, r.one().i64(0), name, description);
  }
}

}  // namespace cp::modules::directory_welsh

// ---------------------------------------------------------------- the "Edit the words" form

namespace cp::modules {

namespace {

using app::Ctx;
using app::FormErrors;
namespace welsh = directory_welsh;

welsh::Texts texts_from_form(Ctx& ctx) {
  return {ctx.field("name"), ctx.field("description"), ctx.field("name_cy"), ctx.field("description_cy")};
}

http::Response text_form(Ctx& ctx, const welsh::Service& sv, const welsh::Texts& in, const FormErrors& errors,
                         int status, bool check = false) {
  web::Data d;
  errors.fill(d);
  d.set("uuid", sv.uuid);
  d.set("name", in.name);
  d.set("description", in.description);
  d.set("name_cy", in.name_cy);
  d.set("description_cy", in.description_cy);
  d.set("shown_name", web::bilingual_data(sv.name(), ctx.lang));
  // What is missing now, as saved, so the author knows which version still needs writing.
  bool cy_missing = trim(sv.texts.name_cy).empty() && trim(sv.texts.description_cy).empty();
  d.set("welsh_missing", cy_missing);
  plain::form_support(ctx, d);
  // Each field is checked in its own language: the Welsh ones get sentence length and jargon only.
  if (check)
    d.set("plain", plain::check_fields(ctx, {{"description", ctx.t("directory.field_description"), in.description, "en"},
                                             {"description_cy", ctx.t("directory.field_description_cy"), in.description_cy, "cy"}}));
  ctx.csrf();
  std::string title = ctx.t("directory.text_title");
  if (errors.any()) title = ctx.t("directory.error_title", {{"title", title}});
  return ctx.page(title, "directory/services_text", d, status);
}

http::Response text_page(Ctx& ctx) {
  std::optional<welsh::Service> sv;
  {
    auto w = ctx.read();
    sv = welsh::by_uuid(w.scope(), ctx.req.path_params["id"]);
  }
  if (!sv) return ctx.not_found();
  if (!directory_policy::can_edit_text(ctx.actor, sv->organisation_id)) return ctx.deny();
  return text_form(ctx, *sv, sv->texts, {}, 200);
}

http::Response text_submit(Ctx& ctx) {
  auto w = ctx.work();
  auto sv = welsh::by_uuid(w.scope(), ctx.req.path_params["id"]);
  if (!sv) return ctx.not_found();
  if (!directory_policy::can_edit_text(ctx.actor, sv->organisation_id)) return ctx.deny();
  auto in = texts_from_form(ctx);
  if (ctx.field("action") == "check") return text_form(ctx, *sv, in, {}, 200, true);
  auto problems = welsh::validate(in);
  if (!problems.empty()) {
    FormErrors e;
    for (const auto& p : problems) e.add(p.field, ctx.t(p.key));
    return text_form(ctx, *sv, in, e, 400);
  }
  welsh::save(w.scope(), sv->id, in, now_seconds());
  w.commit();
  ctx.set_flash("directory.flash_text_saved");
  return http::Response::redirect("/services/" + sv->uuid);
}

}  // namespace

void directory_welsh_seed_demo(store::Scope& s) {
  // Enough to show a Welsh reader both cases: these in Welsh, the rest only in English.
  static const struct {
    const char *uuid, *name, *description;
  } kDemo[] = {
      {"da491e98-6bce-4b96-82e8-ac7e3b26c4d3", "Cyngor ar arian a dyled",
       "Cyngor am ddim a phreifat am ddyled, biliau a phoeni am arian. Gallwn siarad â'r bobl mae arnoch chi arian iddyn nhw."},
      {"3dc26d9b-a350-40dc-b5ed-b2047c6a0e2a", "Gwirio budd-daliadau",
       "Rydyn ni'n gwirio eich bod yn cael pob budd-dal y dylech ei gael, ac yn eich helpu i wneud cais."},
      {"eeb2a36b-0acd-4c0b-85f9-06b714c93138", "Cerddwyr glan môr Lowhaven",
       "Taith gerdded hamddenol ar hyd y traeth bob wythnos. Da i'r corff a'r meddwl. Mae pob taith yn para tua awr."},
      {"43de9b07-db62-48b6-8bf3-3533bd481866", "Lle cynnes Lowhaven",
       "Ystafell gynnes a chyfeillgar gyda chawl a the yn y gaeaf."},
      {"3416a51e-3178-41cf-8fce-b2d9598d9ec4", "Galw heibio i stopio ysmygu",
       "Help a moddion am ddim i stopio ysmygu. Dewch draw."},
      {"657fd8e6-8a0c-45ca-9d69-5a5132d366c1", "Bore coffi i ofalwyr",
       "Dewch i gwrdd â gofalwyr eraill am de, cacen a sgwrs."},
      {"7bdfb5cf-0286-4dd3-86b8-3f4693d884b6", "Aros a chwarae i rieni",
       "Dewch â'ch plant bach i chwarae tra byddwch chi'n cael paned a sgwrs gyda rhieni eraill."},
  };
  for (const auto& d : kDemo) {
    auto r = s.read("SELECT id FROM directory_services WHERE partnership_id = $1 AND uuid = $2 AND name_cy = ''",
                    {std::string(d.uuid)});
    if (!r.empty()) directory_welsh::set_welsh(s, r.one().i64(0), d.name, d.description);
  }
}

void install_directory_welsh(app::App& a) {
  a.route("GET", "/services/{id}/text", "directory.text", text_page);
  a.route("POST", "/services/{id}/text", "directory.text_submit", text_submit);
  // The Welsh descriptions go into the "hardest to read" report beside the English ones, checked
  // as Welsh (sentence length and jargon only).
  plain::register_texts("directory_cy", [](store::Scope& s) {
    std::vector<plain::PublishedText> out;
    for (const auto& r : s.read("SELECT uuid, name, name_cy, description_cy FROM directory_services"
                                " WHERE partnership_id = $1 AND description_cy <> ''"
                                " AND status IN ('active', 'temporarily closed') ORDER BY id LIMIT 5000")
                             .rows)
      out.push_back({r.text(2).empty() ? r.text(1) : r.text(2), "/services/" + r.text(0), r.text(3), "cy"});
    return out;
  });
}

}  // namespace cp::modules
