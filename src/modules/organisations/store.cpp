#include <algorithm>

#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/organisations/organisations.hpp"
#include "web/collate.hpp"

namespace cp::modules {

void OrganisationsModule::migrations(store::Migrations& m) const {
  m.add({"organisations", 1, "organisation directory",
         R"SQL(
CREATE TABLE organisations (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  slug TEXT NOT NULL,
  name TEXT NOT NULL,
  sort_name TEXT NOT NULL,
  kind TEXT NOT NULL,
  summary TEXT NOT NULL,
  expertise TEXT NOT NULL DEFAULT '',
  partnership_role TEXT NOT NULL DEFAULT '',
  services TEXT NOT NULL DEFAULT '',
  contact_name TEXT NOT NULL DEFAULT '',
  contact_email TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  website TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  search_text TEXT NOT NULL,
  archived INTEGER NOT NULL DEFAULT 0,
  archived_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  UNIQUE (partnership_id, slug),
  UNIQUE (partnership_id, id)
);
CREATE INDEX organisations_list ON organisations (partnership_id, archived, sort_name, id);
)SQL",
         {"organisations"}});
  // One row per partnership, changed in the same transaction as every organisation write: the
  // number listed (so the directory never counts 10,000 rows per page) and a generation number
  // that rendered pages are cached under.
  m.add({"organisations", 2, "directory counts and generation",
         R"SQL(
CREATE TABLE organisation_stats (
  partnership_id BIGINT PRIMARY KEY REFERENCES partnerships (id),
  active BIGINT NOT NULL DEFAULT 0,
  generation BIGINT NOT NULL DEFAULT 0
);
INSERT INTO organisation_stats (partnership_id, active, generation)
  SELECT partnership_id, SUM(CASE WHEN archived = 0 THEN 1 ELSE 0 END), 1 FROM organisations GROUP BY partnership_id;
)SQL",
         {"organisation_stats"}});
  // An author can ask for the summary to be shown as Easy Read (plain::easy_read: a sentence on
  // each line, large and well spaced).
  m.add({"organisations", 3, "easy read summaries",
         "ALTER TABLE organisations ADD COLUMN easy_read INTEGER NOT NULL DEFAULT 0;", {}});
}

namespace organisations_store {

namespace {

constexpr const char* kColumns =
    "id, slug, name, kind, summary, expertise, partnership_role, services, contact_name, contact_email,"
    " contact_phone, website, address, archived, created_at, updated_at, version, easy_read";

Organisation from_row(const store::Row& r) {
  Organisation o;
  o.id = r.i64(0);
  o.slug = r.text(1);
  o.name = r.text(2);
  o.kind = r.text(3);
  o.summary = r.text(4);
  o.expertise = r.text(5);
  o.partnership_role = r.text(6);
  o.services = r.text(7);
  o.contact_name = r.text(8);
  o.contact_email = r.text(9);
  o.contact_phone = r.text(10);
  o.website = r.text(11);
  o.address = r.text(12);
  o.archived = r.boolean(13);
  o.created_at = r.i64(14);
  o.updated_at = r.i64(15);
  o.version = r.i64(16);
  o.easy_read = r.boolean(17);
  return o;
}

std::string search_text(const OrganisationInput& in) {
  return to_lower(in.name + "\n" + in.summary + "\n" + in.expertise + "\n" + in.partnership_role + "\n" + in.services);
}


// Adds `change` to the listed count and bumps the generation, in the caller's transaction.
void bump_stats(store::Scope& s, std::int64_t change) {
  s.bookkeeping(
      "INSERT INTO organisation_stats (partnership_id, active, generation) VALUES ($1, $2, 1)"
      " ON CONFLICT (partnership_id) DO UPDATE SET active = organisation_stats.active + $2,"
      " generation = organisation_stats.generation + 1",
      {change});
}

bool valid_phone(const std::string& p) {
  return std::all_of(p.begin(), p.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == ' ' || c == '+' || c == '(' || c == ')' || c == '-';
  });
}

}  // namespace

