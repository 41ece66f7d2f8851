// Rendering and atomic writing of the results folder.
#include "reports/results_folder.h"

#include <unistd.h>

#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string_view>
#include <system_error>

#include "reports/text_format.h"
#include "sim/engine/calendar.h"

namespace dcsim::reports {

namespace fs = std::filesystem;

namespace {

class JsonObject {
 public:
  void add(const std::string& key, const std::string& raw_value) {
    out_ << (first_ ? "{\n" : ",\n") << "  " << json_string(key) << ": " << raw_value;
    first_ = false;
  }
  void add_number(const std::string& key, double v) { add(key, format_number(v)); }
  void add_integer(const std::string& key, long long v) { add(key, std::to_string(v)); }
  void add_text(const std::string& key, const std::string& v) { add(key, json_string(v)); }
  std::string str() const { return out_.str() + "\n}\n"; }

 private:
  std::ostringstream out_;
  bool first_ = true;
};

std::string render_summary(const run::RunResult& r, const std::string& resolved_yaml) {
  const model::ModelResults& m = r.model;
  const engine::Calendar calendar(r.scenario.start_unix_s);
  JsonObject j;
  j.add_text("scenario", r.scenario.name);
  j.add_text("scenario_sha256", sha256_hex(resolved_yaml));
  j.add("seed", std::to_string(r.scenario.seed));
  j.add_text("start", calendar.iso8601(0));
  j.add_number("horizon_hours", r.scenario.horizon_s / 3600.0);
  j.add_number("warmup_hours", r.scenario.warmup_s / 3600.0);
  j.add_number("simulated_hours", r.simulated_hours);
  j.add_text("stop_reason", model::to_string(m.stop_reason));
  j.add_integer("gpus", m.gpus_total);
  j.add_integer("jobs_submitted", static_cast<long long>(m.jobs_submitted));
  j.add_integer("jobs_started", static_cast<long long>(m.jobs_started));
  j.add_integer("jobs_completed", static_cast<long long>(m.jobs_completed));
  j.add_integer("jobs_timed_out", static_cast<long long>(m.jobs_timed_out));
  j.add_integer("jobs_rejected", static_cast<long long>(m.jobs_rejected));
  j.add_integer("jobs_running_at_end", static_cast<long long>(m.jobs_running_at_end));
  j.add_integer("jobs_waiting_at_end", static_cast<long long>(m.jobs_waiting_at_end));
  j.add_integer("jobs_measured", static_cast<long long>(m.jobs_measured));
  j.add_number("mean_wait_hours", m.mean_wait_hours);
  j.add_number("p95_wait_hours", m.p95_wait_hours);
  j.add_number("share_waited", m.share_waited);
  j.add_number("mean_run_hours", m.mean_run_hours);
  j.add_number("mean_queue_length", m.mean_queue_length);
  j.add_number("gpu_utilization", r.gpu_utilization);
  j.add_number("it_energy_mwh", r.it_energy_mwh);
  j.add_number("facility_energy_mwh", r.facility_energy_mwh);
  j.add("total_cost_usd", format_cents(r.total_cost_cents));
  j.add_integer("events", static_cast<long long>(m.events));
  j.add_number("events_per_second", r.wall_seconds > 0 ? static_cast<double>(m.events) / r.wall_seconds : 0.0);
  j.add_number("wall_seconds", r.wall_seconds);
  j.add_text("fingerprint", m.fingerprint);
  j.add_text("dcsim_version", DCSIM_VERSION);
  j.add_integer("format_version", kFormatVersion);
  return j.str();
}

std::string render_timeseries(const run::RunResult& r) {
  const engine::Calendar calendar(r.scenario.start_unix_s);
  std::string out = "time,gpus_total,gpus_busy,utilization,it_power_kw,facility_power_kw,queue_length,queued_gpus,running_jobs\n";
  for (const model::IntervalRow& h : r.model.hours) {
    out += calendar.iso8601(h.start);
    for (double v : {h.gpus_total, h.gpus_busy, h.gpus_total > 0 ? h.gpus_busy / h.gpus_total : 0.0, h.it_power_kw,
                     h.facility_power_kw, h.queue_length, h.queued_gpus, h.running_jobs}) {
      out += ',';
      out += format_number(v);
    }
    out += '\n';
  }
  return out;
}

std::string render_costs(const run::RunResult& r) {
  std::string out = "month,category,site,tenant,amount_usd\n";
  for (const finance::MonthlyCost& c : r.monthly_costs) {
    out += engine::Calendar::month_label(c.month) + ',' + csv_field(c.category) + ',' + csv_field(c.site) + ',' +
           csv_field(c.tenant) + ',' + format_cents(c.cents) + '\n';
  }
  return out;
}

std::string render_jobs(const run::RunResult& r) {
  const engine::Calendar calendar(r.scenario.start_unix_s);
  std::string out = "job_id,workload,tenant,gpus,arrival,start,end,wait_hours,run_hours,state\n";
  for (const model::JobRecord& j : r.model.jobs) {
    out += std::to_string(j.job_id) + ',' + csv_field(r.workload_names[j.workload]) + ',' +
           csv_field(r.workload_tenants[j.workload]) + ',' + std::to_string(j.gpus) + ',' + calendar.iso8601(j.arrival) +
           ',';
    if (j.start >= 0) out += calendar.iso8601(j.start);
    out += ',';
    if (j.end >= 0) out += calendar.iso8601(j.end);
    out += ',';
    if (j.start >= 0) out += format_number(engine::to_hours(j.start - j.arrival));
    out += ',';
    if (j.start >= 0 && j.end >= 0) out += format_number(engine::to_hours(j.end - j.start));
    out += ',';
    out += model::to_string(j.state);
    out += '\n';
  }
  return out;
}

// Joins message parts; also sidesteps GCC 12's false -Wrestrict warning on "literal" + std::string.
std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out.append(p);
  return out;
}

bool write_file(const fs::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  return static_cast<bool>(f);
}

}  // namespace

