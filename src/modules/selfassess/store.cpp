#include <cstdio>

#include "core/util.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/journeys/kpi.hpp"
#include "modules/selfassess/selfassess.hpp"

namespace cp::modules {

void SelfassessModule::migrations(store::Migrations& m) const {
  m.add({"selfassess", 1, "self-assessment scales and dated completions",
         R"SQL(
CREATE TABLE selfassess_scales (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  name TEXT NOT NULL,
  name_cy TEXT NOT NULL DEFAULT '',
  question TEXT NOT NULL,
  question_cy TEXT NOT NULL DEFAULT '',
  low TEXT NOT NULL,
  low_cy TEXT NOT NULL DEFAULT '',
  middle TEXT NOT NULL,
  middle_cy TEXT NOT NULL DEFAULT '',
  high TEXT NOT NULL,
  high_cy TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  position BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id)
);
CREATE TABLE selfassess_completions (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  person_id BIGINT NOT NULL,
  recorded_by BIGINT,
  with_worker INTEGER NOT NULL DEFAULT 0,
  completed_on TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id)
);
CREATE INDEX selfassess_completions_person ON selfassess_completions (partnership_id, person_id, completed_on);
CREATE TABLE selfassess_scores (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  completion_id BIGINT NOT NULL,
  scale_id BIGINT NOT NULL,
  score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 10),
  UNIQUE (partnership_id, completion_id, scale_id),
  FOREIGN KEY (partnership_id, completion_id) REFERENCES selfassess_completions (partnership_id, id),
  FOREIGN KEY (partnership_id, scale_id) REFERENCES selfassess_scales (partnership_id, id)
);
)SQL",
         {"selfassess_scales", "selfassess_completions", "selfassess_scores"}});
}

namespace selfassess {

namespace {
std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}
}  // namespace

std::string chart_svg(const std::string& id, const std::string& title, const std::string& desc,
                      const std::vector<std::pair<std::string, int>>& points, const std::string& low_label,
                      const std::string& high_label) {
  // A fixed coordinate space scaled by the viewBox, so the chart shrinks to 320 px without script.
  const double w = 600, h = 260, left = 56, right = 16, top = 16, bottom = 48;
  const double plot_w = w - left - right, plot_h = h - top - bottom;
  auto y_of = [&](int score) { return top + plot_h * (kMax - score) / double(kMax - kMin); };
  auto x_of = [&](std::size_t i) {
    return points.size() <= 1 ? left + plot_w / 2 : left + plot_w * double(i) / double(points.size() - 1);
  };
  std::string s = "<svg class=\"sa-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 600 260\" width=\"100%\" role=\"img\""
                  " aria-labelledby=\"" + id + "-title " + id + "-desc\" focusable=\"false\">";
  s += "<title id=\"" + id + "-title\">" + html_escape(title) + "</title>";
  s += "<desc id=\"" + id + "-desc\">" + html_escape(desc) + "</desc>";
  // Grid lines at 1, 4, 7 and 10, labelled at the ends with the scale's own words.
  for (int v : {1, 4, 7, 10}) {
    s += "<line x1=\"" + fmt(left) + "\" x2=\"" + fmt(w - right) + "\" y1=\"" + fmt(y_of(v)) + "\" y2=\"" + fmt(y_of(v)) +
         "\" stroke=\"#b1b4b6\" stroke-width=\"1\"/>";
    s += "<text x=\"" + fmt(left - 8) + "\" y=\"" + fmt(y_of(v) + 5) + "\" text-anchor=\"end\" font-size=\"14\" fill=\"#0b0c0c\">" +
         std::to_string(v) + "</text>";
  }
  s += "<text x=\"" + fmt(left) + "\" y=\"" + fmt(h - 4) + "\" font-size=\"13\" fill=\"#505a5f\">" + html_escape(low_label) +
       " = 1, " + html_escape(high_label) + " = 10</text>";
  if (points.size() > 1) {
    std::string path;
    for (std::size_t i = 0; i < points.size(); ++i)
      path += (i ? " " : "") + fmt(x_of(i)) + "," + fmt(y_of(points[i].second));
    s += "<polyline points=\"" + path + "\" fill=\"none\" stroke=\"#1d70b8\" stroke-width=\"3\"/>";
  }
  for (std::size_t i = 0; i < points.size(); ++i) {
    s += "<circle cx=\"" + fmt(x_of(i)) + "\" cy=\"" + fmt(y_of(points[i].second)) +
         "\" r=\"6\" fill=\"#1d70b8\" stroke=\"#ffffff\" stroke-width=\"2\"/>";
    // Only the first and last dates: more would overlap on a phone.
    if (i == 0 || i + 1 == points.size())
      s += "<text x=\"" + fmt(x_of(i)) + "\" y=\"" + fmt(h - bottom + 20) + "\" text-anchor=\"" +
           (points.size() == 1 ? "middle" : i == 0 ? "start" : "end") + "\" font-size=\"13\" fill=\"#0b0c0c\">" +
           html_escape(points[i].first) + "</text>";
  }
  s += "</svg>";
  return s;
}

}  // namespace selfassess