std::vector<FieldProblem> validate(const OrganisationInput& in) {
  std::vector<FieldProblem> p;
  auto too_long = [&](const std::string& v, std::size_t max, const char* field) {
    if (v.size() > max) p.push_back({field, std::string("organisations.error_") + field + "_long"});
  };
  if (in.name.empty()) p.push_back({"name", "organisations.error_name_missing"});
  too_long(in.name, 200, "name");
  if (std::find(kOrganisationKinds.begin(), kOrganisationKinds.end(), in.kind) == kOrganisationKinds.end())
    p.push_back({"kind", "organisations.error_kind_missing"});
  if (in.summary.empty()) p.push_back({"summary", "organisations.error_summary_missing"});
  too_long(in.summary, 1000, "summary");
  too_long(in.expertise, 2000, "expertise");
  too_long(in.partnership_role, 2000, "partnership_role");
  too_long(in.services, 5000, "services");
  too_long(in.contact_name, 200, "contact_name");
  if (!in.contact_email.empty() && !AccountsModule::valid_email(in.contact_email))
    p.push_back({"contact_email", "organisations.error_contact_email_invalid"});
  if (!in.contact_phone.empty() && (!valid_phone(in.contact_phone) || in.contact_phone.size() > 30))
    p.push_back({"contact_phone", "organisations.error_contact_phone_invalid"});
  // Only web links: a javascript: or data: address must never become a link on the page.
  if (!in.website.empty() && ((!starts_with(to_lower(in.website), "https://") && !starts_with(to_lower(in.website), "http://")) ||
                              in.website.size() > 300 || in.website.find_first_of(" <>\"") != std::string::npos))
    p.push_back({"website", "organisations.error_website_invalid"});
  too_long(in.address, 500, "address");
  return p;
}

OrganisationPage list(store::Scope& s, const std::string& q, std::int64_t page, std::int64_t per_page,
                      bool include_archived) {
  OrganisationPage out;
  std::int64_t offset = (std::max<std::int64_t>(page, 1) - 1) * per_page;
  // `archived = 0` (an equality) lets the (partnership_id, archived, sort_name) index give the order;
  // a range such as `archived <= 1` would sort every row on each request. Listing archived ones too
  // is rare (admin views), so that variant just drops the condition.
  const std::string cols = std::string("SELECT ") + kColumns;
  const std::string which = include_archived ? "" : " AND archived = 0";
  if (q.empty()) {
    if (include_archived)
      out.total = s.read("SELECT COUNT(*) FROM organisations WHERE partnership_id = $1").one().i64(0);
    else
      out.total = stats(s).active;
    auto r = s.read(cols + " FROM organisations WHERE partnership_id = $1" + which +
                        " ORDER BY sort_name, id LIMIT $2 OFFSET $3",
                    {per_page, offset});
    for (const auto& row : r.rows) out.items.push_back(from_row(row));
    return out;
  }
  auto pattern = like_contains(q);
  out.total = s.read("SELECT COUNT(*) FROM organisations WHERE partnership_id = $1" + which +
                         " AND search_text LIKE $2 ESCAPE '\\'",
                     {pattern})
                  .one()
                  .i64(0);
  // Names that match come before organisations that only mention the words.
  auto r = s.read(cols + " FROM organisations WHERE partnership_id = $1" + which + " AND search_text LIKE $2"
                         " ESCAPE '\\' ORDER BY CASE WHEN sort_name LIKE $2 ESCAPE '\\' THEN 0 ELSE 1 END, sort_name, id"
                         " LIMIT $3 OFFSET $4",
                  {pattern, per_page, offset});
  for (const auto& row : r.rows) out.items.push_back(from_row(row));
  return out;
}

OrganisationPage list_welsh(store::Scope& s, const std::string& q, std::int64_t page, std::int64_t per_page) {
  // The database's order is by bytes (or its own locale), never Welsh, so the names are sorted
  // here: every matching id and name is read (a few milliseconds for thousands; the list page
  // caches what it renders) and only the page's rows are read in full.
  OrganisationPage out;
  struct Item {
    std::int64_t id;
    int rank;
    std::string key;
  };
  std::vector<Item> items;
  store::Result r = q.empty()
      ? s.read("SELECT id, name, 0 FROM organisations WHERE partnership_id = $1 AND archived = 0")
      : s.read("SELECT id, name, CASE WHEN sort_name LIKE $2 ESCAPE '\\' THEN 0 ELSE 1 END FROM organisations"
               " WHERE partnership_id = $1 AND archived = 0 AND search_text LIKE $2 ESCAPE '\\'",
               {like_contains(q)});
  items.reserve(r.rows.size());
  for (const auto& row : r.rows) items.push_back({row.i64(0), static_cast<int>(row.i64(2)), web::welsh_sort_key(row.text(1))});
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return std::tie(a.rank, a.key, a.id) < std::tie(b.rank, b.key, b.id);
  });
  out.total = static_cast<std::int64_t>(items.size());
  std::int64_t offset = (std::max<std::int64_t>(page, 1) - 1) * per_page;
  for (std::int64_t i = offset; i < out.total && i < offset + per_page; ++i)
    if (auto o = get(s, items[static_cast<std::size_t>(i)].id)) out.items.push_back(std::move(*o));
  return out;
}

std::optional<Organisation> get(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string("SELECT ") + kColumns + " FROM organisations WHERE partnership_id = $1 AND id = $2", {id});
  if (r.empty()) return std::nullopt;
  return from_row(r.one());
}

std::optional<std::int64_t> find_by_slug(store::Scope& s, const std::string& slug) {
  auto r = s.read("SELECT id FROM organisations WHERE partnership_id = $1 AND slug = $2", {slug});
  if (r.empty()) return std::nullopt;
  return r.one().i64(0);
}

