// Every shipped scenario runs, is deterministic (byte-identical files but for timing fields),
// matches its checked-in event-trace fingerprint, and keeps the books: money reconciles to the
// cent, energy equals integrated power, GPU-hours used never exceed GPU-hours available.
//
// Fingerprints live in tests/run/fingerprints.txt. A change that moves one must say why in its
// commit; regenerate with DCSIM_UPDATE_FINGERPRINTS=1 ctest -R Examples.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "reports/results_folder.h"
#include "sim/run/run.h"
#include "sim/scenario/loader.h"
#include "tests/support/json_number.h"

namespace fs = std::filesystem;

namespace dcsim {
namespace {

using test_support::json_number;

const fs::path kSource = DCSIM_SOURCE_DIR;

// The campus-scale examples (issue #9) take tens of seconds each: they run once, in the
// ScaleExamples suite below, which checks the fingerprint and the books from that one run (the
// fingerprint already pins determinism) and which the sanitizer preset leaves out.
bool is_scale_example(const std::string& relative) {
  return relative == "scenarios/examples/hyperscale-campus.yaml";
}

std::vector<std::string> example_files(bool scale) {
  std::vector<std::string> examples;
  for (const auto& e : fs::directory_iterator(kSource / "scenarios/examples")) {
    const std::string relative = "scenarios/examples/" + e.path().filename().string();
    if (e.path().extension() == ".yaml" && is_scale_example(relative) == scale) examples.push_back(relative);
  }
  std::sort(examples.begin(), examples.end());
  return examples;
}

std::vector<std::string> shipped_scenarios() {
  std::vector<std::string> out = {"scenarios/default.yaml"};
  const std::vector<std::string> examples = example_files(false);
  out.insert(out.end(), examples.begin(), examples.end());
  return out;
}

struct Rendered {
  run::RunResult result;
  reports::ResultsFiles files;
};

// The shipped example that reads data kept outside the repository (../shared/data): like its
// README command line, it loads with --allow-outside-paths.
bool reads_outside_its_folder(const std::string& relative) {
  return relative == "scenarios/examples/alibaba-2023-replay.yaml";
}

Rendered run_file(const std::string& relative) {
  scenario::LoadOptions options;
  options.allow_outside_paths = reads_outside_its_folder(relative);
  scenario::LoadResult loaded = scenario::load_scenario_file((kSource / relative).string(), {}, options);
  EXPECT_TRUE(loaded.ok()) << relative << ": "
                           << (loaded.diagnostics.empty() ? "" : scenario::format_diagnostic(loaded.diagnostics[0]));
  run::RunRequest req;
  req.scenario = std::move(*loaded.scenario);
  req.record_jobs = true;
  Rendered r{run::run(std::move(req)), {}};
  EXPECT_TRUE(r.result.ok());
  r.files = reports::render_results(r.result, scenario::to_resolved_yaml(r.result.scenario));
  return r;
}

std::string without_timing(const std::string& summary) {
  std::istringstream in(summary);
  std::string line, out;
  while (std::getline(in, line)) {
    if (line.find("\"wall_seconds\"") != std::string::npos || line.find("\"events_per_second\"") != std::string::npos)
      continue;
    out += line + "\n";
  }
  return out;
}

std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream ls(line);
    while (std::getline(ls, cell, ',')) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

std::map<std::string, std::string> read_fingerprints() {
  std::map<std::string, std::string> out;
  std::ifstream f(kSource / "tests/run/fingerprints.txt");
  std::string path, hex;
  while (f >> path >> hex) {
    if (path.rfind("#", 0) == 0) {
      std::getline(f, hex);
      continue;
    }
    out[path] = hex;
  }
  return out;
}

class Examples : public ::testing::TestWithParam<std::string> {};

TEST_P(Examples, SameSeedGivesByteIdenticalResults) {
  const Rendered a = run_file(GetParam());
  const Rendered b = run_file(GetParam());
  EXPECT_EQ(without_timing(a.files.summary_json), without_timing(b.files.summary_json));
  EXPECT_EQ(a.files.resolved_yaml, b.files.resolved_yaml);
  EXPECT_EQ(a.files.timeseries_csv, b.files.timeseries_csv);
  EXPECT_EQ(a.files.cost_monthly_csv, b.files.cost_monthly_csv);
  EXPECT_EQ(a.files.jobs_csv, b.files.jobs_csv);
  EXPECT_EQ(a.files.inference_csv, b.files.inference_csv);
}

// Compares the run's fingerprint with the checked-in one, or rewrites it when asked to.
void check_fingerprint(const Rendered& r, const std::string& relative) {
  if (std::getenv("DCSIM_UPDATE_FINGERPRINTS") != nullptr) {
    std::map<std::string, std::string> all = read_fingerprints();
    all[relative] = r.result.model.fingerprint;
    std::ofstream f(kSource / "tests/run/fingerprints.txt");
    f << "# scenario fingerprint (hash of the ordered (time, kind, id) of every processed event)\n";
    for (const auto& [path, hex] : all) f << path << " " << hex << "\n";
    return;
  }
  const auto expected = read_fingerprints();
  ASSERT_TRUE(expected.count(relative)) << "no fingerprint checked in for " << relative;
  EXPECT_EQ(r.result.model.fingerprint, expected.at(relative));
}

// Money reconciles to the cent, energy equals integrated power, GPU-hours used never exceed
// GPU-hours available, and every job is accounted for.
void check_books(const Rendered& r) {
  const std::string& summary = r.files.summary_json;

  // Money: the cost rows add up to the total, to the cent.
  long long row_cents = 0;
  const auto costs = parse_csv(r.files.cost_monthly_csv);
  ASSERT_EQ(costs[0], (std::vector<std::string>{"month", "category", "site", "tenant", "amount_usd", "subcategory", "hall"}));
  for (std::size_t i = 1; i < costs.size(); ++i) row_cents += std::llround(std::stod(costs[i][4]) * 100.0);
  EXPECT_EQ(row_cents, std::llround(json_number(summary, "total_cost_usd") * 100.0));
  EXPECT_GT(row_cents, 0);
  // The P&L's opex and depreciation, and the tenants' chargeback, add up to the same total.
  long long pnl_cents = 0, revenue_cents = 0;
  const auto pnl = parse_csv(r.files.pnl_monthly_csv);
  for (std::size_t i = 1; i < pnl.size(); ++i) {
    pnl_cents += std::llround(std::stod(pnl[i][2]) * 100.0) + std::llround(std::stod(pnl[i][4]) * 100.0);
    revenue_cents += std::llround(std::stod(pnl[i][1]) * 100.0);
  }
  EXPECT_EQ(pnl_cents, row_cents);
  EXPECT_EQ(revenue_cents, std::llround(json_number(summary, "total_revenue_usd") * 100.0));
  long long tenant_cents = 0;
  const auto tenants = parse_csv(r.files.cost_by_tenant_csv);
  for (std::size_t i = 1; i < tenants.size(); ++i) tenant_cents += std::llround(std::stod(tenants[i][4]) * 100.0);
  EXPECT_EQ(tenant_cents, row_cents);

  // Energy: the hourly mean power integrated over the rows equals the energy total.
  const auto hours = parse_csv(r.files.timeseries_csv);
  const double simulated_h = json_number(summary, "simulated_hours");
  double it_kwh = 0.0, facility_kwh = 0.0, busy_gpu_h = 0.0, total_gpu_h = 0.0, covered_h = 0.0;
  for (std::size_t i = 1; i < hours.size(); ++i) {
    const double len = std::min(1.0, simulated_h - static_cast<double>(i - 1));
    covered_h += len;
    total_gpu_h += std::stod(hours[i][1]) * len;
    busy_gpu_h += std::stod(hours[i][2]) * len;
    it_kwh += std::stod(hours[i][4]) * len;
    facility_kwh += std::stod(hours[i][5]) * len;
    EXPECT_LE(std::stod(hours[i][2]), std::stod(hours[i][1]));
  }
  EXPECT_NEAR(covered_h, simulated_h, 1e-9 * simulated_h);
  EXPECT_NEAR(it_kwh / 1000.0, json_number(summary, "it_energy_mwh"), 1e-9 * it_kwh);
  EXPECT_NEAR(facility_kwh / 1000.0, json_number(summary, "facility_energy_mwh"), 1e-9 * facility_kwh);

  // GPU-hours used never exceed GPU-hours available, and utilization is their ratio.
  EXPECT_LE(busy_gpu_h, total_gpu_h);
  EXPECT_NEAR(json_number(summary, "gpu_utilization"), busy_gpu_h / total_gpu_h, 1e-9);

  // Energy cost of each site-month on a flat tariff is its facility energy times the price
  // (escalated by calendar year); energy lines priced by period or demand are checked in
  // tests/finance. Sites with periods or a demand charge: their 15-minute energy adds up to
  // the site-months' facility energy.
  const run::RunResult& res = r.result;
  const auto& fin = res.scenario.finance;
  const double escalation = fin.escalation_electricity.value_or(fin.inflation);
  const int start_year = engine::Calendar(res.scenario.start_unix_s).month_of(0).year;
  double energy_usd = 0.0;
  int energy_lines = 0;  // each rounded to the cent (one per hall and month)
  for (const auto& c : res.monthly_costs) {
    if (c.category == "energy" && c.subcategory.empty()) energy_usd += static_cast<double>(c.cents) / 100.0, ++energy_lines;
  }
  double expected_energy_usd = 0.0;
  double facility_kwh_all = 0.0, quarter_kwh_all = 0.0;
  for (const auto& e : res.model.site_months) {
    const auto& site = res.scenario.sites[e.site];
    facility_kwh_all += e.facility_kwh;
    if (!site.tariff_periods.empty()) continue;
    expected_energy_usd += e.facility_kwh * site.electricity_usd_per_kwh * std::pow(1.0 + escalation, e.month.year - start_year);
  }
  EXPECT_NEAR(energy_usd, expected_energy_usd, 0.005 * static_cast<double>(energy_lines) + 1e-6);
  for (const auto& hall : res.model.hall_quarter_facility_kwh) {
    for (const double kwh : hall) quarter_kwh_all += kwh;
  }
  if (!res.model.hall_quarter_facility_kwh.empty()) {
    EXPECT_NEAR(quarter_kwh_all, facility_kwh_all, 1e-9 * facility_kwh_all);
  }

  // Jobs are all accounted for.
  const auto& m = res.model;
  EXPECT_EQ(m.jobs_submitted, m.jobs_completed + m.jobs_timed_out + m.jobs_rejected + m.jobs_running_at_end +
                                  m.jobs_waiting_at_end);
  EXPECT_EQ(parse_csv(r.files.jobs_csv).size(), m.jobs_submitted + 1);
}

TEST_P(Examples, MatchesItsCheckedInFingerprint) {
  const Rendered r = run_file(GetParam());
  check_fingerprint(r, GetParam());
  if (std::getenv("DCSIM_UPDATE_FINGERPRINTS") != nullptr) GTEST_SKIP() << "fingerprint updated";
}

TEST_P(Examples, BooksBalance) { check_books(run_file(GetParam())); }

class ScaleExamples : public ::testing::TestWithParam<std::string> {};

TEST_P(ScaleExamples, MatchesItsFingerprintAndBalancesItsBooks) {
  const Rendered r = run_file(GetParam());
  check_fingerprint(r, GetParam());
  check_books(r);
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = fs::path(info.param).stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Shipped, Examples, ::testing::ValuesIn(shipped_scenarios()), test_name);
INSTANTIATE_TEST_SUITE_P(Shipped, ScaleExamples, ::testing::ValuesIn(example_files(true)), test_name);

}  // namespace
}  // namespace dcsim
