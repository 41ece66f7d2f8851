// dcsim-gui end to end (offscreen): open and run the default scenario and check each chart
// against the results files; cancel a long run; broken scenarios and results folders.
#include <QAction>
#include <QApplication>
#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QComboBox>
#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QLineSeries>
#include <QMenu>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTimer>
#include <QSignalSpy>
#include <QStackedBarSeries>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTableView>
#include <QTreeView>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include "gui/main_window.h"
#include "gui/scenario_model.h"
#include "sim/scenario/keys.h"
#include "sim/traces/csv_reader.h"

using dcsim::gui::ChartPanel;
using dcsim::gui::MainWindow;
using dcsim::gui::ScenarioModel;

namespace {

const QString kSource = QStringLiteral(DCSIM_SOURCE_DIR);

// A column of a CSV file, read independently of the GUI's reader.
std::vector<double> csvColumn(const QString& path, const std::string& name, std::vector<std::string>* text = nullptr) {
  std::string error;
  auto reader = dcsim::traces::CsvReader::open(path.toStdString(), error);
  std::vector<double> out;
  if (!reader) return out;
  const int col = reader->column(name);
  dcsim::traces::CsvRecord rec;
  while (col >= 0 && reader->next(rec)) {
    double v = std::nan("");
    dcsim::traces::parse_double(rec.fields[static_cast<std::size_t>(col)], v);
    out.push_back(v);
    if (text) text->push_back(rec.fields[static_cast<std::size_t>(col)]);
  }
  return out;
}

int entries(const QString& dir) { return static_cast<int>(QDir(dir).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).size()); }

// Runs the dcsim CLI; returns its exit code (-1 if it did not finish) and its output.
int runCli(const QStringList& args, QString* out = nullptr) {
  QProcess p;
  p.setProcessChannelMode(QProcess::MergedChannels);
  p.start(QStringLiteral(DCSIM_EXE), args);
  if (!p.waitForFinished(120000)) return -1;
  if (out) *out = QString::fromUtf8(p.readAll());
  return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

// A short default scenario: 10 days keep each run well under a second.
const QStringList kShort{"--set", "horizon=10 d", "-q"};

// summary.json of a results folder as JSON, read independently of the GUI's reader.
QJsonObject summaryOf(const QString& folder) {
  QFile f(folder + "/summary.json");
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QJsonDocument::fromJson(f.readAll()).object();
}

// The row of a table model whose first column is `key`, or -1.
int rowOf(const QAbstractItemModel* m, const QString& key) {
  for (int r = 0; r < m->rowCount(); ++r) {
    if (m->index(r, 0).data().toString() == key) return r;
  }
  return -1;
}

int columnOf(const QAbstractItemModel* m, const QString& title) {
  for (int c = 0; c < m->columnCount(); ++c) {
    if (m->headerData(c, Qt::Horizontal).toString() == title) return c;
  }
  return -1;
}

// Answers the next message box with `button` (it opens modally, so answer from the event loop);
// `text` receives its text.
void answerNextMessageBox(QMessageBox::StandardButton button, QString* text = nullptr) {
  auto* timer = new QTimer;
  timer->setInterval(10);
  QObject::connect(timer, &QTimer::timeout, [timer, button, text] {
    auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
    if (!box) return;
    if (text) *text = box->text();
    timer->stop();
    timer->deleteLater();
    box->button(button)->click();
  });
  timer->start();
}

// Data rows of a CSV file, counted independently of the GUI.
int csvRows(const QString& path) {
  std::string error;
  auto reader = dcsim::traces::CsvReader::open(path.toStdString(), error);
  if (!reader) return -1;
  int n = 0;
  dcsim::traces::CsvRecord rec;
  while (reader->next(rec)) ++n;
  return n;
}

}  // namespace

class GuiTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

  void runDefaultScenarioShowsTheResultsFiles() {
    QTemporaryDir out;
    MainWindow w;
    w.setResultsRoot(out.path());
    w.show();
    QVERIFY2(w.openScenario(kSource + "/scenarios/default.yaml"), qPrintable(w.messageText()));
    QVERIFY(w.scenarioModel()->rowCount() > 0);
    QSignalSpy done(&w, &MainWindow::runFinished);
    w.startRun();
    QVERIFY(w.isRunning());
    QVERIFY(done.wait(60000));
    QCOMPARE(done.first().at(0).toBool(), true);
    QVERIFY(!w.isRunning());
    const QString folder = out.path() + "/one-hall-of-h100-servers";
    QVERIFY2(QFileInfo::exists(folder + "/summary.json"), qPrintable(w.messageText()));

    // Utilization: one point per timeseries row (2,160 hours: below the downsampling threshold).
    const std::vector<double> busy = csvColumn(folder + "/timeseries.csv", "gpus_busy");
    QCOMPARE(busy.size(), std::size_t{2160});
    ChartPanel* util = w.chartPanel("utilization");
    QLineSeries* busy_line = util->lineSeries("GPUs busy");
    QVERIFY(busy_line);
    QCOMPARE(busy_line->count(), static_cast<int>(busy.size()));
    QCOMPARE(busy_line->at(0).y(), busy.front());
    QCOMPARE(busy_line->at(busy_line->count() - 1).y(), busy.back());
    QCOMPARE(*util->fullData("GPUs busy"), busy);
    QCOMPARE(*util->fullData("Queue length"), csvColumn(folder + "/timeseries.csv", "queue_length"));
    QCOMPARE(busy_line->at(0).x(), double(QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch()));
    QCOMPARE(util->chart()->axes(Qt::Vertical).size(), 2);
    QVERIFY(!util->chart()->axes(Qt::Vertical).first()->titleText().isEmpty());

    // Power.
    ChartPanel* power = w.chartPanel("power");
    const std::vector<double> facility = csvColumn(folder + "/timeseries.csv", "facility_power_kw");
    QVERIFY(power->lineSeries("Facility power"));
    QCOMPARE(power->lineSeries("Facility power")->count(), static_cast<int>(facility.size()));
    QCOMPARE(power->lineSeries("Facility power")->at(0).y(), facility.front());
    QCOMPARE(*power->fullData("IT power"), csvColumn(folder + "/timeseries.csv", "it_power_kw"));

    // Cost: the stacked bars add up to the rows of cost_monthly.csv, by category and in total.
    std::vector<std::string> categories;
    const std::vector<double> amounts = csvColumn(folder + "/cost_monthly.csv", "amount_usd");
    csvColumn(folder + "/cost_monthly.csv", "category", &categories);
    std::map<std::string, double> by_category;
    for (std::size_t i = 0; i < amounts.size(); ++i) by_category[categories[i]] += amounts[i];
    ChartPanel* cost = w.chartPanel("cost");
    QCOMPARE(cost->chart()->series().size(), 2);  // the bars and the cumulative cash line
    auto* bars = qobject_cast<QStackedBarSeries*>(cost->chart()->series().first());
    QVERIFY(bars);
    // Cumulative cash from pnl_monthly.csv, one point per month, on the right axis.
    const std::vector<double> cash = csvColumn(folder + "/pnl_monthly.csv", "cumulative_cash_usd");
    QVERIFY(!cash.empty());
    QCOMPARE(*cost->fullData("Cumulative cash"), cash);
    QCOMPARE(cost->lineSeries("Cumulative cash")->count(), static_cast<int>(cash.size()));
    QCOMPARE(cost->lineSeries("Cumulative cash")->attachedAxes().last()->alignment(), Qt::AlignRight);
    // No prices by GPU type: no revenue chart.
    QVERIFY(w.chartPanel("revenue")->isEmpty());
    QCOMPARE(bars->barSets().size(), static_cast<int>(by_category.size()));
    for (QBarSet* set : bars->barSets()) {
      double sum = 0.0;
      for (int i = 0; i < set->count(); ++i) sum += set->at(i);
      QVERIFY2(std::fabs(sum - by_category[set->label().toStdString()]) < 0.005, qPrintable(set->label()));
    }

    // Capacity: headroom per envelope and month, in % of the limit.
    const std::vector<double> fraction = csvColumn(folder + "/capacity.csv", "headroom_fraction");
    ChartPanel* capacity = w.chartPanel("capacity");
    QLineSeries* gpus = capacity->lineSeries("gpus (GPUs)");
    QVERIFY(gpus);
    QCOMPARE(gpus->count(), static_cast<int>(fraction.size()));
    QCOMPARE(gpus->at(0).y(), 100.0 * fraction.front());

    // KPI table from summary.json.
    auto* model = w.kpiView()->model();
    QVERIFY(model->rowCount() > 30);
    bool found = false;
    for (int r = 0; r < model->rowCount(); ++r) {
      if (model->index(r, 0).data().toString() == "gpus") found = model->index(r, 1).data().toString() == "512";
    }
    QVERIFY(found);

    // Export: PNG and the full data as CSV.
    QTemporaryDir exp;
    const QStringList pngs = w.exportChartPngs(exp.path());
    QCOMPARE(pngs.size(), 6);  // 5 charts (no climate, revenue or SLO chart for this scenario) and floor.png
    QVERIFY(pngs.contains(QDir(exp.path()).filePath("carbon.png")));
    QVERIFY(pngs.contains(QDir(exp.path()).filePath("floor.png")));
    for (const QString& png : pngs) QVERIFY2(QFileInfo(png).size() > 10000, qPrintable(png));
    QVERIFY(util->exportCsv(exp.filePath("u.csv")));
    QCOMPARE(csvColumn(exp.filePath("u.csv"), "GPUs busy"), busy);

    // Yearly KPIs from kpis.csv, as a second table.
    const std::vector<double> kpi_years = csvColumn(folder + "/kpis.csv", "year");
    QVERIFY(!kpi_years.empty());
    auto* yearly = w.yearlyKpiView()->model();
    QCOMPARE(yearly->rowCount(), static_cast<int>(kpi_years.size()));
    QCOMPARE(yearly->headerData(0, Qt::Horizontal).toString(), QString("year"));
    QCOMPARE(yearly->index(0, 0).data().toString().toDouble(), kpi_years.front());

    // No market section: the Market chart is empty and not exported.
    QVERIFY(w.chartPanel("market")->isEmpty());

    // Compare with the same folder: all differences are zero.
    QVERIFY(!util->lineSeries("B: GPUs busy"));
    QVERIFY(w.openCompareFolder(folder));
    QCOMPARE(model->columnCount(), 4);
    // Utilization and Power draw B's main series over A's, dashed.
    QLineSeries* b_busy = util->lineSeries("B: GPUs busy");
    QVERIFY(b_busy);
    QCOMPARE(b_busy->pen().style(), Qt::DashLine);
    // The window has been shown (the export): every hour, or, with more hours than two per pixel
    // column of the plot, each column's min and max and the ends.
    const int buckets = util->bucketsInUse();
    QVERIFY(buckets > 0);
    if (busy.size() <= 2 * static_cast<std::size_t>(buckets)) {
      QCOMPARE(b_busy->count(), static_cast<int>(busy.size()));
    } else {
      QVERIFY2(b_busy->count() <= 2 * buckets + 2 && b_busy->count() > buckets, qPrintable(QString::number(b_busy->count())));
    }
    QCOMPARE(b_busy->at(0).y(), busy.front());
    QCOMPARE(*util->fullData("B: GPUs busy"), busy);
    QVERIFY(util->lineSeries("GPUs busy"));
    QVERIFY(util->lineSeries("B: Queue length"));
    QVERIFY(power->lineSeries("B: Facility power"));
    QCOMPARE(power->lineSeries("B: Facility power")->pen().style(), Qt::DashLine);
    QCOMPARE(*power->fullData("B: Facility power"), facility);
    QCOMPARE(*power->fullData("B: IT power"), csvColumn(folder + "/timeseries.csv", "it_power_kw"));
    // Opening another folder (A) drops B and its overlay.
    QVERIFY(w.openResultsFolder(folder));
    QVERIFY(!w.chartPanel("utilization")->lineSeries("B: GPUs busy"));
  }

  void compareOverlayAlignsBByTime() {
    // B with a different run length and its own values: matched by timestamp, gaps where B ends.
    QTemporaryDir out;
    MainWindow w;
    w.setResultsRoot(out.path());
    QVERIFY(w.openScenario(kSource + "/scenarios/default.yaml"));
    QSignalSpy done(&w, &MainWindow::runFinished);
    w.startRun();
    QVERIFY(done.wait(60000));
    const QString a = out.path() + "/one-hall-of-h100-servers";
    const QString b = out.path() + "/b";
    QVERIFY(QDir().mkpath(b));
    for (const char* name : {"summary.json", "scenario.resolved.yaml", "cost_monthly.csv", "capacity.csv"}) {
      QVERIFY(QFile::copy(a + "/" + name, b + "/" + name));
    }
    {
      std::ofstream ts((b + "/timeseries.csv").toStdString());
      ts << "time,gpus_total,gpus_busy,utilization,it_power_kw,facility_power_kw,queue_length\n";
      ts << "2026-01-01T01:00:00Z,512,100,0.2,10,12,3\n";
      ts << "2026-01-01T02:00:00Z,512,200,0.4,20,24,4\n";
    }
    QVERIFY(w.openResultsFolder(a));
    QVERIFY2(w.openCompareFolder(b), qPrintable(w.messageText()));
    const std::vector<double>& bb = *w.chartPanel("utilization")->fullData("B: GPUs busy");
    QCOMPARE(bb.size(), std::size_t{2160});
    QVERIFY(std::isnan(bb[0]));
    QCOMPARE(bb[1], 100.0);
    QCOMPARE(bb[2], 200.0);
    QVERIFY(std::isnan(bb[3]));
    QCOMPARE((*w.chartPanel("power")->fullData("B: Facility power"))[2], 24.0);
    QCOMPARE(w.chartPanel("utilization")->lineSeries("B: GPUs busy")->count(), 2);  // gaps are not drawn
  }

  void marketChartShowsMarketCsv() {
    QTemporaryDir out;
    MainWindow w;
    w.setResultsRoot(out.path());
    w.show();
    QVERIFY(w.openScenario(kSource + "/scenarios/examples/market-driven-growth.yaml"));
    QSignalSpy done(&w, &MainWindow::runFinished);
    w.startRun();
    QVERIFY(done.wait(60000));
    QCOMPARE(done.first().at(0).toBool(), true);
    const QStringList folders = QDir(out.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCOMPARE(folders.size(), 1);
    const QString folder = out.path() + "/" + folders.first();
    QVERIFY(QFileInfo::exists(folder + "/market.csv"));

    // market.csv read independently: (case, dimension, segment) -> values by year.
    std::vector<std::string> kase, dim, seg;
    const std::vector<double> year = csvColumn(folder + "/market.csv", "year");
    const std::vector<double> usd = csvColumn(folder + "/market.csv", "market_usd_bn");
    csvColumn(folder + "/market.csv", "case", &kase);
    csvColumn(folder + "/market.csv", "dimension", &dim);
    csvColumn(folder + "/market.csv", "segment", &seg);
    std::map<std::string, std::vector<double>> expected;  // "case" for totals, "segment" for a dimension's base rows
    std::string other_dimension;
    for (std::size_t i = 0; i < year.size(); ++i) {
      if (dim[i] == "total") expected["Market " + kase[i]].push_back(usd[i]);
      else if (other_dimension.empty()) other_dimension = dim[i];
    }
    QVERIFY(!other_dimension.empty());

    ChartPanel* market = w.chartPanel("market");
    QVERIFY(!market->isEmpty());
    for (const char* c : {"Market low", "Market base", "Market high"}) {
      QLineSeries* line = market->lineSeries(c);
      QVERIFY2(line, c);
      const std::vector<double>& want = expected[c];
      QCOMPARE(line->count(), static_cast<int>(want.size()));
      for (int i = 0; i < line->count(); ++i) QCOMPARE(line->at(i).y(), want[static_cast<std::size_t>(i)]);
    }
    QCOMPARE(market->lineSeries("Market low")->pen().style(), Qt::DashLine);
    // Our demand on the right axis, from market_demand.csv.
    const std::vector<double> gpu_hours = csvColumn(folder + "/market_demand.csv", "gpu_hours");
    QLineSeries* demand = market->lineSeries("Our demand");
    QVERIFY(demand);
    QCOMPARE(demand->count(), static_cast<int>(gpu_hours.size()));
    QCOMPARE(demand->at(demand->count() - 1).y(), gpu_hours.back());
    QCOMPARE(market->chart()->axes(Qt::Vertical).size(), 2);
    QCOMPARE(demand->attachedAxes().last()->alignment(), Qt::AlignRight);
    QCOMPARE(demand->at(0).x(), double(QDateTime(QDate(2025, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch()));

    // The segment selector: a dimension's segments (base case) join the totals.
    QComboBox* box = w.marketDimensionBox();
    QVERIFY(box->isEnabled());
    QCOMPARE(box->itemText(0), QString("total"));
    box->setCurrentText(QString::fromStdString(other_dimension));
    std::map<std::string, std::vector<double>> segments;
    for (std::size_t i = 0; i < year.size(); ++i) {
      if (dim[i] == other_dimension && kase[i] == "base") segments[seg[i]].push_back(usd[i]);
    }
    QVERIFY(!segments.empty());
    for (const auto& [name, values] : segments) {
      QLineSeries* line = market->lineSeries(QString::fromStdString(name));
      QVERIFY2(line, name.c_str());
      QCOMPARE(line->count(), static_cast<int>(values.size()));
      QCOMPARE(line->at(0).y(), values.front());
    }
    QVERIFY(market->lineSeries("Market base"));

    // Export: market.png, and the CSV holds the file's values.
    QTemporaryDir exp;
    const QStringList pngs = w.exportChartPngs(exp.path());
    QVERIFY(pngs.contains(exp.filePath("market.png")));
    QVERIFY(QFileInfo(exp.filePath("market.png")).size() > 10000);
    QVERIFY(market->exportCsv(exp.filePath("m.csv")));
    QCOMPARE(csvColumn(exp.filePath("m.csv"), "Market base"), expected["Market base"]);
    QCOMPARE(csvColumn(exp.filePath("m.csv"), "Our demand"), gpu_hours);
  }

  void cancelMidwayWritesNothing() {
    QTemporaryDir out;
    MainWindow w;
    w.setResultsRoot(out.path());
    w.show();
    QVERIFY(w.openScenario(kSource + "/scenarios/reference/mmc-check.yaml"));
    QSignalSpy progress(&w, &MainWindow::runProgress);
    QSignalSpy done(&w, &MainWindow::runFinished);
    w.startRun();
    QVERIFY(progress.wait(30000));
    QVERIFY(progress.first().at(0).toDouble() < 1.0);
    w.cancelRun();
    QVERIFY(done.wait(30000));
    QCOMPARE(done.first().at(0).toBool(), false);  // not ok
    QCOMPARE(done.first().at(1).toBool(), true);   // cancelled
    QVERIFY2(w.messageText().contains("cancelled"), qPrintable(w.messageText()));
    QCOMPARE(entries(out.path()), 0);
    QVERIFY(!w.snapshot());
    // Still usable: open and run another scenario.
    QVERIFY(w.openScenario(kSource + "/scenarios/default.yaml"));
    w.startRun();
    QVERIFY(done.wait(60000));
    QCOMPARE(done.last().at(0).toBool(), true);
    QVERIFY(w.snapshot());
  }

  void brokenScenarioNamesFileLineAndColumn() {
    MainWindow w;
    QVERIFY(!w.openScenario(kSource + "/tests/scenarios/invalid/typo_key.yaml"));
    QVERIFY2(w.messageText().contains("typo_key.yaml:22:1: error[S104]: unknown key 'schedular'"),
             qPrintable(w.messageText()));
    QVERIFY(w.messageText().contains("did you mean 'scheduler'?"));
  }

  void editedRackCountValidatesAndRunUsesIt() {
    MainWindow w;
    QVERIFY(w.openScenario(kSource + "/scenarios/default.yaml"));
    ScenarioModel* m = w.scenarioModel();
    const QModelIndex count = m->valueIndex("sites/0/halls/0/racks/0/count");
    QVERIFY(count.isValid());
    QCOMPARE(count.data().toString(), QString("16"));
    QVERIFY(m->flags(count) & Qt::ItemIsEditable);
    // The key's tooltip is the keys table's help for `count` of a rack group.
    const auto* rack_object = dcsim::scenario::keys::find_key(
        *dcsim::scenario::keys::find_key(*dcsim::scenario::keys::find_key(
            *dcsim::scenario::keys::find_key(dcsim::scenario::keys::scenario_object(), "sites")->object, "halls")->object,
            "racks")->object, "count");
    QVERIFY(rack_object && !rack_object->help.empty());
    const QString help = count.sibling(count.row(), ScenarioModel::KeyColumn).data(Qt::ToolTipRole).toString();
    QVERIFY2(help.contains(QString::fromUtf8(rack_object->help.data(), static_cast<int>(rack_object->help.size())).toHtmlEscaped()),
             qPrintable(help));
    // A quantity shows the dimension it expects.
    const QModelIndex limit = m->valueIndex("sites/0/halls/0/racks/0/power_limit");
    QCOMPARE(limit.data().toString(), QString("41 kW"));
    QCOMPARE(limit.sibling(limit.row(), ScenarioModel::UnitColumn).data().toString(), QString("power"));

    QVERIFY(m->setData(count, "24"));
    QVERIFY2(w.scenarioEditsValid(), qPrintable(w.messageText()));
    QCOMPARE(w.scenario()->sites[0].halls[0].racks[0].count, 24);
    QVERIFY(!m->markedIndex().isValid());
  }

  void badUnitShowsLineAndColumnAndMarksTheItem() {
    MainWindow w;
    QVERIFY(w.openScenario(kSource + "/scenarios/default.yaml"));
    ScenarioModel* m = w.scenarioModel();
    const QModelIndex limit = m->valueIndex("sites/0/halls/0/racks/0/power_limit");
    QVERIFY(m->setData(limit, "41 kQ"));
    QVERIFY(!w.scenarioEditsValid());
    // The line and column of the value in the text Save would write, found independently.
    const QStringList lines = QString::fromStdString(m->yamlText()).split('\n');
    int line = 0, column = 0;
    for (int i = 0; i < lines.size(); ++i) {
      if (lines[i].contains("power_limit: 41 kQ")) {
        line = i + 1;
        column = static_cast<int>(lines[i].indexOf("41 kQ")) + 1;
      }
    }
    QVERIFY(line > 0);
    const QString where = QString(":%1:%2: error[").arg(line).arg(column);
    QVERIFY2(w.messageText().contains(where), qPrintable(w.messageText() + " lacks " + where));
    QVERIFY2(w.messageText().contains("kQ"), qPrintable(w.messageText()));
    QCOMPARE(m->markedIndex(), limit);
    QVERIFY(!limit.data(ScenarioModel::ErrorRole).toString().isEmpty());
    // Run refuses the invalid edit instead of running the old scenario.
    w.startRun();
    QVERIFY(!w.isRunning());
    // Fixing the value clears the mark.
    QVERIFY(m->setData(limit, "40 kW"));
    QVERIFY2(w.scenarioEditsValid(), qPrintable(w.messageText()));
    QVERIFY(!m->markedIndex().isValid());
    QCOMPARE(*w.scenario()->sites[0].halls[0].racks[0].power_limit_w, 40000.0);
  }

  void savedEditReloadsWithTheEditedValue() {
    QTemporaryDir tmp;
    const QString path = tmp.path() + "/edited.yaml";
    {
      MainWindow w;
      QVERIFY(w.openScenario(kSource + "/scenarios/default.yaml"));
      QVERIFY(w.scenarioModel()->setData(w.scenarioModel()->valueIndex("sites/0/halls/0/racks/0/count"), "20"));
      QVERIFY(w.scenarioModel()->setData(w.scenarioModel()->valueIndex("horizon"), "30 d"));
      QVERIFY(w.scenarioEditsValid());
      QVERIFY(w.saveScenarioTo(path));
    }
    MainWindow w2;
    QVERIFY2(w2.openScenario(path), qPrintable(w2.messageText()));
    QCOMPARE(w2.scenario()->sites[0].halls[0].racks[0].count, 20);
    QCOMPARE(w2.scenario()->horizon_s, 30.0 * 86400.0);
    QCOMPARE(w2.scenarioModel()->valueIndex("sites/0/halls/0/racks/0/count").data().toString(), QString("20"));
    // What was not edited stays as written (units, flow maps).
    QCOMPARE(w2.scenarioModel()->valueIndex("sites/0/halls/0/racks/0/power_limit").data().toString(), QString("41 kW"));
    QCOMPARE(w2.scenarioModel()->valueIndex("workloads/0/arrivals/rate").data().toString(), QString("30 /day"));
    QCOMPARE(w2.scenario()->name, std::string("One hall of H100 servers"));
  }

  void floorHasOneCellPerRackColouredByTheHallsPower() {
    QTemporaryDir out;
    MainWindow w;
    w.setResultsRoot(out.path());
    QVERIFY(w.openScenario(kSource + "/scenarios/default.yaml"));
    int racks = 0;
    for (const auto& site : w.scenario()->sites) {
      for (const auto& hall : site.halls) {
        for (const auto& g : hall.racks) racks += g.count;
      }
    }
    QCOMPARE(racks, 16);
    QSignalSpy done(&w, &MainWindow::runFinished);
    w.startRun();
    QVERIFY(done.wait(60000));
    QVERIFY(done.first().at(0).toBool());
    dcsim::gui::FloorPanel* floor = w.floorPanel();
    QCOMPARE(floor->cellCount(), racks);
    const std::vector<double> it = csvColumn(out.path() + "/one-hall-of-h100-servers/timeseries.csv", "it_power_kw");
    QCOMPARE(floor->hourCount(), static_cast<int>(it.size()));
    // One rack group: every rack carries 1/16 of the hall's IT power at the chosen hour.
    for (int hour : {0, 100, 2000}) {
      floor->setHour(hour);
      double sum = 0.0;
      for (int r = 0; r < racks; ++r) {
        QVERIFY(std::fabs(floor->rackValue(0, r) - it[static_cast<std::size_t>(hour)] / 16.0) < 1e-9);
        sum += floor->rackValue(0, r);
      }
      QVERIFY(std::fabs(sum - it[static_cast<std::size_t>(hour)]) < 1e-6);
    }
    // Share of the rack maximum: 4 DGX H100 per rack at 8 GPUs x TDP + overhead each.
    floor->setMode(dcsim::gui::FloorPanel::Mode::share_of_max);
    const double rack_max_kw = floor->halls()[0].racks[0].max_kw;
    QVERIFY(rack_max_kw > 4 * 8 * 0.7);  // at least the GPUs' 700 W TDP
    QVERIFY(std::fabs(floor->rackValue(0, 3) - 100.0 * it[2000] / (16 * rack_max_kw)) < 1e-9);
    QCOMPARE(floor->legendMax(), 100.0);
  }

  void fiveYearHourlySeriesDrawsFewPointsAndExportsEveryRow() {
    ChartPanel panel("long", "five years");
    panel.resize(1200, 600);
    const int hours = 5 * 8760;
    std::vector<QString> text;
    std::vector<double> ms, y;
    const qint64 start = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    for (int h = 0; h < hours; ++h) {
      ms.push_back(static_cast<double>(start + qint64{3600000} * h));
      text.push_back(QString::number(h));
      y.push_back(h == 30001 ? 1000.0 : (h == 777 ? -5.0 : std::sin(h * 0.01)));
    }
    panel.setLines("time", text, ms, {{"load", y, false, false}}, "kW", "", "yyyy", false, false);
    QLineSeries* line = panel.lineSeries("load");
    QVERIFY(line);
    QVERIFY2(line->count() <= 2 * ChartPanel::displayBuckets() + 2, qPrintable(QString::number(line->count())));
    QVERIFY(line->count() > 100);
    double top = -1e9, bottom = 1e9;
    for (const QPointF& p : line->points()) {
      top = std::max(top, p.y());
      bottom = std::min(bottom, p.y());
    }
    QCOMPARE(top, 1000.0);
    QCOMPARE(bottom, -5.0);
    QCOMPARE(panel.fullData("load")->size(), static_cast<std::size_t>(hours));
    QTemporaryDir tmp;
    const QString csv = tmp.path() + "/long.csv";
    QVERIFY(panel.exportCsv(csv));
    std::vector<std::string> first;
    const std::vector<double> back = csvColumn(csv, "load", &first);
    QCOMPARE(back.size(), static_cast<std::size_t>(hours));
    QCOMPARE(back[30001], 1000.0);
    QCOMPARE(back[777], -5.0);
    QVERIFY(std::fabs(back[12345] - std::sin(12345 * 0.01)) < 1e-12);
  }

  void brokenResultsFolderIsAMessageNotACrash() {
    QTemporaryDir out;
    MainWindow w;
    w.setResultsRoot(out.path());
    QVERIFY(w.openScenario(kSource + "/scenarios/default.yaml"));
    QSignalSpy done(&w, &MainWindow::runFinished);
    w.startRun();
    QVERIFY(done.wait(60000));
    const QString folder = out.path() + "/one-hall-of-h100-servers";
    QVERIFY(w.openResultsFolder(folder));

    const std::filesystem::path dir = folder.toStdString();
    std::filesystem::remove(dir / "capacity.csv");
    QVERIFY(!w.openResultsFolder(folder));
    QVERIFY2(w.messageText().contains("capacity.csv: missing"), qPrintable(w.messageText()));

    std::ofstream(dir / "capacity.csv") << "month,envelope,site,hall,unit,peak_demand,limit,headroom,headroom_fraction\n";
    std::ofstream(dir / "timeseries.csv", std::ios::app) << "2026-04-01T00:00:00Z,512,3\n";
    QVERIFY(!w.openResultsFolder(folder));
    QVERIFY2(w.messageText().contains("timeseries.csv: line 2162: 3 fields"), qPrintable(w.messageText()));

    std::ofstream(dir / "summary.json") << "{ \"scenario\": ";
    QVERIFY(!w.openResultsFolder(folder));
    QVERIFY2(w.messageText().contains("summary.json:"), qPrintable(w.messageText()));
    // The results shown before are still there.
    QVERIFY(w.snapshot());
    QCOMPARE(w.chartPanel("utilization")->lineSeries("GPUs busy")->count(), 2160);

    // A long series is downsampled for display (min and max per bucket keep a spike); the
    // full data stays for export.
    std::ofstream(dir / "summary.json") << "{\n  \"scenario\": \"long\",\n  \"dcsim_version\": \"x\",\n  \"format_version\": 1\n}\n";
    {
      std::ofstream ts(dir / "timeseries.csv");
      ts << "time,gpus_total,gpus_busy,utilization,it_power_kw,facility_power_kw,queue_length\n";
      const qint64 start = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC).toSecsSinceEpoch();
      for (int h = 0; h < 20000; ++h) {
        const QString t = QDateTime::fromSecsSinceEpoch(start + 3600 * h, Qt::UTC).toString("yyyy-MM-ddTHH:mm:ssZ");
        ts << t.toStdString() << ",10," << (h == 12345 ? 9.5 : 1.0 + (h % 7) * 0.1) << ",0.1,1,1,0\n";
      }
    }
    QVERIFY2(w.openResultsFolder(folder), qPrintable(w.messageText()));
    QLineSeries* busy = w.chartPanel("utilization")->lineSeries("GPUs busy");
    QVERIFY(busy->count() <= 2 * ChartPanel::displayBuckets() + 2);  // each bucket's min and max, and the ends
    QCOMPARE(w.chartPanel("utilization")->fullData("GPUs busy")->size(), std::size_t{20000});
    double top = 0.0;
    for (const QPointF& p : busy->points()) top = std::max(top, p.y());
    QCOMPARE(top, 9.5);
  }

  void sweepFolderComparesEveryVariantOnTheSameCharts() {
    QTemporaryDir tmp;
    const QString sweep = tmp.path() + "/sweep";
    QCOMPARE(runCli(QStringList{"sweep", kSource + "/scenarios/default.yaml", "--vary",
                               "workloads.research.arrivals.rate=20/day,40/day,60/day", "-o", sweep, "--threads", "1"} +
                   kShort),
             0);
    MainWindow w;
    QVERIFY2(w.openResultsFolder(sweep), qPrintable(w.messageText()));
    QCOMPARE(w.compareCount(), 2);
    // Each variant's series on the charts, at A's hours.
    ChartPanel* util = w.chartPanel("utilization");
    const QString v[] = {sweep + "/variants/v0001", sweep + "/variants/v0002", sweep + "/variants/v0003"};
    QCOMPARE(*util->fullData("GPUs busy"), csvColumn(v[0] + "/timeseries.csv", "gpus_busy"));
    QCOMPARE(*util->fullData("B: GPUs busy"), csvColumn(v[1] + "/timeseries.csv", "gpus_busy"));
    QCOMPARE(*util->fullData("C: GPUs busy"), csvColumn(v[2] + "/timeseries.csv", "gpus_busy"));
    QCOMPARE(*w.chartPanel("power")->fullData("C: Facility power"), csvColumn(v[2] + "/timeseries.csv", "facility_power_kw"));
    QCOMPARE(util->lineSeries("C: Queue length")->pen().style(), Qt::DashLine);
    // The KPI table: every run side by side, then each against A; plain runs have no p column.
    const QAbstractItemModel* m = w.kpiView()->model();
    QCOMPARE(m->columnCount(), 1 + 3 + 2);
    QCOMPARE(m->headerData(1, Qt::Horizontal).toString(), QString("A"));
    QCOMPARE(m->headerData(3, Qt::Horizontal).toString(), QString("C"));
    QVERIFY(m->headerData(2, Qt::Horizontal, Qt::ToolTipRole).toString().contains("rate=40/day"));
    const int b_minus_a = columnOf(m, "B − A"), c_minus_a = columnOf(m, "C − A");
    QVERIFY(b_minus_a > 0 && c_minus_a > 0);
    for (const char* kpi : {"jobs_submitted", "mean_wait_hours", "gpu_utilization", "total_cost_usd"}) {
      const int r = rowOf(m, kpi);
      QVERIFY2(r >= 0, kpi);
      double s[3];
      for (int i = 0; i < 3; ++i) {
        s[i] = summaryOf(v[i]).value(kpi).toDouble();
        QCOMPARE(m->index(r, 1 + i).data(Qt::UserRole).toDouble(), s[i]);
      }
      QCOMPARE(m->index(r, b_minus_a).data(Qt::UserRole).toDouble(), s[1] - s[0]);
      QCOMPARE(m->index(r, c_minus_a).data(Qt::UserRole).toDouble(), s[2] - s[0]);
    }
    // More arrivals: more jobs submitted in B and C than in A.
    QVERIFY(m->index(rowOf(m, "jobs_submitted"), b_minus_a).data(Qt::UserRole).toDouble() > 0);
    // The Tables tab holds sweep.csv and every variant's files.
    QVERIFY(w.tablesPanel()->tableNames().contains("sweep.csv"));
    QVERIFY(w.tablesPanel()->tableNames().contains("variants/v0003/timeseries.csv"));
    // Clearing the comparison drops the overlays and the extra columns.
    w.clearComparison();
    QCOMPARE(w.compareCount(), 0);
    QVERIFY(!util->lineSeries("B: GPUs busy"));
    QCOMPARE(m->columnCount(), 2);
    // Adding the sweep to a run compares with each of its variants.
    QVERIFY(w.openCompareFolder(sweep));
    QCOMPARE(w.compareCount(), 3);
    QCOMPARE(*util->fullData("D: GPUs busy"), csvColumn(v[2] + "/timeseries.csv", "gpus_busy"));
  }

  void replicatedRunsShowWelchsPAsDcsimCompare() {
    QTemporaryDir tmp;
    const QString a = tmp.path() + "/a", b = tmp.path() + "/b";
    QCOMPARE(runCli(QStringList{"run", kSource + "/scenarios/default.yaml", "--replications", "4", "--threads", "1", "-o", a} +
                   kShort),
             0);
    QCOMPARE(runCli(QStringList{"run", kSource + "/scenarios/default.yaml", "--replications", "4", "--threads", "1", "-o", b,
                               "--set", "workloads.research.arrivals.rate=60/day"} +
                   kShort),
             0);
    QString cli;
    QCOMPARE(runCli({"compare", a, b}, &cli), 0);
    MainWindow w;
    QVERIFY2(w.openResultsFolder(a), qPrintable(w.messageText()));
    // The charts draw the P50 over the replications with the P10-P90 band (timeseries_bands.csv),
    // not replication 0 alone.
    const QString bands = a + "/timeseries_bands.csv";
    auto percent = [](std::vector<double> v) {
      for (double& x : v) x *= 100.0;
      return v;
    };
    ChartPanel* util = w.chartPanel("utilization");
    QVERIFY(!util->lineSeries("GPUs busy"));
    const dcsim::gui::LineSpec* u = util->spec("Utilization P50");
    QVERIFY(u);
    QCOMPARE(u->y, percent(csvColumn(bands, "utilization_p50")));
    QCOMPARE(u->band_lo, percent(csvColumn(bands, "utilization_p10")));
    QCOMPARE(u->band_hi, percent(csvColumn(bands, "utilization_p90")));
    QCOMPARE(u->y.size(), std::size_t{240});  // 10 days, hourly
    // The band is drawn: its bounds are the P90 and P10 rows (240 hours: not downsampled).
    QAreaSeries* band = util->areaSeries("Utilization P10-P90");
    QVERIFY(band);
    QCOMPARE(band->upperSeries()->count(), 240);
    QCOMPARE(band->upperSeries()->at(17).y(), u->band_hi[17]);
    QCOMPARE(band->lowerSeries()->at(17).y(), u->band_lo[17]);
    bool wider = false;
    for (std::size_t i = 0; i < u->band_lo.size(); ++i) wider = wider || u->band_lo[i] < u->band_hi[i];
    QVERIFY(wider);  // the replications differ somewhere
    QCOMPARE(util->spec("Queue length P50")->band_hi, csvColumn(bands, "queue_length_p90"));
    QVERIFY(util->areaSeries("Queue length P10-P90"));
    ChartPanel* power = w.chartPanel("power");
    QCOMPARE(power->spec("IT power P50")->y, csvColumn(bands, "it_power_kw_p50"));
    QCOMPARE(power->spec("Facility power P50")->band_lo, csvColumn(bands, "facility_power_kw_p10"));
    QVERIFY(power->areaSeries("Facility power P10-P90"));
    // The export holds the P50 and both bounds of every hour.
    QTemporaryDir exp;
    QVERIFY(power->exportCsv(exp.filePath("p.csv")));
    QCOMPARE(csvColumn(exp.filePath("p.csv"), "IT power P10"), csvColumn(bands, "it_power_kw_p10"));
    QCOMPARE(csvColumn(exp.filePath("p.csv"), "IT power P90"), csvColumn(bands, "it_power_kw_p90"));
    QVERIFY2(w.openCompareFolder(b), qPrintable(w.messageText()));
    // A replicated B overlays its own P50.
    QCOMPARE(*util->fullData("B: Utilization P50"), percent(csvColumn(b + "/timeseries_bands.csv", "utilization_p50")));
    QCOMPARE(*power->fullData("B: IT power P50"), csvColumn(b + "/timeseries_bands.csv", "it_power_kw_p50"));
    const QAbstractItemModel* m = w.kpiView()->model();
    const int p_col = columnOf(m, "p (B)");
    QVERIFY(p_col > 0);
    QCOMPARE(m->index(rowOf(m, "replications"), 1).data().toString(), QString("4"));
    // Means from summary.json, p-values and significance marks as `dcsim compare` prints them.
    const QJsonObject ka = summaryOf(a).value("kpis").toObject(), kb = summaryOf(b).value("kpis").toObject();
    int checked = 0, significant = 0;
    for (const QString& line : cli.split('\n')) {
      const QStringList f = line.split(' ', Qt::SkipEmptyParts);
      // kpi run1 run2 run2-run1 change p [*]
      if (f.size() < 6 || !ka.contains(f[0])) continue;
      const int r = rowOf(m, f[0]);
      QVERIFY2(r >= 0, qPrintable(f[0]));
      QCOMPARE(m->index(r, 1).data(Qt::UserRole).toDouble(), ka.value(f[0]).toObject().value("mean").toDouble());
      QCOMPARE(m->index(r, 2).data(Qt::UserRole).toDouble(), kb.value(f[0]).toObject().value("mean").toDouble());
      const QString shown = m->index(r, p_col).data().toString();
      if (f[5] == "-") {
        QCOMPARE(shown, QString("-"));
      } else {
        QVERIFY2(std::fabs(m->index(r, p_col).data(Qt::UserRole).toDouble() - f[5].toDouble()) <= 1e-3 * f[5].toDouble(),  // %.4g
                 qPrintable(f[0] + ": " + shown + " vs " + f[5]));
        const bool star = f.size() > 6 && f[6] == "*";
        QCOMPARE(shown.endsWith(" *"), star);
        significant += star ? 1 : 0;
      }
      ++checked;
    }
    QVERIFY(checked > 10);
    QVERIFY(significant > 0);  // twice the arrivals: jobs_submitted differs beyond doubt
  }

  void compareOverlaysCostAndCapacityOfEveryRun() {
    // A sweep of three variants over two months: A's cost bars, and each other run's monthly cost
    // total, cumulative cash and envelope headroom, dashed, with its values from its own files.
    QTemporaryDir tmp;
    const QString sweep = tmp.path() + "/sweep";
    QCOMPARE(runCli({"sweep", kSource + "/scenarios/default.yaml", "--vary",
                     "workloads.research.arrivals.rate=20/day,40/day,80/day", "-o", sweep, "--threads", "1", "--set",
                     "horizon=45 d", "-q"}),
             0);
    MainWindow w;
    QVERIFY2(w.openResultsFolder(sweep), qPrintable(w.messageText()));
    QCOMPARE(w.compareCount(), 2);
    ChartPanel* cost = w.chartPanel("cost");
    ChartPanel* capacity = w.chartPanel("capacity");
    // The bars, A's cumulative cash, and per other run its total and its cumulative cash.
    QCOMPARE(cost->chart()->series().size(), 1 + 1 + 2 * 2);
    const QString v[] = {sweep + "/variants/v0001", sweep + "/variants/v0002", sweep + "/variants/v0003"};
    std::vector<std::string> a_months;
    csvColumn(v[0] + "/pnl_monthly.csv", "month", &a_months);
    QCOMPARE(a_months.size(), std::size_t{2});
    for (int i = 1; i < 3; ++i) {
      const QString label = i == 1 ? "B" : "C";
      // The monthly total: cost_monthly.csv's rows added by month, independently of the GUI.
      std::vector<std::string> months;
      const std::vector<double> amounts = csvColumn(v[i] + "/cost_monthly.csv", "amount_usd");
      csvColumn(v[i] + "/cost_monthly.csv", "month", &months);
      std::map<std::string, double> total;
      for (std::size_t r = 0; r < amounts.size(); ++r) total[months[r]] += amounts[r];
      const std::vector<double>* shown = cost->fullData(label + ": total cost");
      QVERIFY2(shown, qPrintable(label));
      QCOMPARE(shown->size(), a_months.size());
      for (std::size_t m = 0; m < a_months.size(); ++m) QVERIFY(std::fabs((*shown)[m] - total[a_months[m]]) < 0.005);
      QCOMPARE(*cost->fullData(label + ": cumulative cash"), csvColumn(v[i] + "/pnl_monthly.csv", "cumulative_cash_usd"));
      QCOMPARE(cost->lineSeries(label + ": total cost")->pen().style(), Qt::DashLine);
      QCOMPARE(cost->lineSeries(label + ": total cost")->count(), 2);
      // One colour per run: its cash dotted in its total's colour.
      QCOMPARE(cost->lineSeries(label + ": cumulative cash")->pen().style(), Qt::DotLine);
      QCOMPARE(cost->lineSeries(label + ": cumulative cash")->pen().color(), cost->lineSeries(label + ": total cost")->pen().color());
      // Capacity: the run's GPU envelope headroom in % of its limit, month by month.
      const std::vector<double> fraction = csvColumn(v[i] + "/capacity.csv", "headroom_fraction");
      std::vector<double> percent;
      for (double f : fraction) percent.push_back(100.0 * f);
      QCOMPARE(*capacity->fullData(label + ": gpus (GPUs)"), percent);
      QCOMPARE(capacity->lineSeries(label + ": gpus (GPUs)")->pen().style(), Qt::DashLine);
    }
    QVERIFY(cost->lineSeries("B: total cost")->pen().color() != cost->lineSeries("C: total cost")->pen().color());
    // One legend entry per run and envelope: A's, B's and C's.
    QCOMPARE(capacity->chart()->series().size(), 3);
    // More arrivals, more energy: C's first month costs more than B's.
    QVERIFY((*cost->fullData("C: total cost"))[0] > (*cost->fullData("B: total cost"))[0]);
    // Clearing the comparison leaves A's bars and cash only.
    w.clearComparison();
    QCOMPARE(cost->chart()->series().size(), 2);
    QCOMPARE(capacity->chart()->series().size(), 1);
  }

  void revenueChartStacksRevenueByGpuType() {
    QTemporaryDir tmp;
    const QString folder = tmp.path() + "/r";
    QCOMPARE(runCli({"run", kSource + "/scenarios/default.yaml", "-o", folder, "--set", "horizon=45 d", "--set",
                     "finance.price=2.5 USD/GPU-hour", "--set", "finance.price_decline_per_year=0.1", "-q"}),
             0);
    QVERIFY(QFileInfo::exists(folder + "/revenue_monthly.csv"));
    // revenue_monthly.csv read independently: (GPU type, kind) -> month -> USD.
    std::vector<std::string> month, kind, gpu;
    const std::vector<double> amount = csvColumn(folder + "/revenue_monthly.csv", "amount_usd");
    csvColumn(folder + "/revenue_monthly.csv", "month", &month);
    csvColumn(folder + "/revenue_monthly.csv", "category", &kind);
    csvColumn(folder + "/revenue_monthly.csv", "subcategory", &gpu);
    std::map<std::string, std::map<std::string, double>> expected;
    double all = 0.0;
    for (std::size_t r = 0; r < amount.size(); ++r) {
      expected[gpu[r] + " " + kind[r]][month[r]] += amount[r];
      all += amount[r];
    }
    QVERIFY(all > 0.0);
    MainWindow w;
    QVERIFY2(w.openResultsFolder(folder), qPrintable(w.messageText()));
    ChartPanel* revenue = w.chartPanel("revenue");
    QVERIFY(!revenue->isEmpty());
    auto* bars = qobject_cast<QStackedBarSeries*>(revenue->chart()->series().first());
    QVERIFY(bars);
    QCOMPARE(bars->barSets().size(), static_cast<int>(expected.size()));
    auto* axis = qobject_cast<QBarCategoryAxis*>(revenue->chart()->axes(Qt::Horizontal).first());
    QVERIFY(axis);
    for (QBarSet* set : bars->barSets()) {
      const auto& by_month = expected[set->label().toStdString()];
      QVERIFY2(!by_month.empty(), qPrintable(set->label()));
      for (int i = 0; i < set->count(); ++i) {
        const auto it = by_month.find(axis->at(i).toStdString());
        QVERIFY(std::fabs(set->at(i) - (it == by_month.end() ? 0.0 : it->second)) < 0.005);
      }
    }
    // Exported like every chart: revenue.png and the full data as CSV.
    QTemporaryDir exp;
    QVERIFY(w.exportChartPngs(exp.path()).contains(exp.filePath("revenue.png")));
    QVERIFY(QFileInfo(exp.filePath("revenue.png")).size() > 10000);
    QVERIFY(revenue->exportCsv(exp.filePath("r.csv")));
    const QString first = bars->barSets().first()->label();
    std::vector<std::string> exported_months;
    const std::vector<double> exported = csvColumn(exp.filePath("r.csv"), first.toStdString());
    csvColumn(exp.filePath("r.csv"), "month", &exported_months);
    QCOMPARE(exported.size(), exported_months.size());
    for (std::size_t i = 0; i < exported.size(); ++i) {
      const auto& by_month = expected[first.toStdString()];
      const auto it = by_month.find(exported_months[i]);
      QVERIFY(std::fabs(exported[i] - (it == by_month.end() ? 0.0 : it->second)) < 0.005);
    }
  }

  // A results folder written here (not by dcsim run): SLO columns with gaps, revenue by GPU type
  // and by inference service, carbon by site, and summary arrays and objects for the KPI view.
  void sloRevenueCarbonAndNestedKpisFromAWrittenFolder() {
    QTemporaryDir tmp;
    const std::filesystem::path dir = (tmp.path() + "/written").toStdString();
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file((kSource + "/scenarios/default.yaml").toStdString(), dir / "scenario.resolved.yaml");
    {
      std::string peaks;
      for (int m = 1; m <= 30; ++m) {
        peaks += std::string(m == 1 ? "" : ", ") + "{\"site\": \"dallas\", \"month\": \"m" + std::to_string(m) +
                 "\", \"peak_facility_kw\": 1}";
      }
      std::ofstream(dir / "summary.json")
          << "{\n  \"scenario\": \"written\",\n  \"gpus\": 512,\n  \"spare_gpus\": 16,\n  \"spare_swaps\": 3,\n"
             "  \"hours_without_spare\": 2.5,\n  \"cost_per_training_run_usd\": 1572.65,\n"
             "  \"training_run_costs\": [\n    {\"workload\": \"pretraining\", \"runs\": 4, \"gpu_hours\": 100.5, "
             "\"cost_usd\": 2000.25, \"cost_per_run_usd\": 500.0625},\n    {\"workload\": \"finetune\", \"runs\": 10, "
             "\"gpu_hours\": 20, \"cost_usd\": 30, \"cost_per_run_usd\": 3}\n  ],\n"
             "  \"facility_failures\": {\"ups_failures\": 2, \"ups_unit_down_hours\": 7.5},\n  \"failures\": [],\n"
             "  \"demand_peaks\": ["
          << peaks << "],\n  \"dcsim_version\": \"x\",\n  \"format_version\": 1\n}\n";
    }
    // Six hours; chat has no interval in hours 2 and 3 (gaps), batch misses its SLO in hour 4.
    const std::vector<std::string> chat = {"1", "0.5", "", "", "1", "0.25"}, batch = {"1", "1", "1", "1", "0", "1"};
    {
      std::ofstream ts(dir / "timeseries.csv");
      ts << "time,gpus_total,gpus_busy,utilization,it_power_kw,facility_power_kw,queue_length,chat:slo_attainment,"
            "batch:slo_attainment\n";
      for (std::size_t h = 0; h < chat.size(); ++h) {
        ts << "2026-01-01T0" << h << ":00:00Z,512,256,0.5,300,400,0," << chat[h] << ',' << batch[h] << '\n';
      }
    }
    std::ofstream(dir / "cost_monthly.csv") << "month,category,site,tenant,amount_usd,subcategory,hall\n"
                                                "2026-01,energy,ashburn,,100,,hall-a\n";
    std::ofstream(dir / "capacity.csv") << "month,envelope,site,hall,unit,peak_demand,limit,headroom,headroom_fraction\n"
                                           "2026-01,gpus,,,GPUs,256,512,256,0.5\n";
    std::ofstream(dir / "revenue_monthly.csv") << "month,category,site,tenant,amount_usd,subcategory,hall\n"
                                                  "2026-01,on_demand,ashburn,,100,h100,\n"
                                                  "2026-01,reserved,ashburn,,50,h100,\n"
                                                  "2026-02,on_demand,ashburn,,120,h100,\n"
                                                  "2026-02,inference,,,7.5,chat,\n"
                                                  "2026-02,inference,,,2.5,chat,\n";
    std::ofstream(dir / "carbon_monthly.csv") << "month,site,facility_energy_mwh,carbon_g_per_kwh,carbon_t\n"
                                                 "2026-01,dallas,10,400,4\n2026-01,quincy,10,100,1\n"
                                                 "2026-02,dallas,20,400,8\n2026-02,quincy,10,100,1.5\n";
    const QString folder = QString::fromStdString(dir.string());
    MainWindow w;
    QVERIFY2(w.openResultsFolder(folder), qPrintable(w.messageText()));

    // SLO attainment: one line per service in %, the gaps left out of the drawn points.
    ChartPanel* slo = w.chartPanel("slo");
    QVERIFY(!slo->isEmpty());
    QCOMPARE(slo->chart()->series().size(), 2);
    QLineSeries* chat_line = slo->lineSeries("chat");
    QVERIFY(chat_line && slo->lineSeries("batch"));
    QCOMPARE(chat_line->count(), 4);
    QCOMPARE(chat_line->at(1).y(), 50.0);
    QCOMPARE(chat_line->at(3).y(), 25.0);
    QCOMPARE(slo->lineSeries("batch")->count(), 6);
    QCOMPARE(slo->lineSeries("batch")->at(4).y(), 0.0);
    QVERIFY(std::isnan((*slo->fullData("chat"))[2]));

    // Revenue: GPU-hour revenue by GPU type and kind, token revenue by service.
    ChartPanel* revenue = w.chartPanel("revenue");
    auto* bars = qobject_cast<QStackedBarSeries*>(revenue->chart()->series().first());
    QVERIFY(bars);
    std::map<QString, std::vector<double>> got;
    for (QBarSet* set : bars->barSets()) {
      for (int i = 0; i < set->count(); ++i) got[set->label()].push_back(set->at(i));
    }
    const std::map<QString, std::vector<double>> want = {
        {"h100 on_demand", {100, 120}}, {"h100 reserved", {50, 0}}, {"inference chat", {0, 10}}};
    QCOMPARE(got, want);

    // Carbon: t CO2 stacked by site, per month.
    ChartPanel* carbon = w.chartPanel("carbon");
    auto* carbon_bars = qobject_cast<QStackedBarSeries*>(carbon->chart()->series().first());
    QVERIFY(carbon_bars);
    got.clear();
    for (QBarSet* set : carbon_bars->barSets()) {
      for (int i = 0; i < set->count(); ++i) got[set->label()].push_back(set->at(i));
    }
    const std::map<QString, std::vector<double>> want_carbon = {{"dallas", {4, 8}}, {"quincy", {1, 1.5}}};
    QCOMPARE(got, want_carbon);

    // Exported like every chart; the SLO CSV has every hour, a gap as an empty cell.
    QTemporaryDir exp;
    const QStringList pngs = w.exportChartPngs(exp.path());
    for (const char* name : {"slo.png", "revenue.png", "carbon.png"}) {
      QVERIFY2(pngs.contains(exp.filePath(name)), name);
      QVERIFY2(QFileInfo(exp.filePath(name)).size() > 10000, name);
    }
    QVERIFY(slo->exportCsv(exp.filePath("slo.csv")));
    std::vector<std::string> chat_cells;
    const std::vector<double> chat_back = csvColumn(exp.filePath("slo.csv"), "chat", &chat_cells);
    QCOMPARE(chat_back.size(), chat.size());
    QCOMPARE(chat_back[5], 25.0);
    QCOMPARE(chat_cells[2], std::string());

    // KPIs: arrays of objects one row per item and field, objects one row per field, no raw JSON.
    const QAbstractItemModel* m = w.kpiView()->model();
    auto value = [&](const QString& key) {
      const int r = rowOf(m, key);
      return r < 0 ? QString("(no row %1)").arg(key) : m->index(r, 1).data().toString();
    };
    QCOMPARE(value("spare_gpus"), QString("16"));
    QCOMPARE(value("spare_swaps"), QString("3"));
    QCOMPARE(value("hours_without_spare"), QString("2.5"));
    QCOMPARE(value("cost_per_training_run_usd"), QString("1572.65"));
    QCOMPARE(value("training_run_costs pretraining: runs"), QString("4"));
    QCOMPARE(value("training_run_costs pretraining: cost_per_run_usd"), QString("500.0625"));
    QCOMPARE(value("training_run_costs finetune: cost_usd"), QString("30"));
    QCOMPARE(value("facility_failures: ups_unit_down_hours"), QString("7.5"));
    QCOMPARE(value("failures"), QString("none"));
    QVERIFY2(value("demand_peaks").startsWith("30 rows"), qPrintable(value("demand_peaks")));
    // In summary.json's order, not alphabetical.
    QVERIFY(rowOf(m, "spare_gpus") < rowOf(m, "hours_without_spare"));
    QVERIFY(rowOf(m, "training_run_costs pretraining: runs") < rowOf(m, "training_run_costs pretraining: gpu_hours"));
    for (int r = 0; r < m->rowCount(); ++r) {
      const QString v = m->index(r, 1).data().toString();
      QVERIFY2(!v.startsWith('[') && !v.startsWith('{'), qPrintable(m->index(r, 0).data().toString() + " = " + v));
    }

    // A folder from before these files (or without services) still opens; the charts say why they are empty.
    std::filesystem::remove(dir / "carbon_monthly.csv");
    std::filesystem::remove(dir / "revenue_monthly.csv");
    {
      std::ofstream ts(dir / "timeseries.csv");
      ts << "time,gpus_total,gpus_busy,utilization,it_power_kw,facility_power_kw,queue_length\n"
            "2026-01-01T00:00:00Z,512,256,0.5,300,400,0\n";
    }
    QVERIFY2(w.openResultsFolder(folder), qPrintable(w.messageText()));
    QVERIFY(w.chartPanel("carbon")->isEmpty());
    QVERIFY(w.chartPanel("revenue")->isEmpty());
    QVERIFY(w.chartPanel("slo")->isEmpty());
  }

  // dcsim run of the inference example: the SLO chart draws timeseries.csv's slo_attainment
  // columns, one line per service.
  void sloChartShowsTheRunsSloAttainmentColumns() {
    QTemporaryDir tmp;
    const QString folder = tmp.path() + "/inf";
    QCOMPARE(runCli({"run", kSource + "/scenarios/examples/inference-and-training.yaml", "-o", folder, "--set",
                     "horizon=3 d", "-q"}),
             0);
    std::string error;
    auto reader = dcsim::traces::CsvReader::open((folder + "/timeseries.csv").toStdString(), error);
    QVERIFY(reader);
    QStringList services;
    for (const std::string& c : reader->header()) {
      const QString name = QString::fromStdString(c);
      if (name.endsWith(":slo_attainment")) services << name.section(':', 0, -2);
    }
    QVERIFY(services.size() >= 2);
    MainWindow w;
    QVERIFY2(w.openResultsFolder(folder), qPrintable(w.messageText()));
    ChartPanel* slo = w.chartPanel("slo");
    QCOMPARE(slo->chart()->series().size(), services.size());
    for (const QString& s : services) {
      const std::vector<double> file = csvColumn(folder + "/timeseries.csv", (s + ":slo_attainment").toStdString());
      const std::vector<double>* shown = slo->fullData(s);
      QVERIFY2(shown, qPrintable(s));
      QCOMPARE(shown->size(), file.size());
      for (std::size_t i = 0; i < file.size(); ++i) {
        QVERIFY(std::isnan(file[i]) ? std::isnan((*shown)[i]) : std::fabs((*shown)[i] - 100.0 * file[i]) < 1e-9);
      }
    }
  }

  void allowOutsidePathsToggleDecidesS126() {
    // A scenario in scen/ whose duration samples are in ../data: refused (S126) unless Run >
    // Allow Files Outside the Scenario's Folder is checked.
    QTemporaryDir tmp;
    QVERIFY(QDir().mkpath(tmp.filePath("data")) && QDir().mkpath(tmp.filePath("scen")));
    {
      std::ofstream d(tmp.filePath("data/durations.csv").toStdString());
      d << "hours\n2\n4\n6\n8\n";
      QFile in(kSource + "/scenarios/default.yaml"), out(tmp.filePath("scen/s.yaml"));
      QVERIFY(in.open(QIODevice::ReadOnly) && out.open(QIODevice::WriteOnly));
      QByteArray text = in.readAll();
      const QByteArray duration = "duration: {lognormal: {median: 6 h, sigma: 1.0}}";
      QVERIFY(text.contains(duration));
      text.replace(duration, "duration: {empirical: {file: ../data/durations.csv, column: hours, unit: h}}");
      text.replace("horizon: 90 d", "horizon: 5 d");
      out.write(text);
    }
    QTemporaryDir results;
    MainWindow w;
    w.setResultsRoot(results.path());
    QAction* allow = w.findChild<QAction*>("allowOutsidePaths");
    QVERIFY(allow);
    QVERIFY(allow->isCheckable());
    QVERIFY(!allow->isChecked());
    QVERIFY(!w.openScenario(tmp.filePath("scen/s.yaml")));
    QVERIFY2(w.messageText().contains("s.yaml:") && w.messageText().contains("error[S126]"), qPrintable(w.messageText()));
    QVERIFY(w.messageText().contains("../data/durations.csv"));
    QVERIFY(!w.scenario());
    allow->trigger();
    QVERIFY(allow->isChecked());
    QVERIFY2(w.openScenario(tmp.filePath("scen/s.yaml")), qPrintable(w.messageText()));
    QSignalSpy done(&w, &MainWindow::runFinished);
    w.startRun();
    QVERIFY(done.wait(60000));
    QVERIFY2(done.first().at(0).toBool(), qPrintable(w.messageText()));
    QVERIFY(QFileInfo::exists(results.path() + "/one-hall-of-h100-servers/summary.json"));
    // Off again: the next open is refused again.
    allow->trigger();
    QVERIFY(!w.openScenario(tmp.filePath("scen/s.yaml")));
    QVERIFY(w.messageText().contains("error[S126]"));
  }

  void unsavedEditsAskSaveDiscardOrCancel() {
    QTemporaryDir tmp;
    const QString path = tmp.path() + "/s.yaml";
    QVERIFY(QFile::copy(kSource + "/scenarios/default.yaml", path));
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    MainWindow w;
    w.setResultsRoot(tmp.path() + "/results");
    w.show();
    QVERIFY(w.openScenario(path));
    QVERIFY(!w.isWindowModified());
    QVERIFY(w.windowTitle().contains("[*]"));
    ScenarioModel* m = w.scenarioModel();
    QVERIFY(m->setData(m->valueIndex("sites/0/halls/0/racks/0/count"), "20"));
    QVERIFY(w.hasUnsavedEdits());
    QVERIFY(w.isWindowModified());
    // Cancel: closing and opening another file do nothing.
    QString asked;
    answerNextMessageBox(QMessageBox::Cancel, &asked);
    QVERIFY(!w.close());
    QVERIFY(asked.contains("not saved"));
    QVERIFY(w.isVisible());
    answerNextMessageBox(QMessageBox::Cancel);
    QVERIFY(!w.openScenario(kSource + "/scenarios/default.yaml"));
    QCOMPARE(m->valueIndex("sites/0/halls/0/racks/0/count").data().toString(), QString("20"));
    QVERIFY(w.hasUnsavedEdits());
    // Discard before a run: back to the file's 16 racks, then it runs.
    QSignalSpy done(&w, &MainWindow::runFinished);
    answerNextMessageBox(QMessageBox::Discard);
    w.startRun();
    QVERIFY(w.isRunning());
    QVERIFY(!w.hasUnsavedEdits());
    QCOMPARE(w.scenario()->sites[0].halls[0].racks[0].count, 16);
    QCOMPARE(m->valueIndex("sites/0/halls/0/racks/0/count").data().toString(), QString("16"));
    w.cancelRun();
    QVERIFY(done.wait(60000));
    // Save before closing: the file gets the edit, and the window closes.
    QVERIFY(m->setData(m->valueIndex("sites/0/halls/0/racks/0/count"), "24"));
    answerNextMessageBox(QMessageBox::Save);
    QVERIFY(w.close());
    QVERIFY(!w.hasUnsavedEdits());
    MainWindow w2;
    QVERIFY(w2.openScenario(path));
    QCOMPARE(w2.scenario()->sites[0].halls[0].racks[0].count, 24);
    // Discard before opening: the other file opens and nothing is asked again.
    QVERIFY(w2.scenarioModel()->setData(w2.scenarioModel()->valueIndex("horizon"), "30 d"));
    answerNextMessageBox(QMessageBox::Discard);
    QVERIFY(w2.openScenario(kSource + "/scenarios/default.yaml"));
    QVERIFY(!w2.hasUnsavedEdits());
    QCOMPARE(w2.scenario()->horizon_s, 90.0 * 86400.0);
  }

  void contextMenuAddsAndRemovesListItems() {
    MainWindow w;
    QVERIFY(w.openScenario(kSource + "/scenarios/default.yaml"));
    ScenarioModel* m = w.scenarioModel();
    auto trigger = [&](const QString& path, const QString& action) {
      QMenu* menu = w.scenarioContextMenu(m->valueIndex(path));
      QAction* a = menu->findChild<QAction*>(action);
      const bool found = a != nullptr;
      if (a) a->trigger();
      delete menu;
      return found;
    };
    // A copy of the rack group: 16 + 16 racks in the run's scenario.
    QVERIFY(trigger("sites/0/halls/0/racks/0", "addCopy"));
    QVERIFY2(w.scenarioEditsValid(), qPrintable(w.messageText()));
    QVERIFY(w.hasUnsavedEdits());
    QCOMPARE(w.scenario()->sites[0].halls[0].racks.size(), std::size_t{2});
    QCOMPARE(w.scenario()->sites[0].halls[0].racks[1].count, 16);
    QCOMPARE(m->valueIndex("sites/0/halls/0/racks/1/count").data().toString(), QString("16"));
    // A copied hall and workload get unique names, so the copy validates.
    QVERIFY(trigger("sites/0/halls/0", "addCopy"));
    QVERIFY2(w.scenarioEditsValid(), qPrintable(w.messageText()));
    QCOMPARE(w.scenario()->sites[0].halls.size(), std::size_t{2});
    QCOMPARE(w.scenario()->sites[0].halls[1].name, std::string("hall-a-2"));
    QVERIFY(trigger("workloads", "addItem"));  // on the list: a copy of its last item
    QVERIFY2(w.scenarioEditsValid(), qPrintable(w.messageText()));
    QCOMPARE(w.scenario()->workloads.size(), std::size_t{2});
    QCOMPARE(w.scenario()->workloads[1].name, std::string("research-2"));
    // Remove them again.
    QVERIFY(trigger("workloads/1", "removeItem"));
    QVERIFY(trigger("sites/0/halls/1", "removeItem"));
    QVERIFY(trigger("sites/0/halls/0/racks/1", "removeItem"));
    QVERIFY2(w.scenarioEditsValid(), qPrintable(w.messageText()));
    QCOMPARE(w.scenario()->workloads.size(), std::size_t{1});
    QCOMPARE(w.scenario()->sites[0].halls.size(), std::size_t{1});
    QCOMPARE(w.scenario()->sites[0].halls[0].racks.size(), std::size_t{1});
    // Removing the only workload does not validate: the loader's message, Run disabled.
    QVERIFY(trigger("workloads/0", "removeItem"));
    QVERIFY(!w.scenarioEditsValid());
    QVERIFY2(w.messageText().contains("error[S112]: 'workloads' needs at least one workload"), qPrintable(w.messageText()));
    w.startRun();
    QVERIFY(!w.isRunning());
    QVERIFY(trigger("workloads", "addItem"));  // an empty list: an item of the required keys
    QCOMPARE(m->rowCount(m->valueIndex("workloads").sibling(m->valueIndex("workloads").row(), 0)), 1);
    // A key the map lacks is offered by name: `failures` at the top is missing here.
    QVERIFY(m->missingKeys({}).contains("failures"));
    QVERIFY(!m->missingKeys({}).contains("sites"));
    const QModelIndex racks0 = m->valueIndex("sites/0/halls/0/racks/0");
    QVERIFY(!m->missingKeys(racks0).contains("count"));
    QVERIFY(m->missingKeys(racks0).size() > 0);
  }

  void floorRackTableShowsPowerAgainstTheRackLimit() {
    QTemporaryDir tmp;
    const QString folder = tmp.path() + "/r";
    QCOMPARE(runCli(QStringList{"run", kSource + "/scenarios/default.yaml", "-o", folder} + kShort), 0);
    MainWindow w;
    QVERIFY2(w.openResultsFolder(folder), qPrintable(w.messageText()));
    dcsim::gui::FloorPanel* floor = w.floorPanel();
    const std::vector<double> it = csvColumn(folder + "/timeseries.csv", "it_power_kw");
    QAbstractItemModel* table = floor->rackTable()->model();
    QCOMPARE(table->rowCount(), 16);
    const int kw_col = columnOf(table, "kW at the hour"), limit_col = columnOf(table, "limit kW"),
              share_col = columnOf(table, "% of limit");
    QVERIFY(kw_col > 0 && limit_col > 0 && share_col > 0);
    // The default scenario: 16 racks of one group, power_limit 41 kW; each rack 1/16 of the hall.
    std::size_t busiest = 0;
    for (std::size_t h = 0; h < it.size(); ++h) busiest = it[h] > it[busiest] ? h : busiest;
    for (int hour : {static_cast<int>(busiest), 5}) {
      floor->setHour(hour);
      const double kw = it[static_cast<std::size_t>(hour)] / 16.0;
      for (int r = 0; r < 16; ++r) {
        QVERIFY(std::fabs(table->index(r, kw_col).data(Qt::UserRole).toDouble() - kw) < 1e-9);
        QCOMPARE(table->index(r, limit_col).data(Qt::UserRole).toDouble(), 41.0);
        QVERIFY(std::fabs(table->index(r, share_col).data(Qt::UserRole).toDouble() - 100.0 * kw / 41.0) < 1e-9);
        QCOMPARE(table->index(r, kw_col).data().toString(), QString::number(kw, 'f', 2));
      }
      QCOMPARE(floor->rackLimitKw(0, 3), 41.0);
      QVERIFY(std::fabs(floor->rackPowerKw(0, 3) - kw) < 1e-9);
    }
  }

  // A shown chart downsamples a long line to one bucket per pixel column of its plot: each
  // bucket's lowest and highest hour are drawn, at their hours, and the first and last hours;
  // every point drawn is a data point; a gap stays a gap; a level run keeps its two ends.
  void downsampledLineKeepsEachColumnsMinAndMaxAndTheEnds() {
    ChartPanel panel("decimation", "five years");
    panel.setAttribute(Qt::WA_DontShowOnScreen);
    panel.resize(1000, 500);
    panel.show();
    const int hours = 5 * 8760;
    const double start = static_cast<double>(QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch());
    std::vector<double> ms, y, level(static_cast<std::size_t>(hours), 7.0);
    for (int h = 0; h < hours; ++h) {
      ms.push_back(start + 3600e3 * h);
      y.push_back(50.0 + 10.0 * std::sin(h * 0.003) + 0.1 * ((h * 7919) % 13));
    }
    // The first and last hours are no extremes of their buckets (each bucket holds at least 29
    // hours): they are drawn as the ends, not as a bucket's min or max.
    const auto [lo_first, hi_first] = std::minmax_element(y.begin() + 1, y.begin() + 20);
    y.front() = (*lo_first + *hi_first) / 2.0;
    const auto [lo_last, hi_last] = std::minmax_element(y.end() - 20, y.end() - 1);
    y.back() = (*lo_last + *hi_last) / 2.0;
    y[1234] = 500.0;
    y[40000] = -300.0;
    for (int h = 20000; h < 20100; ++h) y[static_cast<std::size_t>(h)] = std::nan("");
    for (int h = 30000; h < 35000; ++h) y[static_cast<std::size_t>(h)] = 42.0;
    panel.setLines("time", {}, ms, {{"load", y}, {"level", level}}, "kW", "", "yyyy", false, false);
    QTRY_VERIFY(panel.bucketsInUse() > 0);
    const int buckets = panel.bucketsInUse();
    const int width_px = static_cast<int>(std::ceil(panel.chart()->plotArea().width()));
    QVERIFY2(8 * std::abs(buckets - width_px) <= buckets, qPrintable(QString("%1 %2").arg(buckets).arg(width_px)));
    QVERIFY2(buckets < 1000, qPrintable(QString::number(buckets)));  // the plot is narrower than the panel
    const QList<QPointF> points = panel.lineSeries("load")->points();
    QVERIFY2(points.size() <= 2 * buckets + 2, qPrintable(QString::number(points.size())));
    auto hourOf = [&](double x) { return static_cast<std::size_t>(std::llround((x - start) / 3600e3)); };
    for (const QPointF& p : points) {
      const std::size_t h = hourOf(p.x());
      QVERIFY(h < y.size());
      QCOMPARE(p.y(), y[h]);
      QVERIFY(h < 20000 || h >= 20100);
    }
    QCOMPARE(points.front(), QPointF(ms.front(), y.front()));
    QCOMPARE(points.back(), QPointF(ms.back(), y.back()));
    // Each bucket's extremes: a point at that value within the bucket, or a level segment at that
    // value across it (the middles of a level run are left out).
    auto covered = [&](double value, std::size_t s, std::size_t e) {
      for (qsizetype i = 0; i < points.size(); ++i) {
        const std::size_t h = hourOf(points[i].x());
        if (points[i].y() == value && h >= s && h < e) return true;
        if (i + 1 < points.size() && points[i].y() == value && points[i + 1].y() == value && h < s &&
            hourOf(points[i + 1].x()) >= e - 1) {
          return true;
        }
      }
      return false;
    };
    const auto n = static_cast<std::size_t>(hours);
    for (std::size_t b = 0; b < static_cast<std::size_t>(buckets); ++b) {
      const std::size_t s = n * b / static_cast<std::size_t>(buckets), e = n * (b + 1) / static_cast<std::size_t>(buckets);
      double lo = INFINITY, hi = -INFINITY;
      for (std::size_t h = s; h < e; ++h) {
        if (!std::isfinite(y[h])) continue;
        lo = std::min(lo, y[h]);
        hi = std::max(hi, y[h]);
      }
      if (!std::isfinite(lo)) continue;  // all gap
      QVERIFY2(covered(lo, s, e) && covered(hi, s, e), qPrintable(QString("bucket %1 of %2").arg(b).arg(buckets)));
    }
    // A level line is drawn from its two ends.
    QCOMPARE(panel.lineSeries("level")->points(), (QList<QPointF>{{ms.front(), 7.0}, {ms.back(), 7.0}}));
    // Zooming in on 40 days re-buckets that span from the full data: the dip is there.
    auto* axis = qobject_cast<QDateTimeAxis*>(panel.chart()->axes(Qt::Horizontal).front());
    QVERIFY(axis);
    axis->setRange(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(ms[39500]), Qt::UTC),
                   QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(ms[40460]), Qt::UTC));
    const QList<QPointF> zoomed = panel.lineSeries("load")->points();
    QVERIFY(zoomed.size() <= 2 * buckets + 2);
    QCOMPARE(zoomed.front().x(), ms[39499]);  // one hour beyond each edge: the line runs to the edges
    QCOMPARE(zoomed.back().x(), ms[40461]);
    QVERIFY(std::any_of(zoomed.begin(), zoomed.end(), [](const QPointF& p) { return p.y() == -300.0; }));
    // The export still has every hour.
    QCOMPARE(panel.fullData("load")->size(), n);
  }

  // The window reads only the timeseries.csv columns it draws; every chart has the series, with
  // the values, that reading the whole file gives; drawEveryChart paints each chart with data.
  void chartsDrawTheSameSeriesFromTheColumnsTheyRead() {
    QTemporaryDir tmp;
    const QString folder = tmp.path() + "/climates";
    QCOMPARE(runCli({"run", kSource + "/scenarios/examples/cooling-climates.yaml", "-o", folder, "--set", "horizon=4 d",
                     "-q"}),
             0);
    MainWindow w;
    QVERIFY2(w.openResultsFolder(folder), qPrintable(w.messageText()));
    const dcsim::reports::CsvTable& read = w.snapshot()->timeseries;
    QVERIFY(read.find("phoenix:pue") && read.find("lulea:outdoor_c") && read.find("ashburn/rear-door-hall:it_power_kw"));
    QVERIFY(!read.find("running_jobs") && !read.find("phoenix:water_l"));
    const dcsim::reports::ReadOutcome whole = dcsim::reports::read_results_folder(folder.toStdString());
    QVERIFY(whole.folder);
    QVERIFY(whole.folder->timeseries.find("running_jobs"));
    using Fill = void (*)(ChartPanel&, const dcsim::reports::ResultsFolder&);
    const std::vector<std::pair<QString, Fill>> fills = {
        {"utilization", [](ChartPanel& p, const dcsim::reports::ResultsFolder& f) { dcsim::gui::fillUtilization(p, f); }},
        {"power", [](ChartPanel& p, const dcsim::reports::ResultsFolder& f) { dcsim::gui::fillPower(p, f); }},
        {"climate", dcsim::gui::fillClimate},
        {"slo", dcsim::gui::fillSlo}};
    for (const auto& [id, fill] : fills) {
      ChartPanel expected(id, id);
      fill(expected, *whole.folder);
      const ChartPanel* shown = w.chartPanel(id);
      QStringList want, got;
      for (QAbstractSeries* s : expected.chart()->series()) want << s->name();
      for (QAbstractSeries* s : shown->chart()->series()) got << s->name();
      QCOMPARE(got, want);
      for (const QString& name : want) {
        QVERIFY(shown->fullData(name));
        QCOMPARE(*shown->fullData(name), *expected.fullData(name));
      }
    }
    QVERIFY(w.chartPanel("climate")->fullData("lulea PUE"));
    int with_data = 0;
    for (ChartPanel* p : w.chartPanels()) with_data += p->isEmpty() ? 0 : 1;
    QCOMPARE(w.drawEveryChart(), with_data + 1);  // and the Floor
    // Drawn in the window, the lines have one bucket per pixel column of their plot.
    ChartPanel* power = w.chartPanel("power");
    const int width_px = static_cast<int>(std::ceil(power->chart()->plotArea().width()));
    QVERIFY2(width_px > 100 && 8 * std::abs(power->bucketsInUse() - width_px) <= power->bucketsInUse(),
             qPrintable(QString("%1 %2").arg(power->bucketsInUse()).arg(width_px)));
  }

  void tablesShowEveryCsvOfTheResultsFolder() {
    QTemporaryDir tmp;
    const QString folder = tmp.path() + "/r";
    QCOMPARE(runCli(QStringList{"run", kSource + "/scenarios/default.yaml", "--jobs", "-o", folder} + kShort), 0);
    // A file this GUI has never heard of shows up too.
    {
      QFile extra(folder + "/zz_new_report.csv");
      QVERIFY(extra.open(QIODevice::WriteOnly));
      extra.write("tenant,jobs,gpu_hours_used\nb,2,10.5\na,7,3\nc,1,99\n");
    }
    MainWindow w;
    QVERIFY2(w.openResultsFolder(folder), qPrintable(w.messageText()));
    dcsim::gui::TablesPanel* t = w.tablesPanel();
    const QStringList files = QDir(folder).entryList({"*.csv"}, QDir::Files);
    QVERIFY(files.contains("jobs.csv"));
    QVERIFY(files.contains("capacity.csv"));
    for (const QString& f : files) {
      QVERIFY2(t->tableNames().contains(f), qPrintable(f));
      QVERIFY2(t->showTable(f), qPrintable(t->errorText()));
      QCOMPARE(t->model()->rowCount(), csvRows(folder + "/" + f));
    }
    QVERIFY(t->tableNames().contains("summary.json: envelopes"));
    QVERIFY(t->showTable("summary.json: envelopes"));
    QCOMPARE(t->model()->rowCount(), summaryOf(folder).value("envelopes").toArray().size());
    // Sorting by a number column sorts numerically (10.5 < 99, not "10.5" < "3").
    QVERIFY(t->showTable("zz_new_report.csv"));
    QCOMPARE(t->model()->columnCount(), 3);
    t->view()->sortByColumn(2, Qt::DescendingOrder);
    QCOMPARE(t->proxy()->index(0, 0).data().toString(), QString("c"));
    QCOMPARE(t->proxy()->index(1, 2).data().toString(), QString("10.5"));
    QCOMPARE(t->proxy()->index(2, 0).data().toString(), QString("a"));
    t->filter()->setText("b");
    QCOMPARE(t->proxy()->rowCount(), 1);
    // A CSV that does not parse is a message, not a crash.
    {
      QFile bad(folder + "/bad.csv");
      QVERIFY(bad.open(QIODevice::WriteOnly));
      bad.write("a,b\n1,2,3\n");
    }
    QVERIFY(w.openTablesFolder(folder));
    QVERIFY(!t->showTable("bad.csv"));
    QVERIFY2(t->errorText().contains("bad.csv: line 2"), qPrintable(t->errorText()));
    // A folder of CSV files without summary.json (as `dcsim plan` writes) opens in the Tables tab.
    {
      QVERIFY(QDir().mkpath(tmp.path() + "/plan"));
      QFile plan(tmp.path() + "/plan/plan.csv");
      QVERIFY(plan.open(QIODevice::WriteOnly));
      plan.write("step,expansion,online\n1,hall-b,2026-06-01\n2,hall-c,2026-09-01\n");
    }
    QVERIFY2(w.openPath(tmp.path() + "/plan"), qPrintable(w.messageText()));
    QCOMPARE(t->tableNames(), QStringList{"plan.csv"});
    QCOMPARE(t->model()->rowCount(), 2);
    QCOMPARE(t->model()->index(1, 1).data().toString(), QString("hall-c"));
    // A run's files in memory are listed the same way.
    QTemporaryDir out;
    w.setResultsRoot(out.path());
    {
      QFile in(kSource + "/scenarios/default.yaml"), five(out.filePath("five-days.yaml"));
      QVERIFY(in.open(QIODevice::ReadOnly) && five.open(QIODevice::WriteOnly));
      five.write(in.readAll().replace("horizon: 90 d", "horizon: 5 d"));
    }
    QVERIFY(w.openScenario(out.filePath("five-days.yaml")));
    QSignalSpy done(&w, &MainWindow::runFinished);
    w.startRun();
    QVERIFY(done.wait(60000));
    QVERIFY(t->tableNames().contains("cost_by_tenant.csv"));
    QVERIFY(t->showTable("timeseries.csv"));
    QCOMPARE(t->model()->rowCount(), csvRows(out.path() + "/one-hall-of-h100-servers/timeseries.csv"));
  }
};

int main(int argc, char** argv) {
  qputenv("TZ", "UTC");
  QApplication app(argc, argv);
  QApplication::setOrganizationName("dcsim");
  QApplication::setApplicationName("dcsim-gui-test");
  GuiTest test;
  return QTest::qExec(&test, argc, argv);
}

#include "gui_test.moc"
