// One moderation queue per partnership for everything people write: modules register the kinds of
// item they own, anyone signed in can report an item, and admins and managers hide, restore and
// block authors, always with a reason and always audited.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"

namespace cp::modules::moderation {

struct Item {
  std::string text;
  std::int64_t author_user_id = 0;
  std::string link;
  bool hidden = false;
};

struct Kind {
  std::string name;  // "idea", "comment", "rating", "asset"...
  std::function<std::optional<Item>(store::Scope&, std::int64_t id)> fetch;
  std::function<void(store::Scope&, std::int64_t id, bool hidden)> set_hidden;  // owner stores the flag
};

// From the owning module's install(). A second registration of the same name replaces the first.
void register_kind(Kind k);
bool has_kind(const std::string& name);

// Puts an item in the partnership's queue (also what the public "Report" button does, via the
// routes GET/POST /report/{kind}/{id}; link to that from every user-written item).
void report(store::Scope& s, const std::string& kind, std::int64_t id, std::int64_t by_user, const std::string& reason);

// Blocked accounts cannot post anywhere.
bool is_blocked(store::Scope& s, std::int64_t user_id);

// The path of the public report form for an item: "/report/idea/12".
std::string report_link(const std::string& kind, std::int64_t id);

// The reasons a reporter picks from (catalogue keys "moderation.reason_<code>").
inline const std::vector<std::string> kReportReasons = {"spam", "abuse", "personal", "false", "other"};

class ModerationModule : public app::Module {
 public:
  std::string name() const override { return "moderation"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
};

}  // namespace cp::modules::moderation