ResultsFiles render_results(const run::RunResult& result, const std::string& resolved_yaml) {
  ResultsFiles files;
  files.summary_json = render_summary(result, resolved_yaml);
  files.resolved_yaml = resolved_yaml;
  files.timeseries_csv = render_timeseries(result);
  files.cost_monthly_csv = render_costs(result);
  if (result.jobs_recorded) files.jobs_csv = render_jobs(result);
  return files;
}

std::string folder_name_for(const std::string& scenario_name) {
  std::string out;
  for (unsigned char c : scenario_name) {
    if (std::isalnum(c)) {
      out += static_cast<char>(std::tolower(c));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "scenario" : out;
}

bool is_results_folder(const fs::path& dir) {
  std::ifstream f(dir / "summary.json");
  if (!f) return false;
  std::stringstream text;
  text << f.rdbuf();
  return text.str().find("\"dcsim_version\"") != std::string::npos;
}

WriteOutcome write_results_folder(const ResultsFiles& files, const fs::path& target, bool replace_existing) {
  std::error_code ec;
  const bool exists = fs::exists(target, ec);
  if (exists) {
    if (!replace_existing) {
      return {false, cat({"'", target.string(), "' already exists; use --force to replace an earlier dcsim results folder"})};
    }
    if (!fs::is_directory(target, ec) || !is_results_folder(target)) {
      return {false, cat({"'", target.string(), "' exists and is not a dcsim results folder; it is left untouched"})};
    }
  }
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  if (ec) return {false, cat({"cannot create '", parent.string(), "': ", ec.message()})};
  const std::string stem = cat({".", target.filename().string()});
  const std::string pid = std::to_string(::getpid());
  const fs::path tmp = parent / cat({stem, ".tmp-", pid});
  fs::remove_all(tmp, ec);
  fs::create_directory(tmp, ec);
  if (ec) return {false, cat({"cannot create '", tmp.string(), "': ", ec.message()})};
  bool ok = write_file(tmp / "summary.json", files.summary_json) &&
            write_file(tmp / "scenario.resolved.yaml", files.resolved_yaml) &&
            write_file(tmp / "timeseries.csv", files.timeseries_csv) &&
            write_file(tmp / "cost_monthly.csv", files.cost_monthly_csv);
  if (ok && !files.jobs_csv.empty()) ok = write_file(tmp / "jobs.csv", files.jobs_csv);
  if (!ok) {
    fs::remove_all(tmp, ec);
    return {false, cat({"cannot write the results into '", tmp.string(), "'"})};
  }
  if (exists) {
    const fs::path old = parent / cat({stem, ".old-", pid});
    fs::remove_all(old, ec);
    fs::rename(target, old, ec);
    if (ec) {
      fs::remove_all(tmp, ec);
      return {false, cat({"cannot move the earlier results folder aside: ", ec.message()})};
    }
    fs::rename(tmp, target, ec);
    if (ec) {
      std::error_code ignored;
      fs::rename(old, target, ignored);
      fs::remove_all(tmp, ignored);
      return {false, cat({"cannot rename the new results into place: ", ec.message()})};
    }
    fs::remove_all(old, ec);
  } else {
    fs::rename(tmp, target, ec);
    if (ec) {
      std::error_code ignored;
      fs::remove_all(tmp, ignored);
      return {false, cat({"cannot rename the results into '", target.string(), "': ", ec.message()})};
    }
  }
  return {true, ""};
}

}  // namespace dcsim::reports
