// Topology-aware placement of whole-server jobs on a hall with a fabric (docs/fabric.md,
// "Placement"): `pack` keeps a job under as few leaf switches as it can, then within one pod;
// `spread` deals its servers round-robin over as many leaves as it can.
#pragma once
#include <cstdint>
#include <vector>

namespace dcsim::model {

// A server free for the job, with where it sits on the fabric: its leaf (on a rail-optimized
// fabric, its group of rail leaves), its pod (3 tiers; 0 otherwise) and its position in the
// hall (its fabric endpoint), which orders servers within a leaf.
struct FreeServer {
  std::uint32_t server = 0;
  int leaf = 0;
  int pod = 0;
  int position = 0;
};

enum class PlacementPolicy { pack, spread };

// Chooses `count` of the `free` servers (count <= free.size()) and writes them to `out` leaf by
// leaf (leaves in increasing order, servers by position within a leaf), so that a ring over
// them in that order crosses each leaf's uplinks once each way.
//  - pack: the fewest leaves, greedily the fullest first; among pods that can hold the job
//    alone, the one needing the fewest leaves, then the one with the least free room, then the
//    lowest; the last leaf is the smallest one that holds the rest (least fragmentation).
//  - spread: one server from each leaf with room in turn (leaves in increasing order, lowest
//    position first), round after round, until the job has its servers.
// `free` is reordered. Deterministic: the result depends only on the set of free servers.
void place_on_fabric(PlacementPolicy policy, std::vector<FreeServer>& free, int count, std::vector<std::uint32_t>& out);

}  // namespace dcsim::model
