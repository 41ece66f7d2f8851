// Each trace format: the shipped Alibaba 2023 lists (read in place, checked against counts this
// test computes with a naive split), and small files in each documented schema written here.
#include "sim/traces/trace.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "tests/support/scratch_dir.h"

namespace dcsim::traces {
namespace {

const std::string data_dir = DCSIM_SHARED_DATA;

// The shipped lists contain no quotes, so splitting on ',' is enough here.
std::vector<std::vector<std::string>> naive_rows(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream ss(line);
    std::string f;
    while (std::getline(ss, f, ',')) fields.push_back(f);
    if (!line.empty() && line.back() == ',') fields.push_back("");
    rows.push_back(fields);
  }
  return rows;
}

double sum_gpus(const std::vector<TraceJob>& jobs) {
  double total = 0.0;
  for (const TraceJob& j : jobs) total += j.gpus;
  return total;
}

// ---- formats -----------------------------------------------------------------------------------

TEST(TraceFormat, NamesRoundTrip) {
  for (const char* name : {"alibaba-2023", "alibaba-2020", "helios", "philly", "csv"}) {
    const auto format = parse_trace_format(name);
    ASSERT_TRUE(format.has_value()) << name;
    EXPECT_EQ(trace_format_name(*format), name);
  }
  EXPECT_FALSE(parse_trace_format("alibaba").has_value());
  EXPECT_FALSE(parse_trace_format("CSV").has_value());
}

TEST(ParseTimestamp, SecondsAndIsoDates) {
  double s = 0.0;
  EXPECT_TRUE(parse_timestamp("1585699210", s));
  EXPECT_EQ(s, 1585699210.0);
  EXPECT_TRUE(parse_timestamp("2020-04-01 00:00:10", s));
  EXPECT_EQ(s, 1585699210.0);
  EXPECT_TRUE(parse_timestamp("2020-04-01T00:00:10.5Z", s));
  EXPECT_EQ(s, 1585699210.5);
  EXPECT_TRUE(parse_timestamp("2017-10-03 04:31:38", s));
  EXPECT_EQ(s, 1507005098.0);
  EXPECT_TRUE(parse_timestamp("2020-02-29 00:00:00", s));
  for (const char* bad : {"", "None", "2020-04-01", "2020-13-01 00:00:00", "2019-02-29 00:00:00",
                          "2020-04-01 24:00:00", "2020-04-01 00:00:10x", "2020/04/01 00:00:10"}) {
    EXPECT_FALSE(parse_timestamp(bad, s)) << bad;
  }
}

// ---- Alibaba 2023, the shipped files -----------------------------------------------------------

TEST(Alibaba2023, ShippedPodListMatchesANaiveCount) {
  const std::string path = data_dir + "/alibaba-gpu-v2023/openb_pod_list_default.csv";
  // Columns: name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
  std::size_t gpu_pods = 0, cpu_pods = 0;
  double gpus = 0.0, durations = 0.0, first = 1e300, last = -1e300;
  std::map<std::string, std::size_t> by_qos;
  for (const auto& f : naive_rows(path)) {
    ASSERT_EQ(f.size(), 11u);
    const double num = std::stod(f[3]), milli = std::stod(f[4]);
    if (num == 0) {
      ++cpu_pods;
      continue;
    }
    ++gpu_pods;
    gpus += (num == 1 && milli < 1000) ? milli / 1000 : num;
    const double start = f[10].empty() ? std::stod(f[8]) : std::stod(f[10]);
    durations += std::stod(f[9]) - start;
    first = std::min(first, std::stod(f[8]));
    last = std::max(last, std::stod(f[8]));
    ++by_qos[f[6]];
  }
  // The same numbers from awk over the file, as a check on the naive count itself.
  EXPECT_EQ(gpu_pods, 7064u);
  EXPECT_EQ(cpu_pods, 1088u);

  const TraceLoadResult r = load_trace(path, TraceFormat::alibaba_2023);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(r.problems.empty());
  EXPECT_EQ(r.rows_skipped, 0u);
  EXPECT_EQ(r.jobs.size(), gpu_pods);
  EXPECT_EQ(r.cpu_jobs_excluded, cpu_pods);
  EXPECT_NEAR(sum_gpus(r.jobs), gpus, 1e-6);
  EXPECT_NEAR(sum_gpus(r.jobs), 6086.8, 1e-6);
  double loaded_durations = 0.0;
  std::map<std::string, std::size_t> loaded_qos;
  for (const TraceJob& j : r.jobs) {
    loaded_durations += j.duration_s;
    ++loaded_qos[j.tenant];
    EXPECT_GE(j.duration_s, 0.0);
  }
  EXPECT_EQ(loaded_durations, durations);
  EXPECT_EQ(loaded_durations, 191534921.0);
  EXPECT_EQ(loaded_qos, by_qos);
  EXPECT_EQ(r.jobs.front().submit_s, 0.0);
  EXPECT_EQ(r.jobs.back().submit_s, last - first);
  for (std::size_t i = 1; i < r.jobs.size(); ++i) ASSERT_LE(r.jobs[i - 1].submit_s, r.jobs[i].submit_s);
  // The first row: openb-pod-0000,12000,16384,1,1000,,LS,Running,0,12537496,0
  EXPECT_EQ(r.jobs.front().id, "openb-pod-0000");
  EXPECT_EQ(r.jobs.front().gpus, 1.0);
  EXPECT_EQ(r.jobs.front().duration_s, 12537496.0);
  EXPECT_EQ(r.jobs.front().tenant, "LS");

  TraceLoadOptions with_cpu;
  with_cpu.include_cpu_jobs = true;
  const TraceLoadResult all = load_trace(path, TraceFormat::alibaba_2023, with_cpu);
  ASSERT_TRUE(all.ok()) << all.error;
  EXPECT_EQ(all.jobs.size(), gpu_pods + cpu_pods);
  EXPECT_EQ(all.cpu_jobs_excluded, 0u);
}

TEST(Alibaba2023, PodListWithoutTimesIsAnErrorNamingTheColumn) {
  const TraceLoadResult r =
      load_trace(data_dir + "/alibaba-gpu-v2023/openb_pod_list_multigpu50.csv", TraceFormat::alibaba_2023);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("missing columns creation_time,deletion_time"), std::string::npos) << r.error;
  EXPECT_TRUE(r.jobs.empty());
}

