// Fuzzes the scenario loader: any text must give a scenario or diagnostics, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/scenario/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // base_dir is a folder with no CSV files, so empirical distributions fail fast instead of
  // reading whatever the fuzzer names.
  const dcsim::scenario::LoadResult r = dcsim::scenario::load_scenario_text(text, "fuzz.yaml", "/nonexistent");
  if (r.ok()) (void)dcsim::scenario::to_resolved_yaml(*r.scenario);
  return 0;
}
