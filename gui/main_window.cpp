// The main window: menus, the run worker, the KPI table, the scenario tree and the chart tabs.
#include "gui/main_window.h"

#include <QAbstractTableModel>
#include <QAction>
#include <QBrush>
#include <QChartView>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QThread>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "reports/results_reader.h"
#include "sim/run/run.h"
#include "sim/scenario/loader.h"
#include "sim/traces/csv_reader.h"

namespace dcsim::gui {

namespace fs = std::filesystem;

// KPIs of one results folder (every value of summary.json and its envelopes), or of several runs
// side by side as `dcsim compare` puts them (reports::compare_kpis): each run's value, then per
// run after the first its difference to the first and, when both are replicated, Welch's p.
class KpiModel : public QAbstractTableModel {
 public:
  using QAbstractTableModel::QAbstractTableModel;

  void set(const Snapshot& a) {
    beginResetModel();
    columns_ = {{Col::key, 0, tr("KPI"), {}}, {Col::value, 0, tr("value"), {}}};
    rows_.clear();
    if (a) {
      for (const auto& [key, value] : flatten(*a)) rows_.push_back({key, {value}, {}, {}});
    }
    endResetModel();
  }

  // runs[0] is A; headers and tooltips name each run.
  void setCompare(const QStringList& labels, const QStringList& tooltips, const std::vector<const reports::RunKpis*>& runs) {
    beginResetModel();
    rows_.clear();
    columns_ = {{Col::key, 0, tr("KPI"), {}}};
    for (std::size_t i = 0; i < runs.size(); ++i) columns_.push_back({Col::value, i, labels[static_cast<int>(i)], tooltips[static_cast<int>(i)]});
    for (std::size_t i = 1; i < runs.size(); ++i) {
      const QString l = labels[static_cast<int>(i)];
      columns_.push_back({Col::diff, i, QString("%1 − %2").arg(l, labels[0]),
                          tr("%1 − %2 and the change in % of %2").arg(l, labels[0])});
      if (runs[0]->replications > 1 && runs[i]->replications > 1) {
        columns_.push_back({Col::p, i, tr("p (%1)").arg(l),
                            tr("Welch's two-sided t-test of %1 against %2 on the replications; * below 0.05").arg(l, labels[0])});
      }
    }
    Row scenario{tr("scenario"), {}, {}, {}};
    Row reps{tr("replications"), {}, {}, {}};
    for (const auto* r : runs) {
      scenario.text.push_back(QString::fromStdString(r->scenario));
      reps.text.push_back(r->replications > 0 ? QString::number(r->replications) : tr("one run"));
    }
    rows_.push_back(std::move(scenario));
    rows_.push_back(std::move(reps));
    std::vector<reports::RunKpis> copies;
    for (const auto* r : runs) copies.push_back(*r);
    for (reports::CompareRow& c : reports::compare_kpis(copies)) {
      Row r{QString::fromStdString(c.kpi), {}, c.values, c.vs_first};
      for (double v : c.values) r.text.push_back(number(v));
      rows_.push_back(std::move(r));
    }
    endResetModel();
  }

  static QString number(double v) {
    if (!std::isfinite(v)) return "-";
    if (v == std::floor(v) && std::fabs(v) < 1e15) return QString::number(static_cast<long long>(v));
    return QString::number(v, 'g', 10);
  }

  int columnCount(const QModelIndex& parent = {}) const override {
    return parent.isValid() ? 0 : static_cast<int>(columns_.size());
  }
  QVariant data(const QModelIndex& index, int role) const override {
    if (!index.isValid()) return {};
    const Row& r = rows_[static_cast<std::size_t>(index.row())];
    const Column& c = columns_[static_cast<std::size_t>(index.column())];
    const reports::CompareDelta* d =
        (c.kind == Col::diff || c.kind == Col::p) && c.run >= 1 && c.run - 1 < r.deltas.size() ? &r.deltas[c.run - 1] : nullptr;
    if (role == Qt::UserRole) {  // the number behind a cell
      if (c.kind == Col::value && c.run < r.values.size() && std::isfinite(r.values[c.run])) return r.values[c.run];
      if (d && c.kind == Col::diff && std::isfinite(d->diff)) return d->diff;
      if (d && c.kind == Col::p && !std::isnan(d->p_value)) return d->p_value;
      return {};
    }
    if (role == Qt::BackgroundRole && d && d->significant) return QBrush(QColor(255, 240, 170));
    if (role == Qt::ToolTipRole && c.kind != Col::key && !c.tooltip.isEmpty()) return c.tooltip;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
    switch (c.kind) {
      case Col::key: return r.key;
      case Col::value: return c.run < r.text.size() ? r.text[c.run] : QString();
      case Col::diff: {
        if (!d || !std::isfinite(d->diff)) return r.deltas.empty() ? QString() : QString("-");
        QString t = QString::number(d->diff, 'g', 8);
        if (d->diff > 0) t.prepend('+');
        if (std::isfinite(d->change)) t += QString("  (%1%2%)").arg(d->change >= 0 ? "+" : "").arg(100.0 * d->change, 0, 'f', 2);
        return t;
      }
      case Col::p:
        if (!d || std::isnan(d->p_value)) return r.deltas.empty() ? QString() : QString("-");
        return QString::number(d->p_value, 'g', 4) + (d->significant ? " *" : "");
    }
    return {};
  }
  QVariant headerData(int section, Qt::Orientation o, int role) const override {
    if (o != Qt::Horizontal || section < 0 || static_cast<std::size_t>(section) >= columns_.size()) return {};
    if (role == Qt::DisplayRole) return columns_[static_cast<std::size_t>(section)].title;
    if (role == Qt::ToolTipRole) return columns_[static_cast<std::size_t>(section)].tooltip;
    return {};
  }

 private:
  enum class Col { key, value, diff, p };
  struct Column {
    Col kind;
    std::size_t run;
    QString title, tooltip;
  };
  struct Row {
    QString key;
    std::vector<QString> text;                    // per run, as shown
    std::vector<double> values;                   // per run (compare mode)
    std::vector<reports::CompareDelta> deltas;    // per run after the first (compare mode)
  };

 public:
  int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : static_cast<int>(rows_.size()); }

 private:
  // More items than this (e.g. demand_peaks: one per site and month) are one row pointing to
  // the Tables tab, which shows every array of objects of summary.json as a table.
  static constexpr std::size_t kMaxItemsShown = 24;

  static QString scalarText(const nlohmann::ordered_json& v) {
    if (v.is_string()) return QString::fromStdString(v.get<std::string>());
    return QString::fromStdString(v.dump());
  }

  // An array item's name from its identifying fields ("chat", "pretraining", "dallas/h100-hall",
  // "dallas/2026-01"), and which fields those were; "#3" when it has none.
  static QString itemName(const nlohmann::ordered_json& item, std::size_t index, std::vector<std::string>& used) {
    for (const char* k : {"name", "service", "workload", "cause", "tenant", "envelope"}) {
      if (item.contains(k) && item[k].is_string()) {
        used = {k};
        return QString::fromStdString(item[k].get<std::string>());
      }
    }
    QStringList parts;
    for (const char* k : {"site", "hall", "month"}) {
      if (item.contains(k) && item[k].is_string()) {
        used.emplace_back(k);
        if (!item[k].get<std::string>().empty()) parts << QString::fromStdString(item[k].get<std::string>());
      }
    }
    return parts.isEmpty() ? QString("#%1").arg(index + 1) : parts.join('/');
  }