TEST(Alibaba2023, ShippedNodeListsMatchANaiveCount) {
  for (const char* name : {"openb_node_list_all_node.csv", "openb_node_list_gpu_node.csv"}) {
    const std::string path = data_dir + "/alibaba-gpu-v2023/" + name;
    std::map<std::string, NodeGroup> expected;
    std::size_t rows = 0;
    for (const auto& f : naive_rows(path)) {
      ASSERT_EQ(f.size(), 5u);
      ++rows;
      ++expected[f[4]].nodes;
      expected[f[4]].gpus += std::stoll(f[3]);
    }
    const NodeListResult r = load_alibaba_2023_nodes(path);
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.nodes.size(), rows) << name;
    const auto groups = summarise_nodes(r.nodes);
    ASSERT_EQ(groups.size(), expected.size()) << name;
    for (const auto& [model, group] : expected) {
      ASSERT_TRUE(groups.count(model)) << model;
      EXPECT_EQ(groups.at(model).nodes, group.nodes) << model;
      EXPECT_EQ(groups.at(model).gpus, group.gpus) << model;
    }
    // From awk over the file: 549 G2 nodes with 4392 GPUs, 404 T4 nodes with 842.
    EXPECT_EQ(groups.at("G2").nodes, 549u);
    EXPECT_EQ(groups.at("G2").gpus, 4392);
    EXPECT_EQ(groups.at("T4").gpus, 842);
  }
  const NodeListResult all = load_alibaba_2023_nodes(data_dir + "/alibaba-gpu-v2023/openb_node_list_all_node.csv");
  EXPECT_EQ(all.nodes.size(), 1523u);
  EXPECT_EQ(summarise_nodes(all.nodes).at("").nodes, 310u);  // CPU-only nodes
  EXPECT_EQ(all.nodes[1].name, "openb-node-0001");
  EXPECT_EQ(all.nodes[1].cpu_milli, 32000.0);
}

