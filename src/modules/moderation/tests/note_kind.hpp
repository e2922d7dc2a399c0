// A kind of user-written item for moderation tests ("note"), kept in memory so these tests do not
// depend on which other modules register kinds. Ids come from one counter for the whole process,
// so an id made in one partnership never exists in another.
#pragma once
#include <atomic>
#include <map>
#include <mutex>

#include "modules/moderation/moderation.hpp"

namespace cp::test::notes {

struct Note {
  std::int64_t partnership = 0;
  modules::moderation::Item item;
};

inline std::mutex mu;
inline std::map<std::int64_t, Note> all;
inline std::atomic<std::int64_t> next_id{1000};

inline void ensure_registered() {
  if (modules::moderation::has_kind("note")) return;
  modules::moderation::register_kind(
      {"note",
       [](store::Scope& s, std::int64_t id) -> std::optional<modules::moderation::Item> {
         std::lock_guard lock(mu);
         auto it = all.find(id);
         if (it == all.end() || it->second.partnership != s.partnership()) return std::nullopt;
         return it->second.item;
       },
       [](store::Scope& s, std::int64_t id, bool hidden) {
         std::lock_guard lock(mu);
         auto it = all.find(id);
         if (it != all.end() && it->second.partnership == s.partnership()) it->second.item.hidden = hidden;
       }});
}

inline std::int64_t add(std::int64_t partnership, const std::string& text, std::int64_t author) {
  ensure_registered();
  auto id = next_id++;
  std::lock_guard lock(mu);
  all[id] = {partnership, {text, author, "/notes/" + std::to_string(id), false}};
  return id;
}

inline bool hidden(std::int64_t id) {
  std::lock_guard lock(mu);
  return all.at(id).item.hidden;
}

}  // namespace cp::test::notes