  // One summary.json value as rows: a scalar as is; an object (facility_failures) one row per
  // field ("facility_failures: ups_failures"); an array of objects (services, training_run_costs)
  // one row per item and field ("training_run_costs pretraining: cost_per_run_usd"), not raw JSON.
  static void addValue(std::vector<std::pair<QString, QString>>& out, const std::string& key, const std::string& raw) {
    const QString name = QString::fromStdString(key);
    nlohmann::ordered_json v = nlohmann::ordered_json::parse(raw, nullptr, false);
    if (v.is_discarded() || v.is_primitive()) {
      out.emplace_back(name, v.is_discarded() ? QString::fromStdString(raw) : scalarText(v));
      return;
    }
    if (v.is_object()) {
      for (const auto& [field, value] : v.items()) {
        out.emplace_back(name + ": " + QString::fromStdString(field), scalarText(value));
      }
      if (v.empty()) out.emplace_back(name, tr("none"));
      return;
    }
    if (v.empty()) {
      out.emplace_back(name, tr("none"));
      return;
    }
    const bool objects = std::all_of(v.begin(), v.end(), [](const nlohmann::ordered_json& i) { return i.is_object(); });
    if (!objects) {
      QStringList items;
      for (const auto& i : v) items << scalarText(i);
      out.emplace_back(name, items.join(", "));
      return;
    }
    if (v.size() > kMaxItemsShown) {
      out.emplace_back(name, tr("%1 rows: see the Tables tab, \"summary.json: %2\"").arg(v.size()).arg(name));
      return;
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
      std::vector<std::string> used;
      const QString item = name + " " + itemName(v[i], i, used);
      for (const auto& [field, value] : v[i].items()) {
        if (std::find(used.begin(), used.end(), field) != used.end()) continue;
        out.emplace_back(item + ": " + QString::fromStdString(field), scalarText(value));
      }
    }
  }

  static std::vector<std::pair<QString, QString>> flatten(const reports::ResultsFolder& f) {
    // summary.json's order, then any key a reader did not record the order of.
    std::vector<std::string> keys = f.summary_keys;
    for (const auto& [k, v] : f.summary) {
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    }
    std::vector<std::pair<QString, QString>> out;
    for (const std::string& k : keys) {
      const auto it = f.summary.find(k);
      if (it != f.summary.end()) addValue(out, k, it->second);
    }
    for (const auto& e : f.envelopes) {
      auto text = [&](const char* key) {
        const auto it = e.find(key);
        if (it == e.end()) return QString();
        QString v = QString::fromStdString(it->second);
        if (v.startsWith('"')) v = v.mid(1, v.size() - 2);
        return v;
      };
      QString name = "envelope " + text("envelope");
      if (!text("site").isEmpty()) name += " " + text("site");
      if (!text("hall").isEmpty()) name += "/" + text("hall");
      const QString unit = text("unit");
      out.emplace_back(name + ": limit (" + unit + ")", text("limit"));
      out.emplace_back(name + ": peak demand (" + unit + ")", text("peak_demand"));
      out.emplace_back(name + ": first month short", text("first_month_short"));
    }
    return out;
  }
  std::vector<Row> rows_;
  std::vector<Column> columns_;
};

struct MainWindow::RunOutput {
  bool cancelled = false;
  QString error;  // diagnostics, formatted as the CLI prints them
  std::optional<reports::ResultsFiles> files;
  reports::ReadOutcome read;
  QString written_to;
  QString write_error;
};

namespace {

QStringList sweepVariants(const QString& path, QStringList* names);

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle("dcsim[*]");
  setAcceptDrops(true);
  results_root_ = QSettings().value("resultsRoot", QDir::current().filePath("results")).toString();

  tabs_ = new QTabWidget(this);
  kpi_model_ = new KpiModel(this);
  kpi_view_ = new QTableView(this);
  kpi_view_->setObjectName("kpiTable");
  kpi_view_->setModel(kpi_model_);
  kpi_view_->horizontalHeader()->setStretchLastSection(true);
  kpi_view_->verticalHeader()->hide();
  kpi_view_->setAlternatingRowColors(true);
  kpi_view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  yearly_model_ = new CsvTableModel(this);
  yearly_view_ = new QTableView(this);
  yearly_view_->setObjectName("yearlyKpiTable");
  yearly_view_->setModel(yearly_model_);
  yearly_view_->verticalHeader()->hide();
  yearly_view_->setAlternatingRowColors(true);
  auto* summary_split = new QSplitter(Qt::Vertical, this);
  summary_split->addWidget(kpi_view_);
  auto* yearly_box = new QWidget(this);
  auto* yearly_layout = new QVBoxLayout(yearly_box);
  yearly_layout->setContentsMargins(0, 0, 0, 0);
  yearly_layout->addWidget(new QLabel(tr("Yearly KPIs (kpis.csv)"), yearly_box));
  yearly_layout->addWidget(yearly_view_);
  summary_split->addWidget(yearly_box);
  summary_split->setStretchFactor(0, 3);
  summary_split->setStretchFactor(1, 1);
  summary_page_ = summary_split;
  tabs_->addTab(summary_page_, tr("Summary"));

  auto* utilization = new ChartPanel("utilization", tr("GPU utilization and queue"), this);
  auto* power = new ChartPanel("power", tr("Power"), this);
  auto* climate = new ChartPanel("climate", tr("PUE and outdoor temperature"), this);
  auto* cost = new ChartPanel("cost", tr("Monthly cost by category and cumulative cash"), this);
  auto* revenue = new ChartPanel("revenue", tr("Monthly revenue by GPU type and inference service"), this);
  auto* slo = new ChartPanel("slo", tr("Inference SLO attainment by service"), this);
  auto* carbon = new ChartPanel("carbon", tr("Monthly emissions by site"), this);
  auto* capacity = new ChartPanel("capacity", tr("Capacity headroom by envelope (monthly peak)"), this);
  market_page_ = new QWidget(this);
  auto* market = new ChartPanel("market", tr("Market by year and our demand"), market_page_);
  panels_ = {utilization, slo, power, climate, cost, revenue, carbon, capacity, market};
  // SLO misses read against the hour's load, so the services' attainment sits under it.
  auto* utilization_split = new QSplitter(Qt::Vertical, this);
  utilization_split->addWidget(utilization);
  utilization_split->addWidget(slo);
  utilization_split->setStretchFactor(0, 3);
  utilization_split->setStretchFactor(1, 2);
  tabs_->addTab(utilization_split, tr("Utilization"));
  auto* power_split = new QSplitter(Qt::Vertical, this);
  power_split->addWidget(power);
  power_split->addWidget(climate);
  power_split->setStretchFactor(0, 3);
  power_split->setStretchFactor(1, 2);
  tabs_->addTab(power_split, tr("Power"));
  auto* cost_split = new QSplitter(Qt::Vertical, this);
  cost_split->addWidget(cost);
  cost_split->addWidget(revenue);
  cost_split->setStretchFactor(0, 1);
  cost_split->setStretchFactor(1, 1);
  tabs_->addTab(cost_split, tr("Cost"));
  tabs_->addTab(capacity, tr("Capacity"));
  tabs_->addTab(carbon, tr("Carbon"));
  {
    auto* layout = new QVBoxLayout(market_page_);
    auto* row = new QHBoxLayout;
    market_dimension_ = new QComboBox(market_page_);
    market_dimension_->setObjectName("marketDimension");
    market_dimension_->setToolTip(tr("Show the segments of a dimension (base case) with the total"));
    row->addWidget(new QLabel(tr("Segments:"), market_page_));
    row->addWidget(market_dimension_);
    row->addStretch(1);
    layout->addLayout(row);
    layout->addWidget(market);
    connect(market_dimension_, &QComboBox::currentTextChanged, this, [this] {
      if (snapshot_) fillMarket(*chartPanel("market"), *snapshot_, market_dimension_->currentText());
    });
  }
  tabs_->addTab(market_page_, tr("Market"));

