// The dcsim command line: run (also replicated), sweep, sensitivity, compare, validate,
// catalog, schema, trace, fabric. Exit codes: 0 done, 2 bad input or usage, 1 anything else.
#include <unistd.h>

#include <atomic>
#include <csignal>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli/many_runs.h"
#include "cli/mpi_pool.h"
#include "cli/sweep_store.h"
#include "reports/many_runs.h"
#include "reports/reconcile.h"
#include "sim/finance/market.h"
#include "reports/results_folder.h"
#include "reports/text_format.h"
#include "sim/model/catalog.h"
#include "sim/run/build.h"
#include "sim/run/plan.h"
#include "sim/engine/calendar.h"
#include "sim/run/replications.h"
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

// Options of every scenario load: --allow-outside-paths of the command that loads it.
scenario::LoadOptions g_load_options;

// Says on stderr which stale temporary folders (of a killed earlier run) a write removed.
void report_removed_stale(const reports::WriteOutcome& w) {
  for (const fs::path& p : w.removed_stale) {
    std::cerr << "note: removed the stale temporary folder '" << p.string()
              << "' left by an earlier run whose process is gone\n";
  }
}

// The scenario at `path` with the --set overrides (and --seed, when given) applied; prints every
// problem and returns nothing when it does not load.
std::optional<scenario::Scenario> load_or_report(const std::string& path, const std::vector<std::string>& sets,
                                                 const std::string& seed = "") {
  bool ok = true;
  std::vector<scenario::Override> overrides = parse_overrides(sets, ok);
  if (!ok) return std::nullopt;
  if (!seed.empty()) overrides.push_back(scenario::Override{"seed", seed});
  scenario::LoadResult loaded = scenario::load_scenario_file(path, overrides, g_load_options);
  if (!loaded.ok()) {
    print_diagnostics(loaded.diagnostics);
    return std::nullopt;
  }
  return std::move(*loaded.scenario);
}

// The model of a loaded scenario; prints the builder's problems when it cannot be built.
std::optional<run::BuildResult> build_or_report(scenario::Scenario& sc) {
  run::BuildResult built = run::build_model(sc);
  if (!built.config) {
    print_diagnostics(built.diagnostics);
    return std::nullopt;
  }
  return built;
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
  if (m.spare_gpus > 0) {  // halls' hot_spares: held back, jobs restarted on them, time with none free
    std::printf("%-22s %lld GPUs held, %llu swaps, %.1f hall-hours without a free spare\n", "hot spares",
                static_cast<long long>(m.spare_gpus), static_cast<unsigned long long>(m.spare_swaps),
                m.hours_without_spare);
  }
  std::printf("%-22s %.3f MWh IT, %.3f MWh facility\n", "energy", r.it_energy_mwh, r.facility_energy_mwh);
  std::printf("%-22s %s USD\n", "total cost", reports::format_cents(r.total_cost_cents).c_str());
  std::printf("%-22s %llu in %.3f s\n", "events", static_cast<unsigned long long>(m.events), r.wall_seconds);
  std::printf("%-22s %s\n", "results", folder.string().c_str());
}

// SIGINT / SIGTERM: the run stops at its next progress check (an event boundary), nothing is
// written, and dcsim exits 128 + the signal (130 / 143).
std::atomic<int> g_signal{0};
extern "C" void on_stop_signal(int sig) { g_signal.store(sig); }

void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

int cmd_run(const std::string& scenario_arg, const std::string& out_dir, bool force, const std::string& seed,
            const std::vector<std::string>& sets, bool jobs, bool quiet) {
  const std::string path = scenario_arg.empty() ? find_default_scenario() : scenario_arg;
  std::optional<scenario::Scenario> loaded = load_or_report(path, sets, seed);
  if (!loaded) return kExitBadInput;
  ProgressBar bar(!quiet && ::isatty(2));
  run::RunRequest request;
  request.scenario = std::move(*loaded);
  request.record_jobs = jobs;
  request.progress = [&bar](double fraction) { return g_signal.load() == 0 && bar.update(fraction); };
  install_stop_handlers();
  run::RunResult result = run::run(std::move(request));
  bar.done();
  if (const int sig = g_signal.load(); sig != 0) {
    std::cerr << "interrupted: nothing was written\n";
    return 128 + sig;
  }
  if (!result.ok()) {
    print_diagnostics(result.diagnostics);
    return kExitBadInput;
  }
  const std::string resolved = scenario::to_resolved_yaml(result.scenario);
  const fs::path target =
      out_dir.empty() ? fs::path("results") / reports::folder_name_for(result.scenario.name) : fs::path(out_dir);
  // Without -o the default folder is ours to replace (if it is a dcsim results folder).
  const bool existed = fs::exists(target);
  const reports::WriteOutcome written = reports::write_run_results(result, resolved, target, out_dir.empty() || force);
  report_removed_stale(written);
  if (!written.ok) {
    std::cerr << "error: " << written.error << "\n";
    // Refusing to replace an existing folder is a usage error; anything else failed to write.
    return existed ? kExitBadInput : kExitFailure;
  }
  if (!quiet) print_summary(result, target);
  return kExitOk;
}

