// Partnership admins' directory import and export pages.
//
// An upload is imported by a background thread so a large feed does not hold a request open; the
// import still runs in one transaction, so a problem anywhere leaves the directory as it was. While
// it runs, progress lives in memory (a second connection could not write it while the import holds
// SQLite's write lock); the jobs table records the start and the outcome. A job left "running" by a
// process that stopped never committed, and the page says so.
#include <spdlog/spdlog.h>

#include <atomic>
#include <list>
#include <memory>
#include <mutex>
#include <thread>

#include "core/util.hpp"
#include "http/multipart.hpp"
#include "modules/directory/tabular.hpp"
#include "web/format.hpp"

namespace cp::modules {

namespace {

using app::Ctx;
namespace json = boost::json;
namespace tab = directory_tabular;

struct Stopped {};

// The import threads of one App. Destroyed with the App's routes, before its database: asks each
// running import to stop (it rolls back) and waits for it.
class ImportJobs {
 public:
  struct Live {
    std::atomic<std::int64_t> done{0}, total{0};
  };

  ~ImportJobs() {
    stopping_ = true;
    std::lock_guard lock(threads_mu_);
    for (auto& r : threads_)
      if (r.thread.joinable()) r.thread.join();
  }

  std::shared_ptr<Live> live(std::int64_t job) {
    std::lock_guard lock(mu_);
    auto it = live_.find(job);
    return it == live_.end() ? nullptr : it->second;
  }

  void start(app::App& app, std::int64_t partnership, std::int64_t job, tab::Upload up, store::AuditContext who,
             std::int64_t total) {
    auto l = std::make_shared<Live>();
    l->total = total;
    {
      std::lock_guard lock(mu_);
      live_[job] = l;
    }
    std::lock_guard lock(threads_mu_);
    // Threads that have finished are joined here, so the list stays short.
    for (auto it = threads_.begin(); it != threads_.end();) {
      if (*it->finished) {
        it->thread.join();
        it = threads_.erase(it);
      } else {
        ++it;
      }
    }
    auto finished = std::make_shared<std::atomic<bool>>(false);
    threads_.push_back({std::thread([this, &app, partnership, job, up = std::move(up), who, l, finished] {
                          run(app, partnership, job, up, who, *l);
                          {
                            std::lock_guard lk(mu_);
                            live_.erase(job);
                          }
                          *finished = true;
                        }),
                        finished});
  }

 private:
  void run(app::App& app, std::int64_t partnership, std::int64_t job, const tab::Upload& up,
           const store::AuditContext& who, Live& l) {
    std::string status = "failed", result, error;
    std::int64_t imported = 0;
    try {
      auto r = tab::run_import(app, partnership, up, who, [&](std::int64_t done, std::int64_t total) {
        if (stopping_) throw Stopped{};
        l.done = done;
        l.total = total;
      });
      json::object o;
      o["services"] = r.services;
      o["locations"] = r.locations;
      o["organisations"] = r.organisations;
      o["taxonomies"] = r.taxonomies;
      o["terms"] = r.taxonomy_terms;
      result = json::serialize(o);
      status = "done";
      imported = r.services;
    } catch (const directory_store::ImportError& e) {
      error = json::serialize(tab::error_json(e));
    } catch (const Stopped&) {
      error = json::serialize(tab::error_json(directory_store::ImportError("", "directory.error_import_stopped")));
    } catch (const std::exception& e) {
      spdlog::error("directory import {} failed: {}", job, e.what());
      error = json::serialize(tab::error_json(directory_store::ImportError("", "directory.error_import_crashed")));
    }
    try {
      auto w = app.work(partnership, who);
      w->write({"directory.import_" + status, "directory_import", job, ""},
               "UPDATE directory_imports SET status = $3, imported = $4, result = $5, error = $6, finished_at = $7"
               " WHERE partnership_id = $1 AND id = $2",
               {job, status, imported, result.empty() ? store::Value{nullptr} : store::Value{result},
                error.empty() ? store::Value{nullptr} : store::Value{error}, now_seconds()});
      w.commit();
    } catch (const std::exception& e) {
      spdlog::error("directory import {}: could not record the outcome: {}", job, e.what());
    }
  }

