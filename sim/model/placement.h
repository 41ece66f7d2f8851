// Topology-aware placement of whole-server jobs on a hall with a fabric (docs/fabric.md,
// "Placement"): `pack` keeps a job under as few leaf switches as it can, then within one pod;
// `spread` deals its servers round-robin over as many leaves as it can.
#pragma once
#include <cstddef>
#include <cstdint>
#include <utility>
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

// The wholly free servers of every pool on a fabric, by leaf, kept up to date as servers are
// taken and given back (the Cluster calls set_free), so that placing a job does not sort the
// pool's free servers: `place` gives exactly what place_on_fabric gives over the same free set,
// at the cost of O(pods x servers per leaf) for pack's choice of pod, one pass over the leaves of
// that pod (of the pool when no pod holds the job alone, or for spread) and the servers placed;
// keeping a server free or busy costs O(servers per leaf). No sorting and no allocation.
class LeafFreeIndex {
 public:
  // A server to track: `set` is what a job is placed within (a pool); leaf, pod and position as in
  // FreeServer. Within a set, a pod's leaves must be consecutive in leaf order (true of the
  // generated fabrics, whose leaves are numbered pod by pod).
  struct Entry {
    std::uint32_t server = 0;
    std::uint32_t set = 0;
    int leaf = 0;
    int pod = 0;
    int position = 0;
  };
  // Replaces what was tracked; every tracked server starts not free. `server_count` bounds the
  // server ids (untracked ones are ignored by set_free).
  void build(std::vector<Entry> servers, std::size_t server_count);
  bool tracks(std::uint32_t server) const { return server < leaf_slot_.size() && leaf_slot_[server] >= 0; }
  bool is_free(std::uint32_t server) const { return tracks(server) && free_[server] != 0; }
  // A tracked server becomes free or stops being free (no-op for an untracked one).
  void set_free(std::uint32_t server, bool free);
  // Free servers of a set (0 for a set with no tracked server).
  int free_count(std::uint32_t set) const { return set < sets_.size() ? sets_[set].room : 0; }
  // As place_on_fabric over the set's free servers (count <= free_count(set)): the same servers in
  // the same order. Changes nothing but a small memo of recent answers.
  void place(PlacementPolicy policy, std::uint32_t set, int count, std::vector<std::uint32_t>& out) const;

 private:
  struct Leaf {
    int leaf = 0;         // the caller's leaf number
    std::uint32_t pod = 0;  // index into pods_
    std::vector<std::uint32_t> free;  // its free servers, by (position, server)
  };
  // A pod: its leaves [first, end) in leaves_, its free servers and, per free count c, how many of
  // its leaves have exactly c free (hist[0] unused), so pack's "leaves needed" walks counts, not
  // leaves.
  struct Pod {
    int pod = 0;
    std::uint32_t first = 0, end = 0;
    std::uint32_t set = 0;
    int room = 0;
    std::vector<int> hist;
  };
  struct Set {
    std::uint32_t first_pod = 0, end_pod = 0;  // into pods_
    std::uint32_t first = 0, end = 0;          // into leaves_
    int room = 0;
    std::vector<int> hist;  // as Pod::hist, over the set's leaves
  };
  static int leaves_needed(const std::vector<int>& hist, int count);
  void compute(PlacementPolicy policy, std::uint32_t set, int count, std::vector<std::uint32_t>& out) const;
  // The last few placements worked out, valid while `version_` (bumped by every change of a free
  // list) is unchanged: a backfill pass asks the same few job sizes over and over between starts.
  struct Memo {
    std::uint64_t version = UINT64_MAX;
    std::uint32_t set = 0;
    int count = 0;
    PlacementPolicy policy = PlacementPolicy::pack;
    std::vector<std::uint32_t> servers;
  };
  static constexpr std::size_t kMemos = 8;
  std::uint64_t version_ = 0;
  mutable Memo memo_[kMemos];
  mutable std::size_t memo_next_ = 0;

  std::vector<int> leaf_slot_;  // per server: its index in leaves_, -1 untracked
  std::vector<int> position_;   // per server
  std::vector<char> free_;      // per server
  std::vector<Leaf> leaves_;  // by set, then leaf number
  std::vector<Pod> pods_;
  std::vector<Set> sets_;
};

}  // namespace dcsim::model
