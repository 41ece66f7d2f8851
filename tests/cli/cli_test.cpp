// The dcsim command as a user meets it: exit codes, error messages, results folders.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <sstream>

#include "tests/cli/cli_test_support.h"
#include "tests/support/scratch_dir.h"

namespace fs = std::filesystem;

namespace {

const fs::path kSource = DCSIM_SOURCE_DIR;

using dcsim::cli_test::Outcome;

// Runs dcsim from the source folder (so `scenarios/default.yaml` is found) with `args`.
Outcome dcsim(const std::string& args, const fs::path& cwd = kSource) { return dcsim::cli_test::dcsim(args, cwd); }

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }


TEST(Cli, RunWithNoArgumentsRunsTheDefaultScenarioIntoResults) {
  const dcsim::test_support::ScratchDir tmp{"dcsim-cli"};
  fs::create_directories(tmp.folder() / "scenarios");
  fs::copy_file(kSource / "scenarios/default.yaml", tmp.folder() / "scenarios/default.yaml");
  const Outcome o = dcsim("run", tmp.folder());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const fs::path results = tmp.folder() / "results/one-hall-of-h100-servers";
  for (const char* f : {"summary.json", "scenario.resolved.yaml", "timeseries.csv", "cost_monthly.csv", "capacity.csv"}) {
    EXPECT_TRUE(fs::exists(results / f)) << f;
  }
  EXPECT_NE(o.out.find("total cost"), std::string::npos);
  // A second run replaces the earlier results folder.
  EXPECT_EQ(dcsim("run --quiet", tmp.folder()).exit_code, 0);
}

TEST(Cli, RunPrintsTheHotSparesLineOnlyWithSpares) {
  const dcsim::test_support::ScratchDir tmp{"dcsim-cli"};
  std::ofstream(tmp.folder() / "spares.yaml")
      << "name: spares\nstart: 2026-01-01\nhorizon: 10 d\nseed: 3\nsites:\n  - name: s\n    halls:\n"
         "      - name: h\n        hot_spares: {dgx-h100: 1}\n"
         "        racks: [{count: 2, server: dgx-h100, servers_per_rack: 4}]\n"
         "workloads:\n  - name: w\n    arrivals: {process: poisson, rate: 4 /day}\n    gpus: 8\n    duration: 1 d\n"
         "failures:\n  - {name: host, per: server, time_between: {exponential: {mean: 4 d}}, repair: {exponential: {mean: 1 d}}}\n";
  const Outcome o = dcsim("run spares.yaml -o r", tmp.folder());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const std::string summary = dcsim::cli_test::read_file(tmp.folder() / "r/summary.json");
  const auto swaps_at = summary.find("\"spare_swaps\": ");
  ASSERT_NE(swaps_at, std::string::npos) << summary;
  const std::string swaps = summary.substr(swaps_at + 15, summary.find_first_of(",\n", swaps_at) - swaps_at - 15);
  EXPECT_NE(o.out.find("hot spares" + std::string(13, ' ') + "8 GPUs held, " + swaps + " swaps, "), std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find(" hall-hours without a free spare\n"), std::string::npos) << o.out;
  const Outcome none = dcsim("run scenarios/default.yaml -o " + (tmp.folder() / "d").string());
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_NE(none.out.find("GPU utilization"), std::string::npos) << none.out;
  EXPECT_EQ(none.out.find("hot spares"), std::string::npos) << none.out;
}

TEST(Cli, OutputOntoAnExistingFolderNeedsForce) {
  const dcsim::test_support::ScratchDir tmp{"dcsim-cli"};
  const std::string out = (tmp.folder() / "r").string();
  ASSERT_EQ(dcsim("run scenarios/default.yaml --quiet -o " + out).exit_code, 0);
  const Outcome again = dcsim("run scenarios/default.yaml --quiet -o " + out);
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("--force"), std::string::npos);
  EXPECT_EQ(dcsim("run scenarios/default.yaml --quiet --force -o " + out).exit_code, 0);
}

