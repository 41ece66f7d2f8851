// Report formatting: numbers read back exactly, cents print exactly, CSV and JSON escape.
#include "reports/text_format.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace dcsim::reports {
namespace {

TEST(TextFormat, NumbersAreShortestAndRoundTrip) {
  EXPECT_EQ(format_number(0.1), "0.1");
  EXPECT_EQ(format_number(3.0), "3");
  EXPECT_EQ(format_number(-0.0), "0");
  EXPECT_EQ(format_number(1.0 / 0.0), "null");
  for (double v : {1.0 / 3.0, 2.0 / 7.0 * 1e20, 123456.789, 5e-324}) {
    EXPECT_EQ(std::strtod(format_number(v).c_str(), nullptr), v);
  }
}

// The in-place form the big CSVs use appends exactly what format_number returns.
TEST(TextFormat, AppendNumberAppendsFormatNumbersText) {
  std::string out = "x";
  for (double v : {0.0, -0.0, 0.1, 3.0, -2.5e-7, 1.0 / 3.0, 1.0 / 0.0, 0.0 / 0.0, 5e-324}) {
    const std::string before = out;
    append_number(out, v);
    EXPECT_EQ(out, before + format_number(v));
  }
}

TEST(TextFormat, CentsPrintWithTwoPlaces) {
  EXPECT_EQ(format_cents(12345), "123.45");
  EXPECT_EQ(format_cents(5), "0.05");
  EXPECT_EQ(format_cents(-5), "-0.05");
  EXPECT_EQ(format_cents(0), "0.00");
  EXPECT_EQ(format_cents(INT64_MIN), "-92233720368547758.08");
}

TEST(TextFormat, CsvFieldsQuoteOnlyWhenNeeded) {
  EXPECT_EQ(csv_field("ashburn"), "ashburn");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
}

TEST(TextFormat, JsonStringsEscapeControlCharacters) {
  EXPECT_EQ(json_string("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
}

TEST(TextFormat, Sha256MatchesTheFipsTestVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace dcsim::reports