namespace selfassess_store {

namespace {

using store::Value;

const char* kScaleCols =
    "SELECT id, name, name_cy, question, question_cy, low, low_cy, middle, middle_cy, high, high_cy, active, position"
    " FROM selfassess_scales";

Scale scale_from(const store::Row& r) {
  Scale x;
  x.id = r.i64(0);
  x.name = {r.text(1), r.text(2)};
  x.question = {r.text(3), r.text(4)};
  x.low = {r.text(5), r.text(6)};
  x.middle = {r.text(7), r.text(8)};
  x.high = {r.text(9), r.text(10)};
  x.active = r.boolean(11);
  x.position = r.i64(12);
  return x;
}

store::Params scale_params(const ScaleInput& in) {
  return {in.name.en,   in.name.cy,  in.question.en, in.question.cy, in.low.en,
          in.low.cy,    in.middle.en, in.middle.cy,  in.high.en,     in.high.cy,
          std::int64_t(in.active ? 1 : 0)};
}

}  // namespace

std::vector<Scale> scales(store::Scope& s, bool active_only) {
  std::vector<Scale> out;
  for (const auto& r : s.read(std::string(kScaleCols) + " WHERE partnership_id = $1" +
                              (active_only ? " AND active = 1" : "") + " ORDER BY position, id").rows)
    out.push_back(scale_from(r));
  return out;
}

std::optional<Scale> scale(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string(kScaleCols) + " WHERE partnership_id = $1 AND id = $2", {id});
  if (r.empty()) return std::nullopt;
  return scale_from(r.rows[0]);
}

std::vector<Problem> validate(const ScaleInput& in) {
  std::vector<Problem> p;
  auto need = [&](const std::string& field, const web::Bilingual& b, std::size_t max) {
    if (trim(b.en).empty() && trim(b.cy).empty()) p.push_back({field, "selfassess.error_" + field});
    else if (b.en.size() > max || b.cy.size() > max) p.push_back({field, "selfassess.error_too_long"});
  };
  need("name", in.name, 60);
  need("question", in.question, 300);
  need("low", in.low, 120);
  need("middle", in.middle, 120);
  need("high", in.high, 120);
  return p;
}

std::int64_t add_scale(store::Scope& s, const ScaleInput& in) {
  auto params = scale_params(in);
  auto pos = s.read("SELECT COALESCE(MAX(position), 0) + 1 FROM selfassess_scales WHERE partnership_id = $1").one().i64(0);
  params.push_back(pos);
  params.push_back(now_seconds());
  return s.insert({"selfassess_scale.create", "selfassess_scale", std::nullopt, ""},
                  "INSERT INTO selfassess_scales (partnership_id, name, name_cy, question, question_cy, low, low_cy,"
                  " middle, middle_cy, high, high_cy, active, position, created_at, updated_at)"
                  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
                  params);
}

bool save_scale(store::Scope& s, std::int64_t id, const ScaleInput& in) {
  auto params = scale_params(in);
  params.push_back(now_seconds());
  params.push_back(id);
  return s.write({"selfassess_scale.update", "selfassess_scale", id, in.active ? "active" : "retired"},
                 "UPDATE selfassess_scales SET name = $2, name_cy = $3, question = $4, question_cy = $5, low = $6,"
                 " low_cy = $7, middle = $8, middle_cy = $9, high = $10, high_cy = $11, active = $12, updated_at = $13"
                 " WHERE partnership_id = $1 AND id = $14",
                 params) > 0;
}

