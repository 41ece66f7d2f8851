// Problems found in user input, each tied to a place in a file, with a stable code and a hint.
#pragma once
#include <string>
#include <vector>

namespace dcsim::scenario {

// 1-based line and column; line 0 means "the whole file" (or not from a file, e.g. --set).
struct SourcePos {
  std::string file;
  int line = 0;
  int column = 0;
};

struct Diagnostic {
  SourcePos pos;
  std::string code;     // stable, e.g. "S104"; see diagnostics.cpp for the catalogue
  std::string message;  // what is wrong, what was expected
  std::string hint;     // e.g. "did you mean 'scheduler'?" (may be empty)
};

// "file:line:column: error[CODE]: message", then the offending source line with a caret under
// the column, then "hint: ..." when there is one. Reads the file to show the line.
std::string format_diagnostic(const Diagnostic& d);

// Nearest candidate by edit distance, or "" if none is close enough to be a plausible typo.
std::string nearest_name(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace dcsim::scenario
