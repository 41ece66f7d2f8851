// Network fabric construction and analysis on Boost.Graph: builders for fat-tree / leaf-spine
// and rail-optimized layouts, bisection by push-relabel max-flow, diameter and ECMP ring load
// by breadth-first search.
#include "sim/model/fabric.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <queue>
#include <sstream>
#include <stdexcept>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/push_relabel_max_flow.hpp>

namespace dcsim::model {

// Undirected physical graph; the edge bundle is the index into Fabric::links.
using PhysicalGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property, int>;

class FabricGraph {
 public:
  explicit FabricGraph(std::size_t vertices) : g(vertices) {}
  PhysicalGraph g;
};

namespace {

// Ports of one switch split into down and up so that down/up is closest to `ratio`.
struct PortSplit {
  int down = 0, up = 0;
};

PortSplit split_ports(int radix, double ratio) {
  int down = static_cast<int>(std::lround(radix * ratio / (ratio + 1.0)));
  down = std::clamp(down, 1, radix - 1);
  return {down, radix - down};
}

// Oversubscription per boundary, always `tiers` entries with [0] = endpoint links.
std::vector<double> boundaries(const FabricSpec& spec) {
  std::vector<double> o = spec.oversubscription;
  if (static_cast<int>(o.size()) == spec.tiers - 1) o.insert(o.begin(), 1.0);
  if (o.empty()) o.assign(static_cast<std::size_t>(std::max(spec.tiers, 1)), 1.0);
  return o;
}

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// The shape a spec resolves to; `problem` is set when it cannot be built.
struct Shape {
  PortSplit leaf, agg;
  int endpoints = 0;
  int leaves = 0;
  int pods = 1;            // 3 tiers: pods of agg.down leaves and leaf.up aggregation switches
  int spines = 0;          // 2 tiers
  int core_group = 0;      // 3 tiers: cores per group; one group per aggregation position
  std::string problem;
};

int leaves_for(const FabricSpec& spec, int endpoints, int leaf_down) {
  if (spec.topology == FabricSpec::Topology::fat_tree) return static_cast<int>(ceil_div(endpoints, leaf_down));
  const std::int64_t servers = ceil_div(endpoints, spec.rails);
  return static_cast<int>(ceil_div(servers, leaf_down) * spec.rails);
}

Shape resolve(const FabricSpec& spec) {
  Shape s;
  const int k = spec.radix;
  const std::vector<double> o = boundaries(spec);
  s.leaf = split_ports(k, o[1]);
  if (spec.tiers == 3) s.agg = split_ports(k, o[2]);
  if (spec.endpoints > 0) {
    s.endpoints = spec.endpoints;
  } else if (spec.tiers == 2) {
    // k leaves (fat tree) or k/rails groups of `rails` rail leaves, each with leaf.down below.
    s.endpoints = spec.topology == FabricSpec::Topology::fat_tree ? k * s.leaf.down
                                                                  : (k / spec.rails) * spec.rails * s.leaf.down;
  } else {
    const int leaves = spec.topology == FabricSpec::Topology::fat_tree ? k * s.agg.down
                                                                       : (k * s.agg.down / spec.rails) * spec.rails;
    s.endpoints = leaves * s.leaf.down;
  }
  s.leaves = leaves_for(spec, s.endpoints, s.leaf.down);
  if (spec.tiers == 2) {
    if (s.leaves > k) {
      std::ostringstream m;
      m << "fabric: " << s.endpoints << " endpoints need " << s.leaves << " leaf switches, more than a 2-tier fabric of radix "
        << k << " connects (" << k << "); use tiers: 3 or a larger radix";
      s.problem = m.str();
    }
    s.spines = static_cast<int>(ceil_div(static_cast<std::int64_t>(s.leaves) * s.leaf.up, k));
  } else {
    s.pods = static_cast<int>(ceil_div(s.leaves, s.agg.down));
    if (s.pods > k) {
      std::ostringstream m;
      m << "fabric: " << s.endpoints << " endpoints need " << s.pods << " pods, more than a 3-tier fabric of radix " << k
        << " connects (" << k << "); use a larger radix or less oversubscription";
      s.problem = m.str();
    }
    s.core_group = static_cast<int>(ceil_div(static_cast<std::int64_t>(s.pods) * s.agg.up, k));
  }
  return s;
}

// Breadth-first distances and shortest-path counts from one source.
struct PathCounts {
  std::vector<int> dist;
  std::vector<double> sigma;
};

struct CountingVisitor : boost::default_bfs_visitor {
  PathCounts* pc;
  explicit CountingVisitor(PathCounts* p) : pc(p) {}
  template <class Edge, class Graph>
  void tree_edge(Edge e, const Graph& g) const {
    const auto u = boost::source(e, g), v = boost::target(e, g);
    pc->dist[v] = pc->dist[u] + 1;
    pc->sigma[v] = pc->sigma[u];
  }
  template <class Edge, class Graph>
  void non_tree_edge(Edge e, const Graph& g) const {
    const auto u = boost::source(e, g), v = boost::target(e, g);
    if (pc->dist[v] == pc->dist[u] + 1) pc->sigma[v] += pc->sigma[u];
  }
};

// Leaf-to-leaf counts through switches only (vertices from `first_switch` on), skipping failed
// switches when `failed` is not empty and failed links (by link index) when `failed_links` is not. Endpoints hang off one leaf each (degree 1), so no shortest
// path between two switches passes one: distances and counts between switches are those of the
// whole graph, for a fraction of the work on a fabric with tens of thousands of endpoints.
void count_switch_paths(const PhysicalGraph& g, int source, std::size_t first_switch, const std::vector<char>& failed,
                        const std::vector<char>& failed_links, PathCounts& pc, std::vector<std::size_t>& queue) {
  const auto n = boost::num_vertices(g);
  pc.dist.assign(n, -1);
  pc.sigma.assign(n, 0.0);
  const auto s = static_cast<std::size_t>(source);
  if (!failed.empty() && failed[s]) return;
  pc.dist[s] = 0;
  pc.sigma[s] = 1.0;
  queue.assign(1, s);
  for (std::size_t head = 0; head < queue.size(); ++head) {
    const std::size_t u = queue[head];
    for (auto [it, end] = boost::out_edges(u, g); it != end; ++it) {
      const std::size_t v = boost::target(*it, g);
      if (v < first_switch || (!failed.empty() && failed[v])) continue;
      if (!failed_links.empty() && failed_links[static_cast<std::size_t>(g[*it])]) continue;
      if (pc.dist[v] < 0) {
        pc.dist[v] = pc.dist[u] + 1;
        pc.sigma[v] = pc.sigma[u];
        queue.push_back(v);
      } else if (pc.dist[v] == pc.dist[u] + 1) {
        pc.sigma[v] += pc.sigma[u];
      }
    }
  }
}

void count_paths(const PhysicalGraph& g, int source, PathCounts& pc) {
  const auto n = boost::num_vertices(g);
  pc.dist.assign(n, -1);
  pc.sigma.assign(n, 0.0);
  pc.dist[static_cast<std::size_t>(source)] = 0;
  pc.sigma[static_cast<std::size_t>(source)] = 1.0;
  boost::breadth_first_search(g, static_cast<PhysicalGraph::vertex_descriptor>(source), boost::visitor(CountingVisitor(&pc)));
}

}  // namespace

int max_endpoints(const FabricSpec& spec) {
  FabricSpec full = spec;
  full.endpoints = 0;
  return resolve(full).endpoints;
}

std::vector<std::string> validate(const FabricSpec& spec) {
  std::vector<std::string> problems;
  if (spec.radix < 4 || spec.radix % 2 != 0) problems.push_back("fabric: radix must be an even number of ports, at least 4");
  if (spec.tiers != 2 && spec.tiers != 3) problems.push_back("fabric: tiers must be 2 or 3");
  if (!(spec.link_gbps > 0)) problems.push_back("fabric: link speed must be above 0 Gb/s");
  if (spec.link_latency_ns < 0) problems.push_back("fabric: link latency must not be negative");
  if (spec.endpoints < 0) problems.push_back("fabric: endpoints must not be negative");
  if (spec.topology == FabricSpec::Topology::rail_optimized && spec.rails < 1)
    problems.push_back("fabric: rails must be at least 1");
  if (spec.topology == FabricSpec::Topology::rail_optimized && spec.endpoints == 0 && spec.rails > spec.radix)
    problems.push_back("fabric: rails must not exceed the radix");
  if (spec.links_per_switch_cable < 1) problems.push_back("fabric: links per switch cable must be at least 1");
  if (spec.switch_price_usd < 0 || spec.optic_price_usd < 0 || spec.cable_price_usd < 0)
    problems.push_back("fabric: prices must not be negative");
  const int n = static_cast<int>(spec.oversubscription.size());
  if (spec.tiers >= 2 && spec.tiers <= 3 && n != 0 && n != spec.tiers && n != spec.tiers - 1) {
    std::ostringstream m;
    m << "fabric: oversubscription has " << n << " entries; give " << spec.tiers << " (one per boundary, endpoint links first) or "
      << spec.tiers - 1 << " (switch boundaries only)";
    problems.push_back(m.str());
  }
  for (double r : spec.oversubscription)
    if (!(r >= 1)) problems.push_back("fabric: every oversubscription ratio must be at least 1 (1 = non-blocking)");
  if (n == spec.tiers && n > 0 && spec.oversubscription[0] != 1)
    problems.push_back("fabric: oversubscription[0] is the endpoint links and must be 1");
  if (!problems.empty()) return problems;
  const Shape s = resolve(spec);
  if (!s.problem.empty()) problems.push_back(s.problem);
  return problems;
}

Fabric build_fabric(const FabricSpec& spec) {
  const std::vector<std::string> problems = validate(spec);
  if (!problems.empty()) {
    std::string all;
    for (const std::string& p : problems) all += (all.empty() ? "" : "\n") + p;
    throw std::invalid_argument(all);
  }
  const Shape s = resolve(spec);
  Fabric f;
  f.spec = spec;
  f.endpoints = s.endpoints;
  const bool rail = spec.topology == FabricSpec::Topology::rail_optimized;
  auto add_vertex = [&f](int tier, int group) {
    f.vertices.push_back({tier, group});
    return static_cast<int>(f.vertices.size()) - 1;
  };
  auto add_link = [&f, &spec](int a, int b) {
    f.links.push_back({std::min(a, b), std::max(a, b), spec.link_gbps, spec.link_latency_ns});
  };
  for (int e = 0; e < s.endpoints; ++e) add_vertex(0, 0);
  const int first_leaf = static_cast<int>(f.vertices.size());
  for (int l = 0; l < s.leaves; ++l) {
    const int pod = spec.tiers == 3 ? l / s.agg.down : 0;
    add_vertex(1, spec.tiers == 3 ? pod : (rail ? l % spec.rails : 0));
  }
  // Endpoints to leaves: consecutive endpoints share a leaf, or GPU r of the servers of one
  // group of leaf.down servers shares rail leaf r of that group.
  f.leaf_of.resize(static_cast<std::size_t>(s.endpoints));
  for (int e = 0; e < s.endpoints; ++e) {
    int leaf = e / s.leaf.down;
    if (rail) {
      const int server = e / spec.rails, gpu = e % spec.rails;
      leaf = (server / s.leaf.down) * spec.rails + gpu;
    }
    f.leaf_of[static_cast<std::size_t>(e)] = first_leaf + leaf;
    add_link(e, first_leaf + leaf);
  }
  if (spec.tiers == 2) {
    // Leaf l's uplink m goes to spine (l * up + m) mod spines: one link to every spine when the
    // fabric is full, balanced within one port otherwise.
    const int first_spine = static_cast<int>(f.vertices.size());
    for (int i = 0; i < s.spines; ++i) add_vertex(2, 0);
    for (int l = 0; l < s.leaves; ++l)
      for (int m = 0; m < s.leaf.up; ++m) add_link(first_leaf + l, first_spine + (l * s.leaf.up + m) % s.spines);
  } else {
    // Pod p has leaf.up aggregation switches; each leaf of the pod links once to each. Core
    // group j serves aggregation position j of every pod; agg j of pod p's uplink m goes to
    // core (p * agg.up + m) mod core_group of group j.
    const int first_agg = static_cast<int>(f.vertices.size());
    for (int p = 0; p < s.pods; ++p)
      for (int j = 0; j < s.leaf.up; ++j) add_vertex(2, p);
    const int first_core = static_cast<int>(f.vertices.size());
    for (int i = 0; i < s.leaf.up * s.core_group; ++i) add_vertex(3, 0);
    for (int l = 0; l < s.leaves; ++l) {
      const int pod = l / s.agg.down;
      for (int j = 0; j < s.leaf.up; ++j) add_link(first_leaf + l, first_agg + pod * s.leaf.up + j);
    }
    for (int p = 0; p < s.pods; ++p)
      for (int j = 0; j < s.leaf.up; ++j)
        for (int m = 0; m < s.agg.up; ++m)
          add_link(first_agg + p * s.leaf.up + j, first_core + j * s.core_group + (p * s.agg.up + m) % s.core_group);
  }
  auto graph = std::make_shared<FabricGraph>(f.vertices.size());
  for (std::size_t i = 0; i < f.links.size(); ++i)
    boost::add_edge(static_cast<std::size_t>(f.links[i].a), static_cast<std::size_t>(f.links[i].b), static_cast<int>(i), graph->g);
  f.graph = std::move(graph);
  return f;
}

namespace {

// Max-flow from the first half of the endpoints to the second, capacities in Mb/s as integers
// so push-relabel is exact. Each direction of a full-duplex link is its own arc with a
// zero-capacity reverse: Boost's push-relabel converts the preflow to a flow assuming reverse
// arcs carry no capacity, and anti-parallel arcs that both carry it trip its is_flow() check.
double max_flow_bisection_gbps(const Fabric& f, const std::vector<char>& failed, const std::vector<char>& failed_links) {
  using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
  using FlowGraph = boost::adjacency_list<
      boost::vecS, boost::vecS, boost::directedS, boost::no_property,
      boost::property<boost::edge_capacity_t, std::int64_t,
                      boost::property<boost::edge_residual_capacity_t, std::int64_t,
                                      boost::property<boost::edge_reverse_t, Traits::edge_descriptor>>>>;
  if (f.endpoints < 2) return 0;
  const std::size_t n = f.vertices.size();
  FlowGraph g(n + 2);
  const std::size_t source = n, sink = n + 1;
  auto cap = boost::get(boost::edge_capacity, g);
  auto rev = boost::get(boost::edge_reverse, g);
  auto arc_pair = [&](std::size_t u, std::size_t v, std::int64_t c_uv, std::int64_t c_vu) {
    const auto e1 = boost::add_edge(u, v, g).first;
    const auto e2 = boost::add_edge(v, u, g).first;
    cap[e1] = c_uv;
    cap[e2] = c_vu;
    rev[e1] = e2;
    rev[e2] = e1;
  };
  std::int64_t total = 0;
  for (std::size_t li = 0; li < f.links.size(); ++li) {
    const FabricLink& l = f.links[li];
    const bool out = (!failed.empty() && (failed[static_cast<std::size_t>(l.a)] || failed[static_cast<std::size_t>(l.b)])) ||
                     (!failed_links.empty() && failed_links[li]);
    const auto mbps = out ? 0 : static_cast<std::int64_t>(std::llround(l.gbps * 1000.0));
    total += mbps;
    arc_pair(static_cast<std::size_t>(l.a), static_cast<std::size_t>(l.b), mbps, 0);
    arc_pair(static_cast<std::size_t>(l.b), static_cast<std::size_t>(l.a), mbps, 0);
  }
  const int half = f.endpoints / 2;
  for (int e = 0; e < f.endpoints; ++e) {
    if (e < half) arc_pair(source, static_cast<std::size_t>(e), total, 0);
    else if (e >= f.endpoints - half) arc_pair(static_cast<std::size_t>(e), sink, total, 0);
  }
  const std::int64_t flow = boost::push_relabel_max_flow(g, source, sink);
  return static_cast<double>(flow) / 1000.0;
}

// Exact, with one BFS per class of leaves: endpoints under one leaf see the same distances,
// and leaves with the same switch neighbours (every leaf of a pod, or every leaf of a full
// leaf-spine) see the same distances to everything outside their class, and 4 hops inside it.
int diameter_hops(const Fabric& f) {
  const PhysicalGraph& g = f.graph->g;
  std::map<std::vector<std::size_t>, int> classes;
  std::vector<char> leaf_done(f.vertices.size(), 0);
  for (int e = 0; e < f.endpoints; ++e) {
    const auto leaf = static_cast<std::size_t>(f.leaf_of[static_cast<std::size_t>(e)]);
    if (leaf_done[leaf]) continue;
    leaf_done[leaf] = 1;
    std::vector<std::size_t> up;
    for (auto [it, end] = boost::adjacent_vertices(leaf, g); it != end; ++it)
      if (f.vertices[*it].tier > 0) up.push_back(*it);
    std::sort(up.begin(), up.end());
    classes.emplace(std::move(up), e);
  }
  int diameter = 0;
  PathCounts pc;
  for (const auto& [up, e] : classes) {
    count_paths(g, e, pc);
    for (int o = 0; o < f.endpoints; ++o) {
      const int d = pc.dist[static_cast<std::size_t>(o)];
      if (d < 0) return -1;  // disconnected
      diameter = std::max(diameter, d);
    }
  }
  return diameter;
}

}  // namespace

double fabric_capex_usd(const Fabric& f) {
  int switches = 0;
  for (const FabricVertex& v : f.vertices) switches += v.tier >= 1 ? 1 : 0;
  const int switch_links = static_cast<int>(f.links.size()) - f.endpoints;
  const int cables = f.endpoints + static_cast<int>(ceil_div(switch_links, f.spec.links_per_switch_cable));
  return switches * f.spec.switch_price_usd + cables * (2 * f.spec.optic_price_usd + f.spec.cable_price_usd);
}

FabricReport describe(const Fabric& f) {
  FabricReport r;
  r.endpoints = f.endpoints;
  for (const FabricVertex& v : f.vertices)
    if (v.tier >= 1) {
      ++r.switches_by_tier[v.tier - 1];
      ++r.switches;
    }
  r.links = static_cast<int>(f.links.size());
  const int switch_links = r.links - f.endpoints;
  r.cables = f.endpoints + static_cast<int>(ceil_div(switch_links, f.spec.links_per_switch_cable));
  r.bisection_gbps = max_flow_bisection_gbps(f, {}, {});
  r.diameter_hops = diameter_hops(f);
  r.diameter_latency_ns = r.diameter_hops * f.spec.link_latency_ns;
  r.capex_usd = r.switches * f.spec.switch_price_usd + r.cables * (2 * f.spec.optic_price_usd + f.spec.cable_price_usd);
  return r;
}

double ring_allreduce_seconds(double bytes, int ranks, double bus_gbps, double latency_s) {
  if (ranks <= 1) return 0;
  const double p = ranks;
  const double bytes_per_s = bus_gbps * 1e9 / 8.0;
  return 2.0 * (p - 1.0) * latency_s + (bytes / bytes_per_s) * 2.0 * (p - 1.0) / p;
}

double bottleneck_gbps(const Fabric& f, const std::vector<int>& endpoints) {
  for (int e : endpoints)
    if (e < 0 || e >= f.endpoints) throw std::out_of_range("bottleneck_gbps: endpoint index outside the fabric");
  const std::size_t n = endpoints.size();
  if (n < 2) return std::numeric_limits<double>::infinity();
  // load[2 * link + dir]: dir 0 is a -> b, 1 is b -> a.
  std::vector<double> load(2 * f.links.size(), 0.0);
  const PhysicalGraph& g = f.graph->g;
  PathCounts from, to;
  count_paths(g, endpoints[0], from);
  for (std::size_t i = 0; i < n; ++i) {
    const int s = endpoints[i], t = endpoints[(i + 1) % n];
    count_paths(g, t, to);
    if (s != t) {
      const int d = from.dist[static_cast<std::size_t>(t)];
      if (d < 0) return 0;  // the ring is cut
      const double paths = from.sigma[static_cast<std::size_t>(t)];
      // Arc u -> v lies on a shortest s-t path iff dist_s(u) + 1 + dist_t(v) = d; its share of
      // the flow is sigma_s(u) * sigma_t(v) / sigma_s(t).
      for (std::size_t li = 0; li < f.links.size(); ++li) {
        const auto a = static_cast<std::size_t>(f.links[li].a), b = static_cast<std::size_t>(f.links[li].b);
        if (from.dist[a] >= 0 && to.dist[b] >= 0 && from.dist[a] + 1 + to.dist[b] == d)
          load[2 * li] += from.sigma[a] * to.sigma[b] / paths;
        if (from.dist[b] >= 0 && to.dist[a] >= 0 && from.dist[b] + 1 + to.dist[a] == d)
          load[2 * li + 1] += from.sigma[b] * to.sigma[a] / paths;
      }
    }
    std::swap(from, to);
  }
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < load.size(); ++i)
    if (load[i] > 1e-12) best = std::min(best, f.links[i / 2].gbps / load[i]);
  return best;
}