TEST(Alibaba2023, NodeListBadRows) {
  test_support::ScratchDir dir;
  const std::string path = dir.write("nodes.csv", "sn,cpu_milli,memory_mib,gpu,model\nn0,1000,1024,8,A100\nn1,1000,1024,2.5,T4\nn2,1000,1024,x,T4\n");
  const NodeListResult strict = load_alibaba_2023_nodes(path);
  EXPECT_FALSE(strict.ok());
  EXPECT_NE(strict.error.find("2 rows"), std::string::npos) << strict.error;
  EXPECT_NE(strict.error.find(":3: gpu"), std::string::npos) << strict.error;
  TraceLoadOptions skip;
  skip.skip_bad_rows = true;
  const NodeListResult lenient = load_alibaba_2023_nodes(path, skip);
  ASSERT_TRUE(lenient.ok());
  ASSERT_EQ(lenient.nodes.size(), 1u);
  EXPECT_EQ(lenient.rows_skipped, 2u);
  ASSERT_EQ(lenient.problems.size(), 2u);
  EXPECT_EQ(lenient.problems[0].line, 3);
  EXPECT_EQ(lenient.problems[1].line, 4);
}

// ---- Alibaba 2023, the documented choices -------------------------------------------------------

const char* const pod_header =
    "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n";

TEST(Alibaba2023, SharedGpusUnscheduledAndOpenEndedPods) {
  test_support::ScratchDir dir;
  const std::string path = dir.write("pods.csv", std::string(pod_header) +
                                                     "p0,1000,1024,1,250,,BE,Running,100,400,150\n"            // shared GPU
                                                     "p1,1000,1024,8,1000,V100M16|V100M32,LS,Succeeded,110,1110,120\n"
                                                     "p2,1000,1024,0,0,,BE,Running,120,200,120\n"              // CPU only
                                                     "p3,1000,1024,2,1000,,LS,Pending,130,330,\n"              // never scheduled
                                                     "p4,1000,1024,1,1000,,LS,Running,140,,160\n"              // no deletion
                                                     "p5,1000,1024,4,,,LS,Running,90,2000,95\n");              // empty gpu_milli
  const TraceLoadResult r = load_trace(path, TraceFormat::alibaba_2023);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.cpu_jobs_excluded, 1u);
  ASSERT_EQ(r.jobs.size(), 5u);
  // Sorted by creation time (p5 first), relative to it.
  EXPECT_EQ(r.jobs[0].id, "p5");
  EXPECT_EQ(r.jobs[0].submit_s, 0.0);
  EXPECT_EQ(r.jobs[0].gpus, 4.0);
  EXPECT_EQ(r.jobs[1].id, "p0");
  EXPECT_EQ(r.jobs[1].submit_s, 10.0);
  EXPECT_EQ(r.jobs[1].gpus, 0.25);
  EXPECT_EQ(r.jobs[1].duration_s, 250.0);  // deletion - scheduled
  EXPECT_EQ(r.jobs[1].tenant, "BE");
  EXPECT_EQ(r.jobs[2].gpu_type, "V100M16|V100M32");
  EXPECT_EQ(r.jobs[2].duration_s, 990.0);
  EXPECT_EQ(r.jobs[3].id, "p3");
  EXPECT_EQ(r.jobs[3].duration_s, 200.0);  // never scheduled: deletion - creation
  EXPECT_EQ(r.jobs[4].id, "p4");
  EXPECT_EQ(r.jobs[4].duration_s, 2000.0 - 160.0);  // open-ended: until the trace's last timestamp
}

