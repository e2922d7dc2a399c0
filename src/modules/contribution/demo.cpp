// The demo partnership's theory of change for its key-worker employability service: a full chain,
// with assumptions, rival explanations, evidence of all three kinds and ratings, including one link
// that is still weak, so every part of the pages has something true-looking to show.
#include "modules/contribution/contribution.hpp"

namespace cp::modules::contribution {

void seed_demo(app::App&, store::Scope& s) {
  if (s.read("SELECT COUNT(*) FROM contribution_theories WHERE partnership_id = $1").one().i64(0) > 0) return;
  auto t = create_theory(
      s, "Key worker support into work",
      "Has our key worker support helped more people in Kingdom Shore move into work that lasts?",
      "Key workers from partner organisations support people who are far from work: lone parents, disabled people "
      "and people out of work for a long time. Each person has one key worker and a plan they write together. "
      "At the same time, two large employers opened in the area, and the bus service changed.");
  auto meet = add_result(s, t, "activities", "Key workers meet each person every week and write a plan with them");
  auto refer = add_result(s, t, "activities", "Partners offer training, debt advice and childcare help through referrals");
  auto stay = add_result(s, t, "reactions", "People keep coming to meetings and say they feel listened to");
  auto ready = add_result(s, t, "learning", "People feel more confident and know what jobs they could do");
  auto apply = add_result(s, t, "behaviour", "People apply for jobs and go to interviews");
  auto work = add_result(s, t, "outcomes", "More people start work and are still in work after 26 weeks");

  auto l1 = add_link(s, t, meet, stay);
  auto l2 = add_link(s, t, refer, stay);
  auto l3 = add_link(s, t, stay, ready);
  auto l4 = add_link(s, t, ready, apply);
  auto l5 = add_link(s, t, apply, work);

  add_note(s, t, l1, "assumption", "People can get to the meetings, or the key worker can meet them nearby.");
  add_note(s, t, l1, "assumption", "Each key worker has time for weekly meetings with everyone on their caseload.");
  add_note(s, t, l1, "influence", "Some people come because their benefits depend on it, not because the meetings help.");
  add_note(s, t, l2, "assumption", "Partners have places free when people are referred.");
  add_note(s, t, l2, "influence", "Some people already had help from their family or a church group.");
  add_note(s, t, l3, "assumption", "Feeling listened to builds trust, and trust makes it easier to try new things.");
  add_note(s, t, l3, "influence", "The college ran free confidence courses this year.");
  add_note(s, t, l4, "assumption", "There are jobs people can reach by bus at the hours they can work.");
  add_note(s, t, l4, "influence", "The Jobcentre asked more people to apply for jobs this year.");
  add_note(s, t, l5, "assumption", "Employers will take on people who have been out of work for a long time.");
  add_note(s, t, l5, "influence", "Two large employers opened in Kingdom Shore and took on many local people.");

  Evidence fig;
  fig.kind = "figure";
  fig.figure_key = "ideas_all";
  fig.note = "Ideas people shared about how the meetings should work, many of them now in use.";
  add_evidence(s, t, l1, fig);
  Evidence quote;
  quote.kind = "quote";
  quote.quote_text = "My key worker actually listens. I keep going because she helped me sort my debts first.";
  quote.quote_who = "A lone parent using the service";
  quote.quote_consent = true;
  add_evidence(s, t, l1, quote);
  Evidence doc;
  doc.kind = "document";
  doc.title = "Survey of people using the service, spring";
  doc.url = "https://kingdomshore.example/reports/service-survey-spring";
  doc.note = "41 of 52 people said they feel listened to.";
  add_evidence(s, t, l3, doc);
  Evidence done;
  done.kind = "figure";
  done.figure_key = "tracker_done";
  done.note = "Changes people asked for, such as evening meetings, that we made together.";
  add_evidence(s, t, l3, done);
  Evidence hours;
  hours.kind = "figure";
  hours.figure_key = "timebank_hours";
  hours.note = "People practise skills for work by helping each other through the timebank.";
  add_evidence(s, t, l4, hours);
  Evidence quote2;
  quote2.kind = "quote";
  quote2.quote_text = "I never thought I could do an interview. We practised three times and I got the job.";
  quote2.quote_who = "A person who used the service for a year";
  quote2.quote_consent = true;
  add_evidence(s, t, l5, quote2);
  Evidence starts;
  starts.kind = "figure";
  starts.figure_key = "journeys_job_starts";
  starts.note = "Job starts recorded by key workers, from people's own records (counts only).";
  add_evidence(s, t, l5, starts);

  rate(s, t, l1, "high", "People keep coming, the survey and what people tell us agree, and it held in every partner.",
       std::nullopt);
  rate(s, t, l3, "low", "We only had one survey, and it did not ask about confidence.", std::nullopt);
  Evidence doc2;
  doc2.kind = "document";
  doc2.title = "Confidence scores before and after six months";
  doc2.url = "https://kingdomshore.example/reports/confidence-scores";
  doc2.note = "Self-assessment scores went up for most people who stayed six months.";
  add_evidence(s, t, l3, doc2);
  rate(s, t, l3, "medium",
       "The confidence scores now agree with the survey. The college courses may explain part of the change.",
       std::nullopt);
  rate(s, t, l4, "medium", "Timebank hours and job applications both went up, but the Jobcentre also pushed people to apply.",
       std::nullopt);
  rate(s, t, l5, "low",
       "Job starts went up, but so did jobs in the area. We need to compare with people who had no key worker.",
       std::nullopt);
}

}  // namespace cp::modules::contribution
