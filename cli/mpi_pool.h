// Work items across Open MPI ranks: rank 0 hands out item indices dynamically and gathers the
// workers' results (opaque byte strings). All MPI code is in mpi_pool.cpp; without MPI,
// mpi_pool_none.cpp makes every call a single-process no-op.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace dcsim::cli::mpi {

// Starts MPI if this process was launched by mpirun/srun (and MPI was built in); ends it when
// destroyed. Other ranks than 0 have their stdout and stderr silenced.
class Session {
 public:
  Session(int& argc, char**& argv);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
};

bool active();  // more than one rank
int rank();     // 0 when not active
int size();     // 1 when not active

// Rank 0's `text` on every rank.
std::string broadcast(const std::string& text);

using ItemFn = std::function<std::string(std::size_t item)>;
using DoneFn = std::function<void(std::size_t done, std::size_t total)>;

// Called on rank 0, one call at a time, as each item's result arrives (any order).
using ResultFn = std::function<void(std::size_t item, std::string&& result)>;

// Runs items 0..count-1: on rank 0 with `local_threads` threads of its own plus every other
// rank, one item at a time each. Rank 0 gets the results in item order (and progress through
// `done`, on its calling thread); the other ranks return an empty vector when told to stop.
// With `on_result`, rank 0 hands each result to it as it arrives instead of keeping it (the
// returned strings are then empty): how a sweep saves each variant as soon as it is done.
std::vector<std::string> run_items(std::size_t count, int local_threads, const ItemFn& fn, const DoneFn& done,
                                   const ResultFn& on_result = nullptr);

}  // namespace dcsim::cli::mpi
