// dcsim-gui: the analyst dashboard. `dcsim-gui [SCENARIO | RESULTS_DIR]` opens the window;
// `dcsim-gui --export-charts RESULTS_DIR -o DIR` writes a PNG of each chart and exits;
// `dcsim-gui --timing RESULTS_DIR` opens the folder, draws every chart as the window would and
// says how long that took.
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTextStream>

#include <ctime>

#ifdef __linux__
#include <sys/mman.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#endif
#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>

#include <cstdint>
#include <vector>
#endif

#include "gui/main_window.h"

namespace {

// Seconds since the process started (the kernel's start time, 10 ms steps), so that a timing
// includes loading the libraries and starting Qt; -1 where unknown.
double secondsSinceProcessStart() {
#ifdef __linux__
  std::ifstream stat_file("/proc/self/stat");
  std::string stat;
  std::getline(stat_file, stat);
  const auto paren = stat.rfind(')');
  if (paren == std::string::npos) return -1.0;
  // Fields after the command name: the state is field 3, the start time (clock ticks after boot) field 22.
  std::istringstream fields(stat.substr(paren + 2));
  std::string field;
  for (int i = 3; i < 22 && fields >> field; ++i) {
  }
  unsigned long long start_ticks = 0;
  timespec now{};
  if (!(fields >> start_ticks) || clock_gettime(CLOCK_BOOTTIME, &now) != 0) return -1.0;
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9 -
         static_cast<double>(start_ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
#else
  return -1.0;
#endif
}

// A results folder's tables are large (the campus: 37 columns of 43,800 numbers, and their copies
// in the charts) and touched for the first time as they fill, a page fault per 4 KB; on a VM a
// fault costs about 10 us, and 18,000 of them were a fifth of opening a campus folder. As glibc's
// glibc.malloc.hugetlb=1 tunable does (an environment variable, too late to set here): serve
// blocks up to 32 MB from malloc's heap, grow it once by 256 MB (address space: pages are only
// backed when touched) and keep it, and ask for transparent huge pages on it, 2 MB a fault.
void useHugePagesForTheHeap() {
#if defined(__linux__) && defined(__GLIBC__)
  constexpr std::size_t huge = std::size_t{2} << 20, block = std::size_t{16} << 20, reserve = std::size_t{256} << 20;
  if (mallopt(M_MMAP_THRESHOLD, 32 << 20) == 0 || mallopt(M_TRIM_THRESHOLD, 1 << 30) == 0) return;
  const auto start = reinterpret_cast<std::uintptr_t>(sbrk(0));
  std::vector<void*> blocks;
  for (std::size_t grown = 0; grown < reserve; grown += block) blocks.push_back(malloc(block));
  for (void* b : blocks) free(b);
  const auto end = reinterpret_cast<std::uintptr_t>(sbrk(0));
  const std::uintptr_t first = (start + huge - 1) / huge * huge, last = end / huge * huge;
  if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#endif
}

QString sinceStart() {
  const double s = secondsSinceProcessStart();
  return s < 0.0 ? QString() : QString("; %1 s since the process started").arg(s, 0, 'f', 2);
}

}  // namespace

int main(int argc, char** argv) {
  useHugePagesForTheHeap();
  // Results are in UTC and Qt Charts' date axes label in local time: make local time UTC.
  qputenv("TZ", "UTC");
  tzset();
  QApplication app(argc, argv);
  QApplication::setOrganizationName("dcsim");
  QApplication::setApplicationName("dcsim-gui");
  QApplication::setApplicationVersion(DCSIM_VERSION);

  QCommandLineParser parser;
  parser.setApplicationDescription("dcsim-gui: the analyst dashboard of dcsim");
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption export_opt("export-charts", "Write a PNG of each chart of RESULTS_DIR and exit.", "RESULTS_DIR");
  const QCommandLineOption out_opt(QStringList{"o", "output"}, "Folder for --export-charts (default: .).", "DIR", ".");
  const QCommandLineOption timing_opt(
      "timing",
      "Open PATH (a results folder) as the window does, draw every chart at its size in the window (no file "
      "written), print to stderr how long reading and filling, and drawing, took, and exit. With --export-charts: "
      "how long reading and filling, and drawing and writing the PNGs, took.");
  parser.addOption(export_opt);
  parser.addOption(out_opt);
  parser.addOption(timing_opt);
  parser.addPositionalArgument("path", "A scenario file or a results folder to open.", "[PATH]");
  parser.process(app);

  QTextStream err(stderr);
  if (parser.isSet(export_opt)) {
    dcsim::gui::MainWindow window;
    QElapsedTimer clock;
    clock.start();
    if (!window.openResultsFolder(parser.value(export_opt))) {
      err << "error: " << window.messageText() << "\n";
      return 2;
    }
    const double open_s = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    clock.restart();
    const QStringList written = window.exportChartPngs(parser.value(out_opt));
    if (parser.isSet(timing_opt)) {
      err << QString("read the folder and filled every chart in %1 s; drew and wrote %2 PNGs in %3 s")
                 .arg(open_s, 0, 'f', 3)
                 .arg(written.size())
                 .arg(static_cast<double>(clock.nsecsElapsed()) / 1e9, 0, 'f', 3)
          << sinceStart() << "\n";
    }
    QTextStream out(stdout);
    for (const QString& p : written) out << p << "\n";
    if (written.isEmpty()) {
      err << "error: no chart could be written to " << parser.value(out_opt) << "\n";
      return 1;
    }
    return 0;
  }

  if (parser.isSet(timing_opt)) {
    if (parser.positionalArguments().isEmpty()) {
      err << "error: --timing needs a results folder (or --export-charts)\n";
      return 2;
    }
    const QString path = parser.positionalArguments().first();
    dcsim::gui::MainWindow window;
    QElapsedTimer clock;
    clock.start();
    if (!window.openResultsFolder(path)) {
      err << "error: " << window.messageText() << "\n";
      return 2;
    }
    const double open_s = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    clock.restart();
    const int drawn = window.drawEveryChart();
    err << QString("read the folder and filled every chart in %1 s; drew %2 charts at their size in the %3x%4 window "
                   "in %5 s")
               .arg(open_s, 0, 'f', 3)
               .arg(drawn)
               .arg(window.width())
               .arg(window.height())
               .arg(static_cast<double>(clock.nsecsElapsed()) / 1e9, 0, 'f', 3)
        << sinceStart() << "\n";
    return drawn > 0 ? 0 : 1;
  }

  dcsim::gui::MainWindow window;
  window.show();
  if (!parser.positionalArguments().isEmpty()) window.openPath(parser.positionalArguments().first());
  return QApplication::exec();
}
