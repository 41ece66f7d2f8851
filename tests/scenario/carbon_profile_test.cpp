// The hourly carbon intensity profile of a site (carbon_profile): the CSV reader's errors point
// into the file (path:line:column), the hour lookup repeats the profile each year and maps leap
// days, and the shipped synthetic example loads.
#include <gtest/gtest.h>

#include <string>

#include "sim/engine/calendar.h"
#include "sim/scenario/carbon_profile.h"
#include "sim/scenario/loader.h"
#include "tests/support/scratch_dir.h"

namespace dcsim::scenario {
namespace {

std::int64_t unix_of(int year, int month, int day, int hour) {
  return engine::days_from_civil({year, month, day}) * 86400 + hour * 3600;
}

std::string rows(int n, const std::string& value = "100") {
  std::string out = "hour,g_per_kwh\n";
  for (int k = 0; k < n; ++k) out += std::to_string(k) + "," + value + "\n";
  return out;
}

TEST(CarbonProfile, LookupRepeatsEachYearAndMapsLeapDays) {
  std::vector<double> common(8760), leap(8784);
  for (std::size_t k = 0; k < common.size(); ++k) common[k] = static_cast<double>(k);
  for (std::size_t k = 0; k < leap.size(); ++k) leap[k] = static_cast<double>(k);
  EXPECT_EQ(carbon_intensity_at(common, unix_of(2026, 1, 1, 0)), 0.0);
  EXPECT_EQ(carbon_intensity_at(common, unix_of(2026, 1, 1, 0) + 3599), 0.0);
  EXPECT_EQ(carbon_intensity_at(common, unix_of(2026, 1, 2, 5)), 29.0);
  EXPECT_EQ(carbon_intensity_at(common, unix_of(2027, 1, 2, 5)), 29.0);  // the next year repeats it
  EXPECT_EQ(carbon_intensity_at(common, unix_of(2026, 12, 31, 23)), 8759.0);
  // A 365-day profile in 2028 (leap): 29 February takes 28 February's hours (day 58), 1 March
  // takes the profile's 1 March (day 59).
  EXPECT_EQ(carbon_intensity_at(common, unix_of(2028, 2, 29, 3)), 58 * 24 + 3.0);
  EXPECT_EQ(carbon_intensity_at(common, unix_of(2028, 3, 1, 3)), 59 * 24 + 3.0);
  EXPECT_EQ(carbon_intensity_at(common, unix_of(2028, 12, 31, 23)), 8759.0);
  // A 366-day profile in a common year skips its 29 February (day 59).
  EXPECT_EQ(carbon_intensity_at(leap, unix_of(2026, 2, 28, 0)), 58 * 24.0);
  EXPECT_EQ(carbon_intensity_at(leap, unix_of(2026, 3, 1, 0)), 60 * 24.0);
  EXPECT_EQ(carbon_intensity_at(leap, unix_of(2028, 2, 29, 0)), 59 * 24.0);
}

TEST(CarbonProfile, ReadsTheGPerKwhColumnWhereverItIs) {
  const test_support::ScratchDir dir;
  std::string text = "g_per_kwh,note\n";
  for (int k = 0; k < 8784; ++k) text += std::to_string(k % 7) + ",x\r\n";
  const CarbonProfileRead read = read_carbon_profile(dir.write("p.csv", text), {});
  ASSERT_FALSE(read.error) << read.error->message;
  ASSERT_EQ(read.g_per_kwh.size(), 8784u);
  EXPECT_EQ(read.g_per_kwh[8], 1.0);
}

// The error of reading `text`, formatted as dcsim prints it.
std::string error_of(const test_support::ScratchDir& dir, const std::string& text) {
  const std::string path = dir.write("bad.csv", text);
  const CarbonProfileRead read = read_carbon_profile(path, {});
  EXPECT_TRUE(read.g_per_kwh.empty());
  return read.error ? format_diagnostic(*read.error) : "no error";
}

TEST(CarbonProfile, BadFilesAreReportedAtTheirLineAndColumn) {
  const test_support::ScratchDir dir;
  const std::string path = dir / "bad.csv";
  std::string bad = rows(8760);
  bad.replace(bad.find("\n5,100\n"), 7, "\n5, abc\n");  // line 7 (header is line 1), column 4
  EXPECT_NE(error_of(dir, bad).find(path + ":7:4: error[S118]: 'abc' is not a number"), std::string::npos) << error_of(dir, bad);
  std::string negative = rows(8760);
  negative.replace(negative.find("\n9,100\n"), 7, "\n9,-3\n");
  EXPECT_NE(error_of(dir, negative).find(path + ":11:3: error[S118]: a carbon intensity cannot be negative"), std::string::npos)
      << error_of(dir, negative);
  EXPECT_NE(error_of(dir, rows(8759)).find("has 8759 hourly rows, expected 8760 or 8784"), std::string::npos);
  EXPECT_NE(error_of(dir, rows(8785)).find(path + ":8786:1: error[S118]: more than 8784 hourly rows"), std::string::npos)
      << error_of(dir, rows(8785));
  EXPECT_NE(error_of(dir, "hour,gco2\n0,1\n").find(path + ":1:1: error[S118]: the header row has no column 'g_per_kwh'"),
            std::string::npos);
  EXPECT_NE(error_of(dir, "hour,g_per_kwh\n0\n").find(path + ":2:2: error[S118]: no value in column 'g_per_kwh'"),
            std::string::npos)
      << error_of(dir, "hour,g_per_kwh\n0\n");
  EXPECT_NE(error_of(dir, "").find("the carbon profile is empty"), std::string::npos);
}

std::string site_scenario(const std::string& carbon) {
  return "name: c\nstart: 2026-01-01\nhorizon: 1 d\nsites:\n  - name: s\n" + carbon +
         "\n    halls: [{name: h, racks: [{count: 1, server: dgx-h100}]}]\n"
         "workloads: [{name: w, arrivals: {rate: 1 /h}, gpus: 8, duration: 1 h}]\n";
}

TEST(CarbonProfile, TheSiteKeyLoadsTheFileAndRefusesBadOnesAndBothKeys) {
  const test_support::ScratchDir dir;
  dir.write("grid.csv", rows(8760, "250"));
  LoadResult ok = load_scenario_file(dir.write("ok.yaml", site_scenario("    carbon_profile: grid.csv")));
  ASSERT_TRUE(ok.ok()) << format_diagnostic(ok.diagnostics[0]);
  EXPECT_EQ(ok.scenario->sites[0].carbon_profile_file, "grid.csv");
  ASSERT_EQ(ok.scenario->sites[0].carbon_profile_g_per_kwh.size(), 8760u);
  EXPECT_EQ(ok.scenario->sites[0].carbon_profile_g_per_kwh[100], 250.0);
  EXPECT_NE(to_resolved_yaml(*ok.scenario).find("    carbon_profile: grid.csv\n"), std::string::npos);

  const LoadResult both =
      load_scenario_file(dir.write("both.yaml", site_scenario("    carbon_g_per_kwh: 300\n    carbon_profile: grid.csv")));
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.diagnostics[0].code, "S112");
  EXPECT_EQ(both.diagnostics[0].pos.line, 7);

  const LoadResult missing = load_scenario_file(dir.write("missing.yaml", site_scenario("    carbon_profile: nowhere.csv")));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.diagnostics[0].code, "S118");
  EXPECT_EQ(missing.diagnostics[0].pos.line, 6);  // at the key's value in the scenario

  dir.write("short.csv", rows(10));
  const LoadResult short_file = load_scenario_file(dir.write("short.yaml", site_scenario("    carbon_profile: short.csv")));
  ASSERT_FALSE(short_file.ok());
  EXPECT_EQ(short_file.diagnostics[0].pos.file, dir / "short.csv");  // inside the profile itself
}

TEST(CarbonProfile, TheShippedSyntheticExampleLoads) {
  const CarbonProfileRead read =
      read_carbon_profile(std::string(DCSIM_SOURCE_DIR) + "/scenarios/examples/grid/carbon-synthetic.csv", {});
  ASSERT_FALSE(read.error) << format_diagnostic(*read.error);
  EXPECT_EQ(read.g_per_kwh.size(), 8760u);
}

}  // namespace
}  // namespace dcsim::scenario
