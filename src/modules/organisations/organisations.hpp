// The organisation directory ("spotlight"): who is in the partnership, what each does, what it
// knows, its role, its contacts and services. Pages at /organisations, JSON at /api/v1/organisations.
// Organisations are archived, never deleted.
#pragma once
#include <boost/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"

namespace cp::modules {

inline const std::vector<std::string> kOrganisationKinds = {
    "council", "nhs", "third_sector", "community_group", "social_enterprise", "education", "housing", "employer", "other"};

struct OrganisationInput {
  std::string name, kind, summary, expertise, partnership_role, services;
  std::string contact_name, contact_email, contact_phone, website, address;
  bool easy_read = false;  // show the summary as Easy Read
};

struct Organisation : OrganisationInput {
  std::int64_t id = 0;
  std::string slug;
  bool archived = false;
  std::int64_t created_at = 0, updated_at = 0, version = 1;
};

struct FieldProblem {
  std::string field, key;  // form field and catalogue key
};

struct OrganisationPage {
  std::vector<Organisation> items;
  std::int64_t total = 0;
};

// Who may do what with organisations. One place; handlers only ask.
namespace organisations_policy {
bool can_list(const std::optional<auth::Actor>& a);
bool can_view(const std::optional<auth::Actor>& a, const Organisation& o);
bool can_create(const std::optional<auth::Actor>& a);
bool can_edit(const std::optional<auth::Actor>& a, const Organisation& o);
bool can_archive(const std::optional<auth::Actor>& a, const Organisation& o);
}  // namespace organisations_policy

// Storage: every function works inside the caller's partnership Scope.
namespace organisations_store {
std::vector<FieldProblem> validate(const OrganisationInput& in);
OrganisationPage list(store::Scope& s, const std::string& q, std::int64_t page, std::int64_t per_page,
                      bool include_archived = false);
// The same page as list() without archived ones, in Welsh alphabetical order (web/collate.hpp).
OrganisationPage list_welsh(store::Scope& s, const std::string& q, std::int64_t page, std::int64_t per_page);
std::optional<Organisation> get(store::Scope& s, std::int64_t id);
// `slug` is made from the name when empty; a taken slug gets -2, -3 ...
std::int64_t create(store::Scope& s, const OrganisationInput& in, const std::string& slug = "");
std::optional<std::int64_t> find_by_slug(store::Scope& s, const std::string& slug);
enum class UpdateResult { ok, not_found, conflict };
UpdateResult update(store::Scope& s, std::int64_t id, const OrganisationInput& in, std::optional<std::int64_t> version);
bool archive(store::Scope& s, std::int64_t id);
std::vector<std::pair<std::string, std::int64_t>> count_by_kind(store::Scope& s);
// How many organisations are listed, and a number that changes with every organisation write.
struct DirectoryStats {
  std::int64_t active = 0, generation = 0;
};
DirectoryStats stats(store::Scope& s);
}  // namespace organisations_store

boost::json::object to_json(const Organisation& o);

class OrganisationsModule : public app::Module {
 public:
  std::string name() const override { return "organisations"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
};

}  // namespace cp::modules