  struct Runner {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> finished;
  };
  std::atomic<bool> stopping_{false};
  std::mutex mu_, threads_mu_;
  std::map<std::int64_t, std::shared_ptr<Live>> live_;
  std::list<Runner> threads_;
};

std::int64_t count_of(store::Scope& s, const std::string& table) {
  return s.read("SELECT COUNT(*) FROM " + table + " WHERE partnership_id = $1").one().i64(0);
}

http::Response admin_page(Ctx& ctx, const app::FormErrors& errors, int status) {
  auto w = ctx.read();
  auto& s = w.scope();
  web::Data d;
  d.set("services", web::format_number(ctx.lang, count_of(s, "directory_services")));
  d.set("locations", web::format_number(ctx.lang, count_of(s, "directory_locations")));
  d.set("organisations", web::format_number(ctx.lang, count_of(s, "directory_organisations")));
  d.set("terms", web::format_number(ctx.lang, count_of(s, "directory_taxonomy_terms")));
  web::List recent;
  for (const auto& r : s.read("SELECT id, status, source, started_at, imported FROM directory_imports"
                              " WHERE partnership_id = $1 ORDER BY id DESC LIMIT 5")
                           .rows) {
    web::Data j;
    j.set("href", "/admin/directory/imports/" + r.text(0));
    j.set("source", r.text(2));
    j.set("when", web::format_date(ctx.lang, r.i64(3)));
    std::string st = r.text(1);
    j.set("status", ctx.t(st == "done" ? "directory.admin_status_done"
                                       : st == "failed" ? "directory.admin_status_failed" : "directory.admin_status_running"));
    recent.push_back(j);
  }
  d.set("recent", recent);
  d.set("has_recent", !recent.empty());
  errors.fill(d);
  ctx.csrf();
  return ctx.page(ctx.t("directory.admin_title"), "directory/admin", d, status);
}

http::Response show_admin(Ctx& ctx) {
  if (!directory_policy::can_import_export(ctx.actor)) return ctx.deny();
  return admin_page(ctx, {}, 200);
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && to_lower(s.substr(s.size() - tail.size())) == tail;
}

http::Response start_import(Ctx& ctx, ImportJobs& jobs) {
  if (!directory_policy::can_import_export(ctx.actor)) return ctx.deny();
  app::FormErrors errors;
  tab::Upload up;
  const auto* ct = ctx.req.header("content-type");
  auto parts = ct ? http::parse_multipart(ctx.req.body, *ct) : std::nullopt;
  std::vector<const http::Part*> files;
  if (parts)
    for (const auto& p : *parts)
      if (p.name == "files" && p.is_file && !p.filename.empty()) files.push_back(&p);
  if (files.empty()) {
    errors.add("files", ctx.t("directory.admin_error_no_file"));
    return admin_page(ctx, errors, 400);
  }
  // Two imports at once would queue on the same rows (or, on SQLite, the one write lock); one at a
  // time keeps each one's outcome clear. A "running" row with no live thread is a stopped import.
  {
    auto w = ctx.read();
    for (const auto& r : w->read("SELECT id FROM directory_imports WHERE partnership_id = $1 AND status = 'running'").rows)
      if (jobs.live(r.i64(0))) {
        errors.add("files", ctx.t("directory.admin_error_busy"));
        return admin_page(ctx, errors, 409);
      }
  }
  std::string names;
  for (const auto* f : files) {
    names += (names.empty() ? "" : ", ") + f->filename;
    if (ends_with(f->filename, ".json") && f->filename != "datapackage.json") {
      if (!up.json.empty() || files.size() > 1) {
        errors.add("files", ctx.t("directory.admin_error_one_json"));
        return admin_page(ctx, errors, 400);
      }
      up.json = f->data;
      up.name = f->filename;
    } else if (ends_with(f->filename, ".csv") || f->filename == "datapackage.json") {
      up.csv[f->filename] = f->data;
    } else {
      errors.add("files", ctx.t("directory.admin_error_file_type", {{"file", f->filename}}));
      return admin_page(ctx, errors, 400);
    }
  }
  if (up.tabular()) up.name = names;
  if (!up.tabular() && trim(up.json).empty()) {
    errors.add("files", ctx.t("directory.admin_error_empty", {{"file", up.name}}));
    return admin_page(ctx, errors, 400);
  }
  // A first count for the progress bar; the import itself says what is wrong with a bad file.
  std::int64_t total = 0;
  if (!up.tabular()) {
    boost::system::error_code ec;
    auto v = json::parse(up.json, ec);
    if (!ec) total = tab::count_services(v);
  } else if (auto it = up.csv.find("services.csv"); it != up.csv.end()) {
    try {
      total = std::max<std::int64_t>(0, static_cast<std::int64_t>(tab::parse_csv(it->second, "services.csv").size()) - 1);
    } catch (const directory_store::ImportError&) {
    }
  }
  std::int64_t job;
  {
    auto w = ctx.work();
    job = w->insert({"directory.import_start", "directory_import", std::nullopt, names},
                    "INSERT INTO directory_imports (partnership_id, status, source, kind, total, imported, started_by,"
                    " started_at) VALUES ($1, 'running', $2, $3, $4, 0, $5, $6) RETURNING id",
                    {names.substr(0, 500), std::string(up.tabular() ? "csv" : "json"), total,
                     ctx.actor->user_id, now_seconds()});
    w.commit();
  }
  jobs.start(ctx.app, ctx.partnership.id, job, std::move(up), ctx.audit_context(), total);
  return http::Response::redirect("/admin/directory/imports/" + std::to_string(job));
}

http::Response show_import(Ctx& ctx, ImportJobs& jobs) {
  if (!directory_policy::can_import_export(ctx.actor)) return ctx.deny();
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id) return ctx.not_found();
  auto w = ctx.read();
  auto r = w->read("SELECT status, source, total, imported, result, error, started_at FROM directory_imports"
                   " WHERE partnership_id = $1 AND id = $2",
                   {*id});
  if (r.empty()) return ctx.not_found();
  const auto& row = r.one();
  std::string status = row.text(0);
  web::Data d;
  d.set("source", row.text(1));
  d.set("self", "/admin/directory/imports/" + std::to_string(*id));
  json::object err;
  if (status == "running") {
    auto l = jobs.live(*id);
    if (!l) {
      // Started by a process that has since stopped: its transaction never committed.
      status = "failed";
      err = tab::error_json(directory_store::ImportError("", "directory.error_import_stopped"));
    } else {
      std::int64_t total = std::max<std::int64_t>(l->total, l->done);
      d.set("running", true);
      d.set("done", std::to_string(l->done.load()));
      d.set("total", std::to_string(std::max<std::int64_t>(total, 1)));
      d.set("progress_text", ctx.t("directory.admin_progress", {{"done", web::format_number(ctx.lang, l->done)},
                                                                 {"total", web::format_number(ctx.lang, total)}}));
    }
  }
  if (status == "done") {
    json::object res = json::parse(row.text(4)).as_object();
    auto n = [&](const char* k) { return web::format_number(ctx.lang, res[k].as_int64()); };
    d.set("finished", true);
    d.set("summary", ctx.t("directory.import_done", {{"services", n("services")},
                                                     {"locations", n("locations")},
                                                     {"organisations", n("organisations")},
                                                     {"taxonomies", n("taxonomies")},
                                                     {"terms", n("terms")}}));
  }
  if (status == "failed") {
    if (err.empty() && !row.null(5)) {
      boost::system::error_code ec;
      auto v = json::parse(row.text(5), ec);
      if (!ec && v.is_object()) err = v.as_object();
    }
    d.set("failed", true);
    d.set("problem", tab::describe_json(ctx.app, err, ctx.lang));
  }
  std::string title = ctx.t(status == "done" ? "directory.admin_import_done_title"
                                             : status == "failed" ? "directory.admin_import_failed_title"
                                                                  : "directory.admin_import_running_title");
  d.set("heading", title);
  auto res = ctx.page(title, "directory/admin_import", d);
  // Without JavaScript the page asks to be loaded again until the import has finished.
  if (status == "running") res.header("Refresh", "3");
  return res;
}

std::string file_stem(Ctx& ctx) {
  std::string date = format_iso8601(now_seconds()).substr(0, 10);
  return "directory-" + ctx.partnership.slug + "-" + date;
}

http::Response download(Ctx& ctx, const std::string& format) {
  if (!directory_policy::can_import_export(ctx.actor)) return ctx.deny();
  auto w = ctx.work();
  auto t = tab::read_tables(w.scope());
  // The backup holds private records, so each download is on the audit trail.
  w->audit({"directory.export", "directory", std::nullopt,
            format + ", " + std::to_string(t["service"].size()) + " services"});
  http::Response res;
  if (format == "json") {
    res.content_type = "application/json";
    res.body = json::serialize(tab::nest(t).feed);
  } else {
    res.content_type = "application/zip";
    res.body = tab::zip(tab::write_csv(t), now_seconds());
  }
  w.commit();
  res.header("Content-Disposition", "attachment; filename=\"" + file_stem(ctx) + "." + format + "\"");
  res.header("Cache-Control", "no-store");
  return res;
}

}  // namespace