// What run --replications, sweep and sensitivity share.
struct ManyRunOptions {
  std::string scenario_path;
  std::string out_dir;
  bool force = false;
  std::string seed;
  std::vector<std::string> sets;
  bool jobs = false;
  bool quiet = false;
  int replications = 0;
  int threads = 0;  // 0: every core (one per rank under MPI)
  bool resume = false;  // sweep --resume
};

enum class ManyKind { replications, sweep, sensitivity };

int default_threads(int threads) {
  if (threads > 0) return threads;
  if (cli::mpi::active()) return 1;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// Rank 0 reads and checks the scenario and the target folder, then every rank runs its share
// of the plan. Returns nullopt on the ranks that should stop with `exit_code` (rank 0 has
// said why), else the items (empty on ranks other than 0, and when `on_item` takes them).
// `prepare`, if set, replaces the check of the target folder on rank 0: it may mark variants
// to skip, and returns why nothing can run (empty: go on).
using PrepareFn = std::function<std::string(cli::Plan& plan, const fs::path& target)>;
std::optional<std::vector<cli::ItemResult>> run_many(const ManyRunOptions& o, cli::Plan& plan, ManyKind kind,
                                                     fs::path& target, std::string& scenario_name, int& exit_code,
                                                     const PrepareFn& prepare = nullptr,
                                                     const cli::ItemDoneFn& on_item = nullptr) {
  exit_code = kExitBadInput;
  bool ok = true;
  plan.base_overrides = parse_overrides(o.sets, ok);
  if (!ok) return std::nullopt;
  if (!o.seed.empty()) plan.base_overrides.push_back(scenario::Override{"seed", o.seed});
  plan.scenario_path = o.scenario_path.empty() ? find_default_scenario() : o.scenario_path;
  plan.replications = o.replications;
  plan.record_jobs = o.jobs;
  plan.allow_outside_paths = g_load_options.allow_outside_paths;
  std::string shared = "A";
  if (cli::mpi::rank() == 0) {
    std::ifstream in(plan.scenario_path, std::ios::binary);
    std::ostringstream text;
    if (in) text << in.rdbuf();
    const scenario::LoadResult base = scenario::load_scenario_file(plan.scenario_path, plan.base_overrides, g_load_options);
    if (!base.ok()) {
      print_diagnostics(base.diagnostics);
    } else {
      scenario_name = base.scenario->name;
      const char* suffix = kind == ManyKind::sweep ? "-sweep" : kind == ManyKind::sensitivity ? "-sensitivity" : "";
      target = o.out_dir.empty() ? fs::path("results") / (reports::folder_name_for(scenario_name) + suffix)
                                 : fs::path(o.out_dir);
      const bool replace = o.out_dir.empty() || o.force;
      plan.scenario_text = text.str();
      // Refuse before hours of runs, not after.
      if (prepare) {
        if (const std::string error = prepare(plan, target); !error.empty()) {
          std::cerr << "error: " << error << "\n";
        } else {
          shared = "T" + text.str();
        }
      } else if (fs::exists(target) && !replace) {
        std::cerr << "error: '" << target.string()
                  << "' already exists; use --force to replace an earlier dcsim results folder\n";
      } else if (fs::exists(target) && !reports::is_results_folder(target)) {
        std::cerr << "error: '" << target.string() << "' exists and is not a dcsim results folder; it is left untouched\n";
      } else {
        shared = "T" + text.str();
      }
    }
  }
  shared = cli::mpi::broadcast(shared);
  if (shared.empty() || shared[0] != 'T') return std::nullopt;
  plan.scenario_text = shared.substr(1);
  if (prepare) {
    // Every rank skips the same variants.
    std::string skip;
    for (const bool b : plan.skip_variants) skip += b ? '1' : '0';
    skip = cli::mpi::broadcast(skip);
    plan.skip_variants.assign(skip.size(), false);
    for (std::size_t v = 0; v < skip.size(); ++v) plan.skip_variants[v] = skip[v] == '1';
  }
  exit_code = kExitOk;
  return cli::run_plan(plan, default_threads(o.threads), !o.quiet, on_item);
}

int write_tree(const reports::FileTree& tree, const fs::path& target, const ManyRunOptions& o) {
  const reports::WriteOutcome written = reports::write_file_tree(tree, target, o.out_dir.empty() || o.force);
  report_removed_stale(written);
  if (!written.ok) {
    std::cerr << "error: " << written.error << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

void print_kpi_line(const reports::RunKpis& k, const char* name) {
  const reports::RunKpi* p = k.find(name);
  if (!p) return;
  if (k.replications > 1) {
    std::printf("%-22s %.6g  (95%% CI %.6g .. %.6g; P10 %.6g, P90 %.6g)\n", name, p->value, p->stats.ci95_low,
                p->stats.ci95_high, p->stats.p10, p->stats.p90);
  } else {
    std::printf("%-22s %.6g\n", name, p->value);
  }
}

// `dcsim run --replications R`.
int cmd_replications(const ManyRunOptions& o) {
  cli::Plan plan;
  plan.variants.assign(1, {});
  fs::path target;
  std::string name;
  int code = kExitOk;
  std::optional<std::vector<cli::ItemResult>> items = run_many(o, plan, ManyKind::replications, target, name, code);
  if (!items) return code;
  if (cli::mpi::rank() != 0) return kExitOk;
  cli::VariantOutcome v = cli::gather_variant(plan, *items, 0);
  if (!v.ok) {
    std::cerr << "error: " << v.error << "\n";
    return v.bad_input ? kExitBadInput : kExitFailure;
  }
  if (const int rc = write_tree(v.tree, target, o); rc != kExitOk) return rc;
  if (!o.quiet) {
    const std::optional<reports::RunKpis> k = reports::kpis_of_tree(v.tree);
    std::printf("%-22s %s\n", "scenario", name.c_str());
    std::printf("%-22s %d\n", "replications", o.replications);
    if (k) {
      for (const char* kpi : {"mean_wait_hours", "p95_wait_hours", "gpu_utilization", "facility_energy_mwh", "total_cost_usd"}) {
        print_kpi_line(*k, kpi);
      }
    }
    std::printf("%-22s %s\n", "results", target.string().c_str());
  }
  return kExitOk;
}

// Prints why a --vary argument is malformed; false if it is.
bool vary_ok(const std::string& argument, const std::string& error) {
  if (error.empty()) return true;
  std::cerr << "--vary " << argument << ": error: " << error << "\n";
  return false;
}

std::string lhs_value(double v, const std::string& unit) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return unit.empty() ? std::string(buf) : std::string(buf) + " " + unit;
}

// `dcsim sweep`: the full grid of the --vary values, or a Latin hypercube of --lhs N points.
int cmd_sweep(const ManyRunOptions& o, const std::vector<std::string>& varies, int lhs) {
  if (varies.empty()) {
    std::cerr << "error: dcsim sweep needs at least one --vary key.path=v1,v2,...\n";
    return kExitBadInput;
  }
  std::vector<std::string> inputs;
  std::vector<run::VariantValues> grid;
  bool ok = true;
  if (lhs > 0) {
    std::vector<run::VaryRange> ranges;
    for (const std::string& a : varies) {
      const run::RangeParse r = run::parse_vary_range(a);
      ok = vary_ok(a, r.error) && ok;
      if (r.ok()) ranges.push_back(r.range);
    }
    if (!ok) return kExitBadInput;
    // The sample points follow the --seed given (else a fixed one): same command, same points.
    std::uint64_t seed = 0;
    if (!o.seed.empty()) seed = std::stoull(o.seed);
    for (const auto& p : run::latin_hypercube(ranges, static_cast<std::size_t>(lhs), seed)) {
      run::VariantValues values;
      for (std::size_t d = 0; d < ranges.size(); ++d) values.push_back(lhs_value(p[d], ranges[d].unit));
      grid.push_back(std::move(values));
    }
    for (const auto& r : ranges) inputs.push_back(r.path);
  } else {
    std::vector<run::VaryInput> vary_inputs;
    for (const std::string& a : varies) {
      const run::VaryParse r = run::parse_vary(a);
      ok = vary_ok(a, r.error) && ok;
      if (r.ok()) vary_inputs.push_back(r.input);
    }
    if (!ok) return kExitBadInput;
    grid = run::full_grid(vary_inputs);
    for (const auto& in : vary_inputs) inputs.push_back(in.path);
  }
  cli::Plan plan;
  for (const run::VariantValues& values : grid) {
    std::vector<scenario::Override> ov;
    for (std::size_t d = 0; d < inputs.size(); ++d) ov.push_back(scenario::Override{inputs[d], values[d]});
    plan.variants.push_back(std::move(ov));
  }
  fs::path target;
  std::string name;
  int code = kExitOk;
  // Each variant is renamed into the staging folder as soon as its runs are done (see
  // sweep_store.h); the finished folder is the staging folder renamed to the target.
  cli::SweepStaging staging;
  const PrepareFn prepare = [&](cli::Plan& p, const fs::path& t) {
    staging = cli::prepare_sweep_staging(t, cli::sweep_plan_text(p), p.variants.size(), o.resume,
                                         o.out_dir.empty() || o.force);
    p.skip_variants = staging.done;
    return staging.error;
  };
  std::vector<reports::SweepRow> rows(plan.variants.size());
  const std::size_t per_variant = static_cast<std::size_t>(std::max(1, o.replications));
  std::vector<cli::ItemResult> pending(plan.variants.size() * per_variant);
  std::vector<std::size_t> arrived(plan.variants.size(), 0);
  std::vector<char> bad_input(plan.variants.size(), 0);
  const cli::ItemDoneFn on_item = [&](std::size_t item, cli::ItemResult&& r) {
    const std::size_t v = item / per_variant;
    pending[item] = std::move(r);
    if (++arrived[v] < per_variant) return;
    cli::VariantOutcome out = cli::gather_variant(plan, pending, v);
    reports::SweepRow& row = rows[v];
    if (out.ok) {
      const reports::WriteOutcome w =
          reports::write_file_tree(out.tree, staging.staging / "variants" / cli::variant_label(v), true);
      if (w.ok) {
        row.kpis = reports::kpis_of_tree(out.tree);
      } else {
        out.error = w.error;
      }
    }
    if (!row.kpis) {
      row.error = out.error;
      bad_input[v] = out.bad_input ? 1 : 0;
    }
  };
  std::optional<std::vector<cli::ItemResult>> items =
      run_many(o, plan, ManyKind::sweep, target, name, code, prepare, on_item);
  if (!items) return code;
  if (cli::mpi::rank() != 0) return kExitOk;
  std::size_t failed = 0;
  bool any_bad_input = false;
  for (std::size_t v = 0; v < plan.variants.size(); ++v) {
    reports::SweepRow& row = rows[v];
    row.label = cli::variant_label(v);
    row.values = grid[v];
    if (staging.done[v]) {
      std::string error;
      row.kpis = reports::kpis_of_folder(staging.staging / "variants" / row.label, error);
      if (!row.kpis) row.error = error;
    }
    if (!row.kpis) {
      ++failed;
      any_bad_input = any_bad_input || bad_input[v] != 0;
      std::cerr << row.label << ": error: " << row.error << "\n";
    }
  }
  const std::string csv = reports::render_sweep_csv(inputs, rows, o.replications > 0);
  const std::string summary = reports::render_sweep_summary("sweep", name, inputs, rows.size(), failed, o.replications);
  if (!reports::write_files_durably(staging.staging, {{"sweep.csv", csv}, {"summary.json", summary}})) {
    std::cerr << "error: cannot write into '" << staging.staging.string() << "'\n";
    return kExitFailure;
  }
  if (const reports::WriteOutcome w = reports::publish_folder(staging.staging, target, staging.replace_target); !w.ok) {
    std::cerr << "error: " << w.error << "\n";
    return kExitFailure;
  }
  if (!o.quiet) {
    std::printf("%zu variants, %zu failed\n", rows.size(), failed);
    std::printf("%-22s %s\n", "results", (target / "sweep.csv").string().c_str());
  }
  if (failed > 0) return any_bad_input ? kExitBadInput : kExitFailure;
  return kExitOk;
}

// `dcsim sensitivity`: the base run and, one input at a time, its low and high runs.
int cmd_sensitivity(const ManyRunOptions& o, const std::vector<std::string>& varies) {
  if (varies.empty()) {
    std::cerr << "error: dcsim sensitivity needs at least one --vary key.path=low,high\n";
    return kExitBadInput;
  }
  std::vector<run::VaryInput> inputs;
  bool ok = true;
  for (const std::string& a : varies) {
    run::VaryParse r = run::parse_vary(a);
    if (r.ok() && r.input.values.size() != 2) r.error = "expected exactly two values: key.path=low,high";
    ok = vary_ok(a, r.error) && ok;
    if (r.ok()) inputs.push_back(r.input);
  }
  if (!ok) return kExitBadInput;
  cli::Plan plan;
  std::vector<std::string> labels = {"base"};
  plan.variants.push_back({});
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    char buf[32];
    for (int side = 0; side < 2; ++side) {
      std::snprintf(buf, sizeof buf, "i%02zu-%s", i + 1, side == 0 ? "low" : "high");
      labels.push_back(buf);
      plan.variants.push_back({scenario::Override{inputs[i].path, inputs[i].values[static_cast<std::size_t>(side)]}});
    }
  }
  fs::path target;
  std::string name;
  int code = kExitOk;
  std::optional<std::vector<cli::ItemResult>> items = run_many(o, plan, ManyKind::sensitivity, target, name, code);
  if (!items) return code;
  if (cli::mpi::rank() != 0) return kExitOk;
  reports::FileTree tree;
  std::vector<reports::RunKpis> kpis;
  std::size_t failed = 0;
  bool any_bad_input = false;
  for (std::size_t v = 0; v < plan.variants.size(); ++v) {
    cli::VariantOutcome out = cli::gather_variant(plan, *items, v);
    if (!out.ok) {
      ++failed;
      any_bad_input = any_bad_input || out.bad_input;
      std::cerr << labels[v] << ": error: " << out.error << "\n";
      kpis.emplace_back();
      continue;
    }
    kpis.push_back(reports::kpis_of_tree(out.tree).value_or(reports::RunKpis{}));
    tree.add_tree("variants/" + labels[v], out.tree);
  }
  if (kpis[0].kpis.empty()) {
    std::cerr << "error: the base run failed; nothing written\n";
    return any_bad_input ? kExitBadInput : kExitFailure;
  }
  std::vector<reports::SensitivityInput> rows;
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    rows.push_back({inputs[i].path, inputs[i].values[0], inputs[i].values[1], kpis[1 + 2 * i], kpis[2 + 2 * i]});
    paths.push_back(inputs[i].path);
  }
  const std::string csv = reports::render_sensitivity_csv(kpis[0], rows);
  tree.files.insert(tree.files.begin(), {"sensitivity.csv", csv});
  tree.files.insert(tree.files.begin(), {"summary.json", reports::render_sweep_summary("sensitivity", name, paths,
                                                                                         plan.variants.size(), failed,
                                                                                         o.replications)});
  if (const int rc = write_tree(tree, target, o); rc != kExitOk) return rc;
  if (!o.quiet) {
    std::cout << csv;
    std::printf("%-22s %s\n", "results", (target / "sensitivity.csv").string().c_str());
  }
  if (failed > 0) return any_bad_input ? kExitBadInput : kExitFailure;
  return kExitOk;
}

