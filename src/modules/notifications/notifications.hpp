// Notices to people: queued inside the caller's transaction, shown on /notifications and, where the
// deployment configures an SMTP server, emailed at once or gathered into a weekly digest by a
// background sender that never holds up a request.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/app.hpp"

namespace cp::modules::notifications {

// Queues a notice for an account inside the caller's transaction. `key` is a catalogue key
// ("events.reminder"), rendered in the recipient's own language when shown or emailed; `args`
// fill its {placeholders}; `link` is a path inside the site ("/events/12").
void notify(store::Scope& s, std::int64_t user_id, const std::string& key,
            const std::vector<std::pair<std::string, std::string>>& args, const std::string& link);

// How a person hears about notices beyond the page.
enum class Delivery { immediate, digest, none };
std::string to_string(Delivery d);
std::optional<Delivery> parse_delivery(const std::string& s);

struct Notice {
  std::int64_t id = 0, user_id = 0, created_at = 0;
  std::string key, link;
  std::vector<std::pair<std::string, std::string>> args;
  std::optional<std::int64_t> read_at;
};

// Storage, inside the caller's partnership Scope.
std::int64_t unread_count(store::Scope& s, std::int64_t user_id);
struct NoticePage {
  std::vector<Notice> items;
  std::int64_t total = 0;
};
// Newest first; `unread_only` limits the list to notices not yet read.
NoticePage list(store::Scope& s, std::int64_t user_id, bool unread_only, std::int64_t page, std::int64_t per_page);
// True when the notice belongs to the user and was unread.
bool mark_read(store::Scope& s, std::int64_t user_id, std::int64_t notice_id);
std::int64_t mark_all_read(store::Scope& s, std::int64_t user_id);
Delivery delivery(store::Scope& s, std::int64_t user_id);  // immediate unless the person chose otherwise
void set_delivery(store::Scope& s, std::int64_t user_id, Delivery d);

// The notice's text in a language, from the catalogue.
std::string render(const web::Catalogue& c, const std::string& lang, const Notice& n);

// One pass of the email sender over every partnership: sends immediate notices that are due
// (retrying failures with backoff) and weekly digests that are due at `now`. Returns emails sent.
// Does nothing when no SMTP host is configured. Safe to call from a CLI command or a test.
int send_due(app::App& a, std::int64_t now);

// The same pass, for one partnership when `only` is given, saying how many emails went and how many
// the mail server refused or could not take (those stay queued for a retry, never marked sent).
struct SendReport {
  int sent = 0, failed = 0;
};
SendReport send_due_for(app::App& a, std::int64_t now, std::optional<std::int64_t> only);

// `coproduce notifications send [--partnership SLUG]` (cli.cpp): one pass of the sender, then exit.
// Exit code 0 when everything due was sent, 1 for bad input (no mail server configured, an unknown
// partnership), 2 when the mail server failed for any message.
int send_command(Config cfg, const std::string& partnership);

class NotificationsModule : public app::Module {
 public:
  NotificationsModule();
  ~NotificationsModule() override;
  std::string name() const override { return "notifications"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;

 private:
  struct Sender;
  std::unique_ptr<Sender> sender_;
};

}  // namespace cp::modules::notifications
