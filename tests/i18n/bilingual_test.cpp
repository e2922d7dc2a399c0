// Choosing which language of a piece of bilingual content a reader sees.
#include <gtest/gtest.h>

#include "web/bilingual.hpp"

namespace {

using cp::web::Bilingual;
using cp::web::pick;

TEST(Bilingual, ReaderSeesTheirOwnLanguageWhenItExists) {
  const Bilingual both{"Walking group", "Grŵp cerdded"};
  EXPECT_EQ(pick(both, "cy").text, "Grŵp cerdded");
  EXPECT_EQ(pick(both, "cy").lang, "cy");
  EXPECT_FALSE(pick(both, "cy").other);
  EXPECT_EQ(pick(both, "en").text, "Walking group");
  EXPECT_FALSE(pick(both, "en").other);
  EXPECT_TRUE(cp::web::has_both(both));
}

TEST(Bilingual, MissingVersionFallsBackAndIsFlagged) {
  const Bilingual en_only{"Food larder", "  \n"};
  const auto shown = pick(en_only, "cy");
  EXPECT_EQ(shown.text, "Food larder");
  EXPECT_EQ(shown.lang, "en");
  EXPECT_TRUE(shown.other);
  EXPECT_FALSE(cp::web::has_both(en_only));

  const Bilingual cy_only{"", "Bore coffi"};
  EXPECT_EQ(pick(cy_only, "en").text, "Bore coffi");
  EXPECT_EQ(pick(cy_only, "en").lang, "cy");
  EXPECT_TRUE(pick(cy_only, "en").other);
}

TEST(Bilingual, TemplateObjectCarriesTheNote) {
  auto d = cp::web::bilingual_data({"Food larder", ""}, "cy");
  EXPECT_TRUE(d.get("only_en")->is_true());
  EXPECT_FALSE(d.get("only_cy")->is_true());
  auto none = cp::web::bilingual_data({"", ""}, "en");
  EXPECT_EQ(none.get("text")->string_value(), "");
  EXPECT_FALSE(none.get("other")->is_true());
}

}  // namespace