// `dcsim compare RUN_A RUN_B ...`.
int cmd_compare(const std::vector<std::string>& folders) {
  if (folders.size() < 2) {
    std::cerr << "error: dcsim compare needs at least two results folders\n";
    return kExitBadInput;
  }
  std::vector<reports::RunKpis> runs;
  for (const std::string& f : folders) {
    std::string error;
    std::optional<reports::RunKpis> k = reports::kpis_of_folder(f, error);
    if (!k) {
      std::cerr << "error: " << error << "\n";
      return kExitBadInput;
    }
    runs.push_back(std::move(*k));
  }
  std::cout << reports::render_compare(folders, runs);
  return kExitOk;
}

int cmd_validate(const std::string& path, const std::vector<std::string>& sets, bool dump_resolved) {
  std::optional<scenario::Scenario> sc = load_or_report(path, sets);
  if (!sc) return kExitBadInput;
  const std::optional<run::BuildResult> built = build_or_report(*sc);
  if (!built) return kExitBadInput;
  if (dump_resolved) {
    std::cout << scenario::to_resolved_yaml(*sc);
    return kExitOk;
  }
  const model::ModelConfig& cfg = *built->config;
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

// `dcsim plan`: the greedy expansion planner (docs/plan.md). Prints every schedule it tried
// and the one it chose; writes plan.csv and plan.yaml into DIR atomically. Exit 0 when the plan
// meets the targets, 1 when it is the best found but does not (files written all the same).
int cmd_plan(const std::string& path, const std::vector<std::string>& target_texts, const std::string& out_dir,
             const std::vector<std::string>& sets, bool force) {
  run::PlanRequest request;
  for (const std::string& text : target_texts) {
    std::string why;
    request.targets.push_back(run::parse_plan_target(text, why));
    if (!why.empty()) {
      std::cerr << "--target " << text << ": " << why << "\n";
      return kExitBadInput;
    }
  }
  std::optional<scenario::Scenario> loaded = load_or_report(path, sets);
  if (!loaded) return kExitBadInput;
  if (loaded->expansions.empty()) {
    std::cerr << path << ": error: the scenario has no `expansions` to choose from (docs/plan.md)\n";
    return kExitBadInput;
  }
  const fs::path target = out_dir.empty() ? fs::path("plans") / reports::folder_name_for(loaded->name)
                                          : fs::path(out_dir);
  // Checked before the (long) search; --force replaces only an earlier plan or results folder.
  if (fs::exists(target) && !force) {
    std::cerr << "error: '" << target.string() << "' already exists; use --force to replace an earlier dcsim plan\n";
    return kExitBadInput;
  }
  if (fs::exists(target) && !reports::is_plan_folder(target) && !reports::is_results_folder(target)) {
    std::cerr << "error: '" << target.string() << "' exists and is not a dcsim plan folder; it is left untouched\n";
    return kExitBadInput;
  }
  request.scenario = std::move(*loaded);
  const std::int64_t start_unix_s = request.scenario.start_unix_s;
  const run::PlanResult p = run::plan(request);
  if (!p.diagnostics.empty()) {
    print_diagnostics(p.diagnostics);
    return kExitBadInput;
  }
  const engine::Calendar calendar(start_unix_s);
  const auto date = [&](std::int64_t unix_s) {
    return calendar.iso8601((unix_s - start_unix_s) * engine::kMicrosPerSecond).substr(0, 10);
  };
  std::printf("targets judged for the months from %s (the earliest any candidate can be online)\n",
              date(p.judged_from_unix_s).c_str());
  std::printf("%-5s %-9s %16s  %s\n", "meets", "first_bad", "npv_usd", "schedule");
  for (const run::PlanTrial& t : p.trials) {
    std::printf("%-5s %-9s %16.0f  %s\n", t.meets ? "yes" : "no",
                t.first_bad_month.empty() ? "-" : t.first_bad_month.c_str(), t.npv_usd, t.schedule.c_str());
    if (!t.note.empty()) std::printf("      %s\n", t.note.c_str());
  }
  // `why` last, after the columns earlier plans had, so readers of those keep working.
  std::string csv = "expansion,site,hall,decide,online,capex_usd,why\n";
  for (std::size_t i = 0; i < p.chosen.size(); ++i) {
    const scenario::ExpansionSpec& x = p.chosen[i];
    csv += reports::csv_field(x.name) + "," + reports::csv_field(x.site) + "," + reports::csv_field(x.hall) + "," +
           date(x.decision_unix_s()) + "," + date(x.online_unix_s) + "," +
           reports::format_cents(finance::round_to_cents(p.chosen_capex_usd[i])) + "," +
           reports::csv_field(p.chosen_why[i]) + "\n";
  }
  const std::string yaml = scenario::to_resolved_yaml(p.plan);
  const reports::WriteOutcome written = reports::write_folder_atomically({{"plan.csv", csv}, {"plan.yaml", yaml}}, target, force);
  report_removed_stale(written);
  if (!written.ok) {
    std::cerr << "error: " << written.error << "\n";
    return kExitFailure;
  }
  std::printf("chose %zu of %zu candidates; %s the targets; wrote %s/plan.csv and plan.yaml\n", p.chosen.size(),
              request.scenario.expansions.size(), p.met ? "meets" : "DOES NOT meet", target.string().c_str());
  return p.met ? kExitOk : kExitFailure;
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

// `dcsim fabric SCENARIO [--json]`: what each hall's network holds and costs.
int cmd_fabric(const std::string& path, const std::vector<std::string>& sets, bool json) {
  std::optional<scenario::Scenario> sc = load_or_report(path, sets);
  if (!sc) return kExitBadInput;
  const std::optional<run::BuildResult> built = build_or_report(*sc);
  if (!built) return kExitBadInput;
  const model::ModelConfig& cfg = *built->config;
  std::ostringstream out;
  out.precision(15);
  if (json) out << "{\"halls\": [";
  bool first = true;
  for (const model::HallConfig& hall : cfg.halls) {
    if (!hall.fabric) continue;
    const model::Fabric& f = *hall.fabric;
    const model::FabricReport r = model::describe(f);
    const std::string& site = cfg.sites[hall.site].name;
    const bool rail = f.spec.topology == model::FabricSpec::Topology::rail_optimized;
    const std::string topology = rail ? "rail-optimized" : "fat-tree";
    const double oversub = f.spec.oversubscription.empty() ? 1.0 : f.spec.oversubscription.back();
    if (json) {
      out << (first ? "" : ",") << "\n  {\"site\": " << reports::json_string(site) << ", \"hall\": " << reports::json_string(hall.name)
          << ", \"topology\": \"" << topology << "\", \"radix\": " << f.spec.radix << ", \"tiers\": " << f.spec.tiers
          << ", \"oversubscription\": " << oversub << ", \"endpoints\": " << r.endpoints << ", \"switches_by_tier\": ["
          << r.switches_by_tier[0] << ", " << r.switches_by_tier[1] << ", " << r.switches_by_tier[2]
          << "], \"switches\": " << r.switches << ", \"links\": " << r.links << ", \"cables\": " << r.cables
          << ", \"bisection_gbps\": " << r.bisection_gbps << ", \"diameter_hops\": " << r.diameter_hops
          << ", \"diameter_latency_ns\": " << r.diameter_latency_ns << ", \"capex_usd\": " << r.capex_usd << "}";
    } else {
      out << (first ? "" : "\n") << site << " / " << hall.name << ": " << f.spec.tiers << "-tier " << topology
          << ", radix " << f.spec.radix << ", " << oversub << ":1 at the top, " << f.spec.link_gbps << " Gb/s links\n";
      out << "  endpoints        " << r.endpoints << (rail ? " GPUs" : " servers") << "\n";
      out << "  switches         " << r.switches << " (leaf " << r.switches_by_tier[0] << ", "
          << (f.spec.tiers == 3 ? "aggregation " : "spine ") << r.switches_by_tier[1];
      if (f.spec.tiers == 3) out << ", core " << r.switches_by_tier[2];
      out << ")\n";
      out << "  links            " << r.links << "\n";
      out << "  cables           " << r.cables << "\n";
      out << "  bisection        " << r.bisection_gbps << " Gb/s (max-flow)\n";
      out << "  diameter         " << r.diameter_hops << " hops, " << r.diameter_latency_ns << " ns\n";
      out << "  capex            " << r.capex_usd << " USD (switches, optics, cables)\n";
    }
    first = false;
  }
  if (json) out << (first ? "" : "\n") << "]}\n";
  else if (first) out << "no hall of " << path << " has a fabric (add fabric: to a hall)\n";
  std::cout << out.str();
  return kExitOk;
}

// `dcsim market [SCENARIO]`: the market projection the scenario uses (or the default), our
// demand, and a growth fit of the anchors.
int cmd_market(const std::string& path, const std::vector<std::string>& sets) {
  std::vector<finance::MarketRow> rows;
  std::vector<finance::DemandPoint> demand;
  if (!path.empty()) {
    std::optional<scenario::Scenario> sc = load_or_report(path, sets);
    if (!sc) return kExitBadInput;
    std::optional<run::BuildResult> built = build_or_report(*sc);
    if (!built) return kExitBadInput;
    rows = std::move(built->market);
    demand = std::move(built->demand);
  }
  const finance::MarketSpec spec = finance::default_market_spec();
  if (rows.empty()) rows = finance::project_market(spec);
  std::printf("AI infrastructure-as-a-service market, USD bn (total)\n%6s %10s %10s %10s %8s\n", "year", "low", "base",
              "high", "growth");
  const auto low = finance::market_series(rows, finance::kCaseLow, finance::kTotal, finance::kTotal);
  const auto base = finance::market_series(rows, finance::kCaseBase, finance::kTotal, finance::kTotal);
  const auto high = finance::market_series(rows, finance::kCaseHigh, finance::kTotal, finance::kTotal);
  for (std::size_t i = 0; i < base.size() && i < low.size() && i < high.size(); ++i) {
    const double growth = i > 0 ? base[i].usd_bn / base[i - 1].usd_bn - 1.0 : 0.0;
    std::printf("%6d %10.1f %10.1f %10.1f %7.1f%%\n", base[i].year, low[i].usd_bn, base[i].usd_bn, high[i].usd_bn,
                100.0 * growth);
  }
  if (!demand.empty()) {
    std::printf("\nOur demand\n%6s %12s %14s %12s %16s\n", "year", "share", "slice USD bn", "USD/GPU-h", "GPU-hours");
    for (const auto& d : demand) {
      std::printf("%6d %12.6f %14.2f %12.3f %16.0f\n", d.year, d.market_share, d.segment_usd_bn, d.usd_per_gpu_hour,
                  d.gpu_hours);
    }
  }
  std::vector<finance::MarketAnchor> anchors;
  for (const auto& a : base) {
    for (const auto& s_anchor : spec.anchors) {
      if (s_anchor.year == a.year) anchors.push_back(a);
    }
  }
  const finance::GrowthFit fit = finance::fit_exponential(anchors);
  if (fit.ok) {
    std::printf("\nexponential fit of the anchors: CAGR %.1f%% +/- %.1f%% (%d points)\n", 100.0 * fit.cagr,
                100.0 * fit.cagr_stderr, fit.points);
  }
  std::printf("CAGR 2026-2036 implied by the anchors: %.2f%%\n", 100.0 * finance::implied_cagr(spec, 2026, 2036));
  return kExitOk;
}

// `dcsim report RESULTS_DIR --reconcile`: every report's money against summary.json.
int cmd_report(const std::string& dir, bool reconcile) {
  if (!reports::is_results_folder(dir)) {
    std::cerr << "error: '" << dir << "' is not a dcsim results folder\n";
    return kExitBadInput;
  }
  if (!reconcile) {
    std::cerr << "error: say what to report: --reconcile\n";
    return kExitBadInput;
  }
  const reports::ReconcileOutcome r = reports::reconcile_results_folder(dir);
  if (!r.error.empty()) {
    std::cerr << "error: " << r.error << "\n";
    return kExitBadInput;
  }
  for (const reports::ReconcileLine& l : r.lines) {
    if (l.gpu_hours) {
      std::printf("%-44s %16.3f h  vs %-32s %16.3f h  %s\n", l.report.c_str(), l.report_gpu_hours, l.against.c_str(),
                  l.expected_gpu_hours, l.ok() ? "ok" : ("differs by " + std::to_string(l.report_gpu_hours - l.expected_gpu_hours) + " h").c_str());
      continue;
    }
    std::printf("%-44s %18s  vs %-32s %18s  %s\n", l.report.c_str(), reports::format_cents(l.report_cents).c_str(),
                l.against.c_str(), reports::format_cents(l.expected_cents).c_str(),
                l.ok() ? "ok" : ("differs by " + reports::format_cents(l.report_cents - l.expected_cents)).c_str());
  }
  std::printf("%s\n", r.ok() ? "reconciled: money to the cent, GPU-hours to 1 part in a billion" : "NOT reconciled");
  return r.ok() ? kExitOk : kExitFailure;
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
  // Under mpirun/srun every rank runs main(); rank 0 speaks and writes, the others work.
  const cli::mpi::Session mpi_session(argc, argv);
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
  bool allow_outside = false;
  const char* const allow_outside_help =
      "Let the scenario name files outside its own folder tree (refused by default: S126)";
  run_cmd->add_flag("--allow-outside-paths", allow_outside, allow_outside_help);
  int replications = 0, threads = 0, lhs = 0;
  run_cmd->add_option("--replications", replications, "Independent replications (seeds derived from the scenario's)")
      ->check(CLI::Range(1, 1000000));
  run_cmd->add_option("--threads", threads, "Threads for replications (default: every core)")->check(CLI::Range(1, 4096));

  // sweep and sensitivity share run's options; CLI11 binds each subcommand's own variables.
  std::vector<std::string> varies;
  auto many_run_options = [&](CLI::App* cmd) {
    cmd->add_option("scenario", scenario_path, "Scenario file")->required();
    cmd->add_option("-o,--output", out_dir, "Output folder");
    cmd->add_flag("--force", force, "Replace an existing dcsim results folder at -o");
    cmd->add_option("--seed", seed, "Override the scenario's seed")->check(CLI::NonNegativeNumber);
    cmd->add_option("--set", sets, "Override a scenario value: key.path=value (repeatable)");
    cmd->add_flag("--jobs", jobs, "Also write jobs.csv in every run folder");
    cmd->add_flag("-q,--quiet", quiet, "No progress and no summary");
    cmd->add_option("--replications", replications, "Replications of every variant")->check(CLI::Range(1, 1000000));
    cmd->add_option("--threads", threads, "Threads (default: every core; one per rank under MPI)")
        ->check(CLI::Range(1, 4096));
    cmd->add_flag("--allow-outside-paths", allow_outside, allow_outside_help);
  };
  CLI::App* sweep_cmd = app.add_subcommand("sweep", "Run every combination of --vary values (or a Latin hypercube)");
  many_run_options(sweep_cmd);
  sweep_cmd->add_option("--vary", varies, "key.path=v1,v2,... (with --lhs: key.path=low..high); repeatable")->required();
  sweep_cmd->add_option("--lhs", lhs, "Latin hypercube of N points over the --vary ranges")->check(CLI::Range(1, 1000000));
  bool resume = false;
  sweep_cmd->add_flag("--resume", resume, "Run only the variants an interrupted or failed sweep of the same command lacks");
  CLI::App* sensitivity_cmd =
      app.add_subcommand("sensitivity", "One-at-a-time low/high runs and a tornado table (sensitivity.csv)");
  many_run_options(sensitivity_cmd);
  sensitivity_cmd->add_option("--vary", varies, "key.path=low,high (repeatable)")->required();
  std::vector<std::string> compare_folders;
  CLI::App* compare_cmd = app.add_subcommand("compare", "KPIs of finished runs side by side, with significance");
  compare_cmd->add_option("runs", compare_folders, "Results folders (two or more)")->required();

  CLI::App* validate_cmd = app.add_subcommand("validate", "Check a scenario file without running it");
  validate_cmd->add_option("scenario", scenario_path, "Scenario file")->required();
  validate_cmd->add_option("--set", sets, "Override a scenario value: key.path=value (repeatable)");
  validate_cmd->add_flag("--dump-resolved", dump_resolved, "Print the scenario with every default filled in");
  validate_cmd->add_flag("--allow-outside-paths", allow_outside, allow_outside_help);

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

  std::string market_path, report_dir;
  bool reconcile = false;
  CLI::App* market_cmd = app.add_subcommand("market", "Print the market projection, our demand and a growth fit");
  market_cmd->add_option("scenario", market_path, "Scenario with a market section (default: the reference market)");
  market_cmd->add_option("--set", sets, "Override a scenario value: key.path=value (repeatable)");
  market_cmd->add_flag("--allow-outside-paths", allow_outside, allow_outside_help);
  std::string fabric_path;
  bool fabric_json = false;
  CLI::App* fabric_cmd = app.add_subcommand("fabric", "Switches, links, bisection, diameter and capex of each hall's fabric");
  fabric_cmd->add_option("scenario", fabric_path, "Scenario file")->required();
  fabric_cmd->add_option("--set", sets, "Override a scenario value: key.path=value (repeatable)");
  fabric_cmd->add_flag("--json", fabric_json, "Print JSON instead of text");
  fabric_cmd->add_flag("--allow-outside-paths", allow_outside, allow_outside_help);
  std::string plan_path;
  std::vector<std::string> plan_targets;
  CLI::App* plan_cmd = app.add_subcommand("plan", "Choose which of the scenario's expansions to build, and when, to meet a target");
  plan_cmd->add_option("scenario", plan_path, "Scenario file whose `expansions` are the candidates")->required();
  plan_cmd->add_option("--target", plan_targets, "utilization<=0.85 or p95_wait<=24h (repeatable)")->required();
  plan_cmd->add_option("-o,--output", out_dir, "Folder for plan.csv and plan.yaml (default: plans/<scenario name>)");
  plan_cmd->add_option("--set", sets, "Override a scenario value: key.path=value (repeatable)");
  plan_cmd->add_flag("--force", force, "Replace an earlier dcsim plan folder at -o");
  plan_cmd->add_flag("--allow-outside-paths", allow_outside, allow_outside_help);
  CLI::App* report_cmd = app.add_subcommand("report", "Check a results folder");
  report_cmd->add_option("results", report_dir, "Results folder")->required();
  report_cmd->add_flag("--reconcile", reconcile, "Check that every report's money sums to summary.json's totals");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitBadInput;
  }
  g_load_options.allow_outside_paths = allow_outside;
  try {
    const ManyRunOptions many{scenario_path, out_dir, force, seed, sets, jobs, quiet, replications, threads, resume};
    if (run_cmd->parsed() && replications > 0) return cmd_replications(many);
    if (cli::mpi::rank() != 0 && !sweep_cmd->parsed() && !sensitivity_cmd->parsed()) return kExitOk;
    if (run_cmd->parsed()) return cmd_run(scenario_path, out_dir, force, seed, sets, jobs, quiet);
    if (sweep_cmd->parsed()) return cmd_sweep(many, varies, lhs);
    if (sensitivity_cmd->parsed()) return cmd_sensitivity(many, varies);
    if (compare_cmd->parsed()) return cmd_compare(compare_folders);
    if (validate_cmd->parsed()) return cmd_validate(scenario_path, sets, dump_resolved);
    if (app.got_subcommand("catalog")) return cmd_catalog();
    if (market_cmd->parsed()) return cmd_market(market_path, sets);
    if (report_cmd->parsed()) return cmd_report(report_dir, reconcile);
    if (plan_cmd->parsed()) return cmd_plan(plan_path, plan_targets, out_dir, sets, force);
    if (fabric_cmd->parsed()) return cmd_fabric(fabric_path, sets, fabric_json);
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