std::vector<Problem> check_answers(store::Scope& s, const std::vector<Answer>& answers, std::map<std::int64_t, int>& out) {
  std::vector<Problem> p;
  std::map<std::int64_t, Scale> known;
  for (auto& x : scales(s, false)) known[x.id] = x;
  for (const auto& a : answers) {
    auto id = parse_int(a.scale);
    std::string field = "score-" + a.scale;
    auto it = id ? known.find(*id) : known.end();
    if (it == known.end()) {
      p.push_back({"scores", "selfassess.error_unknown_scale"});
      continue;
    }
    if (trim(a.score).empty()) continue;  // people may skip any question
    if (!it->second.active) {
      p.push_back({field, "selfassess.error_retired_scale"});
      continue;
    }
    auto v = parse_int(trim(a.score));
    if (!v || *v < kMin || *v > kMax) {
      p.push_back({field, "selfassess.error_score"});
      continue;
    }
    out[*id] = static_cast<int>(*v);
  }
  if (p.empty() && out.empty()) p.push_back({"scores", "selfassess.error_none"});
  return p;
}

std::int64_t record(store::Scope& s, std::int64_t person_id, std::optional<std::int64_t> recorded_by, bool with_worker,
                    const std::string& completed_on, const std::map<std::int64_t, int>& scores) {
  // The kept distance figures (journeys' counters, dim "sa") change in this same transaction.
  journeys::KpiChange kept(s, person_id);
  auto id = s.insert({"selfassess_completion.create", "journey_person", person_id,
                      std::to_string(scores.size()) + " scores" + (with_worker ? ", with worker" : "")},
                     "INSERT INTO selfassess_completions (partnership_id, person_id, recorded_by, with_worker,"
                     " completed_on, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                     {person_id, recorded_by ? Value{*recorded_by} : Value{nullptr}, std::int64_t(with_worker ? 1 : 0),
                      completed_on, now_seconds()});
  for (const auto& [scale_id, score] : scores)
    s.insert({"selfassess_score.create", "selfassess_completion", id, "scale " + std::to_string(scale_id)},
             "INSERT INTO selfassess_scores (partnership_id, completion_id, scale_id, score) VALUES ($1, $2, $3, $4)"
             " RETURNING id",
             {id, scale_id, std::int64_t(score)});
  kept.done();
  return id;
}

std::vector<Completion> completions(store::Scope& s, std::int64_t person_id) {
  std::vector<Completion> out;
  std::map<std::int64_t, std::size_t> at;
  for (const auto& r : s.read("SELECT id, person_id, recorded_by, with_worker, completed_on, created_at"
                              " FROM selfassess_completions WHERE partnership_id = $1 AND person_id = $2"
                              " ORDER BY completed_on, id",
                              {person_id}).rows) {
    Completion c;
    c.id = r.i64(0);
    c.person_id = r.i64(1);
    c.recorded_by = r.opt_i64(2);
    c.with_worker = r.boolean(3);
    c.completed_on = r.text(4);
    c.created_at = r.i64(5);
    at[c.id] = out.size();
    out.push_back(c);
  }
  for (const auto& r : s.read("SELECT c.id, x.scale_id, x.score FROM selfassess_scores x JOIN selfassess_completions c"
                              " ON c.partnership_id = x.partnership_id AND c.id = x.completion_id"
                              " WHERE x.partnership_id = $1 AND c.partnership_id = $1 AND c.person_id = $2",
                              {person_id}).rows)
    out[at[r.i64(0)]].scores[r.i64(1)] = static_cast<int>(r.i64(2));
  return out;
}

