// What the events module holds about a person, for the data-rights registry. (Reads only the events
// module's own tables, and cancels through its own store function.)
//
// Retention: a place on an event that has not started yet is given up, so the next person waiting
// gets it. Past sign-ups stay because attendance figures count them, but the support needs the
// person told us (which may be about their health) go. Expenses paid out stay in the accounts, as
// money paid must, and point only at the anonymised account.
#include "core/util.hpp"
#include "modules/events/events.hpp"
#include "modules/rights/rights.hpp"

namespace cp::modules::rights {

void register_events_holder(Registry& r) {
  r.add({"events",
         {{"event_signups", Treatment::anonymised,
           "places on future events are given up; past sign-ups stay for attendance figures without support needs"},
          {"event_expenses", Treatment::kept,
           "money paid out stays in the accounts; it points only at the account, which is anonymised"}},
         [](store::Scope& s, const Subject& who) -> boost::json::value {
           boost::json::object o;
           if (!who.user_id) return o;
           boost::json::array signups, expenses;
           for (const auto& x : s.read("SELECT event_id, status, needs, attended, queued_at FROM event_signups"
                                       " WHERE partnership_id = $1 AND user_id = $2 ORDER BY id",
                                       {who.user_id})
                                    .rows) {
             boost::json::object e{{"event_id", x.i64(0)}, {"status", x.text(1)}, {"support_needs", x.text(2)},
                                   {"signed_up_at", format_iso8601(x.i64(4))}};
             if (!x.null(3)) e["attended"] = x.boolean(3);
             signups.push_back(std::move(e));
           }
           for (const auto& x : s.read("SELECT event_id, amount_pence, what_for, paid_on FROM event_expenses"
                                       " WHERE partnership_id = $1 AND user_id = $2 ORDER BY id",
                                       {who.user_id})
                                    .rows)
             expenses.push_back(
                 {{"event_id", x.i64(0)}, {"pence", x.i64(1)}, {"what_for", x.text(2)}, {"paid_on", x.text(3)}});
           o["sign_ups"] = std::move(signups);
           o["expenses"] = std::move(expenses);
           return o;
         },
         [](store::Scope& s, const Subject& who) {
           Counts c;
           if (!who.user_id) return c;
           auto u = who.user_id;
           auto future = s.read("SELECT g.event_id FROM event_signups g JOIN events e ON e.partnership_id = $1"
                                " AND e.id = g.event_id WHERE g.partnership_id = $1 AND g.user_id = $2"
                                " AND g.status <> 'cancelled' AND e.starts_at > $3",
                                {u, now_seconds()});
           for (const auto& x : future.rows)
             if (events::store_fn::cancel(s, x.i64(0), u)) ++c["event_signups"];
           c["event_signups"] += s.write({"event_signup.anonymise", "user", u, "erasure"},
                                         "UPDATE event_signups SET needs = '' WHERE partnership_id = $1 AND user_id = $2",
                                         {u});
           return c;
         }});
}

}  // namespace cp::modules::rights