  floor_ = new FloorPanel(this);
  floor_->setObjectName("floor");
  tabs_->addTab(floor_, tr("Floor"));

  tables_ = new TablesPanel(this);
  tables_->setObjectName("tables");
  tabs_->addTab(tables_, tr("Tables"));

  auto* scenario_page = new QWidget(this);
  auto* scenario_layout = new QVBoxLayout(scenario_page);
  scenario_model_ = new ScenarioModel(this);
  scenario_tree_ = new QTreeView(scenario_page);
  scenario_tree_->setObjectName("scenarioTree");
  scenario_tree_->setModel(scenario_model_);
  scenario_tree_->setAlternatingRowColors(true);
  scenario_tree_->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                                  QAbstractItemView::AnyKeyPressed);
  scenario_status_ = new QLabel(scenario_page);
  scenario_status_->setObjectName("scenarioStatus");
  scenario_status_->setWordWrap(true);
  scenario_status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  scenario_layout->addWidget(new QLabel(tr("The scenario as a tree: double-click (or F2) a value to edit it; each edit is "
                                           "validated like `dcsim validate`, and Run uses the edited scenario. Hover a key "
                                           "for its description."),
                                        scenario_page));
  scenario_layout->addWidget(scenario_tree_, 1);
  scenario_layout->addWidget(scenario_status_);
  connect(scenario_model_, &ScenarioModel::edited, this, [this] {
    markEdited(true);
    validateEdits();
  });
  scenario_tree_->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(scenario_tree_, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
    QMenu* menu = scenarioContextMenu(scenario_tree_->indexAt(pos));
    if (!menu->isEmpty()) menu->exec(scenario_tree_->viewport()->mapToGlobal(pos));
    menu->deleteLater();
  });
  tabs_->addTab(scenario_page, tr("Scenario"));
  setCentralWidget(tabs_);

  messages_ = new QPlainTextEdit(this);
  messages_->setObjectName("messages");
  messages_->setReadOnly(true);
  messages_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  messages_dock_ = new QDockWidget(tr("Messages"), this);
  messages_dock_->setObjectName("messagesDock");
  messages_dock_->setWidget(messages_);
  addDockWidget(Qt::BottomDockWidgetArea, messages_dock_);
  messages_dock_->hide();

  progress_ = new QProgressBar(this);
  progress_->setRange(0, 1000);
  progress_->setMaximumWidth(220);
  progress_->setFormat("%p%");
  elapsed_label_ = new QLabel(this);
  cancel_button_ = new QPushButton(tr("Cancel"), this);
  connect(cancel_button_, &QPushButton::clicked, this, &MainWindow::cancelRun);
  statusBar()->addPermanentWidget(elapsed_label_);
  statusBar()->addPermanentWidget(progress_);
  statusBar()->addPermanentWidget(cancel_button_);
  progress_->hide();
  cancel_button_->hide();
  elapsed_timer_ = new QTimer(this);
  elapsed_timer_->setInterval(100);
  connect(elapsed_timer_, &QTimer::timeout, this, [this] {
    elapsed_label_->setText(tr("elapsed %1 s").arg(static_cast<double>(elapsed_.elapsed()) / 1000.0, 0, 'f', 1));
  });

  buildMenus();
  updateActions();
  statusBar()->showMessage(tr("Open a scenario (Ctrl+O) or a results folder (Ctrl+Shift+O), or drop one here."));

  QSettings settings;
  if (!restoreGeometry(settings.value("geometry").toByteArray())) resize(1200, 800);
  restoreState(settings.value("windowState").toByteArray());
}

MainWindow::~MainWindow() {
  if (thread_) {
    cancel_->store(true);
    thread_->wait();
    delete thread_;
  }
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* a = file->addAction(tr("&Open Scenario..."), this, [this] {
    const QString p = QFileDialog::getOpenFileName(this, tr("Open scenario"), QFileInfo(scenario_path_).path(),
                                                   tr("Scenario files (*.yaml *.yml);;All files (*)"));
    if (!p.isEmpty()) openScenario(p);
  });
  a->setShortcut(QKeySequence::Open);
  a = file->addAction(tr("Open &Results Folder..."), this, [this] {
    const QString p = QFileDialog::getExistingDirectory(this, tr("Open results folder"), results_root_);
    if (!p.isEmpty()) openResultsFolder(p);
  });
  a->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
  recent_menu_ = file->addMenu(tr("Open Re&cent"));
  rebuildRecentMenu();
  file->addAction(tr("Co&mpare With Results Folder..."), this, [this] {
    const QString p = QFileDialog::getExistingDirectory(this, tr("Results or sweep folder to compare with"), results_root_);
    if (!p.isEmpty()) openCompareFolder(p);
  });
  clear_compare_action_ = file->addAction(tr("C&lear Comparison"), this, &MainWindow::clearComparison);
  clear_compare_action_->setEnabled(false);
  file->addAction(tr("Open &Tables Folder..."), this, [this] {
    const QString p = QFileDialog::getExistingDirectory(this, tr("Folder of CSV files"), results_root_);
    if (!p.isEmpty()) openTablesFolder(p);
  });
  file->addSeparator();
  save_scenario_action_ = file->addAction(tr("&Save Scenario"), this, [this] { saveScenario(false); });
  save_scenario_action_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_S));
  save_scenario_as_action_ = file->addAction(tr("Save Scenario &As..."), this, [this] { saveScenario(true); });
  save_scenario_as_action_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
  save_results_action_ = file->addAction(tr("Save Res&ults As..."), this, &MainWindow::saveResultsAs);
  save_results_action_->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_S));
  save_resolved_action_ = file->addAction(tr("Save Reso&lved Scenario As..."), this, &MainWindow::saveResolvedAs);
  file->addAction(tr("Results &Location..."), this, &MainWindow::chooseResultsRoot);
  file->addSeparator();
  a = file->addAction(tr("&Export Chart as PNG..."), this, [this] { exportCurrentChart(true); });
  a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  a = file->addAction(tr("Export Chart &Data as CSV..."), this, [this] { exportCurrentChart(false); });
  a->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
  file->addSeparator();
  a = file->addAction(tr("&Quit"), this, &QWidget::close);
  a->setShortcut(QKeySequence::Quit);

  QMenu* run = menuBar()->addMenu(tr("&Run"));
  run_action_ = run->addAction(tr("&Run Scenario"), this, &MainWindow::startRun);
  run_action_->setShortcuts({QKeySequence(Qt::Key_F5), QKeySequence(Qt::CTRL | Qt::Key_R)});
  cancel_action_ = run->addAction(tr("&Cancel Run"), this, &MainWindow::cancelRun);
  run->addSeparator();
  // A scenario may name trace, weather or sample files outside its folder only when asked, as
  // the CLI's --allow-outside-paths: the choice applies to the next scenario opened or edited.
  allow_outside_paths_action_ = run->addAction(tr("Allow Files &Outside the Scenario's Folder"));
  allow_outside_paths_action_->setCheckable(true);
  allow_outside_paths_action_->setObjectName("allowOutsidePaths");
  cancel_action_->setShortcut(QKeySequence(Qt::Key_Escape));

  QMenu* view = menuBar()->addMenu(tr("&View"));
  a = view->addAction(tr("&Reset Zoom"), this, [this] {
    if (ChartPanel* p = currentPanel()) p->resetZoom();
  });
  a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
  view->addAction(messages_dock_->toggleViewAction());

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About dcsim-gui"), this, [this] {
    QMessageBox::about(this, tr("About dcsim-gui"),
                       tr("dcsim-gui %1\nThe analyst dashboard of dcsim, a discrete-event simulator for AI "
                          "data-center capacity and cost planning.\n\nCharts: drag to zoom in on a time span, "
                          "right-click to zoom out, hover for values.")
                           .arg(DCSIM_VERSION));
  });
}