double bisection_gbps(const Fabric& fabric, const std::vector<char>& failed, const std::vector<char>& failed_links) {
  return max_flow_bisection_gbps(fabric, failed, failed_links);
}

void RingLoadCache::set_failed(const std::vector<char>& failed, const std::vector<char>& failed_links) {
  failed_ = failed;
  failed_links_ = failed_links;
  clear();
}

// Breadth-first counts from one leaf over the switches, kept per leaf (indexed by vertex -
// endpoints): every pair the leaf is in reuses them.
const RingLoadCache::SwitchCounts& RingLoadCache::counts_from(const Fabric& f, int leaf) {
  const auto first_switch = static_cast<std::size_t>(f.endpoints);
  if (leaves_.size() != f.vertices.size() - first_switch) leaves_.assign(f.vertices.size() - first_switch, {});
  SwitchCounts& c = leaves_[static_cast<std::size_t>(leaf) - first_switch];
  if (!c.dist.empty()) return c;
  PathCounts pc;
  std::vector<std::size_t> queue;
  count_switch_paths(f.graph->g, leaf, first_switch, failed_, failed_links_, pc, queue);
  c.dist.assign(pc.dist.begin() + static_cast<std::ptrdiff_t>(first_switch), pc.dist.end());
  c.sigma.assign(pc.sigma.begin() + static_cast<std::ptrdiff_t>(first_switch), pc.sigma.end());
  entries_ += c.dist.size();
  return c;
}

