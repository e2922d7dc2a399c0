// Content an author may write in English, in Welsh, or in both (a service's name and description,
// an event, a PB proposal, an inspection report). Welsh Language Standards ask that Welsh is
// treated no less favourably: a reader who prefers Welsh sees the Welsh version where there is one,
// and where only one language exists the page says so plainly instead of hiding the gap.
//
// Storage convention: the English text keeps its existing column (`name`, `description`) and the
// Welsh version sits beside it with a `_cy` suffix (`name_cy`, `description_cy`), empty when absent.
//
// In a template, push the object made by bilingual_data() as a section:
//   {{#name}}<h1 class="govuk-heading-l"{{#other}} lang="{{lang}}"{{/other}}>{{text}}</h1>{{/name}}
//   {{#description}}<p class="govuk-body"{{#other}} lang="{{lang}}"{{/other}}>{{text}}</p>
//     {{> site/bilingual_note}}{{/description}}
// `other` is true when the text shown is not in the reader's language, so the element carries the
// right lang attribute (screen readers switch voice) and the partial shows the "only in English"
// or "only in Welsh" note.
#pragma once
#include <string>

#include "web/templates.hpp"

namespace cp::web {

struct Bilingual {
  std::string en;
  std::string cy;
};

struct Shown {
  std::string text;  // what to show
  std::string lang;  // the language `text` is in: "en" or "cy"
  bool other = false;  // the reader's language had no version, so the other language is shown
};

// Picks the version for a reader whose language is `reader_lang`: their own language when it has
// text, else the other language (flagged `other`). Text that is only whitespace counts as absent.
Shown pick(const Bilingual& b, const std::string& reader_lang);

// The same as a template object: text, lang, other, and only_en / only_cy for the note partial.
// An empty Bilingual gives an object with empty text and no note.
Data bilingual_data(const Bilingual& b, const std::string& reader_lang);

// True when both versions are present; authoring pages use it to show "Welsh version missing".
bool has_both(const Bilingual& b);

}  // namespace cp::web