void MainWindow::updateActions() {
  run_action_->setEnabled(scenario_.has_value() && edits_valid_ && !thread_);
  save_scenario_action_->setEnabled(!scenario_model_->isEmpty());
  save_scenario_as_action_->setEnabled(!scenario_model_->isEmpty());
  cancel_action_->setEnabled(thread_ != nullptr);
  save_resolved_action_->setEnabled(!resolved_yaml_.empty());
  save_results_action_->setEnabled(run_files_.has_value());
}

QString MainWindow::messageText() const { return last_message_; }

void MainWindow::showMessage(const QString& text, bool error) {
  last_message_ = text;
  messages_->appendPlainText(text.trimmed() + "\n");
  const QString first = text.section('\n', 0, 0);
  statusBar()->showMessage(error ? tr("Error: %1").arg(first) : first);
  if (error) messages_dock_->show();
}

ChartPanel* MainWindow::chartPanel(const QString& id) const {
  for (ChartPanel* p : panels_) {
    if (p->id() == id) return p;
  }
  return nullptr;
}

ChartPanel* MainWindow::currentPanel() const {
  QWidget* w = tabs_->currentWidget();
  if (auto* p = qobject_cast<ChartPanel*>(w)) return p;
  if (w == market_page_) return chartPanel("market");
  if (auto* split = qobject_cast<QSplitter*>(w)) {
    // The chart under the keyboard focus or mouse, else the first.
    for (int i = 0; i < split->count(); ++i) {
      auto* p = qobject_cast<ChartPanel*>(split->widget(i));
      if (p && (p->isAncestorOf(QApplication::focusWidget()) || p->underMouse())) return p;
    }
    return qobject_cast<ChartPanel*>(split->widget(0));
  }
  return nullptr;
}

bool MainWindow::openPath(const QString& path) {
  if (!QFileInfo(path).isDir()) return openScenario(path);
  // A folder of CSV files that is no results folder (`dcsim plan` writes plan.csv and plan.yaml).
  if (!QFileInfo::exists(QDir(path).filePath("summary.json")) && sweepVariants(path, nullptr).isEmpty() &&
      !QDir(path).entryList({"*.csv"}, QDir::Files).isEmpty()) {
    return openTablesFolder(path);
  }
  return openResultsFolder(path);
}

bool MainWindow::openScenario(const QString& path) {
  if (thread_) {
    showMessage(tr("A run is in progress: cancel it first."), true);
    return false;
  }
  if (!confirmUnsavedEdits(tr("opening %1").arg(path))) return false;
  scenario::LoadResult loaded = scenario::load_scenario_file(path.toStdString(), {}, loadOptions());
  if (!loaded.ok()) {
    QString text;
    for (const auto& d : loaded.diagnostics) text += QString::fromStdString(scenario::format_diagnostic(d)) + "\n";
    if (text.isEmpty()) text = path + ": cannot be loaded";
    showMessage(text, true);
    return false;
  }
  scenario_ = std::move(*loaded.scenario);
  scenario_path_ = path;
  resolved_yaml_ = scenario::to_resolved_yaml(*scenario_);
  {
    // The tree shows the file as written (Save keeps its keys and their order), not the resolved form.
    QFile file(path);
    const bool read = file.open(QIODevice::ReadOnly);
    showScenarioYaml(read ? file.readAll().toStdString() : resolved_yaml_);
  }
  scenario_file_ = path;
  addRecent(path);
  setWindowTitle(QString("%1[*] — dcsim").arg(QString::fromStdString(scenario_->name)));
  showMessage(tr("Loaded %1 (%2). Run it with F5.").arg(QString::fromStdString(scenario_->name), path), false);
  updateActions();
  return true;
}

namespace {

// A sweep or sensitivity folder's variant folders in name order, labelled with their inputs
// from sweep.csv when it has them ("v0002 (scheduler.policy=fifo)"); empty if `path` is not one.
QStringList sweepVariants(const QString& path, QStringList* names) {
  const QDir variants(QDir(path).filePath("variants"));
  if (!variants.exists() || !(QFileInfo::exists(QDir(path).filePath("sweep.csv")) ||
                              QFileInfo::exists(QDir(path).filePath("sensitivity.csv")))) {
    return {};
  }
  std::map<QString, QString> inputs;  // variant -> "key=value, ..."
  std::string error;
  if (auto reader = traces::CsvReader::open(QDir(path).filePath("sweep.csv").toStdString(), error)) {
    const std::vector<std::string> header = reader->header();
    const auto status = std::find(header.begin(), header.end(), "status");
    traces::CsvRecord rec;
    while (!header.empty() && header.front() == "variant" && reader->next(rec)) {
      QStringList parts;
      for (std::size_t i = 1; i < rec.fields.size() && header.begin() + static_cast<std::ptrdiff_t>(i) < status; ++i) {
        parts << QString::fromStdString(header[i] + "=" + rec.fields[i]);
      }
      inputs[QString::fromStdString(rec.fields.front())] = parts.join(", ");
    }
  }
  QStringList out;
  for (const QString& v : variants.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
    if (v.startsWith('.')) continue;
    out << variants.filePath(v);
    const auto it = inputs.find(v);
    if (names) *names << (it != inputs.end() && !it->second.isEmpty() ? QString("%1 (%2)").arg(v, it->second) : v);
  }
  return out;
}

// "A", "B", ... "Z", then "R27", "R28", ...
QString runLabel(std::size_t i) { return i < 26 ? QString(QChar('A' + static_cast<int>(i))) : QString("R%1").arg(i + 1); }

// A replicated run's charts come from replication 0 (the run with the base seed) and the bands
// of timeseries_bands.csv.
QString chartsFolderOf(const QString& path) {
  if (!QFileInfo::exists(QDir(path).filePath("timeseries.csv")) &&
      QFileInfo::exists(QDir(path).filePath("replications/rep-0001/timeseries.csv"))) {
    return QDir(path).filePath("replications/rep-0001");
  }
  return path;
}

reports::ReadOutcome readRunFolder(const QString& path) {
  const QString charts_dir = chartsFolderOf(path);
  // Only the columns the window draws: parsing and holding the others was a quarter of opening
  // a campus folder (the Tables tab reads each file whole when it is picked).
  return charts_dir == path ? reports::read_results_folder(path.toStdString(), isChartedTimeseriesColumn)
                            : reports::read_replicated_folder(path.toStdString(), isChartedTimeseriesColumn);
}

}  // namespace

