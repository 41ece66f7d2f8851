// The RFC 4180 reader: quoting, line endings, BOM, line numbers, malformed input; parse_double.
#include "sim/traces/csv_reader.h"

#include <gtest/gtest.h>

#include "tests/support/scratch_dir.h"

namespace dcsim::traces {
namespace {

std::vector<CsvRecord> read_all(CsvReader& reader) {
  std::vector<CsvRecord> records;
  CsvRecord rec;
  while (reader.next(rec)) records.push_back(rec);
  return records;
}

using Fields = std::vector<std::string>;

TEST(CsvReader, HeaderAndColumns) {
  CsvReader reader = CsvReader::from_string("a,b,c\n1,2,3\n");
  EXPECT_EQ(reader.header(), (Fields{"a", "b", "c"}));
  EXPECT_EQ(reader.header_line(), 1);
  EXPECT_EQ(reader.column("b"), 1);
  EXPECT_EQ(reader.column("B"), -1);
  const auto records = read_all(reader);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields, (Fields{"1", "2", "3"}));
  EXPECT_EQ(records[0].line, 2);
  EXPECT_TRUE(reader.error().empty());
}

TEST(CsvReader, QuotedCommaNewlineAndDoubledQuotes) {
  CsvReader reader = CsvReader::from_string(
      "name,note\n"
      "\"a,b\",\"two\nlines\"\n"
      "\"say \"\"hi\"\"\",\"\"\n"
      "plain,x\n");
  const auto records = read_all(reader);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].fields, (Fields{"a,b", "two\nlines"}));
  EXPECT_EQ(records[0].line, 2);
  EXPECT_EQ(records[1].fields, (Fields{"say \"hi\"", ""}));
  EXPECT_EQ(records[1].line, 4);  // the record before it spans lines 2 and 3
  EXPECT_EQ(records[2].line, 5);
  EXPECT_TRUE(reader.error().empty());
}

TEST(CsvReader, CrlfBomAndMissingFinalNewline) {
  CsvReader reader = CsvReader::from_string("\xEF\xBB\xBFid,v\r\n1,\"x\r\ny\"\r\n2,z");
  EXPECT_EQ(reader.header(), (Fields{"id", "v"}));  // no BOM in the first column's name
  const auto records = read_all(reader);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields, (Fields{"1", "x\r\ny"}));  // line breaks inside quotes kept as written
  EXPECT_EQ(records[0].line, 2);
  EXPECT_EQ(records[1].fields, (Fields{"2", "z"}));
  EXPECT_EQ(records[1].line, 4);
}

TEST(CsvReader, EmptyFieldsEmptyLinesAndLoneCr) {
  CsvReader reader = CsvReader::from_string("a,b,c\n,,\n\n\r\nx,,y\rlast,1,2\n\n");
  const auto records = read_all(reader);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].fields, (Fields{"", "", ""}));
  EXPECT_EQ(records[0].line, 2);
  EXPECT_EQ(records[1].fields, (Fields{"x", "", "y"}));
  EXPECT_EQ(records[1].line, 5);
  EXPECT_EQ(records[2].line, 6);
}

TEST(CsvReader, QuoteInsideUnquotedFieldIsKept) {
  CsvReader reader = CsvReader::from_string("h\n5'10\"\n", true);
  const auto records = read_all(reader);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields, (Fields{"5'10\""}));
}

TEST(CsvReader, UnterminatedQuoteIsAnErrorNamingItsLine) {
  CsvReader reader = CsvReader::from_string("a,b\n1,2\n3,\"open\n4,5\n");
  CsvRecord rec;
  ASSERT_TRUE(reader.next(rec));
  EXPECT_FALSE(reader.next(rec));
  EXPECT_NE(reader.error().find("line 3"), std::string::npos) << reader.error();
  EXPECT_NE(reader.error().find("unterminated"), std::string::npos) << reader.error();
  EXPECT_FALSE(reader.next(rec));  // stays failed
}

TEST(CsvReader, JunkAfterClosingQuoteIsAnError) {
  CsvReader reader = CsvReader::from_string("a,b\n\"x\"y,2\n");
  CsvRecord rec;
  EXPECT_FALSE(reader.next(rec));
  EXPECT_NE(reader.error().find("line 2"), std::string::npos) << reader.error();
}

TEST(CsvReader, WithoutHeaderRowEveryRecordIsData) {
  CsvReader reader = CsvReader::from_string("1,2\n3,4\n", false);
  EXPECT_TRUE(reader.header().empty());
  const auto records = read_all(reader);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].line, 1);
}