TEST(Cli, AFolderThatIsNotAResultsFolderIsNeverTouched) {
  const dcsim::test_support::ScratchDir tmp{"dcsim-cli"};
  std::ofstream(tmp.folder() / "notes.txt") << "keep me";
  const Outcome o = dcsim("run scenarios/default.yaml --quiet --force -o " + tmp.folder().string());
  EXPECT_NE(o.exit_code, 0);
  EXPECT_TRUE(fs::exists(tmp.folder() / "notes.txt"));
  EXPECT_FALSE(fs::exists(tmp.folder() / "summary.json"));
}

TEST(Cli, SeedAndSetOverridesReachTheResolvedScenario) {
  const dcsim::test_support::ScratchDir tmp{"dcsim-cli"};
  const std::string out = (tmp.folder() / "r").string();
  const Outcome o = dcsim("run scenarios/default.yaml --quiet --seed 99 --set sites.ashburn.pue=1.2 "
                          "--set scheduler.policy=fifo --jobs -o " + out);
  ASSERT_EQ(o.exit_code, 0) << o.err;
  std::ifstream f(fs::path(out) / "scenario.resolved.yaml");
  const std::string resolved(std::istreambuf_iterator<char>(f), {});
  EXPECT_NE(resolved.find("seed: 99"), std::string::npos) << resolved;
  EXPECT_NE(resolved.find("pue: 1.2"), std::string::npos);
  EXPECT_NE(resolved.find("fifo"), std::string::npos);
  EXPECT_TRUE(fs::exists(fs::path(out) / "jobs.csv"));
}

TEST(Cli, ValidateCatalogSchemaVersionAndUsage) {
  const Outcome v = dcsim("validate scenarios/default.yaml");
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_NE(v.out.find("512 GPUs"), std::string::npos) << v.out;
  const Outcome d = dcsim("validate --dump-resolved scenarios/default.yaml");
  EXPECT_EQ(d.exit_code, 0);
  EXPECT_NE(d.out.find("dgx-h100"), std::string::npos);
  const Outcome c = dcsim("catalog");
  EXPECT_EQ(c.exit_code, 0);
  for (const char* name : {"a100-sxm", "h100-sxm", "h200-sxm", "b200", "gb200", "mi300x", "dgx-a100", "dgx-h100",
                           "hgx-h200", "dgx-b200", "gb200-nvl72", "mi300x-8"}) {
    EXPECT_NE(c.out.find(name), std::string::npos) << name;
  }
  const Outcome s = dcsim("schema");
  EXPECT_EQ(s.exit_code, 0);
  EXPECT_NE(s.out.find("\"$schema\""), std::string::npos);
  EXPECT_EQ(dcsim("--version").exit_code, 0);
  EXPECT_EQ(dcsim("--help").exit_code, 0);
  EXPECT_EQ(dcsim("frobnicate").exit_code, 2);
  EXPECT_EQ(dcsim("run --no-such-flag").exit_code, 2);
  const Outcome missing = dcsim("run no/such/file.yaml");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no/such/file.yaml"), std::string::npos);
}

// The shipped Alibaba 2023 pod list (../shared/data, read in place): 7,064 GPU pods, 1,088
// CPU-only pods left out (counted independently in tests/traces).
TEST(Cli, TraceStatsSummarisesTheAlibaba2023PodList) {
  const fs::path pods = kSource / "../shared/data/alibaba-gpu-v2023/openb_pod_list_default.csv";
  if (!fs::exists(pods)) GTEST_SKIP() << "shared data not beside the repository";
  const Outcome o = dcsim("trace stats '" + pods.string() + "' --format alibaba-2023");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("jobs                     7064"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("cpu-only jobs left out   1088"), std::string::npos) << o.out;
  EXPECT_EQ(dcsim("trace stats '" + pods.string() + "' --format alibaba-2077").exit_code, 2);
  EXPECT_EQ(dcsim("trace stats no/such/file.csv --format csv").exit_code, 2);
}

