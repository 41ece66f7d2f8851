// dcsim-gui: the analyst dashboard. `dcsim-gui [SCENARIO | RESULTS_DIR]` opens the window;
// `dcsim-gui --export-charts RESULTS_DIR -o DIR` writes a PNG of each chart and exits.
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTextStream>

#include <ctime>

#include "gui/main_window.h"

int main(int argc, char** argv) {
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
  const QCommandLineOption timing_opt("timing",
                                      "With --export-charts: print to stderr how long reading the folder and filling "
                                      "every chart, and drawing and writing the PNGs, took.");
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
      err << QString("read the folder and filled every chart in %1 s; drew and wrote %2 PNGs in %3 s\n")
                 .arg(open_s, 0, 'f', 3)
                 .arg(written.size())
                 .arg(static_cast<double>(clock.nsecsElapsed()) / 1e9, 0, 'f', 3);
    }
    QTextStream out(stdout);
    for (const QString& p : written) out << p << "\n";
    if (written.isEmpty()) {
      err << "error: no chart could be written to " << parser.value(out_opt) << "\n";
      return 1;
    }
    return 0;
  }

  dcsim::gui::MainWindow window;
  window.show();
  if (!parser.positionalArguments().isEmpty()) window.openPath(parser.positionalArguments().first());
  return QApplication::exec();
}