bool MainWindow::openResultsFolder(const QString& path) {
  QStringList names;
  const QStringList variants = sweepVariants(path, &names);
  if (!variants.isEmpty()) {
    // A sweep: its first variant is A, the others are compared with it.
    if (!openResultsFolder(variants.front())) return false;
    QString errors;
    for (int i = 1; i < variants.size(); ++i) {
      QString error;
      if (!addCompareRun(variants[i], names[i], &error)) errors += error + "\n";
    }
    refreshComparison();
    tables_->setFolder(path);
    showMessage(tr("Sweep %1: %2 variants, %3 (A) compared with the others.%4")
                    .arg(path)
                    .arg(variants.size())
                    .arg(names.front())
                    .arg(errors.isEmpty() ? QString() : tr("\nNot compared:\n%1").arg(errors)),
                !errors.isEmpty());
    return true;
  }
  if (!confirmUnsavedEdits(tr("opening %1").arg(path))) return false;
  const QString charts_dir = chartsFolderOf(path);
  reports::ReadOutcome out = readRunFolder(path);
  if (!out.folder) {
    showMessage(tr("Cannot open results folder:\n%1").arg(QString::fromStdString(out.error)), true);
    return false;
  }
  auto snap = std::make_shared<const reports::ResultsFolder>(std::move(*out.folder));
  run_files_.reset();
  resolved_yaml_ = snap->resolved_yaml;
  // The resolved scenario loads back, so the folder's scenario can be re-run from here.
  scenario::LoadResult loaded = scenario::load_scenario_text(
      resolved_yaml_, QDir(charts_dir).filePath("scenario.resolved.yaml").toStdString(), charts_dir.toStdString(), {}, -1,
      loadOptions());
  if (loaded.ok() && !thread_) {
    scenario_ = std::move(*loaded.scenario);
    scenario_path_ = QDir(charts_dir).filePath("scenario.resolved.yaml");
    showScenarioYaml(resolved_yaml_);
    scenario_file_.clear();  // Save asks where: the folder's own copy stays as the run wrote it
  }
  std::string kpi_error;
  snapshot_kpis_ = reports::kpis_of_folder(path.toStdString(), kpi_error);
  snapshot_path_ = path;
  setSnapshot(snap, path);
  tables_->setFolder(path);
  addRecent(path);
  updateActions();
  return true;
}

bool MainWindow::openTablesFolder(const QString& path) {
  if (!QFileInfo(path).isDir()) {
    showMessage(tr("%1: not a folder").arg(path), true);
    return false;
  }
  tables_->setFolder(path);
  tabs_->setCurrentWidget(tables_);
  tables_->showFirstTable();
  if (tables_->tableNames().isEmpty()) {
    showMessage(tr("%1 holds no CSV files.").arg(path), true);
    return false;
  }
  showMessage(tr("Tables of %1: %2").arg(path, tables_->tableNames().join(", ")), false);
  return true;
}

bool MainWindow::addCompareRun(const QString& path, const QString& name, QString* error) {
  std::string err;
  std::optional<reports::RunKpis> kpis = reports::kpis_of_folder(path.toStdString(), err);
  if (!kpis) {
    *error = QString::fromStdString(err);
    return false;
  }
  CompareRun run;
  run.path = path;
  run.name = name;
  run.kpis = std::move(*kpis);
  reports::ReadOutcome out = readRunFolder(path);
  if (out.folder) {
    run.charts = std::make_shared<const reports::ResultsFolder>(std::move(*out.folder));
  } else if (run.kpis.replications == 0) {
    *error = QString::fromStdString(out.error);
    return false;
  }
  run.label = runLabel(compares_.size() + 1);
  compares_.push_back(std::move(run));
  return true;
}

bool MainWindow::openCompareFolder(const QString& path) {
  if (!snapshot_) {
    showMessage(tr("Open or run a first results folder (A) before comparing."), true);
    return false;
  }
  if (!snapshot_kpis_) {
    showMessage(tr("The shown results have no KPIs to compare (summary.json)."), true);
    return false;
  }
  QStringList names;
  QStringList folders = sweepVariants(path, &names);
  if (folders.isEmpty()) {
    folders << path;
    names << QFileInfo(path).fileName();
  }
  QString errors;
  int added = 0;
  for (int i = 0; i < folders.size(); ++i) {
    QString error;
    if (addCompareRun(folders[i], names[i], &error)) {
      ++added;
    } else {
      errors += error + "\n";
    }
  }
  if (added == 0) {
    showMessage(tr("Cannot open results folder:\n%1").arg(errors.trimmed()), true);
    return false;
  }
  refreshComparison();
  tabs_->setCurrentWidget(summary_page_);
  QStringList which;
  for (std::size_t i = compares_.size() - static_cast<std::size_t>(added); i < compares_.size(); ++i) {
    which << compares_[i].label + " = " + compares_[i].name;
  }
  showMessage(tr("Comparing with %1: the Summary shows every run and its difference to A; Utilization, Power, "
                 "Cost and Capacity draw their main series dashed (\"B: ...\").%2")
                  .arg(which.join(", "))
                  .arg(errors.isEmpty() ? QString() : tr("\nNot compared:\n%1").arg(errors)),
              !errors.isEmpty());
  return true;
}

void MainWindow::clearComparison() {
  compares_.clear();
  if (snapshot_) refreshComparison();
}

void MainWindow::refreshComparison() {
  std::vector<Overlay> overlays;
  for (const CompareRun& r : compares_) {
    if (r.charts) overlays.push_back({r.label, r.charts.get()});
  }
  fillUtilization(*chartPanel("utilization"), *snapshot_, overlays);
  fillPower(*chartPanel("power"), *snapshot_, overlays);
  fillCost(*chartPanel("cost"), *snapshot_, overlays);
  fillCapacity(*chartPanel("capacity"), *snapshot_, overlays);
  if (compares_.empty() || !snapshot_kpis_) {
    kpi_model_->set(snapshot_);
  } else {
    QStringList labels{runLabel(0)}, tips;
    tips << tr("A: %1").arg(snapshot_path_.isEmpty() ? tr("this run") : snapshot_path_);
    std::vector<const reports::RunKpis*> runs{&*snapshot_kpis_};
    for (const CompareRun& r : compares_) {
      labels << r.label;
      tips << tr("%1: %2\n%3").arg(r.label, r.name, r.path);
      runs.push_back(&r.kpis);
    }
    kpi_model_->setCompare(labels, tips, runs);
  }
  kpi_view_->resizeColumnsToContents();
  clear_compare_action_->setEnabled(!compares_.empty());
}

