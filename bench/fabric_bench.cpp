// Fabric hot path (issue #4, "Speed"): what the model does when a communicating job starts in a
// busy hall on a 3-tier radix-64 fat tree, at 10,000 and 100,000 GPUs (8 per server, one
// endpoint per server). Each iteration ends the oldest running job, places a new one of 128, 256
// or 512 servers with `pack` (LeafFreeIndex::place over the per-leaf free lists, kept as servers
// are taken and given back, as Simulation::plan_placement), computes its ring's link loads
// (ring_arc_loads) and redoes the
// max-min fair rates of every running ring (max_min_rates: in a fat tree with ECMP over all
// cores, the rings of a hall share links, so the whole hall is one component). Baseline: the
// same starts with placement only.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <deque>
#include <vector>

#include "sim/model/fabric.h"
#include "sim/model/placement.h"

namespace {

using dcsim::model::ArcLoad;
using dcsim::model::Fabric;
using dcsim::model::LeafFreeIndex;

struct Hall {
  Fabric fabric;
  std::deque<std::vector<std::uint32_t>> jobs;
  std::deque<std::vector<ArcLoad>> loads;
  dcsim::model::RingLoadCache cache;
  std::vector<double> capacity_gbps;
  std::vector<int> arc_slot;
  LeafFreeIndex free;  // set 0: the hall
  std::vector<std::uint32_t> placed;
  std::vector<int> ring;
  std::vector<double> gbps;
  int next_size = 0;
  std::vector<double> over;  // the spec's oversubscription (empty: non-blocking)
};

constexpr int kSizes[3] = {128, 256, 512};  // servers: 1,024 to 4,096 GPUs

void build(Hall& h, int gpus) {
  dcsim::model::FabricSpec spec;
  spec.radix = 64;
  spec.tiers = 3;
  spec.endpoints = gpus / 8;
  spec.oversubscription = h.over;
  h.fabric = dcsim::model::build_fabric(spec);
  for (const dcsim::model::FabricLink& l : h.fabric.links) {
    h.capacity_gbps.push_back(l.gbps);
    h.capacity_gbps.push_back(l.gbps);
  }
  h.arc_slot.assign(h.capacity_gbps.size(), -1);
  std::vector<LeafFreeIndex::Entry> servers;
  for (int s = 0; s < spec.endpoints; ++s) {
    const int leaf = h.fabric.leaf_of[static_cast<std::size_t>(s)];
    servers.push_back({static_cast<std::uint32_t>(s), 0, leaf, h.fabric.vertices[static_cast<std::size_t>(leaf)].group, s});
  }
  h.free.build(std::move(servers), static_cast<std::size_t>(spec.endpoints));
  for (int s = 0; s < spec.endpoints; ++s) h.free.set_free(static_cast<std::uint32_t>(s), true);
}

// Places a job of the next size with pack; false when it does not fit.
bool place(Hall& h) {
  const int count = kSizes[h.next_size];
  if (count > h.free.free_count(0)) return false;
  h.next_size = (h.next_size + 1) % 3;
  h.free.place(dcsim::model::PlacementPolicy::pack, 0, count, h.placed);
  for (std::uint32_t s : h.placed) h.free.set_free(s, false);
  h.jobs.push_back(h.placed);
  return true;
}

void add_ring(Hall& h) {
  h.ring.assign(h.jobs.back().begin(), h.jobs.back().end());
  h.loads.emplace_back();
  dcsim::model::ring_arc_loads(h.fabric, h.ring, h.cache, h.loads.back());
}

void rates(Hall& h) {
  std::vector<const std::vector<ArcLoad>*> rings;
  for (const auto& l : h.loads) rings.push_back(&l);
  dcsim::model::max_min_rates(rings, h.capacity_gbps, h.arc_slot, h.gbps);
}

void end_oldest(Hall& h, bool with_rates) {
  for (std::uint32_t s : h.jobs.front()) h.free.set_free(s, true);
  h.jobs.pop_front();
  if (with_rates) h.loads.pop_front();
}

void fabric_starts(benchmark::State& state, bool with_rates) {
  Hall h;
  build(h, static_cast<int>(state.range(0)));
  // Fill the hall to about 80% with running jobs.
  while (static_cast<double>(h.jobs.size() * 256) < 0.8 * h.fabric.endpoints && place(h))
    if (with_rates) add_ring(h);
  if (with_rates) rates(h);
  std::int64_t starts = 0;
  for (auto _ : state) {
    end_oldest(h, with_rates);
    while (!place(h)) end_oldest(h, with_rates);
    if (with_rates) {
      add_ring(h);
      rates(h);
      benchmark::DoNotOptimize(h.gbps.data());
    }
    ++starts;
  }
  state.counters["running_jobs"] = static_cast<double>(h.jobs.size());
  state.counters["us_per_start"] =
      benchmark::Counter(static_cast<double>(starts) * 1e-6, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void FabricPlaceAndRates(benchmark::State& state) { fabric_starts(state, true); }
void FabricPlaceOnly(benchmark::State& state) { fabric_starts(state, false); }
BENCHMARK(FabricPlaceAndRates)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(FabricPlaceOnly)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();

// max_min_rates alone over the rings of a hall filled as above (after 200 starts, so the ring
// mix is the steady one), on the non-blocking fabric (every ring stops at its own endpoint links:
// one filling step) and at 7:1 between pods (oversubscription {1, 1, 7}: rings across pods stop
// at the core links, at several levels).
void fabric_rates(benchmark::State& state, std::vector<double> oversubscription) {
  Hall h;
  h.over = std::move(oversubscription);
  build(h, static_cast<int>(state.range(0)));
  while (static_cast<double>(h.jobs.size() * 256) < 0.8 * h.fabric.endpoints && place(h)) add_ring(h);
  for (int i = 0; i < 200; ++i) {
    end_oldest(h, true);
    while (!place(h)) end_oldest(h, true);
    add_ring(h);
  }
  for (auto _ : state) {
    rates(h);
    benchmark::DoNotOptimize(h.gbps.data());
  }
  state.counters["running_jobs"] = static_cast<double>(h.jobs.size());
}
void FabricRatesOnly(benchmark::State& state) { fabric_rates(state, {}); }
void FabricRatesOnlyOversubscribed(benchmark::State& state) { fabric_rates(state, {1, 1, 7}); }
BENCHMARK(FabricRatesOnly)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(FabricRatesOnlyOversubscribed)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace
