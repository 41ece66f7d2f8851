// The catalogue of broken scenarios (tests/scenarios/invalid): each NAME.yaml's first diagnostic,
// formatted, starts with the line in NAME.expected. Builder errors (S2xx) are checked end to end by
// the command-line tests instead, since loading alone does not find them.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "sim/scenario/loader.h"

namespace dcsim::scenario {
namespace {

namespace fs = std::filesystem;

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

TEST(InvalidCatalogue, FirstDiagnosticMatchesExpectedLine) {
  const fs::path source(DCSIM_SOURCE_DIR);
  const fs::path folder = source / "tests/scenarios/invalid";
  ASSERT_TRUE(fs::is_directory(folder)) << folder;
  std::vector<fs::path> cases;
  for (const fs::directory_entry& e : fs::directory_iterator(folder))
    if (e.path().extension() == ".yaml" && fs::exists(fs::path(e.path()).replace_extension(".expected")))
      cases.push_back(e.path());
  std::sort(cases.begin(), cases.end());
  ASSERT_GE(cases.size(), 11u);

  // Diagnostics name the file as the test passes it: relative to the source tree.
  const fs::path old_cwd = fs::current_path();
  fs::current_path(source);
  int checked = 0;
  for (const fs::path& yaml : cases) {
    std::ifstream in(fs::path(yaml).replace_extension(".expected"));
    std::string expected;
    std::getline(in, expected);
    const auto code_at = expected.find("error[");
    if (code_at != std::string::npos && expected.compare(code_at + 6, 2, "S2") == 0) continue;  // builder errors
    const std::string relative = fs::relative(yaml, source).generic_string();
    const LoadResult r = load_scenario_file(relative);
    ASSERT_FALSE(r.diagnostics.empty()) << relative << " loaded without problems";
    EXPECT_EQ(first_line(format_diagnostic(r.diagnostics[0])), expected) << relative;
    ++checked;
  }
  fs::current_path(old_cwd);
  EXPECT_GE(checked, 11);
}

}  // namespace
}  // namespace dcsim::scenario