TEST(Cli, FilesOutsideTheScenarioFolderNeedAllowOutsidePaths) {
  const Outcome refused = dcsim("validate scenarios/examples/alibaba-2023-replay.yaml");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("error[S126]"), std::string::npos) << refused.err;
  const Outcome allowed = dcsim("validate scenarios/examples/alibaba-2023-replay.yaml --allow-outside-paths");
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
}

TEST(Cli, MarketPrintsTheReferenceProjectionAndOurDemand) {
  const Outcome o = dcsim("market scenarios/examples/market-driven-growth.yaml");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("  2036      433.6      612.4      855.1"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("Our demand"), std::string::npos);
  EXPECT_NE(o.out.find("17.84%"), std::string::npos);
}

TEST(Cli, ReportReconcileChecksEveryReportAgainstTheTotals) {
  const dcsim::test_support::ScratchDir tmp{"dcsim-cli"};
  const fs::path out = tmp.folder() / "r";
  ASSERT_EQ(dcsim("run scenarios/examples/two-sites-mixed-fleet.yaml --quiet -o " + out.string()).exit_code, 0);
  const Outcome good = dcsim("report " + out.string() + " --reconcile");
  EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
  EXPECT_NE(good.out.find("kpis.csv gpu_hours_allocated"), std::string::npos) << good.out;
  EXPECT_NE(good.out.find("reconciled: money to the cent, GPU-hours to 1 part in a billion"), std::string::npos);
  // Take a cent off one cost row: the check must notice.
  std::ifstream in(out / "cost_monthly.csv");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  in.close();
  const auto comma = text.find(',', text.find("\n2026-03,depreciation") + 1);
  ASSERT_NE(comma, std::string::npos);
  std::string line_end = text.substr(text.find("\n", comma));
  std::string row = text.substr(0, text.find("\n", comma));
  const auto amount_start = [&] {
    std::size_t pos = row.rfind('\n') + 1;
    for (int k = 0; k < 4; ++k) pos = row.find(',', pos) + 1;
    return pos;
  }();
  const auto amount_end = row.find(',', amount_start);
  std::string amount = row.substr(amount_start, amount_end - amount_start);
  amount.back() = amount.back() == '0' ? '1' : '0';
  row.replace(amount_start, amount_end - amount_start, amount);
  std::ofstream(out / "cost_monthly.csv") << row + line_end;
  const Outcome bad = dcsim("report " + out.string() + " --reconcile");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find("NOT reconciled"), std::string::npos) << bad.out;
  EXPECT_EQ(dcsim("report " + tmp.folder().string() + " --reconcile").exit_code, 2);
}

TEST(Cli, SigintStopsARunWritesNothingAndExits130) {
  const dcsim::test_support::ScratchDir tmp{"dcsim-cli"};
  const fs::path out = tmp.folder() / "r";
  // mmc-check runs for about half a second; interrupt it early.
  const std::string cmd = "cd '" + kSource.string() + "' && ('" + std::string(DCSIM_EXE) +
                          "' run scenarios/reference/mmc-check.yaml --quiet -o '" + out.string() +
                          "' & pid=$!; sleep 0.15; kill -INT $pid; wait $pid; echo $?) 2>/dev/null";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  char buf[64] = {};
  const size_t n = std::fread(buf, 1, sizeof buf - 1, pipe);
  ::pclose(pipe);
  const int code = std::atoi(std::string(buf, n).c_str());
  if (code == 0) GTEST_SKIP() << "the run finished before the signal arrived";
  EXPECT_EQ(code, 130);
  EXPECT_FALSE(fs::exists(out));
  for (const auto& e : fs::directory_iterator(tmp.folder())) ADD_FAILURE() << "left behind: " << e.path();
}

