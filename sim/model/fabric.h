// Network fabric: fat-tree / leaf-spine (2 or 3 tiers, per-tier oversubscription) and
// rail-optimized layouts built as a graph of endpoints and switches; bisection bandwidth by
// max-flow, diameter by BFS, capex, ring all-reduce time and a placement's bottleneck share.
// Boost.Graph stays in fabric.cpp; docs/fabric.md has the construction and the formulas.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace dcsim::model {

struct FabricSpec {
  enum class Topology { fat_tree, rail_optimized };
  Topology topology = Topology::fat_tree;
  int radix = 64;  // ports per switch (NVIDIA Quantum-2 QM9700: 64 x 400 Gb/s, REFERENCE.md)
  int tiers = 2;   // 2 (leaf-spine) or 3 (leaf-aggregation-core)
  // Downlink:uplink ratio per boundary of links, bottom up: [0] endpoint->leaf (must be 1),
  // [1] leaf->spine (or leaf->aggregation), [2] aggregation->core. A list of `tiers - 1` entries
  // omits [0]; an empty list is non-blocking everywhere. E.g. {1, 7} or {1, 1, 7}.
  std::vector<double> oversubscription;
  double link_gbps = 400;
  double link_latency_ns = 500;
  // Endpoints to connect: NICs of servers (fat_tree) or GPUs (rail_optimized). 0 = the largest
  // fabric the radix and tiers allow (k^2/2 or k^3/4 when non-blocking).
  int endpoints = 0;
  int rails = 8;  // rail_optimized only: GPUs (and NICs) per server, one rail each
  double switch_price_usd = 36'000;  // NDR 64-port switch (REFERENCE.md, "Money")
  // Assumptions (not in REFERENCE.md): a 400G transceiver at each end of every cable, one
  // multimode fibre per cable, one 400G link per switch-to-switch cable (2 models twin-port
  // 800G OSFP cables).
  double optic_price_usd = 1'000;
  double cable_price_usd = 150;
  int links_per_switch_cable = 1;
};

// The most endpoints the spec's radix, tiers and oversubscription can connect (its `endpoints`
// ignored): what build_fabric makes for endpoints = 0.
int max_endpoints(const FabricSpec& spec);

// One problem a person can act on per entry; empty when build_fabric will succeed.
std::vector<std::string> validate(const FabricSpec& spec);

struct FabricVertex {
  int tier = 0;  // 0 endpoint, 1 leaf, 2 spine/aggregation, 3 core
  int group = 0; // leaf: pod (3 tiers) or rail (rail_optimized, 2 tiers); others: 0
};

struct FabricLink {
  int a = 0, b = 0;  // vertex indices, a < b; full duplex, `gbps` in each direction
  double gbps = 0;
  double latency_ns = 0;
};

class FabricGraph;  // Boost.Graph adjacency list, defined in fabric.cpp

// Vertices 0..endpoints-1 are the endpoints, in the order the spec numbers them (fat_tree:
// consecutive endpoints share a leaf; rail_optimized: endpoint = server * rails + gpu), then
// the switches tier by tier. Parallel links are separate entries.
struct Fabric {
  FabricSpec spec;
  int endpoints = 0;
  std::vector<FabricVertex> vertices;
  std::vector<FabricLink> links;
  std::vector<int> leaf_of;  // leaf vertex of each endpoint
  std::shared_ptr<const FabricGraph> graph;  // immutable, shared by copies
};

// Throws std::invalid_argument with the validate() messages when the spec is invalid.
Fabric build_fabric(const FabricSpec& spec);

struct FabricReport {
  int switches_by_tier[3] = {0, 0, 0};  // leaf, spine/aggregation, core
  int switches = 0;
  int links = 0;   // every physical link, endpoint links included
  int cables = 0;  // endpoint links + switch links / links_per_switch_cable (rounded up)
  double bisection_gbps = 0;  // max-flow, first half of the endpoints to the second half
  int diameter_hops = 0;      // longest endpoint-to-endpoint shortest path, in links
  double diameter_latency_ns = 0;  // diameter_hops * link_latency_ns (no switch delay)
  double capex_usd = 0;  // switches + cables * (2 optics + fibre)
  int endpoints = 0;
};

FabricReport describe(const Fabric& fabric);

// describe()'s bisection_gbps with the switches marked in `failed` (one entry per vertex, or
// empty for none) and the links marked in `failed_links` (one entry per Fabric::links entry, or
// empty for none) out of service: the maximum flow over the links that remain.
double bisection_gbps(const Fabric& fabric, const std::vector<char>& failed, const std::vector<char>& failed_links = {});

// describe()'s capex_usd without the graph searches (O(vertices)): what a run books.
double fabric_capex_usd(const Fabric& fabric);

// Ring all-reduce of `bytes` over `ranks` at bus bandwidth `bus_gbps` (Gb/s) with per-step
// latency `latency_s`: T = 2(p-1)*latency + (S/B) * 2(p-1)/p, B in bytes/s (Thakur,
// Rabenseifner, Gropp 2005; nccl-tests PERFORMANCE.md). 0 for ranks <= 1.
double ring_allreduce_seconds(double bytes, int ranks, double bus_gbps, double latency_s);

