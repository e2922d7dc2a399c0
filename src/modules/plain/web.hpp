// The plain-language assistant on the web: a partnership's target reading age and its own jargon
// list (admin pages at /admin/plain), the writing check other modules drop into their forms, the
// JSON check the as-you-type script calls, Easy Read rendering, and the "hardest to read" report
// over every module's published texts.
//
// Dropping the check into a form (see docs/architecture.md, "Plain English in your forms"):
//
//   // handler, when the form was posted with action=check (or always, on a GET, to load the script)
//   plain::form_support(ctx, d);
//   if (ctx.field("action") == "check")
//     d.set("plain", plain::check_fields(ctx, {{"summary", ctx.t("mymodule.field_summary"), in.summary, ""}}));
//   // template: {{> plain/check}} above the form; data-plain-field on each textarea; a submit button
//   // name="action" value="check"; the form's csrf_token hidden input as usual.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "modules/plain/plain.hpp"

namespace cp::plain {

inline constexpr int kDefaultTargetAge = 9;
inline constexpr int kMinTargetAge = 6;
inline constexpr int kMaxTargetAge = 16;

// -------------------------------------------------------------------- settings and jargon storage

struct Settings {
  int target_age = kDefaultTargetAge;
};

// One entry of a partnership's own jargon list.
struct OwnJargon {
  std::int64_t id = 0;
  std::string lang;    // "en" or "cy": which texts it is looked for in
  std::string phrase;  // as the admin typed it
  std::vector<std::string> alternatives;
  std::string note;
  std::int64_t updated_at = 0;
};

struct JargonInput {
  std::string lang, phrase, alternatives, note;  // alternatives: one per line, as typed
};

struct Problem {
  std::string field, key;  // form field id and catalogue key
};

namespace plain_store {
Settings settings(store::Scope& s);
// Audited ("plain.settings").
void save_settings(store::Scope& s, const Settings& v);
// The partnership's entries for one language ("" for both), by phrase.
std::vector<OwnJargon> jargon(store::Scope& s, const std::string& lang = "");
std::optional<OwnJargon> jargon_entry(store::Scope& s, std::int64_t id);
std::vector<Problem> validate(const JargonInput& in);
// Returns the new id, or 0 when the partnership already lists that phrase in that language.
std::int64_t add_jargon(store::Scope& s, const JargonInput& in);
enum class Saved { ok, not_found, duplicate };
Saved update_jargon(store::Scope& s, std::int64_t id, const JargonInput& in);
bool remove_jargon(store::Scope& s, std::int64_t id);
// The entries as a list the checker takes.
JargonList to_list(const std::vector<OwnJargon>& entries);
}  // namespace plain_store

// -------------------------------------------------------------------- the check, for any form

// One text field of a form to check. `lang` is the field's language when the form knows it ("en" or
// "cy"); leave it empty to let the text decide (see check_language).
struct TextField {
  std::string id;     // the form field's id, so the results can link to it
  std::string label;  // shown above its results
  std::string text;
  std::string lang;
};

// The language a text is checked as: the field's own language when given; otherwise what
// detect_language() finds in the text; otherwise the page's language.
std::string check_language(const std::string& field_lang, const std::string& text, const std::string& page_lang);

// Checks each field against the partnership's target reading age and the shipped and partnership
// jargon lists, and returns the data the plain/check partial shows (put it under "plain"). English
// text gets a reading age; Welsh text only sentence lengths and jargon. Never blocks anything.
// With only_problems, fields that read well are left out (and "hard" is false when none are left).
web::Data check_fields(app::Ctx& ctx, const std::vector<TextField>& fields, bool only_problems = false);
// The same results as JSON (the API's answer).
boost::json::object check_json(app::Ctx& ctx, const std::vector<TextField>& fields);
// Both at once, from one set of checks (what the API sends: the JSON and the rendered results).
struct CheckAnswer {
  web::Data page;
  boost::json::object json;
};
CheckAnswer check_both(app::Ctx& ctx, const std::vector<TextField>& fields);
// Sets what the partial needs on every render of the form, checked or not: the as-you-type script's
// URL. Without it the form still works; it just has no live check.
void form_support(app::Ctx& ctx, web::Data& page);

// -------------------------------------------------------------------- Easy Read

// The text as Easy Read lines: one sentence per line, blank lines and list items kept apart,
// leading list markers ("-", "*", "•") dropped. Render with the plain/easy_read partial, which
// reads {{#easy_read}}: {"lang": ..., "lines": [{"text": ...}]}.
std::vector<std::string> easy_read_lines(std::string_view text);
web::Data easy_read(std::string_view text, const std::string& lang);

// -------------------------------------------------------------------- published texts, for the report

struct PublishedText {
  std::string title;
  std::string url;
  std::string text;
  std::string lang;  // "en", "cy" or "" (let the text decide)
};
// A module's published texts in one partnership. Called inside a read-only unit of work; it should
// use its own module's storage functions on `s`.
using TextProvider = std::function<std::vector<PublishedText>(store::Scope& s)>;
// Registers (or replaces) the provider named `name`, usually from the module's install().
void register_texts(const std::string& name, TextProvider provider);
// Every registered provider, by name.
std::vector<std::pair<std::string, TextProvider>> text_providers();

// The demo partnership's own words (English and Welsh), as an admin would add them. Idempotent:
// an entry already there is left alone.
void seed_demo(app::App& a, store::Scope& s);

class PlainModule : public app::Module {
 public:
  std::string name() const override { return "plain"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
};

}  // namespace cp::plain
