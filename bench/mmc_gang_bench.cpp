// The mmc-gang reference workload (../shared/benchmarks/mmc-gang.md) three ways, in one binary
// so that their ratio is measured on the same machine in the same run:
//  - HandWrittenLoop: a bare 4-ary-heap loop of the model (no engine, no scenario): the
//    practical limit;
//  - ScenarioRun: the shipped scenarios/reference/mmc-gang.yaml through dcsim's engine and
//    model, as `dcsim run` does it (loading and building excluded from the timing).
// Both report events per second (arrivals + completions). The target (issue #9): ScenarioRun at
// least 0.7 of HandWrittenLoop.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/engine/random.h"
#include "sim/run/run.h"
#include "sim/scenario/loader.h"

namespace {

constexpr std::uint64_t kJobs = 500'000;

// Exactly the model of the reference: C single-GPU servers, gang sizes 1/2/4/8 with
// probabilities .5/.2/.15/.15, exponential service of mean 1 h, Poisson arrivals at 80,000/day,
// one strict FIFO queue, stop after N completions.
std::uint64_t hand_written_mmc_gang(std::uint64_t jobs_to_complete) {
  struct Ev {
    double time;
    std::uint64_t seq;
    int gpus;  // 0: arrival
  };
  std::vector<Ev> heap;
  heap.reserve(1 << 16);
  auto less = [](const Ev& a, const Ev& b) { return a.time < b.time || (a.time == b.time && a.seq < b.seq); };
  auto push = [&](Ev e) {
    std::size_t i = heap.size();
    heap.push_back(e);
    while (i > 0) {
      const std::size_t p = (i - 1) / 4;
      if (!less(heap[i], heap[p])) break;
      std::swap(heap[i], heap[p]);
      i = p;
    }
  };
  auto pop = [&]() {
    Ev top = heap[0];
    heap[0] = heap.back();
    heap.pop_back();
    std::size_t i = 0;
    const std::size_t n = heap.size();
    for (;;) {
      const std::size_t c = 4 * i + 1;
      if (c >= n) break;
      std::size_t m = c;
      for (std::size_t k = c + 1; k < c + 4 && k < n; ++k) {
        if (less(heap[k], heap[m])) m = k;
      }
      if (!less(heap[m], heap[i])) break;
      std::swap(heap[m], heap[i]);
      i = m;
    }
    return top;
  };
  dcsim::engine::RandomStream arrivals(1, "arrivals"), sizes(1, "sizes"), service(1, "service");
  const double lambda_per_h = 80000.0 / 24.0;
  int free_gpus = 10000;
  std::vector<int> fifo(1 << 20);
  std::size_t head = 0, tail = 0;
  std::uint64_t seq = 0, completed = 0, events = 0;
  push({-std::log(arrivals.uniform01()) / lambda_per_h, seq++, 0});
  while (completed < jobs_to_complete) {
    const Ev e = pop();
    ++events;
    if (e.gpus == 0) {
      push({e.time - std::log(arrivals.uniform01()) / lambda_per_h, seq++, 0});
      const double u = sizes.uniform01();
      fifo[tail++ & (fifo.size() - 1)] = u < 0.5 ? 1 : u < 0.7 ? 2 : u < 0.85 ? 4 : 8;
    } else {
      free_gpus += e.gpus;
      ++completed;
    }
    while (head != tail && fifo[head & (fifo.size() - 1)] <= free_gpus) {
      const int g = fifo[head++ & (fifo.size() - 1)];
      free_gpus -= g;
      push({e.time - std::log(service.uniform01()), seq++, g});
    }
  }
  return events;
}

void HandWrittenLoop(benchmark::State& state) {
  std::uint64_t events = 0;
  for (auto _ : state) {
    events += hand_written_mmc_gang(kJobs);
  }
  state.counters["events_per_second"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}
BENCHMARK(HandWrittenLoop)->Unit(benchmark::kMillisecond)->UseRealTime();

void ScenarioRun(benchmark::State& state) {
  const std::string path = std::string(DCSIM_SOURCE_DIR) + "/scenarios/reference/mmc-gang.yaml";
  const dcsim::scenario::LoadResult loaded =
      dcsim::scenario::load_scenario_file(path, {{"stop.jobs_completed", std::to_string(kJobs)}});
  if (!loaded.ok()) {
    state.SkipWithError("cannot load mmc-gang.yaml");
    return;
  }
  std::uint64_t events = 0;
  double sim_seconds = 0.0;
  for (auto _ : state) {
    dcsim::run::RunRequest req;
    req.scenario = *loaded.scenario;
    const dcsim::run::RunResult r = dcsim::run::run(std::move(req));
    events += r.model.events;
    sim_seconds += r.wall_seconds;
  }
  // Rate over the simulation proper (RunResult::wall_seconds), as summary.json reports it.
  state.counters["events_per_second"] = benchmark::Counter(static_cast<double>(events) / sim_seconds);
}
BENCHMARK(ScenarioRun)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
