// One benchmark per hot path, each through the public API the CLI uses (load_scenario_text,
// run::run, finance::Ledger, reports::render_results), each next to a baseline measured in the
// same run so that ratios, not absolute times, carry the result:
//  - Scheduler*: a pass of EASY backfill with thousands of queued jobs, against the same model
//    under FIFO (which looks at the head only);
//  - PowerCaps*: a hall near its power limit with many jobs starting and ending, against the
//    same fleet without limits;
//  - Ledger*: posting monthly charges and pivoting them to cents;
//  - RenderResults: the CSV and JSON text of a year of hourly time series;
//  - LoadScenario: parsing and validating each shipped example.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "reports/results_folder.h"
#include "sim/engine/calendar.h"
#include "sim/finance/ledger.h"
#include "sim/run/run.h"
#include "sim/scenario/loader.h"

namespace {

dcsim::scenario::Scenario load_or_skip(benchmark::State& state, const std::string& yaml) {
  const dcsim::scenario::LoadResult loaded = dcsim::scenario::load_scenario_text(yaml, "bench.yaml");
  if (!loaded.ok()) {
    state.SkipWithError("bench scenario does not load");
    return {};
  }
  return *loaded.scenario;
}

// Runs a loaded scenario as `dcsim run` does, timing the simulation proper; reports the events
// and the nanoseconds per event (each event is followed by one scheduling pass).
void run_scenario(benchmark::State& state, const std::string& yaml) {
  const dcsim::scenario::Scenario scenario = load_or_skip(state, yaml);
  if (state.error_occurred()) return;
  std::uint64_t events = 0;
  double sim_seconds = 0.0, queue = 0.0;
  for (auto _ : state) {
    dcsim::run::RunRequest req;
    req.scenario = scenario;
    const dcsim::run::RunResult r = dcsim::run::run(std::move(req));
    if (!r.ok()) {
      state.SkipWithError(("bench scenario does not build: " + r.diagnostics.front().message).c_str());
      return;
    }
    events += r.model.events;
    sim_seconds += r.wall_seconds;
    queue = r.model.mean_queue_length;
  }
  state.counters["events"] = static_cast<double>(events) / static_cast<double>(state.iterations());
  state.counters["ns_per_event"] = sim_seconds * 1e9 / static_cast<double>(events);
  state.counters["mean_queue"] = queue;
}

// A workload of the deep queue below: jobs of 1-64 GPUs, exponential 1 h durations, time limits 1.5x.
std::string workload(const char* name, int priority, double per_h) {
  return std::string("  - name: ") + name + "\n    kind: training\n    priority: " + std::to_string(priority) +
         "\n    arrivals: {process: poisson, rate: " + std::to_string(per_h) + " /h}\n"
         "    gpus: {discrete: {1: 0.3, 4: 0.2, 8: 0.2, 16: 0.2, 64: 0.1}}\n"
         "    duration: {exponential: {mean: 1 h}}\n    time_limit: {factor: 1.5}\n";
}

// 4,096 GPUs (512 DGX H100) offered twice what they can serve: the queue grows by about
// `depth` jobs over the horizon, so its mean length is about depth / 2 (reported as mean_queue).
// Jobs of 1-64 GPUs, exponential 1 h durations, time limits 1.5x: EASY backfill has a
// reservation to plan and a whole queue to scan at every event.
std::string deep_queue_yaml(const char* policy, long depth, bool two_priorities = false) {
  const double gpus = 4096.0, mean_gpus = 0.3 * 1 + 0.2 * 4 + 0.2 * 8 + 0.2 * 16 + 0.1 * 64;
  const double per_h = 2.0 * gpus / mean_gpus;     // offered load 2
  const double horizon_h = static_cast<double>(depth) / (per_h / 2.0);  // half the arrivals queue up
  return "name: deep queue\nstart: 2026-01-01\nhorizon: " + std::to_string(horizon_h) +
         " h\nseed: 5\nsites:\n  - name: s\n    halls:\n      - name: h\n        racks:\n"
         "          - {count: 128, server: dgx-h100, servers_per_rack: 4}\n"
         "workloads:\n" + workload("w", 0, two_priorities ? 0.7 * per_h : per_h) +
         (two_priorities ? workload("urgent", 5, 0.3 * per_h) : std::string()) +
         "scheduler: {policy: " + policy + "}\n";
}

void SchedulerEasyBackfill(benchmark::State& state) { run_scenario(state, deep_queue_yaml("easy-backfill", state.range(0))); }
void SchedulerFifo(benchmark::State& state) { run_scenario(state, deep_queue_yaml("fifo", state.range(0))); }
BENCHMARK(SchedulerEasyBackfill)->Arg(1000)->Arg(4000)->Arg(16000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(SchedulerFifo)->Arg(1000)->Arg(4000)->Arg(16000)->Unit(benchmark::kMillisecond)->UseRealTime();
// The priority policy on the same queue split 70/30 between priorities 0 and 5, against EASY
// backfill on that queue: the priority order is kept as jobs join the queue, so the ratio stays
// near 1 as the queue deepens (it grew with the depth when every pass re-sorted the queue).
void SchedulerPriority(benchmark::State& state) { run_scenario(state, deep_queue_yaml("priority", state.range(0), true)); }
void SchedulerEasyBackfillTwoPriorities(benchmark::State& state) {
  run_scenario(state, deep_queue_yaml("easy-backfill", state.range(0), true));
}
BENCHMARK(SchedulerPriority)->Arg(1000)->Arg(4000)->Arg(16000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(SchedulerEasyBackfillTwoPriorities)->Arg(1000)->Arg(4000)->Arg(16000)->Unit(benchmark::kMillisecond)->UseRealTime();

// One hall of `racks` DGX B200 racks (4 servers, 57.2 kW at full draw each) with a UPS at 85% of
// nameplate and racks oversubscribed the same way, busy at about 0.8 with 8-64-GPU jobs of about
// an hour for 7 days: the hall is over its limit much of the time and every start and end
// re-caps it. The baseline is the same fleet and jobs with no limit anywhere.
std::string capped_hall_yaml(long racks, bool limited) {
  const double gpus = static_cast<double>(racks) * 32.0, mean_gpus = 0.4 * 8 + 0.3 * 16 + 0.2 * 32 + 0.1 * 64;
  const double per_h = 0.8 * gpus / mean_gpus;
  const std::string rack_limit = limited ? ", power_limit: 48.7 kW, plan_to: 0.85" : "";
  const std::string hall_limit = limited ? "        power_capacity: " + std::to_string(racks * 57.2 * 0.85) + " kW\n" : "";
  return "name: capped hall\nstart: 2026-01-01\nhorizon: 7 d\nseed: 9\nsites:\n  - name: s\n    halls:\n"
         "      - name: h\n" + hall_limit + "        racks:\n"
         "          - {count: " + std::to_string(racks) + ", server: dgx-b200, servers_per_rack: 4" + rack_limit + "}\n"
         "workloads:\n  - name: w\n    kind: training\n"
         "    arrivals: {process: poisson, rate: " + std::to_string(per_h) + " /h}\n"
         "    gpus: {discrete: {8: 0.4, 16: 0.3, 32: 0.2, 64: 0.1}}\n"
         "    duration: {exponential: {mean: 1 h}}\n    time_limit: {factor: 2}\n"
         "scheduler: {policy: easy-backfill}\npower: {policy: cap}\n";
}

void PowerCapsLimited(benchmark::State& state) { run_scenario(state, capped_hall_yaml(state.range(0), true)); }
void PowerCapsUnlimited(benchmark::State& state) { run_scenario(state, capped_hall_yaml(state.range(0), false)); }
BENCHMARK(PowerCapsLimited)->Arg(32)->Arg(128)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(PowerCapsUnlimited)->Arg(32)->Arg(128)->Unit(benchmark::kMillisecond)->UseRealTime();

// Ledger posting as the run's finance step does it: a monthly charge per hall and category over
// `months`, then the pivot to cents. Items are ledger entries.
void LedgerPostAndPivot(benchmark::State& state) {
  const auto halls = static_cast<int>(state.range(0));
  const int months = 60;
  const dcsim::engine::Calendar calendar(1767225600);  // 2026-01-01
  const dcsim::engine::SimTime to = calendar.start_of_month({2026 + months / 12, 1});
  const char* categories[] = {"energy", "colocation", "maintenance", "depreciation"};
  std::vector<std::string> hall_names, site_names;
  for (int h = 0; h < halls; ++h) {
    hall_names.push_back("hall-" + std::to_string(h));
    site_names.push_back("site-" + std::to_string(h % 2));
  }
  std::size_t entries = 0;
  std::int64_t cents = 0;
  for (auto _ : state) {
    dcsim::finance::Ledger ledger;
    for (int h = 0; h < halls; ++h) {
      for (const char* c : categories) {
        dcsim::finance::add_monthly_charge(ledger, calendar, 0, to, 1000.0 + h, c, site_names[h], "shared", "", hall_names[h]);
      }
    }
    entries = ledger.entries().size();
    cents = dcsim::finance::total_cents(dcsim::finance::monthly_pivot(ledger));
  }
  benchmark::DoNotOptimize(cents);
  state.SetItemsProcessed(static_cast<std::int64_t>(entries) * state.iterations());
}
BENCHMARK(LedgerPostAndPivot)->Arg(10)->Arg(100)->Unit(benchmark::kMillisecond);

// The text of a results folder for a year of hourly rows (8,760 rows of the time series, four
// halls at two sites): what `dcsim run` renders before it writes. Bytes are all files' sizes.
void RenderResults(benchmark::State& state) {
  const std::string yaml =
      "name: render\nstart: 2026-01-01\nhorizon: 1 y\nseed: 3\nsites:\n"
      "  - name: a\n    pue: 1.3\n    electricity: {price: 0.08 USD/kWh}\n    halls:\n"
      "      - {name: h1, racks: [{count: 4, server: dgx-h100, servers_per_rack: 4, power_limit: 41 kW}]}\n"
      "      - {name: h2, racks: [{count: 4, server: dgx-b200, servers_per_rack: 4, power_limit: 58 kW}]}\n"
      "  - name: b\n    pue: 1.2\n    electricity: {price: 0.06 USD/kWh}\n    halls:\n"
      "      - {name: h3, racks: [{count: 4, server: hgx-h200, servers_per_rack: 4, power_limit: 41 kW}]}\n"
      "      - {name: h4, racks: [{count: 2, server: gb200-nvl72, servers_per_rack: 1, power_limit: 150 kW}]}\n"
      "workloads:\n  - name: w\n    kind: training\n    arrivals: {process: poisson, rate: 40 /day}\n"
      "    gpus: {discrete: {8: 0.5, 16: 0.5}}\n    duration: {lognormal: {median: 6 h, sigma: 1}}\n";
  dcsim::scenario::Scenario scenario = load_or_skip(state, yaml);
  if (state.error_occurred()) return;
  dcsim::run::RunRequest req;
  req.scenario = scenario;
  const dcsim::run::RunResult result = dcsim::run::run(std::move(req));
  const std::string resolved = dcsim::scenario::to_resolved_yaml(result.scenario);
  std::size_t bytes = 0;
  for (auto _ : state) {
    const dcsim::reports::ResultsFiles files = dcsim::reports::render_results(result, resolved);
    bytes = 0;
    for (const auto& [name, text] : dcsim::reports::named_files(files)) bytes += text->size();
  }
  state.counters["hours"] = static_cast<double>(result.model.hours.size());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
}
BENCHMARK(RenderResults)->Unit(benchmark::kMillisecond);

// Loading (YAML, validation, trace files) of each shipped example, as `dcsim run` starts.
void LoadScenario(benchmark::State& state, const std::string& file) {
  const std::string path = std::string(DCSIM_SOURCE_DIR) + "/scenarios/examples/" + file;
  for (auto _ : state) {
    // The trace-replay example reads ../shared/data: as --allow-outside-paths.
    const dcsim::scenario::LoadResult loaded =
        dcsim::scenario::load_scenario_file(path, {}, dcsim::scenario::LoadOptions{true});
    if (!loaded.ok()) {
      state.SkipWithError("example does not load");
      return;
    }
    benchmark::DoNotOptimize(loaded.scenario->workloads.size());
  }
}

const int kRegisterLoads = [] {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(DCSIM_SOURCE_DIR) + "/scenarios/examples")) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  for (const std::string& f : files) {
    benchmark::RegisterBenchmark(("LoadScenario/" + f).c_str(), LoadScenario, f)->Unit(benchmark::kMillisecond);
  }
  return 0;
}();

}  // namespace