std::pair<std::int64_t, std::int64_t> erase_person(store::Scope& s, std::int64_t person_id) {
  journeys::KpiChange kept(s, person_id);
  auto scores = s.write({"selfassess_score.erase", "journey_person", person_id, "erasure"},
                        "DELETE FROM selfassess_scores WHERE partnership_id = $1 AND completion_id IN"
                        " (SELECT id FROM selfassess_completions WHERE partnership_id = $1 AND person_id = $2)",
                        {person_id});
  auto done = s.write({"selfassess_completion.erase", "journey_person", person_id, "erasure"},
                      "DELETE FROM selfassess_completions WHERE partnership_id = $1 AND person_id = $2", {person_id});
  kept.done();
  return {done, scores};
}

}  // namespace selfassess_store

namespace selfassess_policy {
bool can_manage_scales(const std::optional<auth::Actor>& a) { return a && a->has(auth::Role::admin); }
bool can_keep_own(const std::optional<auth::Actor>& a) { return a.has_value(); }
}  // namespace selfassess_policy

void seed_selfassess_demo(app::App&, store::Scope& s) {
  if (!selfassess_store::scales(s, false).empty()) return;
  struct Seed {
    const char *name, *name_cy, *q, *q_cy, *low, *low_cy, *mid, *mid_cy, *high, *high_cy;
  };
  // Our own wording, written for this project: short questions, and anchors that describe a
  // feeling rather than a judgement.
  const Seed seeds[] = {
      {"Confidence", "Hyder", "How sure of yourself do you feel?", "Pa mor sicr ohonoch chi eich hun ydych chi'n teimlo?",
       "I doubt myself most days", "Rwy'n amau fy hun y rhan fwyaf o ddyddiau", "Some days I feel sure, some days not",
       "Rhai dyddiau rwy'n teimlo'n sicr, rhai dyddiau ddim", "I feel sure I can try new things",
       "Rwy'n teimlo'n sicr y gallaf roi cynnig ar bethau newydd"},
      {"Wellbeing", "Lles", "How are you feeling in yourself?", "Sut ydych chi'n teimlo ynoch chi'ch hun?",
       "Things feel very hard", "Mae pethau'n teimlo'n anodd iawn", "I am getting by", "Rwy'n ymdopi",
       "I feel well most of the time", "Rwy'n teimlo'n dda y rhan fwyaf o'r amser"},
      {"Money", "Arian", "How do you feel about money right now?", "Sut ydych chi'n teimlo am arian ar hyn o bryd?",
       "I cannot pay for the basics", "Ni allaf dalu am y pethau sylfaenol", "I manage, but it is tight",
       "Rwy'n ymdopi, ond mae'n dynn", "I can pay my bills and plan ahead",
       "Gallaf dalu fy miliau a chynllunio ymlaen"},
      {"Childcare", "Gofal plant", "How well does your childcare work for you?",
       "Pa mor dda mae eich gofal plant yn gweithio i chi?", "I have no childcare I can use",
       "Does gen i ddim gofal plant y gallaf ei ddefnyddio", "I have some, but not enough",
       "Mae gen i beth, ond dim digon", "My childcare fits what I need", "Mae fy ngofal plant yn addas i'r hyn sydd ei angen arna i"},
      {"Housing", "Tai", "How settled is your home?", "Pa mor sefydlog yw eich cartref?", "I might lose my home soon",
       "Efallai y byddaf yn colli fy nghartref cyn bo hir", "My home is OK for now", "Mae fy nghartref yn iawn am nawr",
       "My home is safe and settled", "Mae fy nghartref yn ddiogel ac yn sefydlog"},
      {"Skills", "Sgiliau", "How ready do your skills feel for work or learning?",
       "Pa mor barod mae eich sgiliau yn teimlo ar gyfer gwaith neu ddysgu?", "I do not know where to start",
       "Dydw i ddim yn gwybod ble i ddechrau", "I have some skills I can build on",
       "Mae gen i rai sgiliau y gallaf adeiladu arnyn nhw", "I feel ready for the next step",
       "Rwy'n teimlo'n barod am y cam nesaf"},
  };
  for (const auto& x : seeds) {
    selfassess::ScaleInput in;
    in.name = {x.name, x.name_cy};
    in.question = {x.q, x.q_cy};
    in.low = {x.low, x.low_cy};
    in.middle = {x.mid, x.mid_cy};
    in.high = {x.high, x.high_cy};
    selfassess_store::add_scale(s, in);
  }
}

}  // namespace cp::modules