void MainWindow::setSnapshot(Snapshot s, const QString& source) {
  snapshot_ = std::move(s);
  compares_.clear();
  fillClimate(*chartPanel("climate"), *snapshot_);
  chartPanel("climate")->setVisible(!chartPanel("climate")->isEmpty());
  fillRevenue(*chartPanel("revenue"), *snapshot_);
  chartPanel("revenue")->setVisible(!chartPanel("revenue")->isEmpty());
  fillSlo(*chartPanel("slo"), *snapshot_);
  chartPanel("slo")->setVisible(!chartPanel("slo")->isEmpty());
  fillCarbon(*chartPanel("carbon"), *snapshot_);
  fillMarketTab();
  fillFloor();
  refreshComparison();
  yearly_model_->set(snapshot_->kpis.columns.empty() ? nullptr : &snapshot_->kpis);
  yearly_view_->parentWidget()->setVisible(!snapshot_->kpis.columns.empty());
  yearly_view_->resizeColumnsToContents();
  setWindowTitle(QString("%1[*] — dcsim").arg(QString::fromStdString(snapshot_->summary_text("scenario"))));
  showMessage(tr("Showing results of %1 from %2 (%3 hours).")
                  .arg(QString::fromStdString(snapshot_->summary_text("scenario")), source)
                  .arg(snapshot_->timeseries.rows),
              false);
}

void MainWindow::fillFloor() {
  // The halls and racks of the scenario the results came from (its resolved copy).
  const scenario::LoadResult loaded = scenario::load_scenario_text(snapshot_->resolved_yaml, "scenario.resolved.yaml");
  if (!loaded.ok()) {
    floor_->clear(tr("The results' scenario.resolved.yaml does not load: no floor plan."));
    return;
  }
  floor_->setFloor(floorHalls(*loaded.scenario, *snapshot_), snapshot_);
}

void MainWindow::fillMarketTab() {
  const QStringList dims = marketDimensions(*snapshot_);
  const QString keep = market_dimension_->currentText();
  {
    const QSignalBlocker block(market_dimension_);
    market_dimension_->clear();
    market_dimension_->addItems(dims);
    const int i = market_dimension_->findText(keep);
    market_dimension_->setCurrentIndex(i >= 0 ? i : 0);
  }
  market_dimension_->setEnabled(dims.size() > 1);
  fillMarket(*chartPanel("market"), *snapshot_, dims.isEmpty() ? QString("total") : market_dimension_->currentText());
}

void MainWindow::showScenarioYaml(const std::string& yaml) {
  QString error;
  if (!scenario_model_->setYaml(yaml, &error)) {
    scenario_model_->clear();
    scenario_status_->setText(tr("(cannot show the scenario: %1)").arg(error));
  } else {
    scenario_status_->setText(tr("Valid."));
  }
  scenario_status_->setStyleSheet({});
  edits_valid_ = true;
  saved_yaml_ = yaml;
  markEdited(false);
  scenario_tree_->expandToDepth(1);
  scenario_tree_->resizeColumnToContents(0);
  scenario_tree_->resizeColumnToContents(1);
}

void MainWindow::validateEdits() {
  // The same loader as `dcsim validate`, on the text Save would write: milliseconds for a
  // scenario (trace files are read by the run, not here).
  const std::string text = scenario_model_->yamlText();
  const QString label = (scenario_file_.isEmpty() ? tr("edited scenario") : scenario_file_) + tr(" (edited)");
  const QString base = scenario_path_.isEmpty() ? QDir::currentPath() : QFileInfo(scenario_path_).absolutePath();
  scenario::LoadResult loaded = scenario::load_scenario_text(text, label.toStdString(), base.toStdString(), {}, -1, loadOptions());
  if (loaded.ok()) {
    scenario_ = std::move(*loaded.scenario);
    resolved_yaml_ = scenario::to_resolved_yaml(*scenario_);
    edits_valid_ = true;
    scenario_model_->clearMarks();
    scenario_status_->setStyleSheet({});
    scenario_status_->setText(tr("Valid. Run (F5) uses the edited scenario%1.")
                                  .arg(edits_unsaved_ ? tr("; Save (Ctrl+S) writes it") : QString()));
    statusBar()->showMessage(tr("Edit accepted: the scenario is valid."));
    updateActions();
    return;
  }
  edits_valid_ = false;
  const QStringList lines = QString::fromStdString(text).split('\n');
  QString message;
  for (const auto& d : loaded.diagnostics) {
    message += QString::fromStdString(scenario::format_diagnostic(d));
    // The line as Save would write it, with a caret (format_diagnostic reads files only).
    if (d.pos.line > 0 && d.pos.line <= lines.size()) {
      message += lines[d.pos.line - 1] + "\n" + QString(std::max(0, d.pos.column - 1), ' ') + "^\n";
    }
  }
  if (message.isEmpty()) message = tr("%1: the scenario is not valid").arg(label);
  if (!loaded.diagnostics.empty()) {
    const QModelIndex bad = scenario_model_->markLine(loaded.diagnostics.front().pos.line, message.trimmed());
    if (bad.isValid()) scenario_tree_->scrollTo(bad);
  } else {
    scenario_model_->clearMarks();
  }
  scenario_status_->setStyleSheet("color: #b00000;");
  scenario_status_->setText(message.trimmed() + tr("\nRun is disabled until this is fixed."));
  showMessage(message, true);
  updateActions();
}

bool MainWindow::saveScenarioTo(const QString& path) {
  if (scenario_model_->isEmpty()) return false;
  QSaveFile f(path);
  const QByteArray bytes = QByteArray::fromStdString(scenario_model_->yamlText());
  if (!f.open(QIODevice::WriteOnly) || f.write(bytes) < 0 || !f.commit()) {
    showMessage(tr("%1: %2").arg(path, f.errorString()), true);
    return false;
  }
  scenario_file_ = path;
  scenario_path_ = path;
  saved_yaml_ = bytes.toStdString();
  markEdited(false);
  addRecent(path);
  showMessage(tr("Saved %1%2").arg(path, edits_valid_ ? QString() : tr(" (it does not validate yet)")), !edits_valid_);
  return true;
}

bool MainWindow::saveScenario(bool ask) {
  QString path = scenario_file_;
  if (ask || path.isEmpty()) {
    path = QFileDialog::getSaveFileName(this, tr("Save scenario"), path.isEmpty() ? QDir::currentPath() : path,
                                        tr("Scenario files (*.yaml *.yml)"));
  }
  return !path.isEmpty() && saveScenarioTo(path);
}