const std::vector<ArcLoad>& RingLoadCache::leaf_pair(const Fabric& f, int leaf_from, int leaf_to) {
  const auto key = std::make_pair(leaf_from, leaf_to);
  if (auto it = pairs_.find(key); it != pairs_.end()) return it->second;
  if (entries_ > max_entries_) clear();
  const auto first_switch = static_cast<std::size_t>(f.endpoints);
  counts_from(f, leaf_to);  // both computed before either is referenced: no reallocation between
  const SwitchCounts& from = counts_from(f, leaf_from);
  const SwitchCounts& to = counts_from(f, leaf_to);
  std::vector<ArcLoad> arcs;
  const int d = from.dist[static_cast<std::size_t>(leaf_to) - first_switch];
  if (d > 0) {
    const double paths = from.sigma[static_cast<std::size_t>(leaf_to) - first_switch];
    // Endpoint links (the first `endpoints`) carry no leaf-to-leaf path; the others join switches.
    for (std::size_t li = first_switch; li < f.links.size(); ++li) {
      if (!failed_links_.empty() && failed_links_[li]) continue;  // out of service: carries nothing
      const auto a = static_cast<std::size_t>(f.links[li].a) - first_switch;
      const auto b = static_cast<std::size_t>(f.links[li].b) - first_switch;
      if (from.dist[a] >= 0 && to.dist[b] >= 0 && from.dist[a] + 1 + to.dist[b] == d)
        arcs.push_back({static_cast<int>(2 * li), from.sigma[a] * to.sigma[b] / paths});
      if (from.dist[b] >= 0 && to.dist[a] >= 0 && from.dist[b] + 1 + to.dist[a] == d)
        arcs.push_back({static_cast<int>(2 * li + 1), from.sigma[b] * to.sigma[a] / paths});
    }
  }
  entries_ += arcs.size() + 1;
  return pairs_.emplace(key, std::move(arcs)).first->second;
}

