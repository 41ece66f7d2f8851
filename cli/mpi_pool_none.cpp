// The MPI interface when dcsim is built without MPI: one process, rank 0 of 1.
#include "cli/mpi_pool.h"

namespace dcsim::cli::mpi {

Session::Session(int&, char**&) {}
Session::~Session() = default;
bool active() { return false; }
int rank() { return 0; }
int size() { return 1; }
std::string broadcast(const std::string& text) { return text; }
std::vector<std::string> run_items(std::size_t, int, const ItemFn&, const DoneFn&, const ResultFn&) { return {}; }

}  // namespace dcsim::cli::mpi
