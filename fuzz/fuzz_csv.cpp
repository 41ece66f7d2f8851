// Fuzzes the CSV reader on text in memory, with and without a header row.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/traces/csv_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const bool header : {true, false}) {
    dcsim::traces::CsvReader reader = dcsim::traces::CsvReader::from_string(text, header);
    (void)reader.column("submit_time");
    dcsim::traces::CsvRecord rec;
    while (reader.next(rec)) {
      for (const std::string& f : rec.fields) {
        double v = 0.0;
        (void)dcsim::traces::parse_double(f, v);
      }
    }
  }
  return 0;
}
