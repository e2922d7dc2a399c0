#include "modules/accounts/accounts.hpp"
#include "modules/charters/charters.hpp"

namespace cp::modules::charters {

// The partnership's charter in two published versions. The worker agreed to version 1 only, so
// they are asked to read version 2; the manager agreed to version 2; the others have not agreed yet.
void seed_demo(app::App&, store::Scope& s) {
  if (s.read("SELECT COUNT(*) FROM charters WHERE partnership_id = $1").one().i64(0) > 0) return;
  auto id_of = [&](const char* email) { return AccountsModule::find_user(s, email).value_or(0); };
  auto admin = id_of("admin@demo.example");
  std::vector<std::string> v1 = {
      "People who use services bring what they know from their own lives.\nStaff bring what they know from their work.\n"
      "Everyone has an equal say in meetings.",
      "Come to meetings when you can, and tell us if you cannot.\nListen to each other and be kind.\n"
      "Keep private what people share about their own lives.",
      "A warm room with step-free access for every meeting.\nA named worker you can contact.\n"
      "Training before you take part in inspections.",
      "First, talk to the chair of the meeting.\nIf that does not help, talk to the partnership manager.",
      "We pay bus fares and car parking.\nClaim on the expenses form within one month.",
      "We thank everyone at the end of each project.\nYou can earn time credits for the hours you give."};
  // Some parts in Welsh too; the rest show a Welsh reader the English with the note.
  std::vector<std::string> v1_cy = {
      "Mae pobl sy’n defnyddio gwasanaethau yn dod â’r hyn maen nhw’n ei wybod o’u bywydau eu hunain.\n"
      "Mae staff yn dod â’r hyn maen nhw’n ei wybod o’u gwaith.\nMae gan bawb lais cyfartal mewn cyfarfodydd.",
      "", "", "",
      "Rydyn ni’n talu am docynnau bws a pharcio ceir.\nHawliwch ar y ffurflen dreuliau o fewn mis.", ""};
  auto id = store_fn::create(s, "How we work together", v1, admin, "Sut rydyn ni’n gweithio gyda’n gilydd", v1_cy);
  auto first = store_fn::latest(s, id);
  store_fn::publish(s, *first);
  auto worker = id_of("worker@demo.example");
  if (worker) store_fn::sign(s, first->id, worker);
  auto v2 = v1;
  v2[2] += "\nCare for children or adults you look after while you take part.";
  v2[4] = "We pay bus fares, car parking and care costs.\nClaim on the expenses form within three months.";
  auto v2_cy = v1_cy;
  v2_cy[4] = "Rydyn ni’n talu am docynnau bws, parcio ceir a chostau gofal.\nHawliwch ar y ffurflen dreuliau o fewn tri mis.";
  auto second = store_fn::revise(s, id, v2, "We now pay for care while you take part, and give more time to claim.", admin,
                                 v2_cy);
  store_fn::publish(s, *store_fn::version(s, *second));
  auto manager = id_of("manager@demo.example");
  if (manager) store_fn::sign(s, *second, manager);
}

}  // namespace cp::modules::charters
