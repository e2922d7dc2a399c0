// Matching: for a person's need (words, a topic, a place, their age, the days they can go), rank
// what could help: directory services, community assets, peer groups (assets that are groups) and
// other people's offers the viewer may see. The directory and capabilities modules each pre-filter
// their own candidates in SQL; this module only scores them.
//
// The score is a sum of named parts, so every result can say why it is there, in words, and the
// order is fully determined: score, then name, then kind, then id. Nothing random, nothing learned.
//   topic      +40  the need's topic is one of the candidate's topics
//   words      +12  per word of the need in the name, +6 per word only in the description (at most 36)
//   distance   0..30, straight-line: 30 at the door, falling to 0 at the limit; beyond it, left out
//   days       +15  open (or free) on every day asked; +8 on some; on none of them: left out
//   age        +5   the person's age is inside the age range; outside it: left out
//   who for    +5   the service is for a group the person said they are in ("for parents"); when
//                   they said which groups they are in and it is only for others: left out. Without
//                   the person's groups, the groups are only said ("for carers"), for no points.
// A candidate that fits neither the topic nor any word is left out, however near it is.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "modules/capabilities/capabilities.hpp"
#include "modules/postcodes/postcodes.hpp"

namespace cp::modules {

namespace matching {

struct Need {
  std::string text;                 // free text: "help with CV"
  std::string topic;                // a directory taxonomy term id, or ""
  std::string postcode;             // a postcode or outcode, or ""
  std::optional<postcodes::Point> where;  // where `postcode` is: filled in by check()
  std::optional<std::int64_t> age;  // the person's age, when given
  std::vector<std::string> days;    // "MO".."SU" the person can go, or empty for any
  std::vector<std::string> eligibility;  // groups the person is in (kEligibilityGroups), or empty
  double within_km = 10;            // the distance limit when a postcode is given
  std::size_t limit = 20;           // how many results at most
};

// Who is asking: only offers this viewer may see are considered.
using Viewer = OfferViewer;

enum class Kind { service, asset, group, offer };
std::string to_string(Kind k);

// One reason a result is there: a catalogue key and its arguments, so each caller says it in the
// reader's language.
struct Reason {
  std::string key;
  std::vector<std::pair<std::string, std::string>> args;
  int points = 0;
};

struct Match {
  Kind kind = Kind::service;
  std::int64_t id = 0;
  std::string ref;   // the ORUK id for services and assets; "" for offers
  std::string name, summary;
  int score = 0;
  std::optional<double> distance_m;
  std::vector<Reason> reasons;
};

// A problem with the need: the field and a catalogue key.
struct NeedProblem {
  std::string field, key;
};

// Checks and tidies the need and locates its postcode (need.where). Empty when it can be matched.
std::vector<NeedProblem> check(app::App& app, Need& need);

// Ranks what fits. Throws std::invalid_argument for a need check() has not passed (nothing to
// match on, or a postcode that was not located).
std::vector<Match> match(store::Scope& s, const Need& need, const Viewer& viewer);

// "2.1 km away, open Tuesdays, free, for ages 16 and over" in `lang`.
std::string explain(const web::Catalogue& cat, const std::string& lang, const Match& m);

// The lower-case words of `text` worth matching on ("help with CV" -> {"cv"}).
std::vector<std::string> words_of(const std::string& text);

}  // namespace matching

namespace matching_policy {
// Workers, managers and admins match needs for the people they support.
bool can_match(const std::optional<auth::Actor>& a);
}  // namespace matching_policy

class MatchingModule : public app::Module {
 public:
  std::string name() const override { return "matching"; }
  void install(app::App& a) override;
};

}  // namespace cp::modules
