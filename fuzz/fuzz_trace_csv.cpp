// Fuzzes the trace loader in its dcsim CSV format, failing on bad rows and skipping them.
#include <cstdio>

#include "fuzz/fuzz_file.h"
#include "sim/traces/trace.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = dcsim::fuzz::write_temp(data, size, ".csv");
  for (const bool skip : {false, true}) {
    dcsim::traces::TraceLoadOptions options;
    options.skip_bad_rows = skip;
    (void)dcsim::traces::load_trace(path, dcsim::traces::TraceFormat::dcsim_csv, options);
  }
  std::remove(path.c_str());
  return 0;
}