TEST(Alibaba2023, BadRowsAreReportedByLine) {
  test_support::ScratchDir dir;
  const std::string path = dir.write("pods.csv", std::string(pod_header) +
                                                     "ok,1,1,1,1000,,LS,Running,0,10,0\n"
                                                     "neg,1,1,-1,1000,,LS,Running,0,10,0\n"          // line 3
                                                     "\"quoted\nname\",1,1,1,1000,,LS,Running,0,10,0\n"  // lines 4-5: fine
                                                     "frac,1,1,1.5,1000,,LS,Running,0,10,0\n"        // line 6
                                                     "milli,1,1,1,0,,LS,Running,0,10,0\n"            // line 7
                                                     "early,1,1,1,1000,,LS,Running,50,10,50\n"       // line 8
                                                     "short,1,1,1,1000\n"                            // line 9
                                                     "notime,1,1,1,1000,,LS,Running,x,10,0\n"        // line 10
                                                     "cpu,1,1,0,0,,LS,Running,x,y,z\n");             // CPU: not checked
  const TraceLoadResult strict = load_trace(path, TraceFormat::alibaba_2023);
  EXPECT_FALSE(strict.ok());
  EXPECT_TRUE(strict.jobs.empty());
  EXPECT_NE(strict.error.find("6 rows cannot be read"), std::string::npos) << strict.error;
  EXPECT_NE(strict.error.find("pods.csv:3: num_gpu: '-1' is negative"), std::string::npos) << strict.error;
  EXPECT_NE(strict.error.find("and 1 more"), std::string::npos) << strict.error;
  ASSERT_EQ(strict.problems.size(), 6u);

  TraceLoadOptions skip;
  skip.skip_bad_rows = true;
  const TraceLoadResult lenient = load_trace(path, TraceFormat::alibaba_2023, skip);
  ASSERT_TRUE(lenient.ok()) << lenient.error;
  EXPECT_EQ(lenient.jobs.size(), 2u);
  EXPECT_EQ(lenient.jobs[1].id, "quoted\nname");
  EXPECT_EQ(lenient.rows_skipped, 6u);
  std::vector<int> lines;
  for (const auto& p : lenient.problems) lines.push_back(p.line);
  EXPECT_EQ(lines, (std::vector<int>{3, 6, 7, 8, 9, 10}));
  EXPECT_NE(lenient.problems[4].message.find("has 5 fields, expected 11"), std::string::npos);
}

TEST(Alibaba2023, MissingFileAndMalformedCsvAreFatal) {
  test_support::ScratchDir dir;
  const TraceLoadResult missing = load_trace(dir.path("none.csv"), TraceFormat::alibaba_2023);
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.error.find("none.csv"), std::string::npos);
  TraceLoadOptions skip;
  skip.skip_bad_rows = true;
  const TraceLoadResult broken = load_trace(
      dir.write("broken.csv", std::string(pod_header) + "a,1,1,1,1000,\"open,LS,Running,0,10,0\n"),
      TraceFormat::alibaba_2023, skip);
  EXPECT_FALSE(broken.ok());
  EXPECT_NE(broken.error.find("broken.csv: line 2: unterminated"), std::string::npos) << broken.error;
}

TEST(Alibaba2023, ProgressCanCancel) {
  TraceLoadOptions options;
  std::size_t calls = 0;
  options.progress = [&](std::size_t rows) {
    ++calls;
    EXPECT_EQ(rows, 4096u);
    return false;
  };
  const TraceLoadResult r =
      load_trace(data_dir + "/alibaba-gpu-v2023/openb_pod_list_default.csv", TraceFormat::alibaba_2023, options);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("cancelled after 4096 rows"), std::string::npos) << r.error;
  EXPECT_EQ(calls, 1u);
  EXPECT_TRUE(r.jobs.empty());
}

// ---- Alibaba 2020 ------------------------------------------------------------------------------

const char* const task_rows =
    "j1,worker,2,Terminated,1000,1600,600,29.3,100,V100\n"
    "j1,ps,1,Terminated,990,1700,300,10,,\n"               // CPU task: no GPU
    "j2,tensorflow,1,Terminated,2000,2100,600,29.3,50,T4\n"
    "j3,worker,4,Terminated,,,600,29.3,25,MISC\n"          // no task times: job times used
    "j4,worker,1,Terminated,3000,3100,600,29.3,,\n"        // CPU job
    "orphan,worker,1,Terminated,1,2,1,1,100,T4\n";        // no job row: ignored
const char* const job_rows =
    "j1,i1,alice,Terminated,980,1800\n"
    "j2,i2,bob,Terminated,1990,2200\n"
    "j3,i3,alice,Failed,500,900\n"
    "j4,i4,carol,Terminated,3000,3100\n";

