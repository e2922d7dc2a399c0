// Ratings and feedback on any service or community asset: a person who used it gives 1 to 5 stars
// and, if they like, a comment. One current rating per person per service, which they can change.
// A worker may mark a rating "used the service" (verified). Ratings are moderated through the
// moderation module (kind "rating"); hidden ones leave the public list and the distribution. The
// service may answer each rating in public, and a piece of feedback can become an agreed action in
// the tracker (origin kind "feedback").
//
// Pages: /ratings/services/{uuid} (public), its rate form, and staff actions on /ratings/{id}/...
// The service's directory page shows a summary panel (registered with register_service_panel).
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "modules/directory/directory.hpp"

namespace cp::modules::ratings {

inline constexpr std::size_t kMaxComment = 2000;
inline constexpr std::size_t kMaxResponse = 2000;

struct Rating {
  std::int64_t id = 0, service_id = 0, user_id = 0;
  int stars = 0;
  std::string comment;
  std::optional<std::int64_t> verified_by, verified_at;
  bool hidden = false;
  std::string response;
  std::optional<std::int64_t> response_by, response_at;
  std::int64_t created_at = 0, updated_at = 0;
};

// Counts per star (index 0 is one star), over visible ratings only.
struct Distribution {
  std::array<std::int64_t, 5> counts{};
  std::int64_t total = 0;
  double average = 0;  // 0 when there are none
};

struct RatingPage {
  std::vector<Rating> items;
  std::int64_t total = 0;
};

// Storage, inside the caller's partnership Scope.
namespace ratings_store {
Distribution distribution(store::Scope& s, std::int64_t service_id);
// Visible ratings, newest change first.
RatingPage list(store::Scope& s, std::int64_t service_id, std::int64_t page, std::int64_t per_page);
std::optional<Rating> get(store::Scope& s, std::int64_t id);
std::optional<Rating> mine(store::Scope& s, std::int64_t service_id, std::int64_t user_id);
// The catalogue keys of what is wrong with a rating (field, key); empty when it can be saved.
std::vector<std::pair<std::string, std::string>> validate(int stars, const std::string& comment);
// Adds the person's rating, or changes their current one (which then needs checking again: a
// changed rating loses its "used the service" mark). Returns the rating's id.
std::int64_t rate(store::Scope& s, std::int64_t service_id, std::int64_t user_id, int stars, const std::string& comment);
bool verify(store::Scope& s, std::int64_t id, std::int64_t by_user);
// The service's public answer (an empty text removes it).
bool respond(store::Scope& s, std::int64_t id, std::int64_t by_user, const std::string& text);
bool set_hidden(store::Scope& s, std::int64_t id, bool hidden);
// For the learning lens (lens_figures.cpp): visible ratings of these services (nullopt: all) and
// their mean stars (0 when there are none).
struct Summary {
  std::int64_t count = 0;
  double mean = 0;
};
Summary summary(store::Scope& s, const std::optional<std::vector<std::int64_t>>& services);
}  // namespace ratings_store

// Who may do what. One place; handlers only ask.
namespace ratings_policy {
bool can_read(const std::optional<auth::Actor>& a);
bool can_rate(const std::optional<auth::Actor>& a);
bool can_verify(const std::optional<auth::Actor>& a);
// Answering for the service, and agreeing actions from its feedback: the managers of the
// organisation that runs it, and partnership admins.
bool can_answer(const std::optional<auth::Actor>& a, const directory_store::ServiceBrief& service);
}  // namespace ratings_policy

// Demo data: a few ratings on the demo partnership's first services (idempotent).
void seed_demo(app::App& a, store::Scope& s);

class RatingsModule : public app::Module {
 public:
  std::string name() const override { return "ratings"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
};

}  // namespace cp::modules::ratings
