// The dcsim command line: run, validate, catalog, schema. Exit codes: 0 done, 2 bad input or
// usage, 1 anything else.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "reports/results_folder.h"
#include "reports/text_format.h"
#include "sim/model/catalog.h"
#include "sim/run/build.h"
#include "sim/run/run.h"
#include "sim/scenario/loader.h"
#include "sim/traces/trace.h"
#include "sim/traces/trace_stats.h"

namespace fs = std::filesystem;
using namespace dcsim;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;

void print_diagnostics(const std::vector<scenario::Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics) std::cerr << scenario::format_diagnostic(d) << "\n";
  if (diagnostics.size() > 1) std::cerr << diagnostics.size() << " errors\n";
}

// `scenarios/default.yaml` from the current folder, else the installed copy.
std::string find_default_scenario() {
  const fs::path local = "scenarios/default.yaml";
  if (fs::exists(local)) return local.string();
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share/dcsim/scenarios/default.yaml";
    if (fs::exists(installed)) return installed.string();
    const fs::path source_tree = fs::path(DCSIM_SOURCE_DIR) / "scenarios/default.yaml";
    if (fs::exists(source_tree)) return source_tree.string();
  }
  return local.string();
}

std::vector<scenario::Override> parse_overrides(const std::vector<std::string>& sets, bool& ok) {
  std::vector<scenario::Override> out;
  ok = true;
  for (const std::string& s : sets) {
    const auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "--set " << s << ": error[S120]: expected key.path=value\n";
      ok = false;
      continue;
    }
    out.push_back(scenario::Override{s.substr(0, eq), s.substr(eq + 1)});
  }
  return out;
}

class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled) {}
  bool update(double fraction) {
    if (!enabled_) return true;
    const int percent = static_cast<int>(fraction * 100.0);
    if (percent == last_percent_) return true;
    last_percent_ = percent;
    const int filled = percent * 40 / 100;
    std::fprintf(stderr, "\r[%s%s] %3d%%", std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(40 - filled), ' ').c_str(), percent);
    std::fflush(stderr);
    return true;
  }
  void done() {
    if (enabled_ && last_percent_ >= 0) std::fprintf(stderr, "\r%50s\r", "");
  }

 private:
  bool enabled_;
  int last_percent_ = -1;
};

void print_summary(const run::RunResult& r, const fs::path& folder) {
  const model::ModelResults& m = r.model;
  std::printf("%-22s %s\n", "scenario", r.scenario.name.c_str());
  std::printf("%-22s %.1f h (%s)\n", "simulated", r.simulated_hours, model::to_string(m.stop_reason));
  std::printf("%-22s %lld\n", "GPUs", static_cast<long long>(m.gpus_total));
  std::printf("%-22s %llu submitted, %llu completed, %llu waiting at end\n", "jobs",
              static_cast<unsigned long long>(m.jobs_submitted), static_cast<unsigned long long>(m.jobs_completed),
              static_cast<unsigned long long>(m.jobs_waiting_at_end));
  std::printf("%-22s mean %.3f h, p95 %.3f h, %.1f%% waited\n", "wait", m.mean_wait_hours, m.p95_wait_hours,
              100.0 * m.share_waited);
  std::printf("%-22s %.1f%%\n", "GPU utilization", 100.0 * r.gpu_utilization);
  std::printf("%-22s %.3f MWh IT, %.3f MWh facility\n", "energy", r.it_energy_mwh, r.facility_energy_mwh);
  std::printf("%-22s %s USD\n", "total cost", reports::format_cents(r.total_cost_cents).c_str());
  std::printf("%-22s %llu in %.3f s\n", "events", static_cast<unsigned long long>(m.events), r.wall_seconds);
  std::printf("%-22s %s\n", "results", folder.string().c_str());
}

int cmd_run(const std::string& scenario_arg, const std::string& out_dir, bool force, const std::string& seed,
            const std::vector<std::string>& sets, bool jobs, bool quiet) {
  const std::string path = scenario_arg.empty() ? find_default_scenario() : scenario_arg;
  bool ok = true;
  std::vector<scenario::Override> overrides = parse_overrides(sets, ok);
  if (!ok) return kExitBadInput;
  if (!seed.empty()) overrides.push_back(scenario::Override{"seed", seed});
  scenario::LoadResult loaded = scenario::load_scenario_file(path, overrides);
  if (!loaded.ok()) {
    print_diagnostics(loaded.diagnostics);
    return kExitBadInput;
  }
  ProgressBar bar(!quiet && ::isatty(2));
  run::RunRequest request;
  request.scenario = std::move(*loaded.scenario);
  request.record_jobs = jobs;
  request.progress = [&bar](double fraction) { return bar.update(fraction); };
  run::RunResult result = run::run(std::move(request));
  bar.done();
  if (!result.ok()) {
    print_diagnostics(result.diagnostics);
    return kExitBadInput;
  }
  const std::string resolved = scenario::to_resolved_yaml(result.scenario);
  const reports::ResultsFiles files = reports::render_results(result, resolved);
  const fs::path target =
      out_dir.empty() ? fs::path("results") / reports::folder_name_for(result.scenario.name) : fs::path(out_dir);
  // Without -o the default folder is ours to replace (if it is a dcsim results folder).
  const bool existed = fs::exists(target);
  const reports::WriteOutcome written = reports::write_results_folder(files, target, out_dir.empty() || force);
  if (!written.ok) {
    std::cerr << "error: " << written.error << "\n";
    // Refusing to replace an existing folder is a usage error; anything else failed to write.
    return existed ? kExitBadInput : kExitFailure;
  }
  if (!quiet) print_summary(result, target);
  return kExitOk;
}