TEST(CsvReader, OpenFileAndErrors) {
  test_support::ScratchDir dir;
  std::string error;
  EXPECT_FALSE(CsvReader::open(dir.path("missing.csv"), error).has_value());
  EXPECT_NE(error.find("missing.csv"), std::string::npos);
  error.clear();
  EXPECT_FALSE(CsvReader::open(dir.write("empty.csv", ""), error).has_value());
  EXPECT_NE(error.find("empty"), std::string::npos) << error;
  error.clear();
  EXPECT_FALSE(CsvReader::open(dir.write("badhead.csv", "a,\"b\n"), error).has_value());
  EXPECT_NE(error.find("unterminated"), std::string::npos) << error;
  error.clear();
  auto reader = CsvReader::open(dir.write("ok.csv", "\xEF\xBB\xBFx\r\n1\r\n"), error);
  ASSERT_TRUE(reader.has_value()) << error;
  EXPECT_EQ(reader->column("x"), 0);
  CsvRecord rec;
  ASSERT_TRUE(reader->next(rec));
  EXPECT_EQ(rec.fields, (Fields{"1"}));
  EXPECT_FALSE(reader->next(rec));
  EXPECT_TRUE(reader->error().empty());
}

TEST(ParseDouble, AcceptsPlainNumbers) {
  double v = -1.0;
  EXPECT_TRUE(parse_double("8", v));
  EXPECT_EQ(v, 8.0);
  EXPECT_TRUE(parse_double(" -0.5 ", v));
  EXPECT_EQ(v, -0.5);
  EXPECT_TRUE(parse_double("+1.5e3", v));
  EXPECT_EQ(v, 1500.0);
  EXPECT_TRUE(parse_double(".25", v));
  EXPECT_EQ(v, 0.25);
}

TEST(ParseDouble, RejectsJunkNanInfinityAndOverflow) {
  double v = 42.0;
  for (const char* text : {"", " ", "8x", "8 h", "1e", "nan", "NaN", "inf", "-infinity", "1e999", "0x10", "+-1", "+",
                           "1,5", "--1"}) {
    EXPECT_FALSE(parse_double(text, v)) << text;
  }
  EXPECT_EQ(v, 42.0);  // untouched
}

TEST(CsvReader, RefusesUtf16WithItsByteOrderMark) {
  CsvReader le = CsvReader::from_string(std::string("\xFF\xFE" "a\0,\0b\0\n\0", 10));
  EXPECT_NE(le.error().find("line 1: the file is UTF-16 (byte-order mark FF FE)"), std::string::npos) << le.error();
  CsvReader be = CsvReader::from_string(std::string("\xFE\xFF\0a", 4));
  EXPECT_NE(be.error().find("UTF-16 (byte-order mark FE FF)"), std::string::npos) << be.error();
}

TEST(CsvReader, RefusesNulBytesAsUtf16OrBinary) {
  CsvReader reader = CsvReader::from_string(std::string("a,b\n1,2\nx\0y,3\n", 14));
  const auto records = read_all(reader);
  EXPECT_EQ(records.size(), 1u);
  EXPECT_NE(reader.error().find("line 3: NUL byte"), std::string::npos) << reader.error();
  EXPECT_NE(reader.error().find("UTF-16"), std::string::npos);
}

TEST(CsvReader, RefusesInvalidUtf8WithTheRecordsFirstLine) {
  // Latin-1 "caf\xE9" in a record that starts on line 3 and spans two lines.
  CsvReader reader = CsvReader::from_string("name,note\nok,\"\xC3\xA9t\xC3\xA9\"\n\"two\nlines\",caf\xE9\n");
  const auto records = read_all(reader);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields[1], "\xC3\xA9t\xC3\xA9");  // well-formed UTF-8 passes
  EXPECT_NE(reader.error().find("line 3: invalid UTF-8 (byte E9 in field 2)"), std::string::npos) << reader.error();
}

TEST(CsvReader, RefusesOverlongSurrogateAndTruncatedUtf8) {
  for (const char* bad : {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "ab\xE2\x82"}) {
    CsvReader reader = CsvReader::from_string(std::string("h\n") + bad + "\n");
    read_all(reader);
    EXPECT_NE(reader.error().find("line 2: invalid UTF-8"), std::string::npos) << bad;
  }
  CsvReader good = CsvReader::from_string("h\n\xE2\x82\xAC,\xF0\x9F\x98\x80\n");  // euro sign, emoji
  EXPECT_EQ(read_all(good).size(), 1u);
  EXPECT_TRUE(good.error().empty()) << good.error();
}

}  // namespace
}  // namespace dcsim::traces
