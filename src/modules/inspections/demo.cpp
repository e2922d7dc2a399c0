#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/inspections/inspections.hpp"

namespace cp::modules::inspections {

// The demo partnership's citizen inspector (the demo person), a question set, and one inspection
// of the first service taken all the way to a published report with the service's reply.
void seed_demo(app::App&, store::Scope& s) {
  namespace db = inspections_store;
  auto person = AccountsModule::find_user(s, "person@demo.example");
  auto admin = AccountsModule::find_user(s, "admin@demo.example");
  auto services = directory_store::briefs(s);
  if (!person || !admin || services.empty()) return;
  if (!db::inspector_for_user(s, *person)) db::add_inspector(s, *person, "2026-09-01");
  if (!db::templates(s).empty()) return;
  auto template_id = db::create_template(
      s, "Visiting a day service",
      {{"scale", "Were you made welcome when you arrived?", "Not at all", "Very welcome"},
       {"scale", "Was it easy to get in and move around?", "Very hard", "Very easy"},
       {"scale", "Did staff explain things in words you understood?", "Never", "Always"},
       {"text", "What is the one thing you would change?", "", ""}});
  db::NewInspection in;
  in.service_id = services.front().id;
  in.template_id = template_id;
  in.lead_user_id = *admin;
  in.title = "Autumn visit";
  in.response_days = 14;
  auto id = db::create(s, in);
  db::add_member(s, id, *person, "inspector");
  db::add_visit(s, id, "2026-10-07", "Morning drop-in");
  db::save_answers(s, id,
                   {{0, 5, "A warm hello at the door.", ""},
                    {1, 2, "The ramp is steep and there is no handrail.", ""},
                    {2, 4, "", ""},
                    {3, std::nullopt, "A handrail on the ramp.", ""}},
                   *person);
  db::add_finding(s, id, {0, 0, 0, "The ramp at the side door is steep and has no handrail.",
                          "Two of the team could not use it without help.", ""},
                  *person);
  db::save_report(s, id,
                  "We visited on a Tuesday morning. Staff were kind and said hello to everyone. "
                  "They explained things clearly.\n\nThe ramp at the side door is steep. There is no handrail. "
                  "Two of us needed help to use it. We ask the service to fit a handrail.",
                  "Fe ymwelon ni ar fore Mawrth. Roedd y staff yn garedig ac yn dweud helo wrth bawb. "
                  "Roedden nhw'n esbonio pethau'n glir.\n\nMae'r ramp wrth y drws ochr yn serth. Does dim canllaw. "
                  "Roedd angen help ar ddau ohonom i'w ddefnyddio. Rydyn ni'n gofyn i'r gwasanaeth osod canllaw.");
  auto now = now_seconds();
  db::send(s, id, now - 20 * 86400);
  db::respond(s, id, "Thank you for visiting. We have asked the landlord to fit a handrail by the end of March.",
              now - 10 * 86400);
  db::publish(s, id, now - 5 * 86400);
}

}  // namespace cp::modules::inspections
