// The EnergyPlus weather reader: the shipped synthetic example, and broken copies written here
// (truncated, not an EPW, a bad number, a missing value, a gap, sub-hourly data, a leap year).
#include "sim/traces/epw.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/scratch_dir.h"

namespace dcsim::traces {
namespace {

const std::string shipped_epw =
    // An absolute path from CMake: __FILE__ is relative in ccache builds with CCACHE_BASEDIR.
    (std::filesystem::path(DCSIM_SOURCE_DIR) / "scenarios/examples/weather/example-temperate.epw").string();

std::vector<std::string> shipped_lines() {
  std::ifstream in(shipped_epw);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::string join(const std::vector<std::string>& lines, std::size_t count) {
  std::string text;
  for (std::size_t i = 0; i < count && i < lines.size(); ++i) text += lines[i] + "\n";
  return text;
}

const std::string header =
    "LOCATION,Testville,XX,Testland,test,000000,50.5,-3.25,1.0,120\n"
    "DESIGN CONDITIONS,0\n"
    "TYPICAL/EXTREME PERIODS,0\n"
    "GROUND TEMPERATURES,0\n"
    "HOLIDAYS/DAYLIGHT SAVINGS,Yes,0,0,0\n"
    "COMMENTS 1,written by epw_test\n"
    "COMMENTS 2,\n"
    "DATA PERIODS,1,1,Data,Sunday, 1/ 1,12/31\n";

// A whole year of rows whose dry bulb is the hour's index / 1000, 9 fields each.
std::string rows(bool leap) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  std::ostringstream out;
  int i = 0;
  for (int m = 1; m <= 12; ++m) {
    const int n = m == 2 && leap ? 29 : days[m - 1];
    for (int d = 1; d <= n; ++d) {
      for (int h = 1; h <= 24; ++h, ++i) out << "2024," << m << ',' << d << ',' << h << ",0,x," << i / 1000.0 << ",0,50\n";
    }
  }
  return out.str();
}

TEST(Epw, ReadsTheShippedExample) {
  const EpwResult r = read_epw(shipped_epw);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(r.error.empty());
  const EpwData& d = *r.data;
  EXPECT_EQ(d.location.city, "Example Temperate (synthetic)");
  EXPECT_EQ(d.location.country, "USA");
  EXPECT_DOUBLE_EQ(d.location.latitude, 38.95);
  EXPECT_DOUBLE_EQ(d.location.longitude, -77.45);
  EXPECT_DOUBLE_EQ(d.location.time_zone_hours, -5.0);
  EXPECT_DOUBLE_EQ(d.location.elevation_m, 95.0);
  ASSERT_EQ(d.dry_bulb_c.size(), 8760u);
  ASSERT_EQ(d.relative_humidity.size(), 8760u);
  EXPECT_DOUBLE_EQ(d.dry_bulb_c.front(), -4.6);  // 1 January, 00:00-01:00
  EXPECT_DOUBLE_EQ(d.dry_bulb_c.back(), -3.4);   // 31 December, 23:00-24:00
  EXPECT_DOUBLE_EQ(d.relative_humidity.front(), 72.0);
  // Made from the temperate preset (mean 13 C): the file's annual mean is close to it.
  double sum = 0.0;
  for (double t : d.dry_bulb_c) sum += t;
  EXPECT_NEAR(sum / 8760.0, 13.0, 1.0);
}

TEST(Epw, RejectsATruncatedCopyNamingTheFirstMissingHour) {
  test_support::ScratchDir dir;
  const std::vector<std::string> lines = shipped_lines();
  ASSERT_EQ(lines.size(), 8768u);
  // Cut after 10 June hour 12 (160 full days + 12 hours = 3852 rows).
  const std::string path = dir.write("cut.epw", join(lines, 8 + 3852));
  const EpwResult r = read_epw(path);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error, path + ":3861: the file ends after 3852 of 8760 hourly rows: the first missing hour is "
                            "10 June hour 13 (hour 3853 of the year)");
}

TEST(Epw, RejectsAFileEndingInsideTheHeader) {
  test_support::ScratchDir dir;
  const std::string path = dir.write("head.epw", join(shipped_lines(), 5));
  const EpwResult r = read_epw(path);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error, path + ":6: the file ends inside the header: an EPW weather file has 8 header lines, found 5");
}

TEST(Epw, RejectsAFileThatIsNotAnEpw) {
  test_support::ScratchDir dir;
  const std::string path = dir.write("jobs.csv", "submit_s,gpus,duration_s\n0,8,3600\n");
  const EpwResult r = read_epw(path);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error, path + ":1: not an EPW weather file: the first line should start with LOCATION, found 'submit_s'");

  const std::string empty = dir.write("empty.epw", "");
  EXPECT_EQ(read_epw(empty).error, empty + ":1: the file is empty; an EPW weather file starts with a LOCATION line");
}

TEST(Epw, RejectsAMissingFile) {
  test_support::ScratchDir dir;
  const std::string path = dir.path("nowhere.epw");
  const EpwResult r = read_epw(path);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error, path + ": cannot open the file for reading");
}

