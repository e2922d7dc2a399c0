// A small in-memory cache of rendered page fragments, for read-heavy pages whose data carries a
// generation number that every write bumps in the database. Keys include that generation, so an
// entry is never served after a write, even one made by another server process. Bounded: when it
// holds `capacity` entries it starts again empty.
#pragma once
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace cp::web {

class FragmentCache {
 public:
  explicit FragmentCache(std::size_t capacity = 2048) : capacity_(capacity) {}
  std::shared_ptr<const std::string> get(const std::string& key) const {
    std::lock_guard lock(mu_);
    auto it = map_.find(key);
    return it == map_.end() ? nullptr : it->second;
  }
  void put(const std::string& key, std::string value) {
    std::lock_guard lock(mu_);
    if (map_.size() >= capacity_) map_.clear();
    map_[key] = std::make_shared<const std::string>(std::move(value));
  }

 private:
  std::size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const std::string>> map_;
};

}  // namespace cp::web
