// Small helpers every layer uses: time, random tokens, hashing and string handling.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cp {

// Seconds since the Unix epoch. All stored times are integers in UTC so that
// the same SQL works on SQLite and PostgreSQL.
std::int64_t now_seconds();
std::int64_t now_millis();

// `bytes` random bytes from libsodium, as URL-safe base64 without padding.
std::string random_token(std::size_t bytes = 32);
// SHA-256 of `data` as lowercase hex.
std::string sha256_hex(std::string_view data);
// Constant-time comparison for secrets.
bool equal_secret(std::string_view a, std::string_view b);

std::string trim(std::string_view s);
std::string to_lower(std::string_view s);
bool starts_with(std::string_view s, std::string_view prefix);
std::vector<std::string> split(std::string_view s, char sep);
std::optional<std::int64_t> parse_int(std::string_view s);
std::string html_escape(std::string_view s);
// Formats a UTC timestamp like "22 November 2026".
std::string format_date(std::int64_t seconds);
// ISO 8601 UTC, e.g. 2026-11-22T16:15:00Z.
std::string format_iso8601(std::int64_t seconds);
// A LIKE pattern that finds `q` anywhere, lower-cased, with % _ and \ escaped so they match
// themselves (use with ESCAPE '\'): a search for "50%" means those characters.
std::string like_contains(std::string_view q);
// Makes a lowercase hyphenated slug from a name ("St Mary's Hub" -> "st-marys-hub").
std::string slugify(std::string_view name);

}  // namespace cp
