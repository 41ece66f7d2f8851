// Runs the items of a plan on threads or MPI ranks (see many_runs.h).
#include "cli/many_runs.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

#include "cli/mpi_pool.h"
#include "reports/results_folder.h"
#include "sim/run/replications.h"
#include "sim/run/run.h"

namespace dcsim::cli {

namespace {

std::string one_line_errors(const std::vector<scenario::Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) {
    std::string text = scenario::format_diagnostic(d);
    text = text.substr(0, text.find('\n'));
    if (!out.empty()) out += "; ";
    out += text;
  }
  return out;
}

}  // namespace

ItemResult run_item(const Plan& plan, std::size_t item) {
  ItemResult out;
  const std::size_t per_variant = static_cast<std::size_t>(plan.replications > 0 ? plan.replications : 1);
  const std::size_t variant = item / per_variant;
  const auto replication = static_cast<std::uint32_t>(item % per_variant);
  std::vector<scenario::Override> overrides = plan.base_overrides;
  overrides.insert(overrides.end(), plan.variants[variant].begin(), plan.variants[variant].end());
  const std::filesystem::path parent = std::filesystem::path(plan.scenario_path).parent_path();
  const std::string dir = parent.empty() ? std::string(".") : parent.string();
  try {
    // Replicated runs draw the `uncertain:` inputs of their replication; plain runs take means.
    scenario::LoadResult loaded = scenario::load_scenario_text(plan.scenario_text, plan.scenario_path, dir, overrides,
                                                               plan.replications > 0 ? std::int64_t{replication} : -1,
                                                               scenario::LoadOptions{plan.allow_outside_paths});
    if (!loaded.ok()) {
      out.bad_input = true;
      out.error = one_line_errors(loaded.diagnostics);
      return out;
    }
    run::RunRequest request;
    request.scenario = std::move(*loaded.scenario);
    request.scenario.source_file = plan.scenario_path;  // as load_scenario_file does: files beside it
    request.scenario.seed = run::replication_seed(request.scenario.seed, replication);
    request.record_jobs = plan.record_jobs;
    const run::RunResult result = run::run(std::move(request));
    if (!result.ok()) {
      out.bad_input = true;
      out.error = one_line_errors(result.diagnostics);
      return out;
    }
    out.files = reports::results_tree(reports::render_results(result, scenario::to_resolved_yaml(result.scenario)));
    out.ok = true;
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

std::string encode_item(const ItemResult& r) {
  std::string out(1, r.ok ? 'O' : r.bad_input ? 'B' : 'E');
  out += r.ok ? reports::serialize_tree(r.files) : r.error;
  return out;
}

ItemResult decode_item(const std::string& bytes) {
  ItemResult r;
  if (bytes.empty()) {
    r.error = "no result received";
    return r;
  }
  if (bytes[0] == 'O') {
    std::optional<reports::FileTree> t = reports::deserialize_tree(bytes.substr(1));
    if (!t) {
      r.error = "corrupt result received";
      return r;
    }
    r.ok = true;
    r.files = std::move(*t);
    return r;
  }
  r.bad_input = bytes[0] == 'B';
  r.error = bytes.substr(1);
  return r;
}

bool Plan::skipped(std::size_t item) const {
  const std::size_t variant = item / static_cast<std::size_t>(replications > 0 ? replications : 1);
  return variant < skip_variants.size() && skip_variants[variant];
}

std::vector<ItemResult> run_plan(const Plan& plan, int threads, bool progress, const ItemDoneFn& on_item) {
  // The items to run, numbered 0..count-1 for the pool; todo[k] is the plan's item.
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < plan.items(); ++i) {
    if (!plan.skipped(i)) todo.push_back(i);
  }
  const std::size_t count = todo.size();
  const bool show = progress && mpi::rank() == 0 && ::isatty(2);
  auto report = [show](std::size_t done, std::size_t total) {
    if (!show) return;
    std::fprintf(stderr, "\r%zu/%zu runs done", done, total);
    if (done == total) std::fprintf(stderr, "\r%40s\r", "");
    std::fflush(stderr);
  };
  // The same bytes whoever runs an item: a thread here or a rank elsewhere.
  const mpi::ItemFn fn = [&plan, &todo](std::size_t k) { return encode_item(run_item(plan, todo[k])); };
  mpi::ResultFn handed;
  if (on_item) {
    handed = [&on_item, &todo](std::size_t k, std::string&& bytes) { on_item(todo[k], decode_item(bytes)); };
  }
  std::vector<std::string> encoded;
  if (mpi::active()) {
    encoded = mpi::run_items(count, threads, fn, report, handed);
    if (mpi::rank() != 0 || on_item) return {};
  } else {
    encoded.resize(count);
    std::atomic<std::size_t> next{0};
    std::size_t finished = 0;
    std::mutex mutex;
    auto work = [&] {
      for (std::size_t i; (i = next++) < count;) {
        std::string r = fn(i);
        std::lock_guard<std::mutex> lock(mutex);
        if (handed) {
          handed(i, std::move(r));
        } else {
          encoded[i] = std::move(r);
        }
        report(++finished, count);
      }
    };
    const int n = std::max(1, std::min(threads, static_cast<int>(count)));
    std::vector<std::thread> pool;
    for (int t = 1; t < n; ++t) pool.emplace_back(work);
    work();
    for (std::thread& t : pool) t.join();
  }
  if (on_item) return {};
  std::vector<ItemResult> out(plan.items());
  for (std::size_t k = 0; k < count; ++k) {
    out[todo[k]] = decode_item(encoded[k]);
    encoded[k].clear();
    encoded[k].shrink_to_fit();
  }
  return out;
}

VariantOutcome gather_variant(const Plan& plan, std::vector<ItemResult>& items, std::size_t variant) {
  VariantOutcome v;
  if (plan.replications <= 0) {
    ItemResult& r = items[variant];
    v.ok = r.ok;
    v.bad_input = r.bad_input;
    v.error = std::move(r.error);
    v.tree = std::move(r.files);
    return v;
  }
  const auto R = static_cast<std::size_t>(plan.replications);
  std::vector<reports::FileTree> reps;
  for (std::size_t i = variant * R; i < (variant + 1) * R; ++i) {
    ItemResult& r = items[i];
    if (!r.ok) {
      v.bad_input = r.bad_input;
      v.error = "replication " + std::to_string(i - variant * R + 1) + ": " + r.error;
      return v;
    }
    reps.push_back(std::move(r.files));
  }
  v.tree = reports::replicated_tree(reps);
  v.ok = true;
  return v;
}

std::string variant_label(std::size_t variant) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "v%04zu", variant + 1);
  return buf;
}

}  // namespace dcsim::cli