TEST(Epw, RejectsABadNumberWithItsLineAndField) {
  test_support::ScratchDir dir;
  std::vector<std::string> lines = shipped_lines();
  lines[8 + 99] = "2026,1,5,4,60,?,1O.5,0,50";  // letter O for zero, 100th row (5 January hour 4)
  const std::string path = dir.write("bad.epw", join(lines, lines.size()));
  const EpwResult r = read_epw(path);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error, path + ":108: the dry bulb temperature field (field 7) is '1O.5', not a number");

  lines = shipped_lines();
  lines[8 + 99] = "2026,1,5,4.5,60,?,1.5,0,50";
  const std::string hour_path = dir.write("hour.epw", join(lines, lines.size()));
  EXPECT_EQ(read_epw(hour_path).error,
            hour_path + ":108: the hour field is '4.5', expected a whole number from 1 to 24");

  lines = shipped_lines();
  lines[8 + 99] = "2026,1,5,4,60,?,1.5";
  const std::string short_path = dir.write("short.epw", join(lines, lines.size()));
  EXPECT_EQ(read_epw(short_path).error,
            short_path + ":108: the row has 7 fields; at least 9 expected (year, month, day, hour, minute, flags, "
                         "dry bulb, dew point, relative humidity)");
}

TEST(Epw, RejectsAMissingDryBulbAndOutOfRangeValues) {
  test_support::ScratchDir dir;
  std::vector<std::string> lines = shipped_lines();
  lines[8 + 24] = "2026,1,2,1,60,?,99.9,99.9,999";
  const std::string path = dir.write("missing.epw", join(lines, lines.size()));
  EXPECT_EQ(read_epw(path).error, path + ":33: the dry bulb temperature of 2 January hour 1 is marked missing (99.9); "
                                         "fill the gap before using the file");

  lines = shipped_lines();
  lines[8 + 24] = "2026,1,2,1,60,?,12,5,130";
  const std::string rh_path = dir.write("rh.epw", join(lines, lines.size()));
  EXPECT_EQ(read_epw(rh_path).error, rh_path + ":33: the relative humidity 130 % is outside the EPW range 0..110 %");

  // A missing humidity (999) is allowed and read as NaN.
  lines = shipped_lines();
  lines[8 + 24] = "2026,1,2,1,60,?,12,5,999";
  const EpwResult ok = read_epw(dir.write("rh_missing.epw", join(lines, lines.size())));
  ASSERT_TRUE(ok.ok()) << ok.error;
  EXPECT_TRUE(std::isnan(ok.data->relative_humidity[24]));
  EXPECT_DOUBLE_EQ(ok.data->dry_bulb_c[24], 12.0);
}

TEST(Epw, RejectsAGapInTheMiddle) {
  test_support::ScratchDir dir;
  std::vector<std::string> lines = shipped_lines();
  lines.erase(lines.begin() + 8 + 1000);  // drop hour 1001 (11 February hour 17: 1000 = 41 days + 16 hours)
  const std::string path = dir.write("gap.epw", join(lines, lines.size()));
  EXPECT_EQ(read_epw(path).error, path + ":1009: expected the row for 11 February hour 17 (hour 1001 of the year), "
                                         "found 11 February hour 18: an hour is missing, repeated or out of order");
}

TEST(Epw, RejectsExtraRowsAndSubHourlyData) {
  test_support::ScratchDir dir;
  std::vector<std::string> lines = shipped_lines();
  lines.push_back(lines.back());
  const std::string path = dir.write("extra.epw", join(lines, lines.size()));
  EXPECT_EQ(read_epw(path).error,
            path + ":8769: a row after 31 December hour 24: only one year of hourly data is supported");

  lines = shipped_lines();
  lines[7] = "DATA PERIODS,1,4,Data,Thursday, 1/ 1,12/31";
  const std::string sub = dir.write("sub.epw", join(lines, lines.size()));
  EXPECT_EQ(read_epw(sub).error,
            sub + ":8: the file holds 4 records per hour; only hourly EPW files (1 record per hour) are supported");

  lines = shipped_lines();
  lines[7] = "COMMENTS 3,nothing";
  const std::string no_periods = dir.write("noperiods.epw", join(lines, lines.size()));
  EXPECT_EQ(read_epw(no_periods).error, no_periods + ":8: expected the DATA PERIODS line (the 8th header line of an "
                                                     "EPW file), found 'COMMENTS 3'");
}

TEST(Epw, ReadsMinimalRowsAndLeapYearFiles) {
  test_support::ScratchDir dir;
  const EpwResult common = read_epw(dir.write("common.epw", header + rows(false)));
  ASSERT_TRUE(common.ok()) << common.error;
  ASSERT_EQ(common.data->dry_bulb_c.size(), 8760u);
  EXPECT_DOUBLE_EQ(common.data->dry_bulb_c[8759], 8.759);
  EXPECT_DOUBLE_EQ(common.data->location.time_zone_hours, 1.0);
  EXPECT_EQ(common.data->location.city, "Testville");

  const EpwResult leap = read_epw(dir.write("leap.epw", header + rows(true)));
  ASSERT_TRUE(leap.ok()) << leap.error;
  ASSERT_EQ(leap.data->dry_bulb_c.size(), 8784u);
  EXPECT_DOUBLE_EQ(leap.data->dry_bulb_c[59 * 24], 1.416);  // 1 March hour 1 follows 29 February

  // A leap file cut short names 8784 as the goal.
  std::string text = header + rows(true);
  text.resize(text.rfind("2024,12,31,1,"));
  const std::string cut = dir.write("leapcut.epw", text);
  const EpwResult r = read_epw(cut);
  EXPECT_NE(r.error.find("the file ends after 8760 of 8784 hourly rows: the first missing hour is 31 December hour 1 "
                         "(hour 8761 of the year)"),
            std::string::npos)
      << r.error;
}

TEST(Epw, RejectsABadLocation) {
  test_support::ScratchDir dir;
  std::string text = header + rows(false);
  text.replace(0, text.find('\n'), "LOCATION,Testville,XX,Testland,test,000000,north,-3.25,1.0,120");
  const std::string path = dir.write("loc.epw", text);
  EXPECT_EQ(read_epw(path).error, path + ":1: the latitude field (field 7) is 'north', not a number");
}

}  // namespace
}  // namespace dcsim::traces