int cmd_validate(const std::string& path, const std::vector<std::string>& sets, bool dump_resolved) {
  bool ok = true;
  const std::vector<scenario::Override> overrides = parse_overrides(sets, ok);
  if (!ok) return kExitBadInput;
  scenario::LoadResult loaded = scenario::load_scenario_file(path, overrides);
  if (!loaded.ok()) {
    print_diagnostics(loaded.diagnostics);
    return kExitBadInput;
  }
  scenario::Scenario sc = std::move(*loaded.scenario);
  const run::BuildResult built = run::build_model(sc);
  if (!built.config) {
    print_diagnostics(built.diagnostics);
    return kExitBadInput;
  }
  if (dump_resolved) {
    std::cout << scenario::to_resolved_yaml(sc);
    return kExitOk;
  }
  const model::ModelConfig& cfg = *built.config;
  long long servers = 0, gpus = 0;
  for (const auto& g : cfg.rack_groups) {
    const long long n = static_cast<long long>(g.racks) * g.servers_per_rack;
    servers += n;
    gpus += n * cfg.server_types[g.server_type].gpus;
  }
  std::cout << path << ": ok (" << cfg.sites.size() << " site(s), " << cfg.halls.size() << " hall(s), " << servers
            << " servers, " << gpus << " GPUs, " << cfg.workloads.size() << " workload(s))\n";
  return kExitOk;
}

int cmd_catalog() {
  const model::Catalog& c = model::builtin_catalog();
  std::printf("GPUs\n%-10s %8s %8s %11s %8s %12s  %s\n", "name", "idle_W", "TDP_W", "BF16_TFLOPS", "mem_GB",
              "price_USD", "description");
  for (const auto& g : c.gpus) {
    std::printf("%-10s %8.0f %8.0f %11.0f %8.0f %12.2f  %s\n", g.name.c_str(), g.idle_w, g.tdp_w, g.bf16_tflops,
                g.memory_gb, g.price_usd, g.description.c_str());
  }
  std::printf("\nServers\n%-12s %-9s %5s %11s %10s %11s %7s  %s\n", "name", "gpu", "gpus", "overhead_W", "max_kW",
              "price_USD", "life_y", "description");
  for (const auto& s : c.servers) {
    const model::GpuType* g = c.find_gpu(s.gpu);
    std::printf("%-12s %-9s %5d %11.0f %10.2f %11.0f %7.1f  %s\n", s.name.c_str(), s.gpu.c_str(), s.gpus, s.overhead_w,
                model::max_power_w(s, *g) / 1000.0, s.price_usd, s.useful_life_years, s.description.c_str());
  }
  std::printf("\nSources\n");
  for (const auto& g : c.gpus) std::printf("%-12s %s\n", g.name.c_str(), g.source.c_str());
  for (const auto& s : c.servers) std::printf("%-12s %s\n", s.name.c_str(), s.source.c_str());
  return kExitOk;
}

