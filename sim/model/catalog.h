// GPU and server types, and the built-in catalog of current parts (figures from
// ../shared/REFERENCE.md; each entry says where its numbers come from).
#pragma once
#include <string>
#include <vector>

namespace dcsim::model {

struct GpuType {
  std::string name;
  std::string description;
  double idle_w = 0.0;
  double tdp_w = 0.0;
  double bf16_tflops = 0.0;  // dense
  double memory_gb = 0.0;
  double price_usd = 0.0;    // per GPU, used for inline servers without a price
  std::string source;
};

struct ServerType {
  std::string name;
  std::string description;
  std::string gpu;           // GpuType name
  int gpus = 1;
  double overhead_w = 0.0;   // CPUs, NICs, fans, switches: drawn whenever the server is on
  double price_usd = 0.0;
  double useful_life_years = 5.0;
  bool rack_scale = false;   // one server is a whole rack (GB200 NVL72)
  std::string source;
};

struct Catalog {
  std::vector<GpuType> gpus;
  std::vector<ServerType> servers;

  const GpuType* find_gpu(const std::string& name) const;
  const ServerType* find_server(const std::string& name) const;
  std::vector<std::string> gpu_names() const;
  std::vector<std::string> server_names() const;
};

const Catalog& builtin_catalog();

// Maximum draw of a server: every GPU at TDP plus the overhead.
double max_power_w(const ServerType& server, const GpuType& gpu);

// The name of the reference part of work given in H100-equivalent GPU-hours (duration_basis: h100).
inline constexpr const char* kReferenceGpu = "h100-sxm";

// Speed of a GPU type relative to the built-in H100 SXM: the ratio of dense BF16 throughput,
// the precision large-model training runs in (0 when the type gives no throughput).
double relative_speed(const GpuType& gpu);

}  // namespace dcsim::model
