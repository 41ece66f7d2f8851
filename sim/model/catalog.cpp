// The built-in catalog. TDP, BF16 throughput and memory are datasheet figures from
// ../shared/REFERENCE.md ("Accelerators"). Idle power is not published per part: we assume
// 10% of TDP (an H100 SXM idles near 70 W in nvidia-smi), which scenarios can override.
#include "sim/model/catalog.h"

#include <algorithm>

namespace dcsim::model {

namespace {

Catalog make_builtin() {
  Catalog c;
  const auto gpu = [&](std::string name, std::string description, double tdp_w, double tflops, double memory_gb,
                       double price_usd, std::string source) {
    c.gpus.push_back(GpuType{std::move(name), std::move(description), 0.1 * tdp_w, tdp_w, tflops, memory_gb,
                             price_usd, std::move(source)});
  };
  // Per-GPU prices: server price / 8 where REFERENCE.md gives a server price.
  gpu("a100-sxm", "NVIDIA A100 SXM4 80GB", 400, 312, 80, 199000.0 / 8,
      "NVIDIA datasheet; Epoch AI chip dataset; price: DGX A100 launch list price / 8");
  gpu("h100-sxm", "NVIDIA H100 SXM5 80GB", 700, 989, 80, 268500.0 / 8,
      "NVIDIA datasheet; Llama 3 paper 3.3.1; price: HGX H100 249k-288k USD midpoint / 8 (Epoch AI)");
  gpu("h200-sxm", "NVIDIA H200 SXM 141GB", 700, 989, 141, 271000.0 / 8,
      "Epoch AI chip dataset; price: HGX H200 271k USD / 8 (Epoch AI)");
  gpu("b200", "NVIDIA B200 (HGX)", 1000, 2250, 192, 47400.0,
      "Epoch AI chip dataset; price: DGX B200 about 47.4k USD per GPU (Epoch AI)");
  gpu("gb200", "NVIDIA B200 in GB200", 1200, 2500, 192, 3000000.0 / 72,
      "Epoch AI chip dataset; price: assumed 3M USD per NVL72 rack / 72");
  gpu("mi300x", "AMD Instinct MI300X", 750, 1307, 192, 180000.0 / 8,
      "Epoch AI chip dataset; price: assumed 180k USD per 8-GPU server / 8");

  const auto server = [&](std::string name, std::string description, std::string gpu_name, int gpus,
                          double max_w, double price_usd, bool rack_scale, std::string source) {
    const GpuType* g = c.find_gpu(gpu_name);
    const double overhead_w = max_w - gpus * g->tdp_w;
    c.servers.push_back(ServerType{std::move(name), std::move(description), std::move(gpu_name), gpus, overhead_w,
                                   price_usd, 5.0, rack_scale, std::move(source)});
  };
  // Overhead = published maximum system draw - GPUs at TDP.
  server("dgx-a100", "NVIDIA DGX A100, 8x A100 SXM4", "a100-sxm", 8, 6500, 199000, false,
         "6.5 kW max system power (NVIDIA DGX A100 datasheet); 199k USD launch list price");
  server("dgx-h100", "NVIDIA DGX H100, 8x H100 SXM5", "h100-sxm", 8, 10200, 268500, false,
         "10.2 kW max per system, 4 per 40.8 kW rack (REFERENCE.md); 249k-288k USD midpoint (Epoch AI)");
  server("hgx-h200", "HGX H200 server, 8x H200 SXM", "h200-sxm", 8, 10200, 271000, false,
         "power as DGX H100 (same 700 W GPUs); 271k USD (Epoch AI)");
  server("dgx-b200", "NVIDIA DGX B200, 8x B200", "b200", 8, 14300, 8 * 47400.0, false,
         "14.3 kW max system power (NVIDIA DGX B200 datasheet); 47.4k USD per GPU (Epoch AI)");
  server("gb200-nvl72", "NVIDIA GB200 NVL72 rack, 72x B200 + 36 Grace", "gb200", 72, 150000, 3000000, true,
         "about 150 kW per rack (NVIDIA GB200 SuperPOD reference architecture, 1.2 MW per 8 racks); price assumed");
  server("mi300x-8", "8x AMD MI300X platform", "mi300x", 8, 9000, 180000, false,
         "max draw and price assumed (8x 750 W + 3 kW host)");
  return c;
}

template <class T>
const T* find_by_name(const std::vector<T>& items, const std::string& name) {
  const auto it = std::find_if(items.begin(), items.end(), [&](const T& t) { return t.name == name; });
  return it == items.end() ? nullptr : &*it;
}

template <class T>
std::vector<std::string> names_of(const std::vector<T>& items) {
  std::vector<std::string> out;
  out.reserve(items.size());
  for (const T& t : items) out.push_back(t.name);
  return out;
}

}  // namespace

const GpuType* Catalog::find_gpu(const std::string& name) const { return find_by_name(gpus, name); }
const ServerType* Catalog::find_server(const std::string& name) const { return find_by_name(servers, name); }
std::vector<std::string> Catalog::gpu_names() const { return names_of(gpus); }
std::vector<std::string> Catalog::server_names() const { return names_of(servers); }

const Catalog& builtin_catalog() {
  static const Catalog catalog = make_builtin();
  return catalog;
}

double max_power_w(const ServerType& server, const GpuType& gpu) { return server.gpus * gpu.tdp_w + server.overhead_w; }

double relative_speed(const GpuType& gpu) { return gpu.bf16_tflops / builtin_catalog().find_gpu(kReferenceGpu)->bf16_tflops; }

}  // namespace dcsim::model