// `dcsim trace stats FILE --format F`: what a planner checks before replaying a trace.
int cmd_trace_stats(const std::string& path, const std::string& format_name, const std::string& task_table,
                    bool skip_bad_rows, bool include_cpu_jobs) {
  const auto format = traces::parse_trace_format(format_name);
  if (!format) {
    std::cerr << "error: unknown trace format '" << format_name << "'; expected one of " << traces::trace_format_names()
              << "\n";
    return kExitBadInput;
  }
  traces::TraceLoadOptions options;
  options.skip_bad_rows = skip_bad_rows;
  options.task_table_path = task_table;
  options.include_cpu_jobs = include_cpu_jobs;
  const traces::TraceLoadResult loaded = traces::load_trace(path, *format, options);
  if (!loaded.ok()) {
    std::cerr << "error: " << loaded.error << "\n";
    if (!loaded.problems.empty() && !skip_bad_rows) std::cerr << "hint: --skip-bad-rows leaves them out and counts them\n";
    return kExitBadInput;
  }
  const traces::TraceStats st = traces::compute_trace_stats(loaded.jobs);
  std::printf("%-24s %s (%s)\n", "trace", path.c_str(), format_name.c_str());
  std::printf("%-24s %zu\n", "jobs", st.jobs);
  std::printf("%-24s %zu\n", "rows skipped", loaded.rows_skipped);
  std::printf("%-24s %zu\n", "cpu-only jobs left out", loaded.cpu_jobs_excluded);
  std::printf("%-24s %.1f h\n", "submission span", st.span_s / 3600.0);
  std::printf("%-24s mean %.1f s, p50 %.1f s, p90 %.1f s, p99 %.1f s\n", "duration", st.mean_duration_s,
              st.duration_p50_s, st.duration_p90_s, st.duration_p99_s);
  std::printf("%-24s %.1f\n", "GPU-hours", st.gpu_hours);
  std::printf("%-24s %.2f GPUs busy on average\n", "offered load", st.offered_load_gpus);
  std::printf("GPUs per job histogram\n");
  for (const auto& [gpus, count] : st.gpu_histogram) std::printf("  %10g %10zu\n", gpus, count);
  std::printf("jobs by tenant\n");
  for (const auto& [tenant, count] : st.jobs_by_tenant) std::printf("  %-20s %10zu\n", tenant.c_str(), count);
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"dcsim: discrete-event simulator for AI data-center capacity and cost"};
  app.set_version_flag("--version", std::string("dcsim ") + DCSIM_VERSION);
  app.require_subcommand(1);

  std::string scenario_path, out_dir, seed;
  std::vector<std::string> sets;
  bool force = false, jobs = false, quiet = false, dump_resolved = false;

  CLI::App* run_cmd = app.add_subcommand("run", "Run a scenario and write a results folder");
  run_cmd->add_option("scenario", scenario_path, "Scenario file (default: scenarios/default.yaml)");
  run_cmd->add_option("-o,--output", out_dir, "Results folder (default: results/<scenario name>)");
  run_cmd->add_flag("--force", force, "Replace an existing dcsim results folder at -o");
  run_cmd->add_option("--seed", seed, "Override the scenario's seed")->check(CLI::NonNegativeNumber);
  run_cmd->add_option("--set", sets, "Override a scenario value: key.path=value (repeatable)");
  run_cmd->add_flag("--jobs", jobs, "Also write jobs.csv, one row per job");
  run_cmd->add_flag("-q,--quiet", quiet, "No progress bar and no summary");

  CLI::App* validate_cmd = app.add_subcommand("validate", "Check a scenario file without running it");
  validate_cmd->add_option("scenario", scenario_path, "Scenario file")->required();
  validate_cmd->add_option("--set", sets, "Override a scenario value: key.path=value (repeatable)");
  validate_cmd->add_flag("--dump-resolved", dump_resolved, "Print the scenario with every default filled in");

  app.add_subcommand("catalog", "List the built-in GPU and server catalog");

  std::string trace_path, trace_format, task_table;
  bool skip_bad_rows = false, include_cpu_jobs = false;
  CLI::App* trace_cmd = app.add_subcommand("trace", "Inspect GPU-cluster trace files");
  trace_cmd->require_subcommand(1);
  CLI::App* trace_stats_cmd = trace_cmd->add_subcommand("stats", "Job counts, GPU histogram, durations, offered load");
  trace_stats_cmd->add_option("file", trace_path, "Trace file")->required();
  trace_stats_cmd->add_option("--format", trace_format, "alibaba-2023, alibaba-2020, helios, philly or csv")->required();
  trace_stats_cmd->add_option("--task-table", task_table, "Alibaba 2020: the pai_task_table file");
  trace_stats_cmd->add_flag("--skip-bad-rows", skip_bad_rows, "Leave unreadable rows out (and count them)");
  trace_stats_cmd->add_flag("--include-cpu-jobs", include_cpu_jobs, "Keep jobs that ask for no GPU");
  app.add_subcommand("schema", "Print the JSON Schema of scenario files");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitBadInput;
  }
  try {
    if (run_cmd->parsed()) return cmd_run(scenario_path, out_dir, force, seed, sets, jobs, quiet);
    if (validate_cmd->parsed()) return cmd_validate(scenario_path, sets, dump_resolved);
    if (app.got_subcommand("catalog")) return cmd_catalog();
    if (trace_stats_cmd->parsed())
      return cmd_trace_stats(trace_path, trace_format, task_table, skip_bad_rows, include_cpu_jobs);
    if (app.got_subcommand("schema")) {
      std::cout << scenario::json_schema();
      return kExitOk;
    }
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitFailure;
  }
  return kExitFailure;
}