void RingLoadCache::clear() {
  pairs_.clear();
  leaves_.clear();
  entries_ = 0;
}

// Endpoint e's link is link e (the builder adds the endpoint links first, endpoint by endpoint,
// with the endpoint as `a`): arc 2e goes up to its leaf, 2e + 1 comes down from it.
bool ring_arc_loads(const Fabric& f, const std::vector<int>& endpoints, RingLoadCache& cache, std::vector<ArcLoad>& out) {
  out.clear();
  for (int e : endpoints)
    if (e < 0 || e >= f.endpoints) throw std::out_of_range("ring_arc_loads: endpoint index outside the fabric");
  const std::size_t n = endpoints.size();
  if (n < 2) return true;
  if (cache.dense.size() != 2 * f.links.size()) {
    cache.dense.assign(2 * f.links.size(), 0.0);
    cache.touched_bits.assign((2 * f.links.size() + 63) / 64, 0);
  }
  // Arcs touched are marked in a bitmap and read back in arc order: a scan of one bit per arc
  // instead of sorting the tens of thousands of arcs a large ring crosses.
  auto add = [&cache](int arc, double load) {
    const auto a = static_cast<std::size_t>(arc);
    cache.touched_bits[a / 64] |= std::uint64_t{1} << (a % 64);
    cache.dense[a] += load;
  };
  bool cut = false;
  for (std::size_t i = 0; i < n && !cut; ++i) {
    const int s = endpoints[i], t = endpoints[(i + 1) % n];
    if (s == t) continue;
    if (cache.link_failed(s) || cache.link_failed(t)) {  // an endpoint's only link is out
      cut = true;
      break;
    }
    const int ls = f.leaf_of[static_cast<std::size_t>(s)], lt = f.leaf_of[static_cast<std::size_t>(t)];
    if (ls != lt) {
      const std::vector<ArcLoad>& pattern = cache.leaf_pair(f, ls, lt);
      if (pattern.empty()) {
        cut = true;
        break;
      }
      for (const ArcLoad& a : pattern) add(a.arc, a.load);
    }
    add(2 * s, 1.0);
    add(2 * t + 1, 1.0);
  }
  for (std::size_t w = 0; w < cache.touched_bits.size(); ++w) {
    for (std::uint64_t bits = cache.touched_bits[w]; bits != 0; bits &= bits - 1) {
      const std::size_t a = 64 * w + static_cast<std::size_t>(std::countr_zero(bits));
      if (!cut) out.push_back({static_cast<int>(a), cache.dense[a]});
      cache.dense[a] = 0.0;
    }
    cache.touched_bits[w] = 0;
  }
  return !cut;
}