// Every file in tests/scenarios/invalid/ fails with exit code 2, its expected first line, and
// no results folder.
TEST(Cli, InvalidScenariosAreRejectedWithTheirExpectedFirstLine) {
  int checked = 0;
  for (const auto& e : fs::directory_iterator(kSource / "tests/scenarios/invalid")) {
    if (e.path().extension() != ".yaml") continue;
    fs::path expected_file = e.path();
    expected_file.replace_extension(".expected");
    ASSERT_TRUE(fs::exists(expected_file)) << expected_file;
    std::ifstream ef(expected_file);
    std::string expected;
    std::getline(ef, expected);
    const dcsim::test_support::ScratchDir tmp{"dcsim-cli"};
    const fs::path out = tmp.folder() / "r";
    const std::string relative = "tests/scenarios/invalid/" + e.path().filename().string();
    const Outcome o = dcsim("run " + relative + " --quiet -o " + out.string());
    EXPECT_EQ(o.exit_code, 2) << relative;
    EXPECT_EQ(first_line(o.err), expected) << relative << "\n" << o.err;
    EXPECT_FALSE(fs::exists(out)) << relative;
    const Outcome v = dcsim("validate " + relative);
    EXPECT_EQ(v.exit_code, 2);
    EXPECT_EQ(first_line(v.err), expected);
    ++checked;
  }
  EXPECT_GE(checked, 14);
}

}  // namespace

namespace {

// The S-codes in `text`, in order of first appearance.
std::set<std::string> codes_in(const std::string& text, bool quoted) {
  static const std::regex quoted_code("\"(S[0-9]{3})\"");
  static const std::regex bare_code("\\b(S[0-9]{3})\\b");
  std::set<std::string> out;
  const std::regex& re = quoted ? quoted_code : bare_code;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it)
    out.insert((*it)[1].str());
  return out;
}

std::string all_text_under(const fs::path& folder, const std::set<std::string>& extensions) {
  std::string text;
  for (const auto& e : fs::recursive_directory_iterator(folder)) {
    if (!e.is_regular_file() || extensions.count(e.path().extension().string()) == 0) continue;
    std::ifstream in(e.path());
    text.append(std::istreambuf_iterator<char>(in), {});
  }
  return text;
}

// Every diagnostic code the code can issue is in docs/errors.md, every code there (but the
// reserved ones) is issued somewhere, and every issued code is exercised by some test.
TEST(ErrorCatalogue, EveryCodeIsDocumentedIssuedAndTested) {
  std::set<std::string> issued;
  for (const char* folder : {"sim", "cli", "reports"}) {
    const std::set<std::string> found = codes_in(all_text_under(kSource / folder, {".cpp", ".h"}), true);
    issued.insert(found.begin(), found.end());
  }
  ASSERT_GT(issued.size(), 20u);
  std::ifstream doc_file(kSource / "docs/errors.md");
  const std::string doc((std::istreambuf_iterator<char>(doc_file)), {});
  std::set<std::string> documented, reserved;
  std::istringstream rows(doc);
  for (std::string row; std::getline(rows, row);) {
    const std::set<std::string> in_row = codes_in(row, false);
    if (row.rfind("| S", 0) != 0 || in_row.empty()) continue;
    const std::string code = row.substr(2, 4);
    (row.find("reserved") != std::string::npos ? reserved : documented).insert(code);
  }
  const std::string tests = all_text_under(kSource / "tests", {".cpp", ".h", ".expected"});
  const std::set<std::string> tested = codes_in(tests, false);
  for (const std::string& c : issued) {
    EXPECT_TRUE(documented.count(c)) << c << " is issued but has no row in docs/errors.md";
    EXPECT_TRUE(tested.count(c)) << c << " is issued but no test mentions it";
  }
  for (const std::string& c : documented) EXPECT_TRUE(issued.count(c)) << c << " is documented but never issued";
}

TEST(Cli, AnUnknownMarketSegmentIsS203WithNothingWritten) {
  const dcsim::test_support::ScratchDir tmp{"dcsim-cli"};
  const fs::path out = tmp.folder() / "r";
  const Outcome o = dcsim("run scenarios/examples/market-driven-growth.yaml --set market.demand.segment=nope --quiet -o " +
                          out.string());
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("error[S203]: the market has no segment 'nope' in dimension 'workload'"), std::string::npos)
      << o.err;
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
