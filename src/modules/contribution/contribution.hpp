// Contribution analysis (after John Mayne): a partnership writes down how it thinks its work leads
// to change, as a results chain (activities -> reactions -> learning -> behaviour -> outcomes), and
// then checks each link in the chain: what it assumed, what else could explain the change, what
// evidence it has (figures the platform counts, documents, quotes people agreed to give) and how
// sure it is. The contribution story page reads the chain back as a narrative and flags the weak
// links, which is where to look for more evidence.
//
// Staff who run and commission services write theories of change; every signed-in member of the
// partnership can read them (policy.cpp says why). Nothing here holds a person's account id: who
// changed what is in the audit trail, and a quote names a role, not a person.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/app.hpp"

namespace cp::modules::contribution {

// The stepping stones of a results chain, in order. A link always joins a result on one level to a
// result on the next.
inline const std::vector<std::string> kLevels = {"activities", "reactions", "learning", "behaviour", "outcomes"};
// "not_assessed" until someone rates the link.
inline const std::vector<std::string> kConfidence = {"not_assessed", "low", "medium", "high"};
inline const std::vector<std::string> kEvidenceKinds = {"figure", "document", "quote"};
inline const std::vector<std::string> kNoteKinds = {"assumption", "influence"};

constexpr std::size_t kMaxTitle = 200, kMaxText = 1000, kMaxLong = 4000;

// Refused input: the catalogue key (contribution.<key>) and the form field it belongs to.
struct Invalid : std::invalid_argument {
  Invalid(std::string f, std::string k) : std::invalid_argument(k), field(std::move(f)), key(std::move(k)) {}
  std::string field, key;
};

struct Theory {
  std::int64_t id = 0;
  std::string title, question, summary;
  std::int64_t created_at = 0, updated_at = 0, version = 1;
};

struct Result {
  std::int64_t id = 0, theory_id = 0;
  std::string level;  // a value of kLevels
  std::string text;
  std::int64_t position = 0;
};

struct Note {
  std::int64_t id = 0, link_id = 0;
  std::string kind;  // "assumption" or "influence" (another influence or rival explanation)
  std::string text;
};

struct Evidence {
  std::int64_t id = 0, link_id = 0;
  std::string kind;  // a value of kEvidenceKinds
  // figure: the figure's key and its value when it was attached (the live value is read again
  // whenever the story is shown).
  std::string figure_key;
  std::int64_t figure_value = 0;
  // document: title and web address; every kind may carry a note.
  std::string title, url, note;
  // quote: the words, who said them (a role), and that they agreed to be quoted.
  std::string quote_text, quote_who;
  bool quote_consent = false;
  std::int64_t created_at = 0;
};

struct Rating {
  std::string confidence, reason;
  std::int64_t at = 0;
};

struct Link {
  std::int64_t id = 0, theory_id = 0, from_result = 0, to_result = 0;
  std::string confidence = "not_assessed", reason;
  std::int64_t rated_at = 0, version = 1, created_at = 0;
  std::vector<Note> notes;
  std::vector<Evidence> evidence;
  std::vector<Rating> ratings;  // every rating given, oldest first
  std::vector<const Note*> of_kind(const std::string& kind) const;
};

// A theory with its whole chain: results by level then position, links in chain order.
struct Chain {
  Theory theory;
  std::vector<Result> results;
  std::vector<Link> links;
  const Result* result(std::int64_t id) const;
  const Link* link(std::int64_t id) const;
};

// ------------------------------------------------------------------ figures from the platform

// A number the platform can count now, from another module's interface. `unit` is "count" or
// "quarters" (quarter hours, shown as hours).
struct Figure {
  std::string key, unit;
  std::function<std::int64_t(store::Scope&)> value;
};
const std::vector<Figure>& figures();
const Figure* figure(const std::string& key);

// ------------------------------------------------------------------ Mayne's six steps

struct Step {
  int number = 0;
  std::string status;  // "not_started", "in_progress", "done"
  std::string detail;  // catalogue key (contribution.<detail>) saying what is filled in or missing
  std::int64_t count = 0;  // for details that count links
};
std::vector<Step> steps(const Chain& c);

// A link is weak when no one has rated it yet, it is rated low, or it has no evidence at all.
bool weak(const Link& l);

// ------------------------------------------------------------------ storage (all through a Scope)

// Throws Invalid when the title or question is missing or too long.
std::int64_t create_theory(store::Scope& s, const std::string& title, const std::string& question,
                           const std::string& summary);
enum class Saved { ok, not_found, conflict };
Saved update_theory(store::Scope& s, std::int64_t id, const std::string& title, const std::string& question,
                    const std::string& summary, std::optional<std::int64_t> version);
std::vector<Theory> theories(store::Scope& s);
std::optional<Theory> get_theory(store::Scope& s, std::int64_t id);
std::optional<Chain> chain(store::Scope& s, std::int64_t theory_id);

// Adds a result statement at the end of its level. Throws Invalid (bad level, empty or long text).
std::int64_t add_result(store::Scope& s, std::int64_t theory_id, const std::string& level, const std::string& text);
// Removes a result and every link to or from it (with their notes, evidence and ratings).
bool remove_result(store::Scope& s, std::int64_t theory_id, std::int64_t result_id);

// Joins two results of the same theory on consecutive levels. Throws Invalid when they are not on
// consecutive levels ("from" names the field) or the link exists already.
std::int64_t add_link(store::Scope& s, std::int64_t theory_id, std::int64_t from_result, std::int64_t to_result);
bool remove_link(store::Scope& s, std::int64_t theory_id, std::int64_t link_id);

// An assumption or other influence on a link. Throws Invalid.
std::int64_t add_note(store::Scope& s, std::int64_t theory_id, std::int64_t link_id, const std::string& kind,
                      const std::string& text);
bool remove_note(store::Scope& s, std::int64_t theory_id, std::int64_t note_id);

// Attaches evidence to a link. For a figure, its value is read now and kept beside it. Throws
// Invalid on: an unknown figure, a document without a title or with an address that is not http(s),
// a quote without words, without who said it, or without their agreement to be quoted.
std::int64_t add_evidence(store::Scope& s, std::int64_t theory_id, std::int64_t link_id, const Evidence& e);
bool remove_evidence(store::Scope& s, std::int64_t theory_id, std::int64_t evidence_id);

// Rates how sure we are that the link holds. A rating other than "not_assessed" needs a reason.
enum class Rated { ok, not_found, conflict };
Rated rate(store::Scope& s, std::int64_t theory_id, std::int64_t link_id, const std::string& confidence,
           const std::string& reason, std::optional<std::int64_t> version);

// True for an absolute http:// or https:// address with a host and no spaces or quotes.
bool valid_web_address(const std::string& url);

// The demo partnership's theory of change for its key-worker employability service. Idempotent.
void seed_demo(app::App& a, store::Scope& s);

namespace policy {
bool can_read(const std::optional<auth::Actor>& a);
bool can_edit(const std::optional<auth::Actor>& a);
}  // namespace policy

class ContributionModule : public app::Module {
 public:
  std::string name() const override { return "contribution"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
};

}  // namespace cp::modules::contribution
