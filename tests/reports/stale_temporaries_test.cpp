// A results writer killed before its rename leaves `.<name>.tmp-PID`; the next write to the same
// target removes those whose process is gone, never a live one's.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "reports/results_folder.h"
#include "tests/support/scratch_dir.h"

namespace dcsim::reports {
namespace {

namespace fs = std::filesystem;

// The PID of a child that has exited and been reaped: no live process has it (barring reuse).
pid_t dead_pid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

TEST(StaleTemporaries, DeadWritersFolderIsRemovedAndALiveOnesIsKept) {
  test_support::ScratchDir dir("stale_tmp");
  const fs::path target = dir.folder() / "run";
  const fs::path dead = dir.folder() / (".run.tmp-" + std::to_string(dead_pid()));
  const fs::path live = dir.folder() / (".run.tmp-" + std::to_string(::getppid()));
  const fs::path other = dir.folder() / (".other.tmp-" + std::to_string(dead_pid()));
  for (const fs::path& p : {dead, live, other}) {
    fs::create_directories(p);
    dir.write(fs::relative(p / "summary.json", dir.folder()).string(), "{}");
  }
  const WriteOutcome w = write_folder_atomically({{"a.txt", "x"}}, target, false);
  ASSERT_TRUE(w.ok) << w.error;
  ASSERT_EQ(w.removed_stale.size(), 1u);
  EXPECT_EQ(w.removed_stale[0], dead);
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_TRUE(fs::exists(live / "summary.json"));   // its writer (our parent) is alive
  EXPECT_TRUE(fs::exists(other / "summary.json"));  // another target's
  EXPECT_TRUE(fs::exists(target / "a.txt"));
}

TEST(StaleTemporaries, NamesThatAreNotAPidAreLeftAlone) {
  test_support::ScratchDir dir("stale_tmp_names");
  const fs::path odd = dir.folder() / ".run.tmp-12ab";
  fs::create_directories(odd);
  EXPECT_TRUE(remove_stale_temporaries(dir.folder() / "run").empty());
  EXPECT_TRUE(fs::exists(odd));
}

}  // namespace
}  // namespace dcsim::reports