QMenu* MainWindow::scenarioContextMenu(const QModelIndex& index) {
  auto* menu = new QMenu(this);
  menu->setObjectName("scenarioContextMenu");
  if (!index.isValid() || thread_) return menu;
  const QModelIndex key = index.sibling(index.row(), ScenarioModel::KeyColumn);
  const QString name = key.data().toString();
  const QString path = key.data(ScenarioModel::PathRole).toString();
  auto select = [this](const QModelIndex& at) {
    if (!at.isValid()) return;
    scenario_tree_->expand(at.parent());
    scenario_tree_->setCurrentIndex(at);
    scenario_tree_->scrollTo(at);
  };
  if (scenario_model_->isListItem(key)) {
    QAction* dup = menu->addAction(tr("Add a Copy of %1").arg(name), this, [this, path, select] {
      select(scenario_model_->addListItem(scenario_model_->valueIndex(path)));
    });
    dup->setObjectName("addCopy");
    QAction* del = menu->addAction(tr("Remove %1").arg(name), this, [this, path] {
      scenario_model_->removeListItem(scenario_model_->valueIndex(path));
    });
    del->setObjectName("removeItem");
  } else if (scenario_model_->isList(key)) {
    QAction* add = menu->addAction(tr("Add Item to %1").arg(name), this, [this, path, select] {
      select(scenario_model_->addListItem(scenario_model_->valueIndex(path)));
    });
    add->setObjectName("addItem");
  }
  // Keys the keys table allows here that the map does not have yet (e.g. `failures`).
  const QStringList missing = scenario_model_->missingKeys(key);
  if (!missing.isEmpty()) {
    QMenu* sub = menu->addMenu(tr("Add Key to %1").arg(name));
    sub->setObjectName("addKeyMenu");
    for (const QString& k : missing) {
      sub->addAction(k, this, [this, path, k, select] { select(scenario_model_->addKey(scenario_model_->valueIndex(path), k)); });
    }
  }
  return menu;
}

void MainWindow::markEdited(bool unsaved) {
  edits_unsaved_ = unsaved;
  setWindowModified(unsaved);
}