// Bottleneck bandwidth (Gb/s) per endpoint of a ring over `endpoints` in the given order
// (i -> i+1, last -> first). Each ring hop is one flow, split evenly over all its shortest
// paths (ideal ECMP); a link direction carrying load L (sum of flow fractions) gives each flow
// gbps / L; the result is the smallest such share over the link directions the ring crosses.
// All hops run at once, as in a ring all-reduce step; other jobs' traffic is not included.
// Infinity when fewer than two endpoints are given. Throws std::out_of_range for an index
// outside 0..fabric.endpoints-1.
double bottleneck_gbps(const Fabric& fabric, const std::vector<int>& endpoints);

// Speed of a training job whose steps are `step_s` of compute then a ring all-reduce of `bytes`
// over `ring` (endpoints in ring order), relative to the same job on a non-blocking fabric:
// (step_s + T(link_gbps)) / (step_s + T(bottleneck_gbps(ring))), T = ring_allreduce_seconds
// with per-step latency link_latency_ns; at most 1, and 1 for fewer than two endpoints.
double comm_speed_factor(const Fabric& fabric, const std::vector<int>& ring, double bytes, double step_s);

// The same speed with the ring's bus bandwidth given (`bus_gbps`, e.g. its max-min fair share
// of links shared with other jobs) instead of computed from the ring alone.
double comm_speed_factor_at(const Fabric& fabric, int ranks, double bus_gbps, double bytes, double step_s);

// Load of a ring on one direction of one link: arc = 2 * link + 0 for a -> b, + 1 for b -> a;
// load = sum over the ring's hops of the share of the hop's flow the arc carries (ideal ECMP,
// as in bottleneck_gbps). A ring whose bus bandwidth is x puts x * load Gb/s on the arc.
struct ArcLoad {
  int arc = 0;
  double load = 0.0;
};

// Leaf-to-leaf ECMP patterns already computed for one fabric (from one breadth-first search over
// the switches per leaf, also kept), so that a ring's loads cost O(ranks + its leaf pairs'
// paths). Memory is bounded: the cache is emptied when it holds more than `max_entries` arc shares
// and per-switch counts. Not thread-safe; one per fabric.
class RingLoadCache {
 public:
  explicit RingLoadCache(std::size_t max_entries = 2'000'000) : max_entries_(max_entries) {}
  // The arcs of the shortest paths between two distinct leaves, each with its share of a unit
  // flow; empty when the leaves are not connected.
  const std::vector<ArcLoad>& leaf_pair(const Fabric& fabric, int leaf_from, int leaf_to);
  void clear();
  // Switches (one entry per vertex) and links (one per Fabric::links entry) out of service
  // (empty: none): paths avoid them from now on, and a ring over an endpoint whose link is out is
  // cut.
  void set_failed(const std::vector<char>& failed, const std::vector<char>& failed_links = {});
  bool link_failed(int link) const { return !failed_links_.empty() && failed_links_[static_cast<std::size_t>(link)]; }
  std::vector<double> dense;                // scratch, one entry per arc
  std::vector<std::uint64_t> touched_bits;  // scratch, one bit per arc
 private:
  // Breadth-first distances and shortest-path counts from one leaf, per switch.
  struct SwitchCounts {
    std::vector<int> dist;
    std::vector<double> sigma;
  };
  const SwitchCounts& counts_from(const Fabric& fabric, int leaf);
  std::size_t max_entries_;
  std::size_t entries_ = 0;  // arc shares and per-switch counts held
  std::vector<char> failed_;
  std::vector<char> failed_links_;
  std::map<std::pair<int, int>, std::vector<ArcLoad>> pairs_;
  std::vector<SwitchCounts> leaves_;  // by vertex - endpoints; empty dist: not computed
};

// The loads of a ring over `endpoints` (i -> i+1, last -> first), sorted by arc. Returns false
// (and an empty list) when some hop has no path, i.e. the ring is cut. Throws
// std::out_of_range for an index outside 0..fabric.endpoints-1.
bool ring_arc_loads(const Fabric& fabric, const std::vector<int>& endpoints, RingLoadCache& cache,
                    std::vector<ArcLoad>& out);

// Max-min fair bus bandwidths of rings sharing links, by progressive filling: every ring's
// bandwidth x_j rises at the same pace until some arc is full (sum_j load_j(arc) x_j =
// capacity(arc)); the rings on it stop there and the others go on. rings[j] are ring j's loads
// (sorted by arc); capacity_gbps is indexed by arc. Rates are written to `gbps` (infinity for a
// ring with no loads, 0 for one over an arc of capacity 0). `arc_slot` is scratch of one int per
// arc, all -1 on entry and on return; other scratch is kept per thread between calls. The rates
// are bit-identical to the plain scheme's (docs/fabric.md, "Speed").
void max_min_rates(const std::vector<const std::vector<ArcLoad>*>& rings, const std::vector<double>& capacity_gbps,
                   std::vector<int>& arc_slot, std::vector<double>& gbps);

}  // namespace dcsim::model
