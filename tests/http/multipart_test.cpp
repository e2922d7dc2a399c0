// multipart/form-data parsing: what browsers send, and what must be refused.
#include <gtest/gtest.h>

#include "http/multipart.hpp"

using namespace cp::http;

namespace {
const std::string kType = "multipart/form-data; boundary=XyZ";
}

TEST(Multipart, ReadsFieldsAndFiles) {
  std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"C:\\\\Users\\\\me\\\\feed.json\"\r\n"
      "Content-Type: application/json\r\n\r\n[1,\r\n2] x--XyZ is not a boundary here\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"\"\r\n\r\n\r\n"
      "--XyZ--\r\nepilogue is ignored";
  auto parts = parse_multipart(body, kType);
  ASSERT_TRUE(parts);
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].name, "csrf_token");
  EXPECT_FALSE((*parts)[0].is_file);
  EXPECT_EQ((*parts)[0].data, "abc");
  EXPECT_EQ((*parts)[1].filename, "feed.json");
  EXPECT_TRUE((*parts)[1].is_file);
  EXPECT_EQ((*parts)[1].content_type, "application/json");
  EXPECT_EQ((*parts)[1].data, "[1,\r\n2] x--XyZ is not a boundary here");
  EXPECT_TRUE((*parts)[2].is_file);  // a file input left empty
  EXPECT_EQ((*parts)[2].filename, "");
  EXPECT_EQ((*parts)[2].data, "");
}

TEST(Multipart, BoundaryFromTheContentType) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=\"a b\""), "a b");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data;boundary=----WebKit123"), "----WebKit123");
  EXPECT_EQ(multipart_boundary("application/x-www-form-urlencoded"), "");
  EXPECT_EQ(multipart_boundary("multipart/form-data"), "");
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')), "");
}

TEST(Multipart, RefusesWhatIsNotWellFormed) {
  // No closing delimiter.
  EXPECT_FALSE(parse_multipart("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue", kType));
  // No name.
  EXPECT_FALSE(parse_multipart("--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--", kType));
  // Not form-data.
  EXPECT_FALSE(parse_multipart("--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--XyZ--", kType));
  // No headers end.
  EXPECT_FALSE(parse_multipart("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nv\r\n--XyZ--", kType));
  // Another boundary.
  EXPECT_FALSE(parse_multipart("--Other\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--Other--", kType));
  EXPECT_FALSE(parse_multipart("anything", "text/plain"));
  // Too many parts.
  std::string many;
  for (int i = 0; i < 5; ++i) many += "--XyZ\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n";
  many += "--XyZ--\r\n";
  EXPECT_TRUE(parse_multipart(many, kType, 5));
  EXPECT_FALSE(parse_multipart(many, kType, 4));
  // An empty form is well formed.
  auto none = parse_multipart("--XyZ--\r\n", kType);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}
