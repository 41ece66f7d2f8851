// Diagnostics as people read them: the first line, the source line with a caret, the hint; and
// the "did you mean" matcher.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "sim/scenario/diagnostics.h"
#include "tests/support/scratch_dir.h"

namespace dcsim::scenario {
namespace {

TEST(NearestName, FindsTyposCaseInsensitively) {
  const std::vector<std::string> keys = {"name", "start", "horizon", "scheduler", "workloads"};
  EXPECT_EQ(nearest_name("schedular", keys), "scheduler");
  EXPECT_EQ(nearest_name("Horizon", keys), "horizon");
  EXPECT_EQ(nearest_name("horzion", keys), "horizon");  // transposition counts as one edit
  EXPECT_EQ(nearest_name("workload", keys), "workloads");
}

TEST(NearestName, ReturnsNothingWhenNoCandidateIsClose) {
  EXPECT_EQ(nearest_name("banana", {"name", "start", "horizon"}), "");
  EXPECT_EQ(nearest_name("x", {}), "");
}

TEST(NearestName, ShortWordsAllowOneEdit) {
  EXPECT_EQ(nearest_name("kw", {"W", "kW", "MW"}), "kW");
  EXPECT_EQ(nearest_name("pe", {"pue"}), "pue");
  EXPECT_EQ(nearest_name("abc", {"xyz"}), "");
}

Diagnostic make(std::string file, int line, int column, std::string code, std::string message, std::string hint) {
  Diagnostic d;
  d.pos.file = std::move(file);
  d.pos.line = line;
  d.pos.column = column;
  d.code = std::move(code);
  d.message = std::move(message);
  d.hint = std::move(hint);
  return d;
}

TEST(FormatDiagnostic, ShowsLineCaretAndHint) {
  const test_support::ScratchDir scratch;
  const std::string path = scratch.write("format_diag.yaml", "name: x\nschedular: {policy: fifo}\n");
  const Diagnostic d = make(path, 2, 1, "S104", "unknown key 'schedular'", "did you mean 'scheduler'?");
  EXPECT_EQ(format_diagnostic(d), path + ":2:1: error[S104]: unknown key 'schedular'\n"
                                         "schedular: {policy: fifo}\n"
                                         "^\n"
                                         "hint: did you mean 'scheduler'?\n");
  const Diagnostic mid = make(path, 2, 21, "S116", "unknown policy", "");
  EXPECT_EQ(format_diagnostic(mid), path + ":2:21: error[S116]: unknown policy\n"
                                           "schedular: {policy: fifo}\n" +
                                           std::string(20, ' ') + "^\n");
}

TEST(FormatDiagnostic, WithoutFileOrLineShowsOnlyTheMessage) {
  const Diagnostic d = make("--set", 1, 18, "S110", "missing unit", "rate units: /s");
  EXPECT_EQ(format_diagnostic(d), "--set:1:18: error[S110]: missing unit\nhint: rate units: /s\n");
  const Diagnostic whole = make("missing.yaml", 0, 0, "S100", "cannot read the scenario file", "");
  EXPECT_EQ(format_diagnostic(whole), "missing.yaml: error[S100]: cannot read the scenario file\n");
}

}  // namespace
}  // namespace dcsim::scenario