void directory_import_migrations(store::Migrations& m) {
  m.add({"directory", 4, "background directory imports",
         R"SQL(
CREATE TABLE directory_imports (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  source TEXT NOT NULL,
  kind TEXT NOT NULL,
  total BIGINT NOT NULL,
  imported BIGINT NOT NULL,
  result TEXT,
  error TEXT,
  started_by BIGINT,
  started_at BIGINT NOT NULL,
  finished_at BIGINT,
  UNIQUE (partnership_id, id)
);
)SQL",
         {"directory_imports"}});
}

void install_directory_admin(app::App& a) {
  // Owned by the routes: destroyed with the router, before the database the threads use.
  auto jobs = std::make_shared<ImportJobs>();
  a.route("GET", "/admin/directory", "directory.admin", show_admin);
  a.route("POST", "/admin/directory/imports", "directory.admin_import_start",
          [jobs](Ctx& ctx) { return start_import(ctx, *jobs); });
  a.route("GET", "/admin/directory/imports/{id}", "directory.admin_import",
          [jobs](Ctx& ctx) { return show_import(ctx, *jobs); });
  a.route("GET", "/admin/directory/export.json", "directory.admin_export_json",
          [](Ctx& ctx) { return download(ctx, "json"); });
  a.route("GET", "/admin/directory/export.zip", "directory.admin_export_zip",
          [](Ctx& ctx) { return download(ctx, "zip"); });
  a.nav({"directory.admin_nav", "/admin/directory",
         [](const Ctx& c) { return directory_policy::can_import_export(c.actor); }});
}

}  // namespace cp::modules
