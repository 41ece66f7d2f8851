// Public GPU-cluster traces (Alibaba PAI 2020 and 2023, SenseTime Helios, Microsoft Philly, and
// dcsim's own CSV) read into one plain list of jobs. See docs/traces.md for the formats.
#pragma once
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcsim::traces {

enum class TraceFormat { alibaba_2023, alibaba_2020, helios, philly, dcsim_csv };

// "alibaba-2023", "alibaba-2020", "helios", "philly", "csv"; nullopt for anything else.
std::optional<TraceFormat> parse_trace_format(std::string_view name);
std::string_view trace_format_name(TraceFormat format);
std::string trace_format_names();  // "alibaba-2023, alibaba-2020, helios, philly, csv" for messages

struct TraceJob {
  double submit_s = 0.0;    // seconds after the trace's first submission (0 for the first job)
  double gpus = 0.0;        // fractional for pods sharing one GPU (Alibaba gpu_milli, plan_gpu)
  double duration_s = 0.0;  // time the job holds its GPUs
  std::string tenant;
  std::string gpu_type;     // as written in the trace; may be empty or a '|'-separated list
  std::string id;
};

struct TraceRowProblem {
  int line = 0;      // 1-based line of the row (Philly: 1-based index of the job in the JSON array)
  std::string message;
  std::string path;  // the file holding the row (Alibaba 2020 reads two)
};

struct TraceLoadOptions {
  // Leave unreadable rows out (counted and listed) instead of failing the whole load.
  bool skip_bad_rows = false;
  // Alibaba 2020: the pai_task_table file; the path given to load_trace is pai_job_table.
  std::string task_table_path;
  // Keep jobs that ask for no GPU (gpus == 0); by default they are left out and counted.
  bool include_cpu_jobs = false;
  // Called every few thousand rows with the number of rows read so far; return false to cancel.
  std::function<bool(std::size_t rows_read)> progress;
};

struct TraceLoadResult {
  std::vector<TraceJob> jobs;  // sorted by submit_s, ties in file order; empty when !ok()
  std::vector<TraceRowProblem> problems;  // every unreadable row, in file order
  std::size_t rows_skipped = 0;           // rows left out because they could not be read
  std::size_t cpu_jobs_excluded = 0;      // readable jobs left out because they ask for no GPU
  // Fatal: missing or unreadable file, missing column, malformed CSV/JSON, cancelled, or bad
  // rows without skip_bad_rows (then the message names the first few with their line numbers).
  std::string error;
  bool ok() const { return error.empty(); }
};

TraceLoadResult load_trace(const std::string& path, TraceFormat format, const TraceLoadOptions& options = {});

// One node of the Alibaba 2023 node list (sn,cpu_milli,memory_mib,gpu,model).
struct TraceNode {
  std::string name;
  int gpus = 0;
  std::string model;  // empty for CPU-only nodes
  double cpu_milli = 0.0;
  double memory_mib = 0.0;
};

struct NodeListResult {
  std::vector<TraceNode> nodes;  // in file order
  std::vector<TraceRowProblem> problems;
  std::size_t rows_skipped = 0;
  std::string error;
  bool ok() const { return error.empty(); }
};

// Uses skip_bad_rows and progress from options; the other options do not apply.
NodeListResult load_alibaba_2023_nodes(const std::string& path, const TraceLoadOptions& options = {});

struct NodeGroup {
  std::size_t nodes = 0;
  long long gpus = 0;
};
// GPU model -> node count and GPU total. CPU-only nodes are grouped under "" (their model).
std::map<std::string, NodeGroup> summarise_nodes(const std::vector<TraceNode>& nodes);

// A point in time as traces write it: seconds as a number ("1585699210", "3.5e6") or an ISO date
// and time "2020-04-01 00:00:10" / "2020-04-01T00:00:10[.fraction]" read as UTC. Gives seconds
// since 1970-01-01; false for anything else.
bool parse_timestamp(std::string_view text, double& seconds);

}  // namespace dcsim::traces
