// Pack and spread placement of whole-server jobs over a fabric's leaves.
#include "sim/model/placement.h"

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <tuple>

namespace dcsim::model {

namespace {

struct LeafRoom {
  int leaf = 0;
  int pod = 0;
  std::size_t begin = 0;  // into the sorted free list
  int size = 0;
};

// Leaves of `rooms` (sorted fullest first) a greedy pack needs for `count` servers; 0 if they
// cannot hold it.
int leaves_needed(const std::vector<LeafRoom>& rooms, int count) {
  int taken = 0;
  for (std::size_t i = 0; i < rooms.size(); ++i) {
    taken += rooms[i].size;
    if (taken >= count) return static_cast<int>(i) + 1;
  }
  return 0;
}

bool fuller(const LeafRoom& a, const LeafRoom& b) { return a.size != b.size ? a.size > b.size : a.leaf < b.leaf; }

}  // namespace

void place_on_fabric(PlacementPolicy policy, std::vector<FreeServer>& free, int count, std::vector<std::uint32_t>& out) {
  out.clear();
  assert(count >= 0 && static_cast<std::size_t>(count) <= free.size());
  if (count <= 0) return;
  std::sort(free.begin(), free.end(), [](const FreeServer& a, const FreeServer& b) {
    return std::tie(a.leaf, a.position, a.server) < std::tie(b.leaf, b.position, b.server);
  });
  std::vector<LeafRoom> leaves;
  for (std::size_t i = 0; i < free.size(); ++i) {
    if (leaves.empty() || leaves.back().leaf != free[i].leaf) leaves.push_back({free[i].leaf, free[i].pod, i, 0});
    ++leaves.back().size;
  }
  // (leaf index, servers taken from it), then written out leaf by leaf.
  std::vector<std::pair<std::size_t, int>> take;
  if (policy == PlacementPolicy::spread) {
    std::vector<int> per_leaf(leaves.size(), 0);
    int left = count;
    for (int round = 0; left > 0; ++round)
      for (std::size_t l = 0; l < leaves.size() && left > 0; ++l)
        if (leaves[l].size > round) {
          ++per_leaf[l];
          --left;
        }
    for (std::size_t l = 0; l < leaves.size(); ++l)
      if (per_leaf[l] > 0) take.emplace_back(l, per_leaf[l]);
  } else {
    // Candidate pods: those that hold the job alone; the best by (leaves, free room, pod).
    std::vector<LeafRoom> best;
    std::tuple<int, int, int> best_key{0, 0, 0};
    for (std::size_t i = 0; i < leaves.size();) {
      std::size_t j = i;
      std::vector<LeafRoom> pod_rooms;
      int room = 0;
      for (; j < leaves.size() && leaves[j].pod == leaves[i].pod; ++j) {
        pod_rooms.push_back(leaves[j]);
        room += leaves[j].size;
      }
      std::sort(pod_rooms.begin(), pod_rooms.end(), fuller);
      const int need = leaves_needed(pod_rooms, count);
      const std::tuple<int, int, int> key{need, room, leaves[i].pod};
      if (need > 0 && (best.empty() || key < best_key)) {
        best = std::move(pod_rooms);
        best_key = key;
      }
      i = j;
    }
    if (best.empty()) {  // no pod holds it: the fullest leaves of the hall
      best = leaves;
      std::sort(best.begin(), best.end(), fuller);
    }
    const int need = leaves_needed(best, count);
    assert(need > 0);
    int left = count;
    for (int i = 0; i + 1 < need; ++i) left -= best[static_cast<std::size_t>(i)].size;
    // The last leaf: the smallest that holds the rest (ties: the lowest leaf).
    auto last = static_cast<std::size_t>(need - 1);
    for (std::size_t i = last + 1; i < best.size(); ++i)
      if (best[i].size >= left && best[i].size < best[last].size) last = i;
    // Map the chosen rooms back to their indices in `leaves` (sorted by leaf).
    auto index_of = [&leaves](int leaf) {
      return static_cast<std::size_t>(std::lower_bound(leaves.begin(), leaves.end(), leaf,
                                                       [](const LeafRoom& r, int l) { return r.leaf < l; }) -
                                      leaves.begin());
    };
    for (int i = 0; i + 1 < need; ++i) {
      const std::size_t l = index_of(best[static_cast<std::size_t>(i)].leaf);
      take.emplace_back(l, leaves[l].size);
    }
    take.emplace_back(index_of(best[last].leaf), left);
    std::sort(take.begin(), take.end());
  }
  for (const auto& [l, n] : take)
    for (int k = 0; k < n; ++k) out.push_back(free[leaves[l].begin + static_cast<std::size_t>(k)].server);
}

}  // namespace dcsim::model
