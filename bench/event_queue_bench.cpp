// Event queue speed: the classic hold model (pop one, push one a random increment later) at
// several queue sizes, against a plain std::priority_queue as the floor, plus rescheduling.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <queue>
#include <utility>
#include <vector>

#include "sim/engine/event_queue.h"
#include "sim/engine/random.h"

namespace dcsim::engine {
namespace {

constexpr double kMeanIncrementMicros = 1'000'000.0;

// Increments are drawn up front (exponential, mean 1 s) so the timed loop measures the queue,
// not the logarithm; the table is long enough that its period does not shape the heap.
const std::vector<SimTime>& increments() {
  static const std::vector<SimTime> table = [] {
    RandomStream rng(2026, "bench.increments");
    std::vector<SimTime> t(1 << 20);
    for (SimTime& x : t) x = static_cast<SimTime>(-kMeanIncrementMicros * std::log(rng.uniform01()));
    return t;
  }();
  return table;
}
constexpr std::size_t kIncrementMask = (1 << 20) - 1;

void BM_EventQueueHold(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::vector<SimTime>& inc = increments();
  EventQueue q;
  q.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    q.push(inc[i & kIncrementMask], static_cast<std::uint8_t>(i & 1), 1, static_cast<std::uint32_t>(i));
  std::size_t k = n;
  for (auto _ : state) {
    const Event e = q.pop();
    q.push(e.time + inc[k++ & kIncrementMask], e.priority, e.kind, e.id);
  }
  benchmark::DoNotOptimize(q.top());
  state.SetItemsProcessed(state.iterations());
}

// The floor: a binary heap of bare (time, sequence) pairs with no handles.
void BM_PriorityQueueHold(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::vector<SimTime>& inc = increments();
  using Item = std::pair<SimTime, std::uint64_t>;
  std::vector<Item> storage;
  storage.reserve(n + 1);
  std::priority_queue<Item, std::vector<Item>, std::greater<>> q(std::greater<>(), std::move(storage));
  std::uint64_t seq = 0;
  for (std::size_t i = 0; i < n; ++i) q.push({inc[i & kIncrementMask], seq++});
  std::size_t k = n;
  for (auto _ : state) {
    const Item e = q.top();
    q.pop();
    q.push({e.first + inc[k++ & kIncrementMask], seq++});
  }
  benchmark::DoNotOptimize(q.top());
  state.SetItemsProcessed(state.iterations());
}

// Move a random live event to a new time (a job finishing earlier or later than planned).
void BM_EventQueueReschedule(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::vector<SimTime>& inc = increments();
  RandomStream rng(7, "bench.reschedule");
  EventQueue q;
  q.reserve(n);
  std::vector<EventHandle> handles(n);
  for (std::size_t i = 0; i < n; ++i) handles[i] = q.push(inc[i & kIncrementMask], 0, 1, static_cast<std::uint32_t>(i));
  std::vector<std::uint32_t> picks(1 << 16);
  for (std::uint32_t& p : picks) p = static_cast<std::uint32_t>(rng.below(n));
  std::size_t k = 0;
  for (auto _ : state) {
    const EventHandle h = handles[picks[k & 0xffff]];
    q.reschedule(h, inc[(k * 7 + 3) & kIncrementMask] * 2);
    ++k;
  }
  benchmark::DoNotOptimize(q.top());
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_EventQueueHold)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Arg(1'000'000);
BENCHMARK(BM_PriorityQueueHold)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Arg(1'000'000);
BENCHMARK(BM_EventQueueReschedule)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Arg(1'000'000);

}  // namespace
}  // namespace dcsim::engine
