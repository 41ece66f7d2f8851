// Work items across Open MPI ranks (the only file that includes <mpi.h>). Rank 0 keeps a
// dispenser of item indices shared by its own worker threads and by the other ranks: a rank
// asks for work, gets an index (or stop), runs it and sends back the result bytes, which is
// also its next request. Only rank 0's main thread calls MPI (MPI_THREAD_FUNNELED).
#include <mpi.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "cli/mpi_pool.h"

namespace dcsim::cli::mpi {

namespace {

bool g_active = false;
bool g_initialized = false;
int g_rank = 0;
int g_size = 1;

constexpr int kTagReady = 1;   // worker -> 0: empty, first request
constexpr int kTagResult = 2;  // worker -> 0: 8-byte item index + result bytes
constexpr int kTagWork = 3;    // 0 -> worker: 8-byte item index
constexpr int kTagStop = 4;    // 0 -> worker: empty

bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"}) {
    if (std::getenv(v)) return true;
  }
  return false;
}

void put_index(std::string& out, std::size_t v) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>((static_cast<unsigned long long>(v) >> (8 * i)) & 0xFF);
}

std::size_t get_index(const std::string& in) {
  unsigned long long v = 0;
  for (int i = 0; i < 8 && i < static_cast<int>(in.size()); ++i) {
    v |= static_cast<unsigned long long>(static_cast<unsigned char>(in[static_cast<std::size_t>(i)])) << (8 * i);
  }
  return static_cast<std::size_t>(v);
}

std::string receive(int source, int tag, MPI_Status& status) {
  MPI_Probe(source, tag, MPI_COMM_WORLD, &status);
  int n = 0;
  MPI_Get_count(&status, MPI_BYTE, &n);
  std::string buf(static_cast<std::size_t>(n), '\0');
  MPI_Recv(buf.data(), n, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return buf;
}

// Waits for a message without spinning a core (Open MPI's blocking receive busy-polls).
bool poll_message(MPI_Status& status) {
  int flag = 0;
  MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
  return flag != 0;
}

void send(int dest, int tag, const std::string& bytes) {
  MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, dest, tag, MPI_COMM_WORLD);
}

void worker_loop(const ItemFn& fn) {
  send(0, kTagReady, "");
  for (;;) {
    MPI_Status status;
    while (!poll_message(status)) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const std::string msg = receive(0, status.MPI_TAG, status);
    if (status.MPI_TAG == kTagStop) return;
    const std::size_t item = get_index(msg);
    std::string reply;
    put_index(reply, item);
    reply += fn(item);
    send(0, kTagResult, reply);
  }
}

}  // namespace

Session::Session(int& argc, char**& argv) {
  if (!launched_by_mpi()) return;
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  g_initialized = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_size);
  g_active = g_size > 1;
  if (g_rank != 0) {
    // Rank 0 speaks for the job; the workers' messages would only repeat it.
    if (!std::freopen("/dev/null", "w", stdout)) return;
    if (!std::freopen("/dev/null", "w", stderr)) return;
  }
}

Session::~Session() {
  if (g_initialized) MPI_Finalize();
}

bool active() { return g_active; }
int rank() { return g_rank; }
int size() { return g_size; }

std::string broadcast(const std::string& text) {
  if (!g_active) return text;
  unsigned long long n = text.size();
  MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
  std::string buf = g_rank == 0 ? text : std::string(static_cast<std::size_t>(n), '\0');
  MPI_Bcast(buf.data(), static_cast<int>(n), MPI_BYTE, 0, MPI_COMM_WORLD);
  return buf;
}

std::vector<std::string> run_items(std::size_t count, int local_threads, const ItemFn& fn, const DoneFn& done,
                                   const ResultFn& on_result) {
  if (g_rank != 0) {
    worker_loop(fn);
    return {};
  }
  std::vector<std::string> results(count);
  std::mutex mutex;
  std::size_t next = 0, finished = 0;
  auto take = [&]() -> std::ptrdiff_t {
    std::lock_guard<std::mutex> lock(mutex);
    return next < count ? static_cast<std::ptrdiff_t>(next++) : -1;
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < local_threads; ++t) {
    threads.emplace_back([&] {
      for (std::ptrdiff_t i; (i = take()) >= 0;) {
        std::string r = fn(static_cast<std::size_t>(i));
        std::lock_guard<std::mutex> lock(mutex);
        if (on_result) {
          on_result(static_cast<std::size_t>(i), std::move(r));
        } else {
          results[static_cast<std::size_t>(i)] = std::move(r);
        }
        ++finished;
      }
    });
  }
  int workers = g_size - 1;
  std::size_t reported = 0;
  while (workers > 0) {
    MPI_Status status;
    if (!poll_message(status)) {
      std::size_t f;
      {
        std::lock_guard<std::mutex> lock(mutex);
        f = finished;
      }
      if (done && f != reported) done(reported = f, count);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    const std::string msg = receive(status.MPI_SOURCE, status.MPI_TAG, status);
    if (status.MPI_TAG == kTagResult) {
      std::lock_guard<std::mutex> lock(mutex);
      if (on_result) {
        on_result(get_index(msg), msg.substr(8));
      } else {
        results[get_index(msg)] = msg.substr(8);
      }
      ++finished;
    }
    const std::ptrdiff_t i = take();
    if (i < 0) {
      send(status.MPI_SOURCE, kTagStop, "");
      --workers;
    } else {
      std::string order;
      put_index(order, static_cast<std::size_t>(i));
      send(status.MPI_SOURCE, kTagWork, order);
    }
  }
  for (std::thread& t : threads) t.join();
  if (done) done(count, count);
  return results;
}

}  // namespace dcsim::cli::mpi
