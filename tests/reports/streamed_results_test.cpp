// `dcsim run` writes its folder with write_run_results, which streams timeseries.csv and
// inference.csv a chunk at a time: the folder must be byte for byte what render_results and
// write_results_folder write, and follow the same replace rules.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "reports/results_folder.h"
#include "tests/support/run_text.h"
#include "tests/support/scratch_dir.h"

namespace dcsim::reports {
namespace {

namespace fs = std::filesystem;

std::map<std::string, std::string> read_folder(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    std::ifstream in(e.path(), std::ios::binary);
    files[e.path().filename().string()] = std::string(std::istreambuf_iterator<char>(in), {});
  }
  return files;
}

TEST(StreamedResults, AreByteForByteTheRenderedFolder) {
  // The shipped inference example over 90 days instead of 30: an inference.csv of several 1 MB
  // chunks, so rows straddle the chunk boundaries.
  std::ifstream in(std::string(DCSIM_SOURCE_DIR) + "/scenarios/examples/inference-and-training.yaml");
  std::string text(std::istreambuf_iterator<char>(in), {});
  const std::size_t at = text.find("horizon: 30 d");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 13, "horizon: 90 d");
  std::string resolved;
  const run::RunResult result = test_support::run_text(text, false, &resolved);
  ASSERT_TRUE(result.ok());

  test_support::ScratchDir scratch;
  const fs::path rendered = scratch.folder() / "rendered";
  const fs::path streamed = scratch.folder() / "streamed";
  ASSERT_TRUE(write_results_folder(render_results(result, resolved), rendered, false).ok);
  ASSERT_TRUE(write_run_results(result, resolved, streamed, false).ok);
  const std::map<std::string, std::string> want = read_folder(rendered);
  const std::map<std::string, std::string> got = read_folder(streamed);
  ASSERT_EQ(want.size(), got.size());
  for (const auto& [name, bytes] : want) {
    ASSERT_TRUE(got.count(name)) << name;
    EXPECT_TRUE(got.at(name) == bytes) << name << ": " << got.at(name).size() << " bytes, expected " << bytes.size();
  }
  EXPECT_GT(want.at("inference.csv").size(), std::size_t{3} << 20);
  EXPECT_GT(want.at("timeseries.csv").size(), std::size_t{0});

  // Same replace rules as every writer: not without permission, and nothing left behind.
  EXPECT_FALSE(write_run_results(result, resolved, streamed, false).ok);
  EXPECT_TRUE(write_run_results(result, resolved, streamed, true).ok);
  EXPECT_TRUE(read_folder(streamed) == want);
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(scratch.folder())) ++entries;
  EXPECT_EQ(entries, 2);
}

}  // namespace
}  // namespace dcsim::reports