TEST(Alibaba2020, JoinsJobsWithTheirTasksWithAndWithoutHeaders) {
  test_support::ScratchDir dir;
  const std::string task_header = "job_name,task_name,inst_num,status,start_time,end_time,plan_cpu,plan_mem,plan_gpu,gpu_type\n";
  const std::string job_header = "job_name,inst_id,user,status,start_time,end_time\n";
  for (bool headers : {false, true}) {
    TraceLoadOptions options;
    options.task_table_path = dir.write("tasks.csv", (headers ? task_header : "") + task_rows);
    const std::string jobs = dir.write("jobs.csv", (headers ? job_header : "") + job_rows);
    const TraceLoadResult r = load_trace(jobs, TraceFormat::alibaba_2020, options);
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.cpu_jobs_excluded, 1u);
    ASSERT_EQ(r.jobs.size(), 3u);
    EXPECT_EQ(r.jobs[0].id, "j3");  // submitted first (500)
    EXPECT_EQ(r.jobs[0].gpus, 1.0);  // 4 x 25%
    EXPECT_EQ(r.jobs[0].duration_s, 400.0);  // job end - start
    EXPECT_EQ(r.jobs[0].gpu_type, "MISC");
    EXPECT_EQ(r.jobs[1].id, "j1");
    EXPECT_EQ(r.jobs[1].submit_s, 480.0);
    EXPECT_EQ(r.jobs[1].gpus, 2.0);
    EXPECT_EQ(r.jobs[1].duration_s, 710.0);  // last task end 1700 - first task start 990
    EXPECT_EQ(r.jobs[1].tenant, "alice");
    EXPECT_EQ(r.jobs[1].gpu_type, "V100");
    EXPECT_EQ(r.jobs[2].gpus, 0.5);
    EXPECT_EQ(r.jobs[2].tenant, "bob");
  }
}

TEST(Alibaba2020, NeedsTheTaskTableAndReportsBadRowsInBothFiles) {
  test_support::ScratchDir dir;
  const std::string jobs = dir.write("jobs.csv", std::string(job_rows) + "j9,i9,dave,Terminated,1,2\n");
  const TraceLoadResult no_tasks = load_trace(jobs, TraceFormat::alibaba_2020);
  EXPECT_FALSE(no_tasks.ok());
  EXPECT_NE(no_tasks.error.find("task table"), std::string::npos) << no_tasks.error;

  TraceLoadOptions options;
  options.task_table_path = dir.write("tasks.csv", std::string(task_rows) + "j2,extra,x,Terminated,1,2,1,1,100,T4\n");
  options.skip_bad_rows = true;
  const TraceLoadResult r = load_trace(jobs, TraceFormat::alibaba_2020, options);
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.problems.size(), 3u);
  EXPECT_EQ(r.problems[0].path, options.task_table_path);
  EXPECT_EQ(r.problems[0].line, 7);
  EXPECT_EQ(r.problems[1].path, jobs);
  EXPECT_EQ(r.problems[1].line, 2);  // j2, whose task could not be read
  EXPECT_NE(r.problems[1].message.find(options.task_table_path + ":7"), std::string::npos);
  EXPECT_EQ(r.problems[2].line, 5);  // j9 has no task
  EXPECT_EQ(r.rows_skipped, 3u);
  EXPECT_EQ(r.jobs.size(), 2u);
}

// ---- Helios ------------------------------------------------------------------------------------