bool MainWindow::confirmUnsavedEdits(const QString& what, bool* discard) {
  if (discard) *discard = false;
  if (!edits_unsaved_ || scenario_model_->isEmpty()) return true;
  QMessageBox box(QMessageBox::Warning, tr("Unsaved scenario edits"),
                  tr("The scenario has edits that are not saved.\nSave them before %1?").arg(what),
                  QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
  box.setObjectName("unsavedEditsBox");
  box.setDefaultButton(QMessageBox::Save);
  box.setInformativeText(scenario_file_.isEmpty() ? tr("Save asks where to write them.") : tr("Save writes %1.").arg(scenario_file_));
  switch (box.exec()) {
    case QMessageBox::Save:
      return saveScenario(false);
    case QMessageBox::Discard:
      if (discard) *discard = true;
      return true;
    default:
      showMessage(tr("Kept the unsaved edits; nothing else was done."), false);
      return false;
  }
}

void MainWindow::revertEdits() {
  // Back to the text as opened or last saved, validated again.
  const std::string text = saved_yaml_;
  QString error;
  if (!scenario_model_->setYaml(text, &error)) return;
  validateEdits();
  markEdited(false);
  scenario_tree_->expandToDepth(1);
}

void MainWindow::addRecent(const QString& path) {
  QSettings settings;
  QStringList recent = settings.value("recentFiles").toStringList();
  const QString abs = QFileInfo(path).absoluteFilePath();
  recent.removeAll(abs);
  recent.prepend(abs);
  while (recent.size() > 8) recent.removeLast();
  settings.setValue("recentFiles", recent);
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  recent_menu_->clear();
  const QStringList recent = QSettings().value("recentFiles").toStringList();
  for (const QString& p : recent) recent_menu_->addAction(p, this, [this, p] { openPath(p); });
  recent_menu_->setEnabled(!recent.isEmpty());
}

void MainWindow::startRun() {
  if (!scenario_ || thread_) return;
  if (!edits_valid_) {
    showMessage(tr("The edited scenario does not validate: fix the marked value in the Scenario tab first."), true);
    return;
  }
  bool discard = false;
  if (!confirmUnsavedEdits(tr("running"), &discard)) return;
  if (discard) revertEdits();
  if (!edits_valid_ || !scenario_) return;  // the saved text does not validate either (shown)
  cancel_ = std::make_shared<std::atomic<bool>>(false);
  output_ = std::make_shared<RunOutput>();
  auto cancel = cancel_;
  auto out = output_;
  const scenario::Scenario sc = *scenario_;
  const std::string root = results_root_.toStdString();
  thread_ = QThread::create([this, cancel, out, sc, root] {
    run::RunRequest request;
    request.scenario = sc;
    request.progress = [this, cancel](double fraction) {
      QMetaObject::invokeMethod(
          this,
          [this, fraction] {
            if (!thread_) return;
            progress_->setValue(static_cast<int>(fraction * 1000.0));
            emit runProgress(fraction);
          },
          Qt::QueuedConnection);
      return !cancel->load();
    };
    run::RunResult result = run::run(std::move(request));
    if (!result.ok()) {
      for (const auto& d : result.diagnostics) out->error += QString::fromStdString(scenario::format_diagnostic(d)) + "\n";
      return;
    }
    if (cancel->load() || result.model.stop_reason == model::StopReason::cancelled) {
      out->cancelled = true;
      return;
    }
    // The same steps as `dcsim run` after the simulation.
    reports::ResultsFiles files = reports::render_results(result, scenario::to_resolved_yaml(result.scenario));
    if (cancel->load()) {
      out->cancelled = true;
      return;
    }
    if (!root.empty()) {
      const fs::path target = fs::path(root) / reports::folder_name_for(result.scenario.name);
      const reports::WriteOutcome written = reports::write_results_folder(files, target, true);
      if (written.ok) {
        out->written_to = QString::fromStdString(target.string());
      } else {
        out->write_error = QString::fromStdString(written.error);
      }
    }
    out->read = reports::read_results_files(files);
    out->files = std::move(files);
  });
  connect(thread_, &QThread::finished, this, &MainWindow::onRunDone);
  progress_->setValue(0);
  progress_->show();
  cancel_button_->show();
  cancel_button_->setEnabled(true);
  elapsed_.start();
  elapsed_label_->setText(tr("elapsed 0.0 s"));
  elapsed_timer_->start();
  statusBar()->showMessage(tr("Running %1...").arg(QString::fromStdString(sc.name)));
  thread_->start();
  updateActions();
}

void MainWindow::cancelRun() {
  if (!thread_) return;
  cancel_->store(true);
  cancel_button_->setEnabled(false);
  statusBar()->showMessage(tr("Cancelling..."));
}

void MainWindow::onRunDone() {
  thread_->wait();
  thread_->deleteLater();
  thread_ = nullptr;
  elapsed_timer_->stop();
  const double seconds = static_cast<double>(elapsed_.elapsed()) / 1000.0;
  elapsed_label_->setText(tr("last run %1 s").arg(seconds, 0, 'f', 1));
  progress_->hide();
  cancel_button_->hide();
  const std::shared_ptr<RunOutput> out = std::move(output_);
  bool ok = false;
  if (out->cancelled) {
    showMessage(tr("Run cancelled after %1 s; nothing was written.").arg(seconds, 0, 'f', 1), false);
  } else if (!out->error.isEmpty()) {
    showMessage(out->error, true);
  } else if (!out->read.folder) {
    showMessage(tr("The run's results cannot be read back: %1").arg(QString::fromStdString(out->read.error)), true);
  } else {
    run_files_ = std::move(out->files);
    resolved_yaml_ = out->read.folder->resolved_yaml;
    snapshot_kpis_ = reports::kpis_of_tree(reports::results_tree(*run_files_));
    snapshot_path_ = out->written_to;
    {
      std::vector<std::pair<QString, std::string>> files;
      for (const auto& [name, text] : reports::named_files(*run_files_)) files.emplace_back(QString::fromStdString(name), *text);
      tables_->setFiles(files);
    }
    setSnapshot(std::make_shared<const reports::ResultsFolder>(std::move(*out->read.folder)), tr("this run"));
    if (!out->write_error.isEmpty()) {
      showMessage(tr("Run finished in %1 s, but its results folder was not written: %2")
                      .arg(seconds, 0, 'f', 1)
                      .arg(out->write_error),
                  true);
    } else {
      showMessage(tr("Run finished in %1 s.%2")
                      .arg(seconds, 0, 'f', 1)
                      .arg(out->written_to.isEmpty() ? QString() : tr(" Results written to %1").arg(out->written_to)),
                  false);
    }
    ok = true;
  }
  updateActions();
  emit runFinished(ok, out->cancelled);
}

void MainWindow::saveResolvedAs() {
  if (resolved_yaml_.empty()) return;
  const QString p = QFileDialog::getSaveFileName(this, tr("Save resolved scenario"),
                                                 QDir(results_root_).filePath("scenario.resolved.yaml"),
                                                 tr("Scenario files (*.yaml *.yml)"));
  if (p.isEmpty()) return;
  QSaveFile f(p);
  if (!f.open(QIODevice::WriteOnly) || f.write(QByteArray::fromStdString(resolved_yaml_)) < 0 || !f.commit()) {
    showMessage(tr("%1: %2").arg(p, f.errorString()), true);
    return;
  }
  showMessage(tr("Saved %1").arg(p), false);
}

void MainWindow::saveResultsAs() {
  if (!run_files_) return;
  const QString p = QFileDialog::getSaveFileName(this, tr("Save results folder"), results_root_);
  if (p.isEmpty()) return;
  const reports::WriteOutcome w = reports::write_results_folder(*run_files_, p.toStdString(), false);
  if (!w.ok) {
    showMessage(QString::fromStdString(w.error), true);
    return;
  }
  showMessage(tr("Results written to %1").arg(p), false);
}

void MainWindow::chooseResultsRoot() {
  const QString p = QFileDialog::getExistingDirectory(this, tr("Where runs write their results folders"), results_root_);
  if (p.isEmpty()) return;
  results_root_ = p;
  QSettings().setValue("resultsRoot", p);
  showMessage(tr("Runs now write their results under %1").arg(p), false);
}

void MainWindow::exportCurrentChart(bool png) {
  ChartPanel* panel = currentPanel();
  if (!panel || panel->isEmpty()) {
    showMessage(tr("Select a chart tab with data first."), true);
    return;
  }
  const QString suggested = QDir(results_root_).filePath(panel->id() + (png ? ".png" : ".csv"));
  const QString p = QFileDialog::getSaveFileName(this, png ? tr("Export chart as PNG") : tr("Export chart data as CSV"),
                                                 suggested, png ? tr("PNG images (*.png)") : tr("CSV files (*.csv)"));
  if (p.isEmpty()) return;
  QString error;
  const bool ok = png ? panel->exportPng(p) : panel->exportCsv(p, &error);
  if (!ok) {
    showMessage(error.isEmpty() ? tr("%1: cannot be written").arg(p) : error, true);
    return;
  }
  showMessage(tr("Exported %1").arg(p), false);
}

void MainWindow::showOffScreen() {
  // Charts lay themselves out only when shown: show the window off screen if it is not shown.
  if (!isVisible()) {
    setAttribute(Qt::WA_DontShowOnScreen);
    messages_dock_->hide();
    show();
  }
}

void MainWindow::forEachChartShown(const std::function<void(QWidget* widget, const QString& id)>& draw) {
  QWidget* const previous = tabs_->currentWidget();
  for (ChartPanel* p : panels_) {
    if (p->isEmpty()) continue;
    QWidget* page = p;
    while (page->parentWidget() && tabs_->indexOf(page) < 0) page = page->parentWidget();
    tabs_->setCurrentWidget(page);
    // Lay the page out, but do not paint it: `draw` paints the chart, and painting every page
    // twice was a fifth of the export's time.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    draw(p->view(), p->id());
  }
  if (!floor_->isEmpty()) {
    tabs_->setCurrentWidget(floor_);
    QApplication::processEvents();
    draw(floor_, "floor");
  }
  tabs_->setCurrentWidget(previous);
}

QStringList MainWindow::exportChartPngs(const QString& dir, QSize size) {
  QStringList written;
  QDir().mkpath(dir);
  if (!isVisible()) {
    resize(size);
    showOffScreen();
  }
  forEachChartShown([&](QWidget* widget, const QString& id) {
    const QString path = QDir(dir).filePath(id + ".png");
    if (widget == floor_ ? floor_->grab().save(path) : chartPanel(id)->exportPng(path, size)) written << path;
  });
  return written;
}

int MainWindow::drawEveryChart() {
  showOffScreen();
  // What the screen gets: the window's backing store, one image of the window's size in its
  // format, into which each tab paints.
  QImage backing_store(size() * devicePixelRatio(), QImage::Format_ARGB32_Premultiplied);
  backing_store.setDevicePixelRatio(devicePixelRatio());
  int drawn = 0;
  forEachChartShown([&](QWidget* widget, const QString&) {
    QPainter painter(&backing_store);
    widget->render(&painter);
    if (painter.end()) ++drawn;
  });
  return drawn;
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (!confirmUnsavedEdits(tr("closing"))) {
    event->ignore();
    return;
  }
  if (thread_) {
    cancel_->store(true);
    thread_->wait();
  }
  QSettings settings;
  settings.setValue("geometry", saveGeometry());
  settings.setValue("windowState", saveState());
  event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls() && !event->mimeData()->urls().isEmpty() &&
      event->mimeData()->urls().first().isLocalFile()) {
    event->acceptProposedAction();
  }
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QList<QUrl> urls = event->mimeData()->urls();
  if (urls.isEmpty() || !urls.first().isLocalFile()) return;
  event->acceptProposedAction();
  openPath(urls.first().toLocalFile());
}

scenario::LoadOptions MainWindow::loadOptions() const {
  scenario::LoadOptions options;
  options.allow_outside_paths = allow_outside_paths_action_ != nullptr && allow_outside_paths_action_->isChecked();
  return options;
}

}  // namespace dcsim::gui