std::int64_t create(store::Scope& s, const OrganisationInput& in, const std::string& wanted_slug) {
  std::string base = slugify(wanted_slug.empty() ? in.name : wanted_slug);
  if (base.empty()) base = "organisation";
  auto now = now_seconds();
  // The unique (partnership_id, slug) constraint finds a taken slug; then try -2, -3 ... A probe
  // with SELECT first would cost a round trip and, as a prepared statement planned on an empty
  // table, can end up scanning every organisation on PostgreSQL.
  for (int n = 1;; ++n) {
    std::string slug = n == 1 ? base : base + "-" + std::to_string(n);
    auto id = s.insert({"organisation.create", "organisation", std::nullopt, ""},
                       "INSERT INTO organisations (partnership_id, slug, name, sort_name, kind, summary, expertise,"
                       " partnership_role, services, contact_name, contact_email, contact_phone, website, address,"
                       " search_text, created_at, updated_at, easy_read) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
                       " $11, $12, $13, $14, $15, $16, $16, $17) ON CONFLICT (partnership_id, slug) DO NOTHING RETURNING id",
                       {slug, in.name, to_lower(in.name), in.kind, in.summary, in.expertise, in.partnership_role,
                        in.services, in.contact_name, to_lower(in.contact_email), in.contact_phone, in.website,
                        in.address, search_text(in), now, std::int64_t{in.easy_read ? 1 : 0}});
    if (id != 0) {
      bump_stats(s, 1);
      return id;
    }
  }
}

UpdateResult update(store::Scope& s, std::int64_t id, const OrganisationInput& in, std::optional<std::int64_t> version) {
  auto current = get(s, id);
  if (!current || current->archived) return UpdateResult::not_found;
  if (version && *version != current->version) return UpdateResult::conflict;
  // The version check is repeated in the UPDATE so that two saves racing each other cannot both win.
  auto n = s.write({"organisation.update", "organisation", id, ""},
                   "UPDATE organisations SET name = $2, sort_name = $3, kind = $4, summary = $5, expertise = $6,"
                   " partnership_role = $7, services = $8, contact_name = $9, contact_email = $10, contact_phone = $11,"
                   " website = $12, address = $13, search_text = $14, updated_at = $15, version = version + 1,"
                   " easy_read = $18 WHERE partnership_id = $1 AND id = $16 AND version = $17 AND archived = 0",
                   {in.name, to_lower(in.name), in.kind, in.summary, in.expertise, in.partnership_role, in.services,
                    in.contact_name, to_lower(in.contact_email), in.contact_phone, in.website, in.address,
                    search_text(in), now_seconds(), id, current->version, std::int64_t{in.easy_read ? 1 : 0}});
  if (n != 1) return UpdateResult::conflict;
  bump_stats(s, 0);
  return UpdateResult::ok;
}

bool archive(store::Scope& s, std::int64_t id) {
  auto now = now_seconds();
  bool done = s.write({"organisation.archive", "organisation", id, ""},
                      "UPDATE organisations SET archived = 1, archived_at = $2, updated_at = $2, version = version + 1"
                      " WHERE partnership_id = $1 AND id = $3 AND archived = 0",
                      {now, id}) == 1;
  if (done) bump_stats(s, -1);
  return done;
}

DirectoryStats stats(store::Scope& s) {
  auto r = s.read("SELECT active, generation FROM organisation_stats WHERE partnership_id = $1");
  if (r.empty()) return {};
  return {r.one().i64(0), r.one().i64(1)};
}

std::vector<std::pair<std::string, std::int64_t>> count_by_kind(store::Scope& s) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  auto r = s.read("SELECT kind, COUNT(*) FROM organisations WHERE partnership_id = $1 AND archived = 0 GROUP BY kind ORDER BY kind");
  for (const auto& row : r.rows) out.emplace_back(row.text(0), row.i64(1));
  return out;
}

}  // namespace organisations_store

boost::json::object to_json(const Organisation& o) {
  boost::json::object j;
  j["id"] = o.id;
  j["slug"] = o.slug;
  j["name"] = o.name;
  j["kind"] = o.kind;
  j["summary"] = o.summary;
  j["expertise"] = o.expertise;
  j["partnership_role"] = o.partnership_role;
  j["services"] = o.services;
  boost::json::object contact;
  contact["name"] = o.contact_name;
  contact["email"] = o.contact_email;
  contact["phone"] = o.contact_phone;
  j["contact"] = contact;
  j["website"] = o.website;
  j["address"] = o.address;
  j["archived"] = o.archived;
  j["easy_read"] = o.easy_read;
  j["created_at"] = format_iso8601(o.created_at);
  j["updated_at"] = format_iso8601(o.updated_at);
  j["version"] = o.version;
  return j;
}

}  // namespace cp::modules
