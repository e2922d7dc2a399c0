#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/notifications/notifications.hpp"
#include "modules/notifications/smtp.hpp"
#include "web/format.hpp"

namespace cp::modules::notifications {

void install_routes(app::App& a);

namespace {

constexpr int kMaxAttempts = 6;
constexpr std::int64_t kWeek = 7 * 86400;
// Mondays at 07:00 UTC: 1970-01-05 was a Monday.
constexpr std::int64_t kDigestEpoch = 4 * 86400 + 7 * 3600;
// A notice is worth an email for a week; older ones stay on the page only (say it was queued
// while no mail server was configured, or the server was down for days).
constexpr std::int64_t kEmailShelfLife = kWeek;
constexpr std::int64_t kBatch = 50;

// One pass at a time in this process: the background thread and a CLI or test call never claim the
// same notices at once. Claiming also marks rows 'sending', which guards other processes.
std::mutex pass_mu;

std::int64_t backoff(std::int64_t attempts) { return std::int64_t{60} << std::min<std::int64_t>(attempts, 10); }

std::int64_t digest_boundary(std::int64_t now) {
  if (now < kDigestEpoch) return 0;
  return kDigestEpoch + (now - kDigestEpoch) / kWeek * kWeek;
}

struct Site {
  std::int64_t id = 0;
  std::string name, base;
};

std::string html_paragraphs(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "<p>" + html_escape(l) + "</p>\n";
  return out;
}

std::string html_page(const std::string& lang, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"" + lang + "\"><head><meta charset=\"utf-8\"></head>\n<body style=\"font-family: "
         "Arial, sans-serif; font-size: 19px; line-height: 1.4\">\n" + body + "</body></html>\n";
}

struct Recipient {
  std::string name, email, lang;
};

std::optional<Recipient> recipient(store::Scope& s, std::int64_t user_id) {
  auto c = AccountsModule::contact(s, user_id);
  if (!c || c->email.empty()) return std::nullopt;
  return Recipient{c->name, c->email, c->language == "cy" ? "cy" : "en"};
}

Mail immediate_mail(app::App& a, const Site& site, const Recipient& r, const Notice& n) {
  const auto& c = a.catalogue;
  auto t = [&](const std::string& k, std::vector<std::pair<std::string, std::string>> args = {}) {
    return c.t(r.lang, k, args);
  };
  std::string text_line = render(c, r.lang, n);
  std::string link = site.base + (n.link.empty() ? "/notifications" : n.link);
  std::vector<std::string> lines = {t("notifications.email_greeting", {{"name", r.name}}), t("notifications.email_intro"),
                                    text_line, t("notifications.email_open", {{"link", link}})};
  std::string footer = t("notifications.email_footer", {{"link", site.base + "/notifications/settings"}});
  Mail m;
  m.from = a.cfg.smtp_from;
  m.to = r.email;
  m.lang = r.lang;
  m.subject = t("notifications.email_subject", {{"partnership", site.name}});
  std::string text;
  for (const auto& l : lines) text += l + "\n\n";
  m.text = text + "--\n" + footer + "\n";
  m.html = html_page(r.lang, html_paragraphs(lines) + "<hr>\n" + html_paragraphs({footer}));
  return m;
}

Mail digest_mail(app::App& a, const Site& site, const Recipient& r, const std::vector<Notice>& notices) {
  const auto& c = a.catalogue;
  auto t = [&](const std::string& k, std::vector<std::pair<std::string, std::string>> args = {}) {
    return c.t(r.lang, k, args);
  };
  auto count = static_cast<std::int64_t>(notices.size());
  std::string greeting = t("notifications.email_greeting", {{"name", r.name}});
  std::string intro = web::plural(c, r.lang, "notifications.email_digest_intro", count);
  std::string all = t("notifications.email_all", {{"link", site.base + "/notifications"}});
  std::string footer = t("notifications.email_footer", {{"link", site.base + "/notifications/settings"}});
  std::string text = greeting + "\n\n" + intro + "\n\n";
  std::string items_html = "<ul>\n";
  for (const auto& n : notices) {
    auto line = render(c, r.lang, n);
    auto when = web::format_date(r.lang, n.created_at);
    text += "* " + when + ": " + line + "\n";
    if (!n.link.empty()) text += "  " + site.base + n.link + "\n";
    items_html += "<li>" + html_escape(when) + ": " + html_escape(line);
    if (!n.link.empty()) items_html += " <a href=\"" + html_escape(site.base + n.link) + "\">" + html_escape(site.base + n.link) + "</a>";
    items_html += "</li>\n";
  }
  items_html += "</ul>\n";
  Mail m;
  m.from = a.cfg.smtp_from;
  m.to = r.email;
  m.lang = r.lang;
  m.subject = t("notifications.email_digest_subject", {{"partnership", site.name}});
  m.text = text + "\n" + all + "\n\n--\n" + footer + "\n";
  m.html = html_page(r.lang, html_paragraphs({greeting, intro}) + items_html + html_paragraphs({all}) + "<hr>\n" +
                                 html_paragraphs({footer}));
  return m;
}

std::vector<Notice> claim(store::Scope& s, const std::string& where, store::Params p, std::int64_t now) {
  auto r = s.read("SELECT id, user_id, msg_key, args, link, created_at, read_at FROM notices WHERE partnership_id = $1 AND " +
                      where + " ORDER BY id LIMIT " + std::to_string(kBatch),
                  p);
  std::vector<Notice> out;
  for (const auto& row : r.rows) {
    Notice n;
    n.id = row.i64(0);
    n.user_id = row.i64(1);
    n.key = row.text(2);
    n.link = row.text(4);
    n.created_at = row.i64(5);
    // args are decoded the same way as for the page
    out.push_back(n);
    out.back().args = {};
    auto args_json = row.text(3);
    boost::system::error_code ec;
    auto v = boost::json::parse(args_json, ec);
    if (!ec && v.is_object())
      for (const auto& [k, val] : v.as_object())
        if (val.is_string()) out.back().args.emplace_back(std::string(k), std::string(val.as_string()));
    s.bookkeeping("UPDATE notices SET email_state = 'sending', email_next_at = $3 WHERE partnership_id = $1 AND id = $2",
                  {n.id, now});
  }
  return out;
}

void settle(app::App& a, std::int64_t pid, const std::vector<std::int64_t>& ids, bool ok, const std::string& retry_state,
            std::int64_t attempts, const std::string& error, std::int64_t now) {
  auto w = a.work(pid, {std::nullopt, "mail-sender", "", ""});
  for (auto id : ids) {
    if (ok)
      w->bookkeeping("UPDATE notices SET email_state = $3, email_attempts = email_attempts + 1, email_error = ''"
                     " WHERE partnership_id = $1 AND id = $2",
                     {id, std::string(retry_state == "digest" ? "digested" : "sent")});
    else
      w->bookkeeping("UPDATE notices SET email_state = $3, email_attempts = $4, email_next_at = $5, email_error = $6"
                     " WHERE partnership_id = $1 AND id = $2",
                     {id, std::string(attempts >= kMaxAttempts ? "failed" : retry_state), attempts, now + backoff(attempts),
                      error.substr(0, 300)});
  }
  w.commit();
}

int pass_partnership(app::App& a, const Site& site, std::int64_t now, int& failed) {
  int sent = 0;
  // Immediate notices. 'sending' rows older than ten minutes were claimed by a sender that died.
  std::vector<Notice> due;
  {
    auto w = a.work(site.id, {std::nullopt, "mail-sender", "", ""});
    w->bookkeeping("UPDATE notices SET email_state = 'expired' WHERE partnership_id = $1 AND email_state IN ('pending', 'digest')"
                   " AND created_at < $2",
                   {now - kEmailShelfLife - kWeek});
    due = claim(w.scope(),
                "((email_state = 'pending' AND email_next_at <= $2) OR (email_state = 'sending' AND email_next_at < $3))"
                " AND created_at >= $4",
                {now, now - 600, now - kEmailShelfLife}, now);
    w.commit();
  }
  for (const auto& n : due) {
    std::optional<Recipient> r;
    std::int64_t attempts = 0;
    {
      auto w = a.work(site.id, {std::nullopt, "mail-sender", "", ""}, store::Transaction::Mode::read);
      r = recipient(w.scope(), n.user_id);
      attempts = w->read("SELECT email_attempts FROM notices WHERE partnership_id = $1 AND id = $2", {n.id}).one().i64(0);
    }
    if (!r) {
      settle(a, site.id, {n.id}, false, "pending", kMaxAttempts, "no address", now);
      continue;
    }
    try {
      smtp_send(a.cfg.smtp_host, a.cfg.smtp_port, immediate_mail(a, site, *r, n));
      settle(a, site.id, {n.id}, true, "pending", attempts + 1, "", now);
      ++sent;
    } catch (const std::exception& e) {
      settle(a, site.id, {n.id}, false, "pending", attempts + 1, e.what(), now);
      ++failed;
    }
  }

  // Weekly digests: everything queued for a digest before this week's boundary goes out together.
  auto boundary = digest_boundary(now);
  std::vector<std::int64_t> users;
  {
    auto w = a.work(site.id, {std::nullopt, "mail-sender", "", ""}, store::Transaction::Mode::read);
    for (const auto& row : w->read("SELECT DISTINCT n.user_id FROM notices n WHERE n.partnership_id = $1"
                                   " AND n.email_state = 'digest' AND n.created_at < $2 AND NOT EXISTS (SELECT 1 FROM"
                                   " notice_prefs p WHERE p.partnership_id = $1 AND p.user_id = n.user_id AND"
                                   " p.digest_retry_at > $3) ORDER BY n.user_id LIMIT " + std::to_string(kBatch),
                                   {boundary, now})
                              .rows)
      users.push_back(row.i64(0));
  }
  for (auto uid : users) {
    std::vector<Notice> notices;
    std::optional<Recipient> r;
    std::int64_t attempts = 0;
    {
      auto w = a.work(site.id, {std::nullopt, "mail-sender", "", ""});
      notices = claim(w.scope(), "user_id = $2 AND email_state = 'digest' AND created_at < $3", {uid, boundary}, now);
      r = recipient(w.scope(), uid);
      auto p = w->read("SELECT digest_attempts FROM notice_prefs WHERE partnership_id = $1 AND user_id = $2", {uid});
      if (!p.empty()) attempts = p.one().i64(0);
      w.commit();
    }
    if (notices.empty()) continue;
    std::vector<std::int64_t> ids;
    for (const auto& n : notices) ids.push_back(n.id);
    bool ok = false;
    std::string error = "no address";
    if (r) {
      try {
        smtp_send(a.cfg.smtp_host, a.cfg.smtp_port, digest_mail(a, site, *r, notices));
        ok = true;
      } catch (const std::exception& e) {
        error = e.what();
        ++failed;
      }
    }
    if (!r) attempts = kMaxAttempts;
    else if (!ok) ++attempts;
    settle(a, site.id, ids, ok, "digest", 0, error, now);
    if (!ok && attempts >= kMaxAttempts) {
      auto w = a.work(site.id, {std::nullopt, "mail-sender", "", ""});
      for (auto id : ids)
        w->bookkeeping("UPDATE notices SET email_state = 'failed' WHERE partnership_id = $1 AND id = $2", {id});
      w.commit();
    }
    {
      auto w = a.work(site.id, {std::nullopt, "mail-sender", "", ""});
      w->bookkeeping("UPDATE notice_prefs SET digest_attempts = $3, digest_retry_at = $4, last_digest_at = $5"
                     " WHERE partnership_id = $1 AND user_id = $2",
                     {uid, ok ? std::int64_t{0} : attempts, ok ? std::int64_t{0} : now + backoff(attempts),
                      ok ? now : std::int64_t{0}});
      w.commit();
    }
    if (ok) ++sent;
  }
  return sent;
}

}  // namespace

int send_due(app::App& a, std::int64_t now) { return send_due_for(a, now, std::nullopt).sent; }

SendReport send_due_for(app::App& a, std::int64_t now, std::optional<std::int64_t> only) {
  if (a.cfg.smtp_host.empty()) return {};
  std::lock_guard lock(pass_mu);
  // Which partnerships have mail waiting: the one read that crosses partnerships, made on a bare
  // connection because it returns only partnership ids; each partnership's mail is then handled
  // inside its own Scope.
  std::vector<Site> sites;
  {
    auto lease = a.db->lease();
    auto r = lease->run("SELECT p.id, p.name, p.host FROM partnerships p WHERE EXISTS (SELECT 1 FROM notices n WHERE"
                        " n.partnership_id = p.id AND n.email_state IN ('pending', 'sending', 'digest'))" +
                            std::string(only ? " AND p.id = $1" : "") + " ORDER BY p.id",
                        only ? store::Params{*only} : store::Params{});
    std::string scheme = a.cfg.secure_cookies ? "https://" : "http://";
    for (const auto& row : r.rows) sites.push_back({row.i64(0), row.text(1), scheme + row.text(2)});
  }
  SendReport report;
  for (const auto& site : sites) report.sent += pass_partnership(a, site, now, report.failed);
  return report;
}

struct NotificationsModule::Sender {
  app::App* app = nullptr;
  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;
  std::thread thread;

  void run() {
    std::unique_lock lock(mu);
    // The first pass waits one interval too: the server migrates after modules install.
    while (!cv.wait_for(lock, std::chrono::seconds(app->cfg.mail_interval_seconds), [&] { return stop; })) {
      lock.unlock();
      try {
        send_due(*app, now_seconds());
      } catch (const std::exception& e) {
        // The next pass tries again; a request never waits on mail.
        std::cerr << "mail sender: " << e.what() << "\n";
      }
      lock.lock();
    }
  }
};

NotificationsModule::NotificationsModule() = default;

NotificationsModule::~NotificationsModule() {
  if (sender_ && sender_->thread.joinable()) {
    {
      std::lock_guard lock(sender_->mu);
      sender_->stop = true;
    }
    sender_->cv.notify_all();
    sender_->thread.join();
  }
}

void NotificationsModule::install(app::App& a) {
  install_routes(a);
  if (!a.cfg.smtp_host.empty() && a.cfg.mail_interval_seconds > 0) {
    sender_ = std::make_unique<Sender>();
    sender_->app = &a;
    sender_->thread = std::thread([s = sender_.get()] { s->run(); });
  }
}

}  // namespace cp::modules::notifications
