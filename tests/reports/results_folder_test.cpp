// The results folder is written atomically and never replaces what is not ours.
#include "reports/results_folder.h"

#include <gtest/gtest.h>

#include <fstream>

namespace dcsim::reports {
namespace {

namespace fs = std::filesystem;

class ResultsFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dcsim-results-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  ResultsFiles files(const std::string& tag) {
    ResultsFiles f;
    f.summary_json = "{\n  \"tag\": \"" + tag + "\",\n  \"dcsim_version\": \"x\"\n}\n";
    f.resolved_yaml = "name: x\n";
    f.timeseries_csv = "time\n";
    f.cost_monthly_csv = "month,category,site,tenant,amount_usd\n";
    return f;
  }
  static std::string read(const fs::path& p) {
    std::ifstream f(p);
    return std::string(std::istreambuf_iterator<char>(f), {});
  }
  fs::path dir_;
};

TEST_F(ResultsFolder, WritesEveryFileAndLeavesNoTemporaryFolder) {
  const fs::path target = dir_ / "out";
  ASSERT_TRUE(write_results_folder(files("a"), target, false).ok);
  EXPECT_TRUE(fs::exists(target / "summary.json"));
  EXPECT_TRUE(fs::exists(target / "scenario.resolved.yaml"));
  EXPECT_TRUE(fs::exists(target / "timeseries.csv"));
  EXPECT_TRUE(fs::exists(target / "cost_monthly.csv"));
  EXPECT_FALSE(fs::exists(target / "jobs.csv"));
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_)) ++entries;
  EXPECT_EQ(entries, 1);
}

TEST_F(ResultsFolder, ExistingResultsNeedPermissionToBeReplaced) {
  const fs::path target = dir_ / "out";
  ASSERT_TRUE(write_results_folder(files("a"), target, false).ok);
  EXPECT_FALSE(write_results_folder(files("b"), target, false).ok);
  EXPECT_NE(read(target / "summary.json").find("\"a\""), std::string::npos);
  ASSERT_TRUE(write_results_folder(files("b"), target, true).ok);
  EXPECT_NE(read(target / "summary.json").find("\"b\""), std::string::npos);
}

TEST_F(ResultsFolder, AFolderThatIsNotOursIsNeverTouched) {
  const fs::path target = dir_ / "thesis";
  fs::create_directories(target);
  std::ofstream(target / "chapter1.tex") << "precious";
  const WriteOutcome w = write_results_folder(files("a"), target, true);
  EXPECT_FALSE(w.ok);
  EXPECT_NE(w.error.find("not a dcsim results folder"), std::string::npos);
  EXPECT_EQ(read(target / "chapter1.tex"), "precious");
  EXPECT_FALSE(fs::exists(target / "summary.json"));
}

TEST(FolderName, IsALowercaseSlugOfTheScenarioName) {
  EXPECT_EQ(folder_name_for("One hall of H100 servers"), "one-hall-of-h100-servers");
  EXPECT_EQ(folder_name_for("  Two sites, mixed fleet!"), "two-sites-mixed-fleet");
  EXPECT_EQ(folder_name_for("***"), "scenario");
}

}  // namespace
}  // namespace dcsim::reports
