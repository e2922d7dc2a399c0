// Passwords: Argon2id hashes from libsodium, and the rules a new password must meet.
#pragma once
#include <optional>
#include <string>
#include <unordered_set>

namespace cp::auth {

enum class HashCost { interactive, min };  // `min` is for tests only: fast, still Argon2id
HashCost parse_cost(const std::string& s);

std::string hash_password(const std::string& password, HashCost cost);
bool verify_password(const std::string& hash, const std::string& password);
// Spends about as long as a real verification, so a missing account takes the same time.
void verify_dummy(HashCost cost);

class PasswordRules {
 public:
  static constexpr std::size_t kMinLength = 12;
  static constexpr std::size_t kMaxLength = 256;
  // Loads a list of common passwords, one per line (lower case).
  void load_common(const std::string& path);
  void add_common(const std::string& pw) { common_.insert(pw); }
  // The catalogue key of the first rule the password breaks, or nullopt when it is acceptable.
  std::optional<std::string> problem(const std::string& password, const std::string& email) const;
  std::size_t common_count() const { return common_.size(); }

 private:
  std::unordered_set<std::string> common_;
};

}  // namespace cp::auth