TEST(Helios, IsoAndUnixTimesDurationFallbackAndCpuJobs) {
  test_support::ScratchDir dir;
  const std::string path = dir.write(
      "cluster_log.csv",
      "job_id,user,vc,gpu_num,cpu_num,node_num,state,submit_time,start_time,end_time,duration,queue\n"
      "a,u1,vcA,8,64,1,COMPLETED,2020-04-01 00:00:10,2020-04-01 00:01:10,2020-04-01 01:01:10,3600,60\n"
      "b,u2,vcB,0,4,1,COMPLETED,2020-04-01 00:00:20,2020-04-01 00:00:20,2020-04-01 00:10:20,600,0\n"
      "c,u2,vcB,2,8,1,FAILED,1585699215,1585699300,1585699400,,85\n"
      "d,u3,vcA,1,8,1,CANCELLED,2020-04-01 00:00:30,,,0,0\n"
      "e,u3,vcA,1,8,1,CANCELLED,2020-04-01 00:00:40,,,,0\n");  // line 6: no duration, no times
  const TraceLoadResult strict = load_trace(path, TraceFormat::helios);
  EXPECT_FALSE(strict.ok());
  EXPECT_NE(strict.error.find("cluster_log.csv:6: start_time: empty (and duration is empty)"), std::string::npos)
      << strict.error;
  TraceLoadOptions options;
  options.skip_bad_rows = true;
  const TraceLoadResult r = load_trace(path, TraceFormat::helios, options);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.rows_skipped, 1u);
  EXPECT_EQ(r.cpu_jobs_excluded, 1u);
  ASSERT_EQ(r.jobs.size(), 3u);
  EXPECT_EQ(r.jobs[0].id, "a");
  EXPECT_EQ(r.jobs[0].gpus, 8.0);
  EXPECT_EQ(r.jobs[0].duration_s, 3600.0);
  EXPECT_EQ(r.jobs[0].tenant, "vcA");
  EXPECT_EQ(r.jobs[1].id, "c");
  EXPECT_EQ(r.jobs[1].submit_s, 5.0);  // 1585699215 is 2020-04-01 00:00:15 UTC
  EXPECT_EQ(r.jobs[1].duration_s, 100.0);
  EXPECT_EQ(r.jobs[2].id, "d");
  EXPECT_EQ(r.jobs[2].duration_s, 0.0);

  options.include_cpu_jobs = true;
  EXPECT_EQ(load_trace(path, TraceFormat::helios, options).jobs.size(), 4u);
}

// ---- Philly ------------------------------------------------------------------------------------

TEST(Philly, JsonJobLog) {
  test_support::ScratchDir dir;
  const std::string path = dir.write("cluster_job_log", R"([
  {"status": "Pass", "vc": "6214e9", "jobid": "application_1", "user": "u1",
   "submitted_time": "2017-10-03 04:31:38",
   "attempts": [
     {"start_time": "2017-10-03 04:31:40", "end_time": "2017-10-03 04:32:40",
      "detail": [{"ip": "m1", "gpus": ["gpu0", "gpu1"]}, {"ip": "m2", "gpus": ["gpu0"]}]},
     {"start_time": "2017-10-03 05:00:00", "end_time": "2017-10-03 05:31:40",
      "detail": [{"ip": "m3", "gpus": ["gpu0"]}]}]},
  {"status": "Killed", "vc": "b436b2", "jobid": "application_2", "user": "u2",
   "submitted_time": "2017-10-03 04:30:00", "attempts": []},
  {"status": "Failed", "vc": "b436b2", "jobid": "application_3", "user": "u2",
   "submitted_time": "2017-10-03 04:30:38",
   "attempts": [{"start_time": "2017-10-03 04:30:40", "end_time": "None",
                 "detail": [{"ip": "m1", "gpus": ["gpu3"]}]}]},
  {"status": "Pass", "vc": "b436b2", "jobid": "application_4", "user": "u3",
   "submitted_time": "2017-10-03 04:30:00",
   "attempts": [{"start_time": "2017-10-03 04:30:01", "end_time": "2017-10-03 04:30:11",
                 "detail": [{"ip": "m9", "gpus": ["gpu0", "gpu1", "gpu2", "gpu3"]}]}]}
])");
  const TraceLoadResult strict = load_trace(path, TraceFormat::philly);
  EXPECT_FALSE(strict.ok());
  EXPECT_NE(strict.error.find("2 rows"), std::string::npos) << strict.error;
  EXPECT_NE(strict.error.find("cluster_job_log:2: job 2: the job has no attempts"), std::string::npos) << strict.error;

  TraceLoadOptions options;
  options.skip_bad_rows = true;
  const TraceLoadResult r = load_trace(path, TraceFormat::philly, options);
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].line, 2);
  EXPECT_EQ(r.problems[1].line, 3);
  EXPECT_NE(r.problems[1].message.find("end_time is missing or None"), std::string::npos);
  ASSERT_EQ(r.jobs.size(), 2u);
  EXPECT_EQ(r.jobs[0].id, "application_4");
  EXPECT_EQ(r.jobs[0].submit_s, 0.0);
  EXPECT_EQ(r.jobs[0].gpus, 4.0);
  EXPECT_EQ(r.jobs[0].duration_s, 10.0);
  EXPECT_EQ(r.jobs[1].id, "application_1");
  EXPECT_EQ(r.jobs[1].submit_s, 98.0);
  EXPECT_EQ(r.jobs[1].gpus, 3.0);                        // first attempt: 2 + 1 GPUs
  EXPECT_EQ(r.jobs[1].duration_s, 3600.0);               // 04:31:40 to 05:31:40
  EXPECT_EQ(r.jobs[1].tenant, "6214e9");
}