// Progressive filling, as the header says, done so that the work follows what changes rather
// than the whole hall (docs/fabric.md, "Speed"). The first step finds the rings that stop from
// the arcs' levels after it, computed on the way, and stops there when every ring stopped (the
// usual case: rings meet their own endpoint links first), so the arcs are neither lowered nor
// given back the stopped rings' loads. Later steps scan only the arcs some rising ring still uses
// and find the rings that stop from the arcs that filled (through each arc's list of rings, made
// at the second step) instead of rescanning every rising ring's arcs. Every sum and difference is
// the one the plain scheme computes, in the same order (loads added ring by ring, stopped rings
// taken off in ring order), so the rates are bit-identical to it
// (MaxMinRates.GiveTheSameBitsAsPlainProgressiveFilling).
void max_min_rates(const std::vector<const std::vector<ArcLoad>*>& rings, const std::vector<double>& capacity_gbps,
                   std::vector<int>& arc_slot, std::vector<double>& gbps) {
  const std::size_t n = rings.size();
  gbps.assign(n, std::numeric_limits<double>::infinity());
  // The arcs the rings use, each with its capacity left and the load of the rings still rising.
  struct Arc {
    int arc;
    double left;
    double active_load;
  };
  // Scratch kept per thread between calls: the rings of a large hall cross tens of thousands of
  // arcs, and fresh vectors of that size each call cost page faults.
  thread_local std::vector<Arc> arcs_scratch;
  thread_local std::vector<char> active_scratch;  // per ring: 1 rising, 2 listed to stop, 0 stopped
  thread_local std::vector<std::uint32_t> stopping_scratch;
  thread_local std::vector<int> live_scratch, filled_scratch, rings_on_scratch;  // per slot
  thread_local std::vector<std::size_t> users_begin_scratch;                     // per slot
  thread_local std::vector<std::uint32_t> users_scratch;
  std::vector<Arc>& arcs = arcs_scratch;
  std::vector<char>& active = active_scratch;
  std::vector<std::uint32_t>& stopping = stopping_scratch;
  std::vector<int>& live = live_scratch;        // slots some rising ring uses (or with a load left)
  std::vector<int>& filled = filled_scratch;
  std::vector<int>& rings_on = rings_on_scratch;  // rising rings on each slot
  std::vector<std::size_t>& users_begin = users_begin_scratch;
  std::vector<std::uint32_t>& users = users_scratch;  // the rising rings of each slot, ascending
  arcs.clear();
  for (const auto* ring : rings)
    for (const ArcLoad& a : *ring) {
      int& slot = arc_slot[static_cast<std::size_t>(a.arc)];
      if (slot < 0) {
        slot = static_cast<int>(arcs.size());
        arcs.push_back({a.arc, capacity_gbps[static_cast<std::size_t>(a.arc)], 0.0});
      }
      arcs[static_cast<std::size_t>(slot)].active_load += a.load;
    }
  auto slot_of = [&arc_slot](const ArcLoad& l) { return static_cast<std::size_t>(arc_slot[static_cast<std::size_t>(l.arc)]); };
  auto full = [&capacity_gbps](double left, int arc) { return left <= 1e-9 * capacity_gbps[static_cast<std::size_t>(arc)] + 1e-12; };
  active.assign(n, 0);
  std::size_t rising = 0;
  for (std::size_t j = 0; j < n; ++j) {
    active[j] = rings[j]->empty() ? 0 : 1;
    rising += static_cast<std::size_t>(active[j]);
    if (active[j]) gbps[j] = 0.0;
  }
  bool first = true;
  while (rising > 0) {
    // The next arc to fill: the smallest capacity left per unit of rising load.
    double step = std::numeric_limits<double>::infinity();
    if (first) {
      for (const Arc& a : arcs)
        if (a.active_load > 1e-12) step = std::min(step, std::max(0.0, a.left) / a.active_load);
    } else {
      for (int slot : live) {
        const Arc& a = arcs[static_cast<std::size_t>(slot)];
        if (a.active_load > 1e-12) step = std::min(step, std::max(0.0, a.left) / a.active_load);
      }
    }
    for (std::size_t j = 0; j < n; ++j)
      if (active[j]) gbps[j] += step;
    // Rings over a full arc stop rising (within rounding of the step).
    stopping.clear();
    if (first) {
      for (std::size_t j = 0; j < n; ++j) {
        if (!active[j]) continue;
        for (const ArcLoad& l : *rings[j]) {
          const Arc& a = arcs[slot_of(l)];
          if (full(a.left - a.active_load * step, a.arc)) {
            stopping.push_back(static_cast<std::uint32_t>(j));
            break;
          }
        }
      }
      if (stopping.size() == rising) break;  // all stopped: nothing more to share
      for (Arc& a : arcs) a.left -= a.active_load * step;
    } else {
      filled.clear();
      for (int slot : live) {
        Arc& a = arcs[static_cast<std::size_t>(slot)];
        a.left -= a.active_load * step;
        if (rings_on[static_cast<std::size_t>(slot)] > 0 && full(a.left, a.arc)) filled.push_back(slot);
      }
      for (int slot : filled)
        for (std::size_t u = users_begin[static_cast<std::size_t>(slot)]; u < users_begin[static_cast<std::size_t>(slot) + 1]; ++u) {
          const std::uint32_t j = users[u];
          if (active[j] != 1) continue;
          active[j] = 2;
          stopping.push_back(j);
        }
      std::sort(stopping.begin(), stopping.end());
    }
    rising -= stopping.size();
    for (std::uint32_t j : stopping) active[j] = 0;
    if (rising == 0) break;  // the stopped rings' loads need not come off: nobody reads them again
    for (std::uint32_t j : stopping)
      for (const ArcLoad& l : *rings[j]) {
        const std::size_t slot = slot_of(l);
        arcs[slot].active_load -= l.load;
        if (!first) --rings_on[slot];
      }
    if (first) {
      // A second step: count and list the rising rings of each arc, once.
      rings_on.assign(arcs.size(), 0);
      for (std::size_t j = 0; j < n; ++j)
        if (active[j])
          for (const ArcLoad& l : *rings[j]) ++rings_on[slot_of(l)];
      users_begin.assign(arcs.size() + 1, 0);
      for (std::size_t i = 0; i < arcs.size(); ++i) users_begin[i + 1] = users_begin[i] + static_cast<std::size_t>(rings_on[i]);
      users.resize(users_begin.back());
      for (std::size_t j = 0; j < n; ++j)
        if (active[j])
          for (const ArcLoad& l : *rings[j]) users[users_begin[slot_of(l)]++] = static_cast<std::uint32_t>(j);
      for (std::size_t i = arcs.size(); i > 0; --i) users_begin[i] = users_begin[i - 1];
      users_begin[0] = 0;
      live.clear();
      for (std::size_t i = 0; i < arcs.size(); ++i) live.push_back(static_cast<int>(i));
      first = false;
    }
    // Arcs no rising ring uses leave the scans, unless rounding left a load on them that the plain
    // scheme would still divide by.
    live.erase(std::remove_if(live.begin(), live.end(),
                              [&](int slot) {
                                return rings_on[static_cast<std::size_t>(slot)] == 0 &&
                                       !(arcs[static_cast<std::size_t>(slot)].active_load > 1e-12);
                              }),
               live.end());
  }
  for (const Arc& a : arcs) arc_slot[static_cast<std::size_t>(a.arc)] = -1;
}

double comm_speed_factor_at(const Fabric& fabric, int ranks, double bus_gbps, double bytes, double step_s) {
  if (ranks < 2) return 1.0;
  const double latency_s = fabric.spec.link_latency_ns * 1e-9;
  const double actual_s = ring_allreduce_seconds(bytes, ranks, bus_gbps, latency_s);
  const double baseline_s = ring_allreduce_seconds(bytes, ranks, fabric.spec.link_gbps, latency_s);
  return std::min(1.0, (step_s + baseline_s) / (step_s + actual_s));
}

double comm_speed_factor(const Fabric& fabric, const std::vector<int>& ring, double bytes, double step_s) {
  const int ranks = static_cast<int>(ring.size());
  if (ranks < 2) return 1.0;
  const double latency_s = fabric.spec.link_latency_ns * 1e-9;
  const double actual_s = ring_allreduce_seconds(bytes, ranks, bottleneck_gbps(fabric, ring), latency_s);
  const double baseline_s = ring_allreduce_seconds(bytes, ranks, fabric.spec.link_gbps, latency_s);
  return std::min(1.0, (step_s + baseline_s) / (step_s + actual_s));
}

}  // namespace dcsim::model
