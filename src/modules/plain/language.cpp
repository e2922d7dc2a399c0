// Telling Welsh from English by the small words every sentence needs. Content words are no use:
// English text is full of Welsh place names and Welsh text borrows English nouns. Function words
// are frequent, short and, with a few exceptions left out below ("a", "i", "o", "am", "ni", "dim"
// appear in both), belong to one language only.
#include <string>
#include <unordered_set>

#include "modules/plain/internal.hpp"
#include "modules/plain/plain.hpp"

namespace cp::plain {

namespace {

const std::unordered_set<std::string>& welsh_words() {
  static const std::unordered_set<std::string> s = {
      "y",     "yr",     "ac",    "ar",     "yn",     "mae",   "ei",     "eu",     "ein",    "eich",   "gyda",
      "wedi",  "bod",    "hyn",   "hwn",    "hon",    "sy",    "sydd",   "ond",    "neu",    "fel",    "dros",
      "gan",   "chi",    "nhw",   "fy",     "dy",     "ydy",   "ydyw",   "oes",    "roedd",  "bydd",   "byddwn",
      "rydym", "rydyn",  "rydw",  "dwi",    "yw",     "ydych", "efo",    "hefyd",  "mewn",   "wrth",   "heb",
      "drwy",  "trwy",   "ni'n",  "i'r",    "o'r",    "a'r",   "y'n",    "i'w",    "ond",    "gall",   "gallwch",
      "byddai", "cael",  "gael",  "os",     "pan",    "pob",   "beth",   "sut",    "pam",    "ble",    "pwy",
      "ydi",   "nid",    "nad",   "rhaid",  "oedd",   "fod",   "ddim",   "iawn",   "eto",    "felly",  "hynny"};
  return s;
}

const std::unordered_set<std::string>& english_words() {
  static const std::unordered_set<std::string> s = {
      "the",  "and",  "of",   "to",    "is",   "are",  "in",    "for",  "with",  "that", "this", "you",
      "we",   "it",   "on",   "be",    "was",  "were", "have",  "has",  "will",  "can",  "not",  "your",
      "our",  "they", "their", "from", "by",   "at",   "or",    "but",  "if",    "when", "what", "how",
      "who",  "which", "there", "an",  "as",   "do",   "does",  "been", "would", "should", "could", "these",
      "those", "into", "about", "them", "he",  "she",  "his",   "her",  "my",    "me",   "us",   "all"};
  return s;
}

}  // namespace

std::string detect_language(std::string_view text) {
  text = text.substr(0, 64 * 1024);
  // The cut may fall inside a character; the tokeniser reads a broken tail as U+FFFD, never a word.
  auto toks = detail::tokens(text);
  int cy = 0, en = 0;
  for (const auto& t : toks) {
    if (welsh_words().count(t.lower)) ++cy;
    else if (english_words().count(t.lower)) ++en;
  }
  if (cy + en < 3) return "";
  if (cy >= 2 * en && cy > en) return "cy";
  if (en >= 2 * cy && en > cy) return "en";
  return "";
}

}  // namespace cp::plain
