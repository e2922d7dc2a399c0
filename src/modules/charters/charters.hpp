// Co-production charters: how a partnership's people and staff agree to work together. A charter
// has six sections (roles, responsibilities, what the agency commits to provide, how disagreements
// are resolved, expenses, recognition). Every edit makes a new numbered version; old versions stay
// readable, each with a "what changed" list per section. Staff publish a version as the current one;
// members sign (agree to) a version. Anyone whose signature is missing or older than the current
// version is asked to read it: needs_signature() tells other pages so they can say so too.
//
// Welsh: the title and every version's sections may also be written in Welsh (`*_cy`, empty when
// absent, web/bilingual.hpp). A reader who chose Welsh sees the Welsh where there is some and the
// English, marked as English, where there is not. A version is new when either language changes,
// and its "what changed" list compares each language with the version before.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"

namespace cp::modules::charters {

// The sections, in the order they are shown; each is a column of charter_versions.
inline const std::vector<std::string> kSections = {"roles",        "responsibilities", "agency_commits",
                                                   "disagreements", "expenses",         "recognition"};

struct Charter {
  std::int64_t id = 0;
  std::string title;
  std::optional<std::int64_t> current_version_id;
  std::int64_t created_at = 0;
  std::string title_cy;
};

struct Version {
  std::int64_t id = 0, charter_id = 0, number = 0;
  std::vector<std::string> sections;  // in kSections order
  std::string change_note;
  std::int64_t created_by = 0, created_at = 0;
  std::optional<std::int64_t> published_at;
  std::vector<std::string> sections_cy;  // the Welsh, in kSections order ("" where there is none)
};

struct Signature {
  std::int64_t version_id = 0, version_number = 0, charter_id = 0, user_id = 0, signed_at = 0;
};

// A charter this person should read and sign: they have not signed it, or signed an older version.
struct Pending {
  std::int64_t charter_id = 0;
  std::string title, href;
  std::int64_t current_number = 0;
  std::int64_t signed_number = 0;  // 0: never signed
  std::string title_cy;             // the Welsh title, "" when there is none
};

// Every published charter the account has not signed at its current version (one short query).
std::vector<Pending> needs_signature(store::Scope& s, std::int64_t user_id);

// One line of a section's "what changed" list: a paragraph kept, added or taken out.
struct DiffLine {
  std::string kind;  // "same", "added", "removed"
  std::string text;
};
// Paragraph by paragraph (lines, blank ones ignored), by longest common subsequence.
std::vector<DiffLine> diff(const std::string& before, const std::string& after);

namespace policy {
bool can_read(const std::optional<auth::Actor>& a);    // anyone signed in
bool can_sign(const std::optional<auth::Actor>& a);    // anyone signed in
bool can_manage(const std::optional<auth::Actor>& a);  // admins, managers, commissioners
}  // namespace policy

namespace store_fn {
// A new charter with its first version (a draft). Throws std::invalid_argument without a title.
// `sections_cy` is empty (no Welsh) or has one entry per section.
std::int64_t create(store::Scope& s, const std::string& title, const std::vector<std::string>& sections,
                    std::int64_t by, const std::string& title_cy = "", const std::vector<std::string>& sections_cy = {});
// Sets the Welsh title; false when it was already that.
bool set_title_cy(store::Scope& s, std::int64_t charter_id, const std::string& title_cy);
std::vector<Charter> charters(store::Scope& s);
std::optional<Charter> charter(store::Scope& s, std::int64_t id);
std::optional<Version> version(store::Scope& s, std::int64_t version_id);
std::vector<Version> versions(store::Scope& s, std::int64_t charter_id);  // newest first
std::optional<Version> latest(store::Scope& s, std::int64_t charter_id);
// A new version from edited sections; nullopt when nothing differs from the latest version in
// either language. `sections_cy` is empty (no Welsh) or has one entry per section.
std::optional<std::int64_t> revise(store::Scope& s, std::int64_t charter_id, const std::vector<std::string>& sections,
                                   const std::string& change_note, std::int64_t by,
                                   const std::vector<std::string>& sections_cy = {});
// Makes the version current (publishing it if it was a draft).
void publish(store::Scope& s, const Version& v);
enum class Signed { ok, already, not_current };
// Signs the charter's current version only.
Signed sign(store::Scope& s, std::int64_t version_id, std::int64_t user_id);
std::vector<Signature> signatures(store::Scope& s, std::int64_t charter_id);  // newest first
std::optional<Signature> my_latest(store::Scope& s, std::int64_t charter_id, std::int64_t user_id);
std::vector<Signature> signatures_of(store::Scope& s, std::int64_t user_id);
std::int64_t erase_signatures_of(store::Scope& s, std::int64_t user_id);
}  // namespace store_fn

// The demo partnership's charter (idempotent).
void seed_demo(app::App& a, store::Scope& s);

// The read-only JSON API (api.cpp): GET /api/v1/toolkit/charters/current.
void install_api(app::App& a);

class ChartersModule : public app::Module {
 public:
  std::string name() const override { return "charters"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
};

}  // namespace cp::modules::charters
