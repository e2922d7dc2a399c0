#include "auth/password.hpp"

#include <sodium.h>

#include <fstream>
#include <stdexcept>

#include "core/util.hpp"

namespace cp::auth {

namespace {
std::pair<unsigned long long, std::size_t> limits(HashCost c) {
  if (c == HashCost::min) return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
}  // namespace

HashCost parse_cost(const std::string& s) {
  if (s == "interactive") return HashCost::interactive;
  if (s == "min") return HashCost::min;
  throw std::invalid_argument("password_cost must be 'interactive' or 'min', got '" + s + "'");
}

std::string hash_password(const std::string& password, HashCost cost) {
  random_token(1);  // initialises libsodium
  auto [ops, mem] = limits(cost);
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("out of memory while hashing a password");
  return out;
}

bool verify_password(const std::string& hash, const std::string& password) {
  if (hash.rfind("$argon2id$", 0) != 0) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void verify_dummy(HashCost cost) {
  static const std::string dummy_min = hash_password("not a real password", HashCost::min);
  static const std::string dummy_interactive = hash_password("not a real password", HashCost::interactive);
  verify_password(cost == HashCost::min ? dummy_min : dummy_interactive, "a wrong guess");
}

void PasswordRules::load_common(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read the common-password list " + path);
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (!line.empty() && line[0] != '#') common_.insert(to_lower(line));
  }
}

std::optional<std::string> PasswordRules::problem(const std::string& password, const std::string& email) const {
  if (password.empty()) return "accounts.error_password_missing";
  if (password.size() < kMinLength) return "accounts.error_password_short";
  if (password.size() > kMaxLength) return "accounts.error_password_long";
  std::string lower = to_lower(password);
  if (common_.count(lower)) return "accounts.error_password_common";
  // The same character again and again, or the email address, is as weak as a common password.
  if (lower.find_first_not_of(lower[0]) == std::string::npos) return "accounts.error_password_common";
  std::string local = to_lower(email.substr(0, email.find('@')));
  if (!local.empty() && lower.find(local) != std::string::npos && local.size() >= 4) return "accounts.error_password_email";
  return std::nullopt;
}

}  // namespace cp::auth