TEST(Philly, MalformedJsonIsFatal) {
  test_support::ScratchDir dir;
  const TraceLoadResult r = load_trace(dir.write("log.json", "[{\"jobid\": 1,"), TraceFormat::philly);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("not valid JSON"), std::string::npos) << r.error;
  const TraceLoadResult object = load_trace(dir.write("obj.json", "{}"), TraceFormat::philly);
  EXPECT_NE(object.error.find("JSON array"), std::string::npos) << object.error;
}

// ---- dcsim CSV ---------------------------------------------------------------------------------

TEST(DcsimCsv, PlainSecondsWithOptionalColumns) {
  test_support::ScratchDir dir;
  const std::string path = dir.write("jobs.csv",
                                     "submit_s,gpus,duration_s,tenant,gpu_type\r\n"
                                     "100,8,21600,research,H100\r\n"
                                     "100,0.5,60,\"inference, batch\",\r\n"
                                     "50,16,3600,research,H100\r\n"
                                     "60,0,10,cpu,\r\n");
  const TraceLoadResult r = load_trace(path, TraceFormat::dcsim_csv);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.cpu_jobs_excluded, 1u);
  ASSERT_EQ(r.jobs.size(), 3u);
  EXPECT_EQ(r.jobs[0].gpus, 16.0);
  EXPECT_EQ(r.jobs[0].id, "3");  // no id column: the row number
  EXPECT_EQ(r.jobs[1].submit_s, 50.0);
  EXPECT_EQ(r.jobs[1].gpus, 8.0);  // ties keep file order
  EXPECT_EQ(r.jobs[2].tenant, "inference, batch");
  EXPECT_EQ(r.jobs[2].gpu_type, "");

  const TraceLoadResult minimal = load_trace(dir.write("min.csv", "gpus,duration_s,submit_s\n1,2,3\n"), TraceFormat::dcsim_csv);
  ASSERT_TRUE(minimal.ok()) << minimal.error;
  EXPECT_EQ(minimal.jobs[0].duration_s, 2.0);
  EXPECT_EQ(minimal.jobs[0].tenant, "");
}

TEST(DcsimCsv, MissingColumnsAndBadValues) {
  test_support::ScratchDir dir;
  const TraceLoadResult missing = load_trace(dir.write("m.csv", "submit,gpus,duration\n0,1,1\n"), TraceFormat::dcsim_csv);
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.error.find("m.csv:1: missing columns submit_s,duration_s (the header has submit,gpus,duration)"),
            std::string::npos)
      << missing.error;
  const TraceLoadResult bad = load_trace(
      dir.write("b.csv", "submit_s,gpus,duration_s\n0,1,1\n0 s,1,1\n0,nan,1\n0,1,-5\n0,1,inf\n"), TraceFormat::dcsim_csv);
  EXPECT_FALSE(bad.ok());
  ASSERT_EQ(bad.problems.size(), 4u);
  EXPECT_EQ(bad.problems[0].line, 3);
  EXPECT_EQ(bad.problems[0].message, "submit_s: '0 s' is not a number");
  EXPECT_EQ(bad.problems[1].message, "gpus: 'nan' is not a number");
  EXPECT_EQ(bad.problems[2].message, "duration_s: '-5' is negative");
  EXPECT_EQ(bad.problems[3].line, 6);
}

}  // namespace
}  // namespace dcsim::traces
